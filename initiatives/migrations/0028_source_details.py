# The details that let a reader weigh a source, and whether a curator checked it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0027_results"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="sourcelink",
            name="accessed_on",
            field=models.DateField(blank=True, null=True, verbose_name="date accessed"),
        ),
        migrations.AddField(
            model_name="sourcelink",
            name="checked",
            field=models.BooleanField(
                default=False, help_text="A curator has checked what the source says.", verbose_name="checked"
            ),
        ),
        migrations.AddField(
            model_name="sourcelink",
            name="checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="checked at"),
        ),
        migrations.AddField(
            model_name="sourcelink",
            name="checked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="checked by",
            ),
        ),
        migrations.AddField(
            model_name="sourcelink",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                max_length=8,
                verbose_name="language of the source",
            ),
        ),
        migrations.AddField(
            model_name="sourcelink",
            name="published_on",
            field=models.DateField(blank=True, null=True, verbose_name="date published"),
        ),
        migrations.AddField(
            model_name="sourcelink",
            name="publisher",
            field=models.CharField(blank=True, max_length=200, verbose_name="publisher"),
        ),
        migrations.AddIndex(
            model_name="sourcelink",
            index=models.Index(
                condition=models.Q(("checked", True)), fields=["initiative"], name="sourcelink_checked"
            ),
        ),
        migrations.AddConstraint(
            model_name="sourcelink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("published_on__isnull", True),
                    ("accessed_on__isnull", True),
                    ("accessed_on__gte", models.F("published_on")),
                    _connector="OR",
                ),
                name="sourcelink_accessed_not_before_published",
                violation_error_message="A source cannot be accessed before it was published.",
            ),
        ),
    ]
