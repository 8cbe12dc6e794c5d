"""The frame in the API carries each key task's and action line's passage of the article."""

import pytest

from governance.models import ActionLine, KeyTask

pytestmark = pytest.mark.django_db


def test_key_tasks_and_their_action_lines_carry_their_passages(api):
    tasks = api.get("/api/v1/key-tasks/").json()
    assert len(tasks) == 4
    for task in tasks:
        kept = KeyTask.objects.get(slug=task["slug"])
        assert task["passage_zh"] == kept.passage_zh and task["passage_zh"]
        assert task["passage_en"] == kept.passage_en and task["passage_en"]
        for line in task["action_lines"]:
            kept_line = ActionLine.objects.get(slug=line["slug"])
            assert (line["passage_zh"], line["passage_en"]) == (kept_line.passage_zh, kept_line.passage_en)
    one = api.get("/api/v1/key-tasks/multilateral-mechanisms/").json()
    assert "联合国" in one["passage_zh"] and "United Nations" in one["passage_en"]


def test_the_schema_describes_the_passages(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    for name in ("KeyTask", "ActionLine"):
        properties = schema[name]["properties"]
        for field in ("passage_zh", "passage_en"):
            assert properties[field]["type"] == "string", (name, field)
            assert properties[field]["description"], (name, field)
