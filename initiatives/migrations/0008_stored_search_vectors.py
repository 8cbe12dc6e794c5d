"""Stored text-search vectors, so a search reads them instead of parsing every record's text.

PostgreSQL computes the two columns itself (generated columns), so every way a row is written
(services, bulk loads, COPY) keeps them current. The model does not declare them: SQLite has no
text-search types, and initiatives.selectors reads them only on PostgreSQL. The GIN indexes keep
the names of migration 0006, now on the columns instead of on expressions.
"""

from django.db import migrations

ENGLISH = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')"
)
BIGRAMS = "to_tsvector('simple'::regconfig, COALESCE(search_document, ''))"

OLD_INDEXES = {
    "initiative_search_english": (
        "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, '') "
        "|| ' ' || COALESCE(body, ''))"
    ),
    "initiative_search_bigrams": BIGRAMS,
}


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        "ALTER TABLE initiatives_initiative "
        f"ADD COLUMN search_vector_english tsvector GENERATED ALWAYS AS ({ENGLISH}) STORED, "
        f"ADD COLUMN search_vector_bigrams tsvector GENERATED ALWAYS AS ({BIGRAMS}) STORED, "
        # Kept in the row, not moved out to TOAST (where body and snapshot text go first):
        # a search tests the vector of every candidate row, and a TOAST fetch each time
        # cost more than the test itself. One statement, so the rewrite stores them so.
        "ALTER COLUMN search_vector_english SET STORAGE MAIN, "
        "ALTER COLUMN search_vector_bigrams SET STORAGE MAIN"
    )
    schema_editor.execute(
        "CREATE INDEX initiative_search_english ON initiatives_initiative USING gin (search_vector_english)"
    )
    schema_editor.execute(
        "CREATE INDEX initiative_search_bigrams ON initiatives_initiative USING gin (search_vector_bigrams)"
    )


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE initiatives_initiative "
        "DROP COLUMN IF EXISTS search_vector_english, DROP COLUMN IF EXISTS search_vector_bigrams"
    )
    for name, expression in OLD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON initiatives_initiative USING gin ({expression})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0007_cursor_index"),
    ]

    operations = [migrations.RunPython(add_vectors, drop_vectors)]
