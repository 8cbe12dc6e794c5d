"""Grant the role groups their permissions on the records (see DESIGN section 3)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Contributor": [
        "add_initiative",
        "view_initiative",
        "add_update",
        "view_update",
        "add_comment",
        "view_comment",
        "add_follow",
        "delete_follow",
        "view_follow",
    ],
    "Curator": [
        "add_initiative",
        "change_initiative",
        "view_initiative",
        "curate_initiative",
        "add_participation",
        "change_participation",
        "delete_participation",
        "view_participation",
        "add_sourcelink",
        "change_sourcelink",
        "delete_sourcelink",
        "view_sourcelink",
        "add_update",
        "change_update",
        "delete_update",
        "view_update",
        "view_revision",
        "view_initiativeevent",
        "view_pendingrevision",
        "view_comment",
        "add_comment",
        "add_follow",
        "delete_follow",
        "view_follow",
    ],
    "Moderator": [
        "add_initiative",
        "view_initiative",
        "moderate_initiative",
        "view_participation",
        "view_sourcelink",
        "view_update",
        "view_revision",
        "view_initiativeevent",
        "view_pendingrevision",
        "change_pendingrevision",
        "view_comment",
        "change_comment",
        "add_comment",
        "add_follow",
        "delete_follow",
        "view_follow",
    ],
}
TAG_PERMISSIONS = {"Curator": ["add_tag", "change_tag", "view_tag"], "Moderator": ["view_tag"]}


def grant(apps, schema_editor):
    for label in ("initiatives", "taggit"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="initiatives", codename__in=codenames),
            *Permission.objects.filter(
                content_type__app_label="taggit", codename__in=TAG_PERMISSIONS.get(role, [])
            ),
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label__in=["initiatives", "taggit"])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0002_action_line_in_key_task"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
