"""Reads of initiatives that take more than a queryset method: search, API rows, history.

On PostgreSQL the words of title, summary and body are matched by stem through the
`english` configuration, and Chinese through the character bigrams kept in
`search_document` (see search.py) under the `simple` configuration; both vectors are stored
in columns PostgreSQL generates (migration 0008) and GIN-indexed, so a search neither parses
every record's text nor ranks with vectors computed on the fly.
Elsewhere (SQLite in development) a case-insensitive substring match stands in.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    Expression,
    F,
    FloatField,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from taggit.models import Tag, TaggedItem

from . import rules
from .choices import HistoryAction, RevisionState
from .history import CONTENT_FIELDS, snapshot_of
from .models import Initiative, Revision
from .search import _CJK_RUN, cjk_bigrams

# Characters that have a meaning in tsquery syntax; a user's query is words, not syntax.
_TSQUERY_SYNTAX = re.compile(r"[&|!():*<>'\\]")


class StoredVector(Expression):
    """A tsvector column of the initiatives table that only PostgreSQL has (migration 0008)."""

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        # The table's alias, not its name, so the expression survives use inside a subquery.
        alias = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{alias}.{connection.ops.quote_name(self.column)}", []


def _english_vector():
    """Title (weight A), summary (B) and body (C) under the `english` configuration."""
    return StoredVector("search_vector_english")


def _bigram_vector():
    return StoredVector("search_vector_bigrams")


def _split(q: str) -> tuple[str, list[str], list[str]]:
    """The Latin words of a query, its Chinese runs and their bigrams."""
    runs = _CJK_RUN.findall(q)
    latin = " ".join(_TSQUERY_SYNTAX.sub(" ", _CJK_RUN.sub(" ", q)).split())
    return latin, runs, cjk_bigrams(q)


# Only this many matches, the most recently updated, are ranked; a very common term's other
# matches follow them by recency, so a search costs the same whatever share of records match.
SEARCH_RANKED_CANDIDATES = 1000


def _search_postgresql(queryset, q: str):
    latin, runs, bigrams = _split(q)
    if not latin and not bigrams:
        return queryset.none()
    condition = Q()
    title_condition = Q()
    rank = Value(0.0)
    vectors = {}
    if latin:
        english = SearchQuery(latin, config="english", search_type="plain")
        vectors["search_english"] = _english_vector()
        vectors["search_title"] = SearchVector("title", config="english")
        condition &= Q(search_english=english)
        title_condition &= Q(search_title=english)
        rank = SearchRank(F("search_english"), english)
    if bigrams:
        # Every bigram of the query must occur: close to a phrase match for Chinese.
        chinese = SearchQuery(" & ".join(bigrams), config="simple", search_type="raw")
        vectors["search_bigrams"] = _bigram_vector()
        condition &= Q(search_bigrams=chinese)
        for run in runs:
            title_condition &= Q(title__contains=run)
        rank = rank + SearchRank(F("search_bigrams"), chinese)
    # alias(), not annotate(): the vectors are read by the condition and the rank, never selected.
    matches = queryset.alias(**vectors).filter(condition)
    candidates = matches.order_by("-updated_at", "-id").values("pk")[:SEARCH_RANKED_CANDIDATES]
    # Ranks stay below 100, so a title hit always comes before any other match.
    title_hit = Case(When(title_condition, then=Value(100.0)), default=Value(0.0), output_field=FloatField())
    score = Case(
        When(pk__in=candidates, then=title_hit + rank),
        default=Value(-1.0),
        output_field=FloatField(),
    )
    return matches.annotate(search_score=score).order_by("-search_score", "-updated_at", "-id")


def _search_fallback(queryset, q: str):
    terms = q.split()
    if not terms:
        return queryset.none()
    condition = Q()
    title_condition = Q()
    for term in terms:
        condition &= (
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
            | Q(search_document__icontains=term)
        )
        title_condition &= Q(title__icontains=term)
    return (
        queryset.filter(condition)
        .annotate(
            search_title_hit=Case(When(title_condition, then=1), default=0, output_field=IntegerField())
        )
        .order_by("-search_title_hit", "-updated_at", "-id")
    )


def initiative_search(queryset, q: str):
    """Initiatives matching every word of `q` (English by stem, Chinese inside phrases), title hits first."""
    q = (q or "").strip()
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, q)
    return _search_fallback(queryset, q)


SIMILAR_THRESHOLD_TRIGRAM = 0.25
SIMILAR_THRESHOLD_OVERLAP = 0.3
_WORD = re.compile(r"\w+")


def _overlap_terms(text: str) -> set[str]:
    latin = _CJK_RUN.sub(" ", text or "").lower()
    return {word for word in _WORD.findall(latin) if len(word) > 2} | set(cjk_bigrams(text))


def initiative_similar(initiative, limit: int = 5, queryset=None) -> list:
    """Other records that look like this one (title and summary), most alike first.

    PostgreSQL compares trigrams (pg_trgm, migration 0005); elsewhere the share of words
    and Chinese bigrams the two texts have in common stands in.
    """
    from .models import Initiative

    candidates = (
        (queryset if queryset is not None else Initiative.objects.all())
        .exclude(pk=initiative.pk)
        .filter(merged_into__isnull=True)
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        similarity = (
            TrigramSimilarity("title", initiative.title) * 2
            + TrigramSimilarity("summary", initiative.summary)
        ) / 3
        return list(
            candidates.annotate(similarity=similarity)
            .filter(similarity__gte=SIMILAR_THRESHOLD_TRIGRAM)
            .select_related("key_task")
            .order_by("-similarity", "-updated_at")[:limit]
        )
    own = _overlap_terms(f"{initiative.title} {initiative.summary}")
    if not own:
        return []
    scored = []
    for other in candidates.select_related("key_task").order_by("-updated_at")[:1000]:
        theirs = _overlap_terms(f"{other.title} {other.summary}")
        if theirs:
            other.similarity = len(own & theirs) / len(own | theirs)
            if other.similarity >= SIMILAR_THRESHOLD_OVERLAP:
                scored.append(other)
    scored.sort(key=lambda other: -other.similarity)
    return scored[:limit]


def initiatives_for_representation(*, user):
    """Initiatives this user may see, each row carrying what its API representation needs.

    Relations come from the snapshot of the current version, the four-eyes check from whether
    the user wrote any of it, membership from whether the user collaborates: no query per record.
    """
    current = Revision.objects.filter(initiative=OuterRef("pk"), version=OuterRef("version")).values(
        "snapshot"
    )[:1]
    queryset = (
        Initiative.objects.visible_to(user)
        .select_related("key_task", "action_line", "owner")
        # The API serves the Markdown, not the page's HTML.
        .defer("body_html")
        .annotate(
            current_snapshot=Subquery(current, output_field=JSONField()),
            # A subquery, not a join: COUNT(*) drops unused annotations but keeps joins, and
            # this one made the page-number count scan the table twice.
            # Named only to callers who may see the survivor: its slug gives away its title.
            merged_into_slug=Subquery(
                Initiative.objects.visible_to(user)
                .filter(pk=OuterRef("merged_into_id"))
                .order_by()
                .values("slug")[:1]
            ),
        )
    )
    if rules.is_admin(user) or rules.is_moderator(user):
        # rules.wrote_under_review reads this instead of a query per record (the four-eyes check).
        queryset = queryset.annotate(
            caller_wrote_under_review=Exists(rules.authoring_events(user.pk, OuterRef("pk")))
        )
    if user is not None and user.is_authenticated:
        collaborating = Initiative.collaborators.through.objects.filter(
            initiative_id=OuterRef("pk"), user_id=user.pk
        )
        queryset = queryset.annotate(caller_collaborates=Exists(collaborating))
    return queryset


# Messages of these entries are reasons told to the record's members (why it was rejected or
# archived, which draft was merged into it), not summaries of a published change.
REASON_ACTIONS = (HistoryAction.TRANSITION, HistoryAction.MERGE)
# What rules.can_view reads of a record.
_VISIBILITY_FIELDS = ("pk", "owner_id", "moderation_state")


def revisions_visible_to(*, user, initiative):
    """The record's history as this user may read it, newest first; each row's message to
    show is `shown_message`.

    Members and staff (rules.can_read_full_history) read every version and every message.
    Everyone else reads the versions recorded from the record's first publication on, and
    always the current one (its content is what the page shows; records loaded in bulk
    have no later entry), and no reasons. Every surface that shows history reads it here.

    A merged record's own merge entry names its survivor; for a caller who may not see the
    survivor its message is blank and `hides_survivor` tells readers of `changes` to leave
    out `merged_into`.
    """
    revisions = Revision.objects.filter(initiative=initiative).select_related("actor").order_by("-version")
    hides_survivor = bool(initiative.merged_into_id) and not rules.can_view(
        user, Initiative.objects.only(*_VISIBILITY_FIELDS).get(pk=initiative.merged_into_id)
    )
    revisions = revisions.annotate(hides_survivor=Value(hides_survivor))
    if rules.can_read_full_history(user, initiative):
        if not hides_survivor:
            return revisions.annotate(shown_message=F("change_message"))
        no_survivor = Case(
            When(action=HistoryAction.MERGE, then=Value("")),
            default=F("change_message"),
            output_field=CharField(),
        )
        return revisions.annotate(shown_message=no_survivor)
    if initiative.published_at is None:
        if not initiative.is_published:
            return revisions.none()
        first_public = Value(initiative.version)
    else:
        # published_at is stamped once, just before the approval's own entry is recorded.
        since_publication = (
            Revision.objects.filter(initiative=initiative, created_at__gte=initiative.published_at)
            .order_by("version")
            .values("version")[:1]
        )
        first_public = Coalesce(Subquery(since_publication), Value(initiative.version))
    no_reasons = Case(
        When(action__in=REASON_ACTIONS, then=Value("")),
        default=F("change_message"),
        output_field=CharField(),
    )
    return revisions.filter(version__gte=first_public).annotate(shown_message=no_reasons)


def tags_visible_to(user):
    """Tags on at least one record this user may see; any other tag is, to them, unknown."""
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative),
        tag_id=OuterRef("pk"),
        object_id__in=Initiative.objects.visible_to(user).values("pk"),
    )
    return Tag.objects.filter(Exists(tagged))


def revision_changes(revisions, *, live: dict | None = None) -> dict[int, dict]:
    """What each proposal changes, field by field as {"before", "after"}, keyed by its id.

    Only the fields its authors changed count, against the version the proposal started
    from. While it is open, "before" is the live record (what approving it would change);
    once decided, the version it started from (what was proposed). One query for the base
    versions of the whole page, and one snapshot per record with an open proposal unless
    `live` already holds it ({initiative id: snapshot of its current version}).
    """
    revisions = list(revisions)
    if not revisions:
        return {}
    bases = {
        (initiative_id, version): snapshot
        for initiative_id, version, snapshot in Revision.objects.filter(
            initiative_id__in={r.initiative_id for r in revisions},
            version__in={r.base_version for r in revisions},
        ).values_list("initiative_id", "version", "snapshot")
    }
    live = dict(live or {})
    changes = {}
    for revision in revisions:
        base = bases.get((revision.initiative_id, revision.base_version)) or {}
        proposed = {
            field: value
            for field, value in revision.snapshot.items()
            if field in CONTENT_FIELDS and base.get(field) != value
        }
        reference = base
        if revision.state == RevisionState.OPEN:
            if revision.initiative_id not in live:
                live[revision.initiative_id] = snapshot_of(revision.initiative)
            reference = live[revision.initiative_id]
        changes[revision.pk] = {
            field: {"before": reference.get(field), "after": value}
            for field, value in sorted(proposed.items())
            if reference.get(field) != value
        }
    return changes
