"""An index for the API's cursor walk over published records in (updated_at, id) order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0006_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                fields=["moderation_state", "updated_at", "id"], name="initiative_state_cursor"
            ),
        ),
    ]
