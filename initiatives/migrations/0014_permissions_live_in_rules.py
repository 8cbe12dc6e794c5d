"""Moderating and curating are rules permissions now (initiatives/rules.py: "initiatives.moderate",
"initiatives.curate", decided by the role groups): drop the Django permissions nothing asks.

Reversing gives the role groups their old permissions back, as 0003 granted them.
"""

from django.core.management.color import no_style
from django.db import migrations

RETIRED = {
    "moderate_initiative": ("Moderator", "Can approve or reject initiatives"),
    "curate_initiative": ("Curator", "Can archive, merge and restore initiatives"),
}


def retire(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="initiatives", codename__in=RETIRED).delete()


def reinstate(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Rows restored with their ids (a backup, a test's serialized database) leave the id
    # sequence behind them; move it past them, as loaddata does, before adding rows.
    with schema_editor.connection.cursor() as cursor:
        for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Permission]):
            cursor.execute(statement)
    content_type, _ = ContentType.objects.get_or_create(app_label="initiatives", model="initiative")
    for codename, (role, name) in RETIRED.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0013_update_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(retire, reinstate),
        migrations.AlterModelOptions(
            name="initiative",
            options={
                "ordering": ["-updated_at", "-id"],
                "verbose_name": "initiative",
                "verbose_name_plural": "initiatives",
            },
        ),
    ]
