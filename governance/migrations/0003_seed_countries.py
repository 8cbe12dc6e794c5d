"""Seed every ISO 3166-1 country from seed/countries.csv (sources in seed/README.md)."""

import csv
from pathlib import Path

from django.db import migrations

SEED_FILE = Path(__file__).resolve().parent / "seed" / "countries.csv"


def seed(apps, schema_editor):
    Country = apps.get_model("governance", "Country")
    with SEED_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    Country.objects.bulk_create(
        [
            Country(
                code=row["code"],
                alpha3=row["alpha3"],
                numeric=row["numeric"],
                name_en=row["name_en"],
                name_zh=row["name_zh"],
                region=row["region"],
                subregion=row["subregion"],
                global_south=row["global_south"] == "1",
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["alpha3", "numeric", "name_en", "name_zh", "region", "subregion", "global_south"],
    )


def unseed(apps, schema_editor):
    apps.get_model("governance", "Country").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_seed_key_tasks")]
    operations = [migrations.RunPython(seed, unseed)]
