"""Synthetic rows into the database: COPY on PostgreSQL (psycopg 3), bulk_create elsewhere.

One transaction per batch, so a million initiatives load in minutes. Identifiers are
reserved from the tables' sequences before a run, so rows can be added while the site is
serving. On SQLite the same rows go through bulk_create, which is only meant for small
numbers.
"""

import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from governance.models import Stakeholder
from initiatives.models import Initiative, InitiativeTranslation, Participation, Revision
from initiatives.synthetic.rows import INITIATIVE_COLUMNS, REVISION_COLUMNS, TRANSLATION_COLUMNS, Batch


class Writer:
    """Puts a batch into the database: COPY on PostgreSQL, bulk_create elsewhere."""

    TABLES = (
        ("initiatives", Initiative, INITIATIVE_COLUMNS),
        ("countries", Initiative.countries.through, ("initiative_id", "country_id")),
        ("advocacies", Initiative.advocacies.through, ("initiative_id", "advocacy_id")),
        ("collaborators", Initiative.collaborators.through, ("initiative_id", "user_id")),
        ("participations", Participation, ("initiative_id", "stakeholder_id", "role")),
        ("tagged", TaggedItem, ("object_id", "content_type_id", "tag_id")),
        ("translations", InitiativeTranslation, TRANSLATION_COLUMNS),
        ("revisions", Revision, REVISION_COLUMNS),
    )
    JSON_COLUMNS = {"snapshot", "changes"}

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.superuser = False
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SHOW is_superuser")
                self.superuser = cursor.fetchone()[0] == "on"

    def _fast_load_settings(self) -> None:
        with connection.cursor() as cursor:
            # A lost batch after a crash is harmless here: nothing else depends on it.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # A longer pending list lets the search indexes (GIN) merge new entries in
            # larger, cheaper steps; VACUUM at the end folds in what is left.
            cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
            if self.superuser:
                # As pg_restore --disable-triggers: the rows reference ids read from the
                # database a moment ago, so the deferred foreign-key checks, about a third
                # of the load time, would only repeat that.
                cursor.execute("SET LOCAL session_replication_role = replica")

    def write(self, batch: Batch) -> None:
        with transaction.atomic():
            if self.postgresql:
                self._fast_load_settings()
            for attribute, model, columns in self.TABLES:
                rows = getattr(batch, attribute)
                if not rows:
                    continue
                if self.postgresql:
                    self._copy(model._meta.db_table, columns, rows)
                else:
                    model.objects.bulk_create(
                        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
                    )

    def _copy(self, table: str, columns, rows) -> None:
        json_at = [i for i, column in enumerate(columns) if column in self.JSON_COLUMNS]
        names = ", ".join(f'"{column}"' for column in columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    copy.write_row(row)

    def copy_models(self, objects: list) -> None:
        """Instances of one model, every concrete field but an unset primary key."""
        if not objects:
            return
        model = type(objects[0])
        if not self.postgresql:
            model.objects.bulk_create(objects, batch_size=500)
            return
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objects[0].pk is None)]
        rows = []
        for obj in objects:
            row = []
            for f in fields:
                value = f.get_db_prep_save(getattr(obj, f.attname), connection)
                if f.get_internal_type() == "JSONField":
                    value = json.dumps(getattr(obj, f.attname), ensure_ascii=False)
                row.append(value)
            rows.append(row)
        self._copy(model._meta.db_table, [f.column for f in fields], rows)


def reserve_ids(model, count: int) -> int:
    """The first of `count` consecutive primary keys nobody else will be given."""
    table = model._meta.db_table
    if connection.vendor != "postgresql":
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return last + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
        sequence = cursor.fetchone()[0]
        # Move the sequence past the block in one statement; concurrent inserts get later ids.
        # The names come from the model and from pg_get_serial_sequence, not from input.
        statement = (
            f'SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"),'  # noqa: S608
            f" (SELECT last_value FROM {sequence})) + %s) - %s"
        )
        cursor.execute(statement, [sequence, count, count])
        return cursor.fetchone()[0] + 1


def subscription_model():
    """digests.Subscription when its table exists, else None."""
    try:
        model = apps.get_model("digests", "Subscription")
    except LookupError:
        return None
    # The app may be installed before its migrations exist.
    return model if model._meta.db_table in connection.introspection.table_names() else None


def vacuum(*, subscribers: bool) -> str:
    """Statistics for the planner, and the search indexes' pending entries merged; says which."""
    models = [
        Initiative,
        Initiative.countries.through,
        Initiative.advocacies.through,
        Initiative.collaborators.through,
        Participation,
        TaggedItem,
        Tag,
        InitiativeTranslation,
        Revision,
        Stakeholder,
        get_user_model(),
    ]
    if subscribers and (subscription := subscription_model()) is not None:
        models += [subscription, subscription.key_tasks.through, subscription.countries.through]
    # VACUUM cannot run inside a transaction (as when called from a test); ANALYZE can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'{command} "{model._meta.db_table}"')
    return command
