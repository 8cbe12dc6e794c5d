"""Progress notes can wait for a moderator: a state, when each went live, and the decision.

Every note written so far went live when it was written, so it is published as of then.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def published_when_written(apps, schema_editor):
    Update = apps.get_model("initiatives", "Update")
    Update.objects.filter(published_at__isnull=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0012_pendingrevision_authors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="update",
            name="state",
            field=models.CharField(
                choices=[("published", "Published"), ("held", "Awaiting review"), ("rejected", "Rejected")],
                default="published",
                editable=False,
                max_length=20,
                verbose_name="state",
            ),
        ),
        migrations.AddField(
            model_name="update",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="published"),
        ),
        migrations.AddField(
            model_name="update",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(
            model_name="update",
            name="decided_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="decided"),
        ),
        migrations.AddField(
            model_name="update",
            name="reason",
            field=models.TextField(blank=True, editable=False, verbose_name="reason"),
        ),
        migrations.RunPython(published_when_written, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="update",
            index=models.Index(fields=["published_at"], name="update_published_at"),
        ),
        migrations.AddConstraint(
            model_name="update",
            constraint=models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="update_published_has_time",
            ),
        ),
    ]
