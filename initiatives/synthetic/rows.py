"""The rows of synthetic records, drawn from one seeded random generator.

The same seed on the same database gives the same rows. What is made is what the services
would have left behind for a record created and taken through moderation: the row with its
search document, its countries, advocacies, stakeholders with roles, tags, collaborators,
optionally a translation into the other language, and a first revision holding the snapshot
in the history format. The services are bypassed
on purpose: a million service calls would take the better part of a day.

Nothing here writes; writer.py puts the rows into the database.
"""

import datetime
import functools
import itertools
import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model

from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder
from governance.slugs import slug_base
from initiatives.choices import (
    HistoryAction,
    InitiativeStatus,
    ModerationState,
    ParticipationRole,
    TranslationStatus,
)
from initiatives.history import snapshot_diff
from initiatives.markup import render_markdown
from initiatives.search import search_document
from initiatives.synthetic.vocabulary import (
    KIND_WORDS,
    PREFIXES,
    SENTENCES_EN,
    SENTENCES_ZH,
    TAG_QUALIFIERS,
    TOPICS,
)

YEARS = 5

MODERATION_WEIGHTS = {
    ModerationState.PUBLISHED: 82,
    ModerationState.DRAFT: 6,
    ModerationState.SUBMITTED: 4,
    ModerationState.REJECTED: 2,
    ModerationState.ARCHIVED: 6,
}
STATUS_WEIGHTS = {
    InitiativeStatus.PLANNED: 15,
    InitiativeStatus.ACTIVE: 50,
    InitiativeStatus.COMPLETED: 30,
    InitiativeStatus.SUSPENDED: 5,
}
SUPPORTING_ROLES = [ParticipationRole.PARTNER] * 4 + [
    ParticipationRole.FUNDER,
    ParticipationRole.HOST,
    ParticipationRole.OBSERVER,
]

INITIATIVE_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "body",
    "language",
    "key_task_id",
    "action_line_id",
    "kind",
    "status",
    "start_date",
    "end_date",
    "owner_id",
    "moderation_state",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
    "search_document",
    "search_extra",
)
TRANSLATION_COLUMNS = ("initiative_id", "language", "title", "summary", "body", "body_html", "status")
# The line every synthetic translation ends with, in the translation's language: a word no
# original holds ("translated", 译自), so a search can find records through translations only.
TRANSLATION_NOTE = {"en": "*Translated from the Chinese original.*", "zh-hans": "*译自英文原文。*"}
REVISION_COLUMNS = (
    "initiative_id",
    "version",
    "action",
    "actor_id",
    "created_at",
    "change_message",
    "snapshot",
    "changes",
)


class MissingFrame(Exception):
    """The frame rows the records hang off (key tasks) are not in the database."""


@dataclass
class Batch:
    """The rows of one batch, per table, as tuples in the order of the column lists."""

    initiatives: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    advocacies: list = field(default_factory=list)
    collaborators: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    tagged: list = field(default_factory=list)
    translations: list = field(default_factory=list)
    revisions: list = field(default_factory=list)

    def row_count(self) -> int:
        return sum(len(rows) for rows in vars(self).values())


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def _distinct(rng: random.Random, population: list, cum_weights: list, k: int) -> list:
    """k distinct draws, weighted; a few extra draws absorb repeats."""
    picked = []
    for index in rng.choices(range(len(population)), cum_weights=cum_weights, k=k * 3):
        if index not in picked:
            picked.append(index)
            if len(picked) == k:
                break
    return [population[index] for index in picked]


@functools.lru_cache(maxsize=10_000)
def _slug_part(text: str) -> str:
    # Romanising Chinese costs ~0.1 ms a title, so titles are romanised by their parts,
    # which repeat.
    return slug_base(text)


