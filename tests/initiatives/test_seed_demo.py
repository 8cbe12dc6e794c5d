"""`manage.py seed_demo`: realistic demo content and accounts; running it again changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from taggit.models import Tag

from governance.models import KeyTask
from initiatives.choices import TranslationStatus, UpdateState
from initiatives.management.commands.seed_demo import demo_records
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeTranslation,
    SourceLink,
    TagChange,
    TagLabel,
    TagSynonym,
    Update,
)
from initiatives.search import has_chinese
from initiatives.vocabulary import tags_canonical


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


def test_records_are_translated_both_ways_by_a_person_and_one_waits_as_a_draft(seeded):
    person = InitiativeTranslation.objects.filter(status=TranslationStatus.PERSON)
    person = person.select_related("initiative")
    into_english = [t for t in person if t.language == "en" and t.initiative.language == "zh-hans"]
    into_chinese = [t for t in person if t.language == "zh-hans" and t.initiative.language == "en"]
    assert len(into_english) >= 2 and len(into_chinese) >= 2
    assert all(t.title and t.summary and t.body_html for t in person)
    assert all(has_chinese(t.title) for t in into_chinese)
    assert not any(has_chinese(t.title) for t in into_english)
    draft = InitiativeTranslation.objects.get(status=TranslationStatus.PENDING)
    assert draft.initiative.title == "Digital agriculture pilots in the Sahel"
    for record in demo_records()["initiatives"]:
        if translation := record.get("translation"):
            initiative = Initiative.objects.get(title=record["title"])
            entry = initiative.translations.get(language=translation["language"])
            assert (entry.title, entry.summary, entry.status) == (
                translation["title"],
                translation["summary"],
                translation["status"],
            )
            # The translation is part of the record's current version, as the API shows it.
            snapshot = initiative.revisions.get(version=initiative.version).snapshot
            assert snapshot["translations"][translation["language"]]["title"] == translation["title"]


def test_demo_tags_have_labels_in_both_languages_and_synonyms(seeded):
    assert TagLabel.objects.get(tag__name="open source").label_zh == "开源"
    assert TagLabel.objects.get(tag__name="capacity building").label_zh == "能力建设"
    assert TagLabel.objects.get(tag__name="数字经济").label_en == "digital economy"
    # Any label or synonym, in either language, names the tag.
    assert tags_canonical(["开源", "能力建设", "CSIRT", "open-source", "电子商务"]) == [
        "open source",
        "capacity building",
        "CERT",
        "e-commerce",
    ]
    # The Chinese "电子商务" tag was merged into "e-commerce", whose Chinese label it became.
    assert not Tag.objects.filter(name="电子商务").exists()
    partnership = Initiative.objects.get(title="中国—东盟数字经济合作伙伴关系")
    assert "e-commerce" in partnership.tags.names()
    assert TagChange.objects.filter(action=TagChange.Action.MERGE, tag_name="电子商务").exists()
    # Every tag of the demo is labelled in both languages.
    assert TagLabel.objects.count() == Tag.objects.count() >= 50
    assert not TagLabel.objects.filter(Q(label_en="") | Q(label_zh="")).exists()
    assert TagLabel.objects.get(tag__name="forum").label_zh == "论坛"
    assert TagSynonym.objects.count() >= 10
    assert set(
        TagChange.objects.filter(action=TagChange.Action.LABELS).values_list("actor__username", flat=True)
    ) == {"curator"}


def test_a_project_and_a_programme_report_results_with_periods_and_a_note_on_an_indicator(seeded):
    measured = Initiative.objects.filter(results__isnull=False).distinct()
    assert {"project", "programme"} <= set(measured.values_list("kind", flat=True))
    for initiative in measured:
        indicators = Indicator.objects.filter(result__initiative=initiative)
        assert indicators.exists()
        assert all(i.target is not None and i.baseline is not None for i in indicators)
        assert max(i.periods.exclude(actual=None).count() for i in indicators) >= 3
        assert all(i.periods.exclude(actual=None).count() >= 2 for i in indicators)
    yields = Indicator.objects.get(name="Average millet yield in pilot villages")
    assert (yields.baseline, yields.target, yields.latest_actual) == (
        Decimal("0.9"),
        Decimal("1.4"),
        Decimal("1.22"),
    )
    notes = Update.objects.filter(indicator__isnull=False, state=UpdateState.PUBLISHED)
    assert {note.title for note in notes} >= {"Annual progress report", "Yields up in pilot villages"}
    assert all(note.indicator.result.initiative_id == note.initiative_id for note in notes)


def test_sources_carry_their_details_and_a_curator_checked_some(seeded):
    detailed = SourceLink.objects.exclude(publisher="").exclude(published_on=None).exclude(accessed_on=None)
    assert detailed.count() >= 5
    assert {"en", "zh-hans"} <= set(detailed.values_list("language", flat=True))
    checked = SourceLink.objects.filter(checked=True).select_related("checked_by", "initiative")
    assert checked.count() >= 3
    assert {link.checked_by.username for link in checked} == {"curator"}
    assert all(link.checked_at is not None for link in checked)
    wanted = {
        link["url"]
        for record in demo_records()["initiatives"]
        for link in record["links"]
        if link.get("checked")
    }
    assert {link.url for link in checked} == wanted
    # Each check is a version of the record whose history names the curator.
    for link in checked:
        assert link.initiative.revisions.filter(actor__username="curator").exists()


def test_the_second_run_keeps_the_vocabulary_translations_and_results_as_they_were(seeded):
    def state():
        return (
            sorted(TagLabel.objects.values_list("tag__name", "label_en", "label_zh")),
            sorted(TagSynonym.objects.values_list("tag__name", "name")),
            sorted(InitiativeTranslation.objects.values_list("initiative_id", "language", "title", "status")),
            sorted(Indicator.objects.values_list("pk", "name", "baseline", "target")),
            sorted(SourceLink.objects.values_list("url", "checked", "checked_at", "publisher")),
        )

    before = state()
    seed_demo()
    assert state() == before
