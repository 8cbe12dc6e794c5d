"""Following an initiative becomes a kind of follow beside the topics, in one table: one list
and one id for both (/api/v1/me/follows/). The rows of the old Follow table move across, each
naming its initiative by key and by slug, and that table goes.

Reversing moves the initiative follows back into a Follow table of their own.
"""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 1000


def _checked_at_once(schema_editor):
    """PostgreSQL refuses to change a table holding rows whose foreign keys are still to be
    checked at commit; checking them as they are written lets the schema change go on."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def fold(apps, schema_editor):
    _checked_at_once(schema_editor)
    Follow = apps.get_model("initiatives", "Follow")
    TopicFollow = apps.get_model("initiatives", "TopicFollow")
    rows = Follow.objects.order_by("pk").values_list(
        "user_id", "initiative_id", "initiative__slug", "created_at"
    )
    batch = []
    for user_id, initiative_id, slug, created_at in rows.iterator(chunk_size=BATCH):
        batch.append(
            TopicFollow(
                user_id=user_id,
                kind="initiative",
                value=slug,
                initiative_id=initiative_id,
                created_at=created_at,
            )
        )
        if len(batch) == BATCH:
            TopicFollow.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    TopicFollow.objects.bulk_create(batch, ignore_conflicts=True)


def unfold(apps, schema_editor):
    _checked_at_once(schema_editor)
    Follow = apps.get_model("initiatives", "Follow")
    TopicFollow = apps.get_model("initiatives", "TopicFollow")
    follows = TopicFollow.objects.filter(kind="initiative").order_by("pk")
    rows = follows.values_list("user_id", "initiative_id", "created_at")
    batch = []
    for user_id, initiative_id, created_at in rows.iterator(chunk_size=BATCH):
        batch.append(Follow(user_id=user_id, initiative_id=initiative_id, created_at=created_at))
        if len(batch) == BATCH:
            Follow.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Follow.objects.bulk_create(batch, ignore_conflicts=True)
    follows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0020_comment_edits_reports_deletion"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="topicfollow",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "follow",
                "verbose_name_plural": "follows",
            },
        ),
        migrations.AlterField(
            model_name="topicfollow",
            name="kind",
            field=models.CharField(
                choices=[
                    ("key_task", "Key task"),
                    ("action_line", "Action line"),
                    ("country", "Country"),
                    ("stakeholder", "Stakeholder"),
                    ("tag", "Tag"),
                    ("initiative", "Initiative"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="topicfollow",
            name="value",
            field=models.CharField(max_length=120, verbose_name="followed"),
        ),
        migrations.AddField(
            model_name="topicfollow",
            name="initiative",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="follows_folded",
                to="initiatives.initiative",
                verbose_name="initiative",
            ),
        ),
        migrations.AddConstraint(
            model_name="topicfollow",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "initiative")),
                fields=("user", "initiative"),
                name="follow_initiative_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="topicfollow",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("initiative__isnull", False), ("kind", "initiative")),
                    models.Q(models.Q(("kind", "initiative"), _negated=True), ("initiative__isnull", True)),
                    _connector="OR",
                ),
                name="follow_initiative_by_key",
            ),
        ),
        migrations.RunPython(fold, unfold),
        migrations.DeleteModel(name="Follow"),
        migrations.AlterField(
            model_name="topicfollow",
            name="initiative",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="follows",
                to="initiatives.initiative",
                verbose_name="initiative",
            ),
        ),
    ]