class Frame:
    """The frame rows and vocabularies a run draws from, loaded once."""

    def __init__(
        self,
        *,
        owners: list,
        tags: list,
        rng: random.Random,
        translated: float = 0.0,
        translation_rng: random.Random | None = None,
    ):
        self.key_tasks = list(KeyTask.objects.order_by("number"))
        if len(self.key_tasks) != 4:
            raise MissingFrame("The four key tasks are missing: run `manage.py migrate` first.")
        self.lines = {task.id: [] for task in self.key_tasks}
        for line in ActionLine.objects.all():
            self.lines[line.key_task_id].append(line)
        self.countries = list(Country.objects.all())
        # China and the Global South appear more often, as in the article's examples.
        self.country_cum = _cumulative(
            8 if c.code == "CN" else 3 if c.global_south else 1 for c in self.countries
        )
        self.stakeholders = list(Stakeholder.objects.all())
        self.advocacies = list(Advocacy.objects.all())
        self.owners = owners
        self.tags_en = [t for t in tags if t.name.isascii()]
        self.tags_zh = [t for t in tags if not t.name.isascii()]
        # Zipf-like: a few tags are everywhere, most are rare (selective searches).
        self.tags_en_cum = _cumulative(1 / (rank + 1) ** 1.1 for rank in range(len(self.tags_en)))
        self.tags_zh_cum = _cumulative(1 / (rank + 1) ** 1.1 for rank in range(len(self.tags_zh)))
        self.kinds = list(KIND_WORDS)
        self.states = list(MODERATION_WEIGHTS)
        self.states_cum = _cumulative(MODERATION_WEIGHTS.values())
        self.statuses = list(STATUS_WEIGHTS)
        self.statuses_cum = _cumulative(STATUS_WEIGHTS.values())
        self.rng = rng
        # The share of records given a translation into their other language. Translations
        # draw from a generator of their own, so that the same seed gives the same originals
        # with or without them (a benchmark compares the two).
        self.translated = translated
        self.translation_rng = translation_rng or random.Random(0)  # noqa: S311 -- synthetic


def _text(rng, chinese: bool, topic, prefix, kind_words, tags, *, key_task, lead, countries, stakeholders):
    """The title, summary and body of a record in one language, four sentences drawn from `rng`."""
    first = countries[0]
    if chinese:
        title = f"{first.name_zh or first.name_en}{prefix[1]}{topic[1]}{kind_words[1]}"
        places = "、".join(c.name_zh or c.name_en for c in countries)
        summary = (
            f"{lead.name_zh or lead.name_en}与{places}的伙伴合作开展{topic[1]}工作，"
            f"服务于“{key_task.name_zh or key_task.name_en}”。"
        )
        sentences = rng.sample(SENTENCES_ZH, 4)
        body = "\n\n".join(
            [
                "## 目标",
                "".join(s.format(topic=topic[1], country=first.name_zh or first.name_en) for s in sentences),
                "## 重点领域",
                "\n".join(f"- {tag.name}" for tag in tags),
                "## 参与方",
                "\n".join(f"- {s.name_zh or s.name_en}" for s in stakeholders),
            ]
        )
        return title, summary, body
    title = f"{prefix[0]} {topic[0]} {kind_words[0].lower()} in {first.name_en}"
    places = ", ".join(c.name_en for c in countries)
    summary = (
        f"{lead.name_en} and partners in {places} work together on {topic[0]}, "
        f"under the key task “{key_task.name_en}”."
    )
    sentences = rng.sample(SENTENCES_EN, 4)
    body = "\n\n".join(
        [
            "## Objectives",
            " ".join(s.format(topic=topic[0], country=first.name_en) for s in sentences),
            "## Focus areas",
            "\n".join(f"- {tag.name}" for tag in tags),
            "## Participants",
            "\n".join(f"- {s.name_en}" for s in stakeholders),
        ]
    )
    return title, summary, body


