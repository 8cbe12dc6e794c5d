"""A pending revision keeps every author: the single `author` becomes the `authors` set.

The person recorded so far (the last one to touch the proposal) is copied into the set;
earlier authors a touch replaced were never recorded and cannot be recovered here.
"""

from django.conf import settings
from django.db import migrations, models


def copy_author(apps, schema_editor):
    PendingRevision = apps.get_model("initiatives", "PendingRevision")
    Authors = PendingRevision.authors.through
    Authors.objects.bulk_create(
        Authors(pendingrevision_id=pk, user_id=author_id)
        for pk, author_id in PendingRevision.objects.values_list("pk", "author_id").iterator()
    )


def keep_one_author(apps, schema_editor):
    PendingRevision = apps.get_model("initiatives", "PendingRevision")
    Authors = PendingRevision.authors.through
    for revision in PendingRevision.objects.all().iterator():
        first = Authors.objects.filter(pendingrevision_id=revision.pk).order_by("pk").first()
        revision.author_id = first.user_id if first else None
        revision.save(update_fields=["author"])


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0011_published_order_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingrevision",
            name="authors",
            field=models.ManyToManyField(
                blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="authors"
            ),
        ),
        # On the way back `author` returns nullable, is filled, then made required again.
        migrations.AlterField(
            model_name="pendingrevision",
            name="author",
            field=models.ForeignKey(
                null=True, on_delete=models.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.RunPython(copy_author, keep_one_author),
        migrations.RemoveField(model_name="pendingrevision", name="author"),
    ]
