"""Topics one may follow, what a reader follows, and what is new in all of it.

A topic is named as its page's address names it: a key task's, an action line's or a
stakeholder's slug, a country's ISO alpha-2 code, a tag's slug (a tag may be asked for by
any of its names; it is kept under its slug). An action line has no page
of its own; it is followed from its key task's page. A followed initiative is a kind of
follow too, named by its slug, read here like a topic with the one record under it.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from taggit.models import TaggedItem

from governance.models import ActionLine, Country, KeyTask, Stakeholder

from ..choices import TopicKind
from ..models import Initiative, Participation, TopicFollow
from ..vocabulary import tag_matching
from .catalogue import listing, published_initiatives
from .tags import tags_visible_to


@dataclass(frozen=True)
class Topic:
    kind: str
    value: str
    name: str
    url: str


def _topics(user, kind: str, values) -> dict[str, Topic]:
    """The topics of one kind named by `values` that exist (a tag: that this user may see)."""
    values = set(values)
    if kind == TopicKind.KEY_TASK:
        found = [
            (k.slug, f"{k.number}. {k.name}", "key_task", k.slug)
            for k in KeyTask.objects.filter(slug__in=values)
        ]
    elif kind == TopicKind.ACTION_LINE:
        lines = ActionLine.objects.filter(slug__in=values).select_related("key_task")
        found = [(line.slug, line.name, "key_task", line.key_task.slug) for line in lines]
    elif kind == TopicKind.COUNTRY:
        found = [
            (c.code, c.name, "country", c.code)
            for c in Country.objects.filter(code__in=[v.upper() for v in values])
        ]
    elif kind == TopicKind.STAKEHOLDER:
        found = [(s.slug, s.name, "stakeholder", s.slug) for s in Stakeholder.objects.filter(slug__in=values)]
    elif kind == TopicKind.TAG:
        tags = tags_visible_to(user).filter(Q(slug__in=values) | Q(name__in=values))
        found = [(t.slug, t.name, "tag", t.slug) for t in tags]
    elif kind == TopicKind.INITIATIVE:
        records = Initiative.objects.visible_to(user).filter(slug__in=values).only("slug", "title")
        found = [(r.slug, r.title, "detail", r.slug) for r in records]
    else:
        found = []
    return {
        value: Topic(kind, value, name, reverse(f"initiatives:{page}", args=[argument]))
        for value, name, page, argument in found
    }


def topic(user, kind: str, value: str) -> Topic | None:
    """The topic `kind` and `value` name, or None when there is none this user may see. A tag
    is named by any of its names (its name or slug, either label, a synonym, in any case), and
    the topic is the tag itself, under its slug."""
    if kind == TopicKind.TAG:
        tag = tag_matching(tags_visible_to(user), value)
        if tag is None:
            return None
        return Topic(kind, tag.slug, tag.name, reverse("initiatives:tag", args=[tag.slug]))
    found = _topics(user, kind, [value])
    return next(iter(found.values()), None)


def topics_of(user, pairs) -> dict[tuple[str, str], Topic]:
    """The topics these (kind, value) pairs name that this user may see: one query per kind."""
    pairs = list(pairs)
    found = {}
    for kind in {kind for kind, _value in pairs}:
        for value, named in _topics(user, kind, [v for k, v in pairs if k == kind]).items():
            found[(kind, value)] = named
    return found


def topic_follows_of(user) -> list[tuple[TopicFollow, Topic]]:
    """The topics (not the initiatives) this user follows and may still see, latest first."""
    follows = list(TopicFollow.objects.filter(user=user).exclude(kind=TopicKind.INITIATIVE))
    named = topics_of(user, ((f.kind, f.value) for f in follows))
    return [(f, named[(f.kind, f.value)]) for f in follows if (f.kind, f.value) in named]


def topics_followed(user, kind: str, values) -> set[str]:
    """Which of these topics of one kind this user follows (for the pages' buttons)."""
    if not user.is_authenticated:
        return set()
    followed = TopicFollow.objects.filter(user=user, kind=kind, value__in=list(values))
    return set(followed.values_list("value", flat=True))


def followed_records_filter(topic_follows) -> Q | None:
    """A filter of initiatives under any of these (kind, value) topics, or None for none."""
    values: dict[str, list[str]] = {}
    for kind, value in topic_follows:
        values.setdefault(kind, []).append(value)
    parts = []
    if values.get(TopicKind.KEY_TASK):
        parts.append(Q(key_task__slug__in=values[TopicKind.KEY_TASK]))
    if values.get(TopicKind.ACTION_LINE):
        parts.append(Q(action_line__slug__in=values[TopicKind.ACTION_LINE]))
    if values.get(TopicKind.COUNTRY):
        through = Initiative.countries.through.objects.filter(country_id__in=values[TopicKind.COUNTRY])
        parts.append(Q(pk__in=through.values("initiative_id")))
    if values.get(TopicKind.STAKEHOLDER):
        taking_part = Participation.objects.filter(stakeholder__slug__in=values[TopicKind.STAKEHOLDER])
        parts.append(Q(pk__in=taking_part.values("initiative_id")))
    if values.get(TopicKind.TAG):
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Initiative), tag__slug__in=values[TopicKind.TAG]
        )
        parts.append(Q(pk__in=tagged.values("object_id")))
    if values.get(TopicKind.INITIATIVE):
        parts.append(Q(slug__in=values[TopicKind.INITIATIVE]))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def followed_news(user):
    """Published records under the topics this user follows or that they follow themselves,
    newest publication first.

    What is followed is read first and written into the query as values, so the query's
    text changes whenever the follows do: its `bounded_count`, kept under that text per
    catalogue generation, is then never one of an earlier set of follows."""
    pairs = list(TopicFollow.objects.filter(user=user).values_list("kind", "value"))
    condition = followed_records_filter(pairs)
    return listing(published_initiatives().filter(Q(pk__in=[]) if condition is None else condition))


