"""The action line of an initiative must belong to its key task.

PostgreSQL holds this as a composite foreign key onto (action line, key task); on SQLite,
which cannot add such a key to an existing table, triggers refuse the same rows. The
services validate it first, so people see a form error rather than a database error.
"""

from django.db import migrations

PG_FORWARD = """
ALTER TABLE initiatives_initiative
    ADD CONSTRAINT initiative_action_line_in_key_task
    FOREIGN KEY (action_line_id, key_task_id)
    REFERENCES governance_actionline (id, key_task_id);
"""
PG_BACKWARD = "ALTER TABLE initiatives_initiative DROP CONSTRAINT initiative_action_line_in_key_task;"

SQLITE_TRIGGER = """
CREATE TRIGGER initiative_action_line_in_key_task_{event}
BEFORE {event} ON initiatives_initiative
WHEN NEW.action_line_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM governance_actionline
    WHERE id = NEW.action_line_id AND key_task_id = NEW.key_task_id
)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: initiative_action_line_in_key_task');
END;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(SQLITE_TRIGGER.format(event=event))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS initiative_action_line_in_key_task_{event}")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial"), ("governance", "0005_seed_groups")]
    operations = [migrations.RunPython(forward, backward)]