def initiative_rows(
    frame: Frame, pk: int, now: datetime.datetime, batch: Batch, content_type_id: int
) -> None:
    """Append one initiative and everything that hangs off it to the batch."""
    rng = frame.rng
    chinese = rng.random() < 0.4
    key_task = frame.key_tasks[rng.randrange(4)]
    lines = frame.lines[key_task.id]
    action_line = lines[rng.randrange(len(lines))] if lines and rng.random() < 0.9 else None
    kind = frame.kinds[rng.randrange(len(frame.kinds))]
    countries = _distinct(rng, frame.countries, frame.country_cum, rng.choice((1, 2, 3, 3, 3, 4, 5)))
    stakeholders = rng.sample(
        frame.stakeholders, min(len(frame.stakeholders), rng.choice((1, 2, 3, 3, 4, 5)))
    )
    roles = [ParticipationRole.LEAD] + [rng.choice(SUPPORTING_ROLES) for _ in stakeholders[1:]]
    advocacies = rng.sample(frame.advocacies, rng.choice((1, 1, 2, 3)))
    if chinese:
        tags = _distinct(rng, frame.tags_zh, frame.tags_zh_cum, 3) + _distinct(
            rng, frame.tags_en, frame.tags_en_cum, 1
        )
    else:
        tags = _distinct(rng, frame.tags_en, frame.tags_en_cum, 3) + _distinct(
            rng, frame.tags_zh, frame.tags_zh_cum, 1
        )
    topic = TOPICS[rng.randrange(len(TOPICS))]
    prefix = PREFIXES[rng.randrange(len(PREFIXES))]
    kind_words = KIND_WORDS[kind]
    _topic_en, topic_zh = topic
    _prefix_en, prefix_zh = prefix
    _kind_en, kind_zh = kind_words
    lead = stakeholders[0]
    first = countries[0]

    names = {"key_task": key_task, "lead": lead, "countries": countries, "stakeholders": stakeholders}
    title, summary, body = _text(rng, chinese, topic, prefix, kind_words, tags, **names)
    if chinese:
        slug = f"{_slug_part(first.name_zh or first.name_en)}-{_slug_part(prefix_zh + topic_zh + kind_zh)}"
    else:
        slug = slug_base(title)
    translation = None
    if frame.translated and frame.translation_rng.random() < frame.translated:
        # The record in its other language, as a translator would have written it.
        other_title, other_summary, other_body = _text(
            frame.translation_rng, not chinese, topic, prefix, kind_words, tags, **names
        )
        other_language = "en" if chinese else "zh-hans"
        note = TRANSLATION_NOTE[other_language]
        translation = (other_language, other_title, other_summary, f"{other_body}\n\n{note}")

    state = rng.choices(frame.states, cum_weights=frame.states_cum)[0]
    status = rng.choices(frame.statuses, cum_weights=frame.statuses_cum)[0]
    age = datetime.timedelta(seconds=rng.random() * YEARS * 365 * 86400)
    created = now - age
    updated = created + age * rng.random() ** 2
    submitted = published = None
    if state != ModerationState.DRAFT:
        submitted = min(created + datetime.timedelta(hours=rng.random() * 72), updated)
    if state in (ModerationState.PUBLISHED, ModerationState.ARCHIVED):
        published = min(submitted + datetime.timedelta(hours=rng.random() * 120), updated)
    start = created.date() + datetime.timedelta(days=rng.randrange(-120, 240))
    end = None
    if status == InitiativeStatus.COMPLETED or rng.random() < 0.4:
        end = start + datetime.timedelta(days=rng.randrange(30, 1500))
    owner = frame.owners[rng.randrange(len(frame.owners))]
    collaborators = []
    if rng.random() < 0.2:
        other = frame.owners[rng.randrange(len(frame.owners))]
        if other.id != owner.id:
            collaborators.append(other)
    tag_names = [tag.name for tag in tags]
    language = "zh-hans" if chinese else "en"
    # As the services write it: the translations' words, then the tags' (their labels are
    # their names here).
    extra = " ".join(tag_names)
    if translation:
        extra = f"{' '.join(part for part in translation[1:] if part)} {extra}"

    batch.initiatives.append(
        (
            pk,
            f"{slug[:100]}-{pk}",
            title,
            summary,
            body,
            language,
            key_task.id,
            action_line.id if action_line else None,
            kind,
            status,
            start,
            end,
            owner.id,
            state,
            1,
            created,
            updated,
            submitted,
            published,
            search_document(title=title, summary=summary, body=body, extra=extra),
            extra,
        )
    )
    batch.countries.extend((pk, c.code) for c in countries)
    batch.advocacies.extend((pk, a.id) for a in advocacies)
    batch.collaborators.extend((pk, u.id) for u in collaborators)
    batch.participations.extend((pk, s.id, role) for s, role in zip(stakeholders, roles, strict=True))
    batch.tagged.extend((pk, content_type_id, tag.id) for tag in tags)
    translations = {}
    if translation:
        other_language, other_title, other_summary, other_body = translation
        by = TranslationStatus.PERSON.value
        batch.translations.append(
            (pk, other_language, other_title, other_summary, other_body, render_markdown(other_body), by)
        )
        translations[other_language] = {
            "title": other_title,
            "summary": other_summary,
            "body": other_body,
            "status": by,
        }
    snapshot = {
        "title": title,
        "summary": summary,
        "body": body,
        "language": language,
        "kind": str(kind),
        "status": str(status),
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
        "key_task": key_task.slug,
        "action_line": action_line.slug if action_line else None,
        "countries": sorted(c.code for c in countries),
        "advocacies": sorted(a.slug for a in advocacies),
        "tags": sorted(tag_names),
        "participations": sorted(
            ({"stakeholder": s.slug, "role": str(role)} for s, role in zip(stakeholders, roles, strict=True)),
            key=lambda p: p["stakeholder"],
        ),
        "links": [],
        "collaborators": sorted(u.username for u in collaborators),
        "translations": translations,
        "results": [],
    }
    batch.revisions.append(
        (pk, 1, HistoryAction.CREATE.value, owner.id, created, "", snapshot, snapshot_diff({}, snapshot))
    )