def topic_members(topic_follows, initiative_ids) -> dict[tuple[str, str], set[int]]:
    """Which of `initiative_ids` are under each of these (kind, value) topics: one query per
    kind followed, however many topics and records (the digests ask it once per batch)."""
    values: dict[str, set[str]] = {}
    for kind, value in topic_follows:
        values.setdefault(kind, set()).add(value)
    ids = list(initiative_ids)
    members: dict[tuple[str, str], set[int]] = {}
    for kind, chosen in values.items():
        if not ids:
            break
        for value, pk in _under(kind, ids, sorted(chosen)):
            members.setdefault((kind, value), set()).add(pk)
    return members


def _under(kind: str, ids: list[int], chosen: list[str]):
    """(topic value, initiative id) for the records among `ids` under these topics of one kind."""
    if kind == TopicKind.KEY_TASK:
        rows = Initiative.objects.filter(pk__in=ids, key_task__slug__in=chosen)
        return rows.order_by().values_list("key_task__slug", "pk")
    if kind == TopicKind.ACTION_LINE:
        rows = Initiative.objects.filter(pk__in=ids, action_line__slug__in=chosen)
        return rows.order_by().values_list("action_line__slug", "pk")
    if kind == TopicKind.COUNTRY:
        rows = Initiative.countries.through.objects.filter(initiative_id__in=ids, country_id__in=chosen)
        return rows.values_list("country_id", "initiative_id")
    if kind == TopicKind.STAKEHOLDER:
        rows = Participation.objects.filter(initiative_id__in=ids, stakeholder__slug__in=chosen)
        return rows.order_by().values_list("stakeholder__slug", "initiative_id")
    if kind == TopicKind.TAG:
        content_type = ContentType.objects.get_for_model(Initiative)
        rows = TaggedItem.objects.filter(content_type=content_type, object_id__in=ids, tag__slug__in=chosen)
        return rows.values_list("tag__slug", "object_id")
    if kind == TopicKind.INITIATIVE:
        rows = Initiative.objects.filter(pk__in=ids, slug__in=chosen)
        return rows.order_by().values_list("slug", "pk")
    return []
