"""GIN indexes for full-text search, on the very expressions initiatives.selectors queries.

PostgreSQL only: SQLite has no text-search types, and its fallback search scans.
"""

from django.db import migrations

INDEXES = {
    "initiative_search_english": (
        "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, '') "
        "|| ' ' || COALESCE(body, ''))"
    ),
    "initiative_search_bigrams": "to_tsvector('simple'::regconfig, COALESCE(search_document, ''))",
    "initiative_search_title": "to_tsvector('english'::regconfig, COALESCE(title, ''))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON initiatives_initiative USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0005_pg_trgm"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
