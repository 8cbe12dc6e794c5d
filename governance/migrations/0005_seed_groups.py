"""Create the role groups; the initiatives app grants its own permissions to them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Contributor", "Curator", "Moderator"]

# The frame is read-only for all but administrators; curators may maintain stakeholders.
PERMISSIONS = {
    "Contributor": [],
    "Curator": [
        "add_stakeholder",
        "change_stakeholder",
        "view_stakeholder",
        "view_country",
        "view_keytask",
        "view_actionline",
        "view_advocacy",
    ],
    "Moderator": ["view_stakeholder", "view_country", "view_keytask", "view_actionline", "view_advocacy"],
}


def seed(apps, schema_editor):
    app_config = apps.get_app_config("governance")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="governance", codename__in=PERMISSIONS[role])
        )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_seed_stakeholders"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
