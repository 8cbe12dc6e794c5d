"""Finding records by their words: the search behind browse and the API, and look-alikes.

On PostgreSQL the words of title, summary and body are matched by stem through the
`english` configuration, and Chinese through the character bigrams kept in
`search_document` (see initiatives/search.py) under the `simple` configuration; both vectors are stored
in columns PostgreSQL generates (migration 0008) and GIN-indexed, so a search neither parses
every record's text nor ranks with vectors computed on the fly.
Elsewhere (SQLite in development) a case-insensitive substring match stands in.
"""

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Case, Expression, F, FloatField, IntegerField, Q, Value, When

from ..models import Initiative
from ..search import _CJK_RUN, cjk_bigrams

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
    candidates = (
        (queryset if queryset is not None else Initiative.objects.all())
        .exclude(pk=initiative.pk)
        .filter(merged_into__isnull=True)
    )
    if connection.vendor == "postgresql":
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
