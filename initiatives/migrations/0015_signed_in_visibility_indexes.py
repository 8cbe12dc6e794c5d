"""Indexes for the lists of signed-in readers: members see published records or their own,
staff see every record.

The published-only indexes of migration 0011 cannot serve a list whose filter is "published
or one of mine" or no filter at all, so those lists sorted by title, publication, start or
creation read the whole table to sort it. These serve the same orders over every record
(the order by latest change already had one),
with the state last so that a member's page of ids is read from the index alone (in the
descending order of publication the never-published records, published_at NULL, come first,
and most of them are not the member's).
`visible_to` reads a member's own records as the ids of their unpublished ones (partial on
that, so small) and of those they collaborate on (by user, then initiative: from the index
alone).
"""

from django.db import migrations, models

ORDERS = (
    ("title", "initiative_title_id"),
    ("published_at", "initiative_published_id"),
    ("start_date", "initiative_start_id"),
    ("created_at", "initiative_created_id"),
)

COLLABORATING_INDEX = "initiative_collaborating_user"


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0014_permissions_live_in_rules"),
    ]

    operations = [
        # The order by latest change had (updated_at, id); it takes the state too.
        migrations.RemoveIndex(model_name="initiative", name="initiative_updated_id"),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["updated_at", "id", "moderation_state"], name="initiative_updated_id"),
        ),
        *(
            migrations.AddIndex(
                model_name="initiative",
                index=models.Index(fields=[field, "id", "moderation_state"], name=name),
            )
            for field, name in ORDERS
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                condition=~models.Q(moderation_state="published"),
                fields=["owner", "id"],
                name="initiative_owner_unpublished",
            ),
        ),
        # The collaborators table is Django's own for the many-to-many field, so its index
        # is written out here rather than declared on a model.
        migrations.RunSQL(
            f"CREATE INDEX {COLLABORATING_INDEX} ON initiatives_initiative_collaborators (user_id, initiative_id)",
            f"DROP INDEX {COLLABORATING_INDEX}",
        ),
    ]
