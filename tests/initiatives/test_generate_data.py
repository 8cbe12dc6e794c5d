"""generate_data fills the database with records shaped like real ones, and adds on a second run."""

import json
import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from taggit.models import Tag

from digests.selectors import query_errors
from governance.models import Stakeholder
from initiatives.choices import InitiativeKind, ModerationState, ParticipationRole
from initiatives.history import snapshot_of
from initiatives.models import Initiative, InitiativeTranslation, Participation, Revision
from initiatives.search import search_document
from initiatives.selectors import initiative_search
from initiatives.synthetic.vocabulary import VOCABULARY_FILE
from initiatives.synthetic.writer import subscription_model

CJK = re.compile(r"[\u4e00-\u9fff]")


def generate(initiatives: int, subscribers: int, seed: int = 7, translated: float = 0.0) -> str:
    out = StringIO()
    call_command(
        "generate_data",
        initiatives=initiatives,
        subscribers=subscribers,
        batch=64,
        seed=seed,
        translated=translated,
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def generated(db):
    output = generate(200, 50)
    return output


def per_initiative(relation: str) -> float:
    counts = Initiative.objects.annotate(n=Count(relation, distinct=True)).values_list("n", flat=True)
    return sum(counts) / len(counts)


def test_initiatives_have_the_shape_of_real_records(generated):
    assert Initiative.objects.count() == 200
    assert "initiatives/s" in generated

    assert 2.5 <= per_initiative("countries") <= 3.5
    assert 2.5 <= per_initiative("participations") <= 3.5
    assert 3.5 <= per_initiative("tags") <= 4.0
    # Every record has exactly one lead among its stakeholders.
    leads = Counter(
        Participation.objects.filter(role=ParticipationRole.LEAD).values_list("initiative_id", flat=True)
    )
    assert len(leads) == 200 and set(leads.values()) == {1}
    assert Participation.objects.exclude(role=ParticipationRole.LEAD).exists()

    assert set(Initiative.objects.values_list("key_task__slug", flat=True)) == {
        "multilateral-mechanisms",
        "global-south",
        "major-power-cooperation",
        "multi-stakeholder",
    }
    assert (
        not Initiative.objects.exclude(action_line=None).exclude(action_line__key_task=F("key_task")).exists()
    )

    states = Counter(Initiative.objects.values_list("moderation_state", flat=True))
    assert len(states) >= 3
    assert states[ModerationState.PUBLISHED] > 100
    assert not Initiative.objects.filter(
        moderation_state=ModerationState.PUBLISHED, published_at=None
    ).exists()
    assert len(set(Initiative.objects.values_list("status", flat=True))) >= 3
    assert len(set(Initiative.objects.values_list("kind", flat=True))) >= 5

    created = Initiative.objects.values_list("created_at", flat=True)
    assert (max(created) - min(created)).days > 365
    assert not Initiative.objects.filter(updated_at__lt=F("created_at")).exists()
    assert not Initiative.objects.filter(end_date__lt=F("start_date")).exists()

    slugs = list(Initiative.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 200
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in slugs)


def test_text_is_in_english_and_chinese_and_search_finds_it(generated):
    chinese = Initiative.objects.filter(language="zh-hans")
    english = Initiative.objects.filter(language="en")
    assert chinese.count() > 30 and english.count() > 30
    assert all(CJK.search(title) for title in chinese.values_list("title", flat=True))
    assert not Initiative.objects.filter(search_document="").exists()

    sample = chinese.first()
    phrase = CJK.findall(sample.title)
    found = initiative_search(Initiative.objects.all(), "".join(phrase[-2:]))
    assert sample in found

    english_sample = english.first()
    word = english_sample.title.split()[-1]  # the country, e.g. "Kenya"
    assert english_sample in initiative_search(Initiative.objects.all(), word)

    # Tags are searchable through the search document as well.
    tag = sample.tags.first()
    assert sample in initiative_search(Initiative.objects.all(), tag.name)


def test_each_record_has_a_first_revision_equal_to_its_content(generated):
    assert Revision.objects.count() == 200
    for initiative in Initiative.objects.order_by("?")[:10]:
        revision = initiative.revisions.get()
        assert revision.version == initiative.version == 1
        assert revision.snapshot == snapshot_of(initiative)
        assert revision.actor_id == initiative.owner_id


def test_subscribers_get_an_address_and_an_active_digest_subscription(generated):
    readers = get_user_model().objects.filter(username__startswith="reader")
    assert readers.count() == 50
    assert not readers.filter(email="").exists()
    subscription = subscription_model()
    assert subscription is not None
    subscriptions = subscription.objects.active().filter(user__in=readers)
    assert subscriptions.count() == 50
    assert set(subscriptions.values_list("frequency", flat=True)) == {"daily", "weekly"}
    profiles, searches = subscriptions.filter(kind="profile"), subscriptions.filter(kind="search")
    assert all(s.key_tasks.exists() for s in profiles[:10])
    # One in ten is a saved search of its own, a query the browse page accepts.
    assert searches.count() == 5
    assert len(set(searches.values_list("query", flat=True))) == 5
    assert all(query_errors(s.query) == {} for s in searches)


def test_running_again_adds_records_and_reuses_the_vocabulary(generated):
    tags, stakeholders = Tag.objects.count(), Stakeholder.objects.count()
    assert 1900 <= tags <= 2100
    assert Stakeholder.objects.count() >= 300

    generate(100, 10, seed=8)

    assert Initiative.objects.count() == 300
    assert Revision.objects.count() == 300
    assert get_user_model().objects.filter(username__startswith="reader").count() == 60
    assert Tag.objects.count() == tags
    assert Stakeholder.objects.count() == stakeholders
    assert len(set(Initiative.objects.values_list("slug", flat=True))) == 300


def test_bad_numbers_are_refused_with_a_reason(db):
    with pytest.raises(CommandError, match="must be >= 0"):
        generate(-1, 0)
    with pytest.raises(CommandError, match="share between 0 and 1"):
        generate(10, 0, translated=1.5)


def test_a_share_of_records_is_translated_as_the_services_would_leave_it(db):
    generate(60, 0, seed=3)
    generate(60, 0, seed=3, translated=0.5)
    first = list(Initiative.objects.order_by("pk")[:60].values_list("title", "language"))
    second = list(Initiative.objects.order_by("pk")[60:].values_list("title", "language"))
    # The same seed gives the same originals, with or without translations.
    assert first == second

    rows = InitiativeTranslation.objects.select_related("initiative")
    assert not rows.filter(initiative__pk__in=Initiative.objects.order_by("pk")[:60].values("pk")).exists()
    assert 20 <= rows.count() <= 40
    for row in rows:
        record = row.initiative
        # Into the record's other language, with its body rendered, and searchable.
        assert {row.language, record.language} == {"en", "zh-hans"}
        assert row.body_html.startswith("<") and row.status == "person"
        assert record.search_extra.startswith(f"{row.title} {row.summary} {row.body}")
        assert record.search_document == search_document(
            title=record.title, summary=record.summary, body=record.body, extra=record.search_extra
        )
    for row in rows[:10]:
        record = row.initiative
        assert record.revisions.get().snapshot == snapshot_of(record)
        assert snapshot_of(record)["translations"][row.language]["title"] == row.title

    # A word only translations hold finds the translated records, in either language.
    english = rows.filter(language="en")
    chinese = rows.filter(language="zh-hans")
    assert english.exists() and chinese.exists()
    found = set(initiative_search(Initiative.objects.all(), "translated").values_list("pk", flat=True))
    assert found == set(english.values_list("initiative_id", flat=True))
    found = set(initiative_search(Initiative.objects.all(), "译自").values_list("pk", flat=True))
    assert found == set(chinese.values_list("initiative_id", flat=True))


def test_the_words_come_from_the_vocabulary_file(generated):
    words = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    assert set(words["kind_words"]) == set(InitiativeKind.values)
    names = set(Tag.objects.values_list("name", flat=True))
    assert {f"{q} {n}" for q, _ in words["tag_qualifiers"] for n, _ in words["tag_nouns"]} <= names
    assert {f"{q}{n}" for _, q in words["tag_qualifiers"] for _, n in words["tag_nouns"]} <= names
    slugs = set(Stakeholder.objects.values_list("slug", flat=True))
    assert {f"{t['slug']}-cn" for t in words["stakeholder_templates"]} <= slugs
    titles = Initiative.objects.filter(language="en").values_list("title", flat=True)
    topics = [en for en, _zh in words["topics"]]
    assert all(any(topic in title for topic in topics) for title in titles)
