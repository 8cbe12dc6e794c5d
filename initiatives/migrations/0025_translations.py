"""Records in more than one language: each other language's text in a row of its own, and the
words a record is found by besides its own text (its translations', its tags' labels) in its
stored English search vector.

The text already in every record stays where it is, under the record's own `language`: it is
the original; no record has a translation yet.
"""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ORIGINAL_ENGLISH = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')"
)
WITH_EXTRA = (
    f"{ORIGINAL_ENGLISH} || setweight(to_tsvector('english'::regconfig, COALESCE(search_extra, '')), 'B')"
)


def _english_vector(schema_editor, expression: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # A generated column's expression cannot be altered: dropped (with its index) and added again.
    schema_editor.execute("ALTER TABLE initiatives_initiative DROP COLUMN IF EXISTS search_vector_english")
    schema_editor.execute(
        "ALTER TABLE initiatives_initiative "
        f"ADD COLUMN search_vector_english tsvector GENERATED ALWAYS AS ({expression}) STORED, "
        "ALTER COLUMN search_vector_english SET STORAGE MAIN"
    )
    schema_editor.execute(
        "CREATE INDEX initiative_search_english ON initiatives_initiative USING gin (search_vector_english)"
    )


def translations_searched(apps, schema_editor):
    _english_vector(schema_editor, WITH_EXTRA)


def translations_not_searched(apps, schema_editor):
    _english_vector(schema_editor, ORIGINAL_ENGLISH)


ROLE_PERMISSIONS = {
    "Curator": ["add_initiativetranslation", "change_initiativetranslation", "view_initiativetranslation"],
    "Moderator": ["view_initiativetranslation"],
}


def grant(apps, schema_editor):
    """Curators edit translations in the admin as they edit sources (a translation is removed by
    emptying it, as nobody deletes parts of a record's rows directly); moderators see them."""
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="initiatives", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0024_import_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="search_extra",
            field=models.TextField(blank=True, db_default="", editable=False),
        ),
        migrations.CreateModel(
            name="InitiativeTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=300, verbose_name="title")),
                ("summary", models.TextField(blank=True, max_length=2000, verbose_name="summary")),
                (
                    "body",
                    models.TextField(
                        blank=True,
                        max_length=20000,
                        validators=[django.core.validators.MaxLengthValidator(20000)],
                        verbose_name="body",
                    ),
                ),
                ("body_html", models.TextField(blank=True, editable=False, verbose_name="body as HTML")),
                (
                    "status",
                    models.CharField(
                        choices=[("person", "translated by a person"), ("pending", "translation pending")],
                        default="person",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "initiative",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="initiatives.initiative",
                    ),
                ),
            ],
            options={
                "verbose_name": "translation",
                "verbose_name_plural": "translations",
                "ordering": ["language"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("initiative", "language"), name="translation_one_per_language"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["person", "pending"])),
                        name="translation_status_known",
                    ),
                ],
            },
        ),
        migrations.RunPython(translations_searched, translations_not_searched),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
