"""The words synthetic records are made of, and the rows made from them that every run reuses.

The word lists are data, in initiatives/data/vocabulary.json. Their order is part of the
output: with a fixed seed a run draws the same positions, and tag names made from
qualifier x noun are common or rare by their place in the list (rows.py draws them
Zipf-like). Stakeholders, owners and tags are created on the first run and found again on
later ones, so a second run adds records without adding vocabulary.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from taggit.models import Tag

from governance.choices import Role, StakeholderKind
from governance.models import Country, Stakeholder
from governance.slugs import slug_base, slug_unique
from initiatives.choices import InitiativeKind
from initiatives.models import TagLabel
from initiatives.vocabulary import tag_labels_initial

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "data" / "vocabulary.json"
OWNER_COUNT = 500
STAKEHOLDER_COUNTRIES = 60

_words = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
# (English, Chinese) pairs; text is drawn from these so that some words are common and,
# through the Zipf-distributed tags, others are rare: search sees both kinds of query.
TOPICS = [tuple(pair) for pair in _words["topics"]]
PREFIXES = [tuple(pair) for pair in _words["title_prefixes"]]
KIND_WORDS = {InitiativeKind(kind): tuple(pair) for kind, pair in _words["kind_words"].items()}
SENTENCES_EN = _words["sentences"]["en"]
SENTENCES_ZH = _words["sentences"]["zh"]
TAG_QUALIFIERS = [tuple(pair) for pair in _words["tag_qualifiers"]]
TAG_NOUNS = [tuple(pair) for pair in _words["tag_nouns"]]
# Made-up organisations, one of each per country.
STAKEHOLDER_TEMPLATES = [
    (t["slug"], t["name_en"], t["name_zh"], StakeholderKind(t["kind"]))
    for t in _words["stakeholder_templates"]
]
del _words


def stakeholders_ensure() -> int:
    """A few hundred organisations across sixty countries; reused on later runs."""
    countries = list(Country.objects.order_by("-global_south", "code")[:STAKEHOLDER_COUNTRIES])
    objects = [
        Stakeholder(
            slug=f"{slug}-{country.code.lower()}",
            name_en=name_en.format(en=country.name_en),
            name_zh=name_zh.format(zh=country.name_zh or country.name_en),
            kind=kind,
            country=country,
        )
        for slug, name_en, name_zh, kind in STAKEHOLDER_TEMPLATES
        for country in countries
    ]
    Stakeholder.objects.bulk_create(objects, ignore_conflicts=True, batch_size=500)
    return len(objects)


def owners_ensure() -> list:
    """Contributors who own the generated records; created once, reused later."""
    User = get_user_model()
    names = [f"author{number}" for number in range(1, OWNER_COUNT + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    now = timezone.now()
    missing = [
        User(
            username=name,
            email=f"{name}@example.org",
            password=make_password(None),
            date_joined=now,
            preferred_language="zh-hans" if number % 3 == 0 else "en",
        )
        for number, name in enumerate(names)
        if name not in existing
    ]
    if missing:
        User.objects.bulk_create(missing, batch_size=500)
        group = Group.objects.get(name=Role.CONTRIBUTOR)
        created = User.objects.filter(username__in=[u.username for u in missing])
        group.user_set.add(*created)
    return list(User.objects.filter(username__in=names).only("id", "username").order_by("id"))


def tags_ensure() -> list:
    """About two thousand tags, half English and half Chinese; reused on later runs."""
    names = [f"{q} {n}" for q, _ in TAG_QUALIFIERS for n, _ in TAG_NOUNS]
    names += [f"{q}{n}" for _, q in TAG_QUALIFIERS for _, n in TAG_NOUNS]
    existing = {name.lower() for name in Tag.objects.filter(name__in=names).values_list("name", flat=True)}
    taken = set(Tag.objects.values_list("slug", flat=True))
    missing = []
    for name in names:
        if name.lower() in existing:
            continue
        slug = slug_unique(slug_base(name), taken.__contains__, counted=True)
        taken.add(slug)
        missing.append(Tag(name=name, slug=slug))
    Tag.objects.bulk_create(missing, batch_size=1000)
    by_name = {tag.name: tag for tag in Tag.objects.filter(name__in=names).only("id", "name")}
    # bulk_create sends no post_save: the label rows every tag has are written here. The
    # labels are the names, so the rows' search documents (tag names) find them by label too.
    TagLabel.objects.bulk_create(
        (TagLabel(tag_id=tag.pk, **tag_labels_initial(tag.name)) for tag in by_name.values()),
        batch_size=1000,
        ignore_conflicts=True,
    )
    # Keep the vocabulary's order: it decides which tags are common and which are rare.
    return [by_name[name] for name in names if name in by_name]
