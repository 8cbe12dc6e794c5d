"""Who has a record's edit form open, so that other editors are told (advisory, never a lock):
one row per record and person, touched while the form is open, gone on save or lapsed.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0015_signed_in_visibility_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EditPresence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "started_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="editing since"),
                ),
                (
                    "seen_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="last seen"),
                ),
                (
                    "initiative",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="edit_presences",
                        to="initiatives.initiative",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "edit presence",
                "verbose_name_plural": "edit presences",
                "ordering": ["started_at", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("initiative", "user"), name="edit_presence_once")
                ],
            },
        ),
    ]
