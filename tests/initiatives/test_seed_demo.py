"""`manage.py seed_demo`: realistic demo content and accounts; running it again changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from governance.models import KeyTask
from initiatives.management.commands.seed_demo import demo_records
from initiatives.models import Initiative, Update


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model of every installed app, the through tables of relations included."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.count()
    return counts


@pytest.fixture
def seeded(db):
    return seed_demo()


def test_running_it_twice_leaves_every_row_count_the_same(seeded):
    first = row_counts()
    output = seed_demo()
    assert row_counts() == first
    assert "created now: 0" in output


def test_every_model_row_is_unchanged_by_the_second_run(seeded):
    before = {i.pk: (i.version, i.updated_at, i.moderation_state) for i in Initiative.objects.all()}
    seed_demo()
    assert {i.pk: (i.version, i.updated_at, i.moderation_state) for i in Initiative.objects.all()} == before


def test_one_demo_account_per_role_signs_in_with_the_printed_password(seeded):
    password = seeded.split("password for all: ")[1].split(")")[0]
    users = get_user_model().objects
    for username in ("contributor", "curator", "moderator", "admin"):
        assert f"  {username}" in seeded
        user = users.get(username=username)
        assert user.is_active and user.check_password(password), username
    assert users.get(username="curator").is_curator
    assert users.get(username="moderator").is_moderator
    assert users.get(username="admin").is_superuser
    assert not users.get(username="contributor").is_staff


def test_the_demo_content_is_varied_enough_to_show_the_platform(seeded):
    initiatives = Initiative.objects.all()
    assert initiatives.count() >= 30
    assert set(initiatives.values_list("key_task__slug", flat=True)) == set(
        KeyTask.objects.values_list("slug", flat=True)
    )
    assert {"en", "zh-hans"} <= set(initiatives.values_list("language", flat=True))
    assert len(set(initiatives.values_list("moderation_state", flat=True))) >= 3
    assert initiatives.published().count() >= 15
    assert len(set(initiatives.values_list("countries__code", flat=True))) >= 15
    assert Update.objects.count() >= 10
    assert all(initiative.tags.exists() for initiative in initiatives)
    assert all(initiative.participations.exists() for initiative in initiatives)


def test_every_record_of_the_data_file_is_what_the_site_shows_after_seeding(seeded):
    records = demo_records()
    users = get_user_model().objects
    for account in records["accounts"]:
        user = users.get(username=account["username"])
        assert user.groups.filter(name=account["role"]).exists(), account["username"]
        assert user.is_superuser == account["superuser"], account["username"]
    assert Initiative.objects.count() == len(records["initiatives"])
    for record in records["initiatives"]:
        initiative = Initiative.objects.get(title=record["title"])
        assert initiative.owner.username == record["owner"]
        assert initiative.moderation_state == record["moderation"]
        assert initiative.start_date.isoformat() == record["start_date"]
        assert sorted(initiative.countries.values_list("code", flat=True)) == sorted(record["countries"])
        assert sorted(initiative.participations.values_list("stakeholder__slug", "role")) == sorted(
            (p["stakeholder"], p["role"]) for p in record["participations"]
        )
        assert sorted(initiative.updates.values_list("title", flat=True)) == sorted(
            u["title"] for u in record["updates"]
        )