def subscriber_users(ids: range, *, rng: random.Random, now: datetime.datetime, password: str) -> list:
    """Readers with an e-mail address, joined at some point in the last few years."""
    User = get_user_model()
    return [
        User(
            id=pk,
            username=f"reader{pk}",
            email=f"reader{pk}@example.org",
            password=password,
            date_joined=now - datetime.timedelta(days=rng.randrange(1, YEARS * 365)),
            preferred_language="zh-hans" if rng.random() < 0.4 else "en",
        )
        for pk in ids
    ]


def saved_search_query(number: int, *, countries: list) -> tuple[str, str]:
    """The name and browse query of the `number`th synthetic saved search: a topic (in English or
    Chinese) in a country, then a qualifier word, so that no two of the first few hundred
    thousand are alike."""
    topics = len(TOPICS)
    per_word = topics * 2 * len(countries)
    english, chinese = TOPICS[number % topics]
    words = chinese if (number // topics) % 2 else english
    country = countries[(number // (topics * 2)) % len(countries)]
    extra = (number // per_word) % (len(TAG_QUALIFIERS) + 1)
    if extra:
        qualifier = TAG_QUALIFIERS[extra - 1]
        words = f"{words} {qualifier[1] if words == chinese else qualifier[0]}"
    return words, urlencode({"q": words, "country": country})


def subscription_rows(
    model, user_ids: range, *, first: int, rng: random.Random, now, key_tasks, countries, tag_names
) -> tuple[list, list, list]:
    """Subscriptions, daily or weekly: nine in ten watch a key task, a few countries and tags,
    one in ten (every subscription id divisible by ten) is a saved search of its own.

    Returns the subscriptions (ids from `first` on) and the rows of their key-task and
    country links.
    """
    subscriptions = []
    task_rows, country_rows = [], []
    for offset, user_id in enumerate(user_ids):
        pk = first + offset
        daily = rng.random() < 0.6
        common = {
            "id": pk,
            "user_id": user_id,
            "frequency": "daily" if daily else "weekly",
            # As if the last digest went out one period ago.
            "cursor": now - datetime.timedelta(days=1 if daily else 7),
            "created_at": now,
            "updated_at": now,
        }
        if pk % 10 == 0:
            name, query = saved_search_query(pk // 10, countries=countries)
            subscriptions.append(model(kind="search", name=name, query=query, **common))
            continue
        subscriptions.append(model(tags=rng.sample(tag_names, rng.randrange(0, 3)), **common))
        task_rows.extend(
            model.key_tasks.through(subscription_id=pk, keytask_id=task)
            for task in rng.sample(key_tasks, rng.randrange(1, 3))
        )
        country_rows.extend(
            model.countries.through(subscription_id=pk, country_id=code)
            for code in rng.sample(countries, rng.randrange(0, 4))
        )
    return subscriptions, task_rows, country_rows
