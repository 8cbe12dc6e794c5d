"""pg_trgm for duplicate suggestions; the operation does nothing on other databases."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class PostgresTrigramExtension(TrigramExtension):
    """Django's CreateExtension reverses by querying pg_extension, which fails on SQLite."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0004_moderation_queue_proxy"),
    ]

    operations = [PostgresTrigramExtension()]
