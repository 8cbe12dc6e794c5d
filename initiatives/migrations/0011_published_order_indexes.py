"""Indexes that read the published list in each order a reader may choose, ties broken by id.

Partial on the published list's own filter (moderation_state = 'published'), so they hold
only the rows that list shows; scanned backwards they serve the descending orders too.
`updated_at` already has one, (moderation_state, updated_at, id) from migration 0007, which
also serves everything the older (moderation_state, -updated_at) did: that one goes.
"""

from django.db import migrations, models

ORDERS = (
    ("title", "initiative_published_title"),
    ("published_at", "initiative_published_published"),
    ("start_date", "initiative_published_start"),
    ("created_at", "initiative_published_created"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0010_kept_markdown_html"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="initiative", name="initiative_state_updated"),
        *(
            migrations.AddIndex(
                model_name="initiative",
                index=models.Index(
                    condition=models.Q(("moderation_state", "published")), fields=[field, "id"], name=name
                ),
            )
            for field, name in ORDERS
        ),
    ]
