"""Migration 0025 keeps every existing record's text under its own language: the text it had
is its original, in the language it was marked with, and search still finds it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from initiatives.models import Initiative, InitiativeTranslation

TRANSLATIONS_MIGRATION = ("initiatives", "0025_translations")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_each_records_text_as_its_original():
    executor = MigrationExecutor(connection)
    (before,) = [
        p for p in executor.loader.graph.node_map[TRANSLATIONS_MIGRATION].parents if p.key[0] == "initiatives"
    ]
    executor.migrate([before.key])
    old = MigrationExecutor(connection).loader.project_state([before.key]).apps
    owner = old.get_model("governance", "User").objects.create(username="record-owner")
    key_task = old.get_model("governance", "KeyTask").objects.get(slug="global-south")
    OldInitiative = old.get_model("initiatives", "Initiative")
    records = {
        "english-record": ("en", "Pacific cable dialogue", "Operators plan repairs.", "Body **text**."),
        "chinese-record": ("zh-hans", "海底光缆对话", "运营商共同规划维修。", "正文。"),
    }
    for slug, (language, title, summary, body) in records.items():
        OldInitiative.objects.create(
            slug=slug,
            title=title,
            summary=summary,
            body=body,
            language=language,
            key_task=key_task,
            kind="dialogue",
            owner=owner,
            moderation_state="published",
            search_document=f"{title} {summary}",
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert not InitiativeTranslation.objects.exists()
    client = APIClient()
    for slug, (language, title, summary, body) in records.items():
        record = Initiative.objects.get(slug=slug)
        assert (record.language, record.title, record.summary, record.body) == (
            language,
            title,
            summary,
            body,
        )
        # Read in either language, the text is the original, marked as such.
        for asked in ("en", "zh-hans"):
            answer = client.get(f"/api/v1/initiatives/{slug}/", {"lang": asked}).json()
            assert (answer["title"], answer["text_language"]) == (title, language)
            assert answer["translations"][language] == {
                "title": title,
                "summary": summary,
                "body": body,
                "status": "original",
            }
            other = next(code for code in ("en", "zh-hans") if code != language)
            assert answer["translations"][other]["status"] == "pending"
    # The English vector was rebuilt with the translations' column: old words still match.
    found = client.get("/api/v1/initiatives/", {"q": "operators"}).json()["results"]
    assert [row["slug"] for row in found] == ["english-record"]
