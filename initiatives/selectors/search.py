"""Finding records by their words: the search behind browse and the API, and look-alikes.

On PostgreSQL the words of title, summary and body are matched by stem through the
`english` configuration, and Chinese through the character bigrams kept in
`search_document` (see initiatives/search.py) under the `simple` configuration, which also
finds Latin words as written there (the names, labels and synonyms of a record's tags); both
vectors are stored in columns PostgreSQL generates (migration 0008) and GIN-indexed, so a
search neither parses
every record's text nor ranks with vectors computed on the fly. A page ranks only a bounded
window of the latest matches and walks the rest by recency (_BoundedSearchPages), so its cost
does not grow with the number of matches.
Elsewhere (SQLite in development) a case-insensitive substring match stands in.
"""

import re
import time
from collections import OrderedDict

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.sql.where import WhereNode

from ..models import Initiative
from ..search import _CJK_RUN, cjk_bigrams
from .counting import EXACT_UP_TO

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


# Only this many matches, the most recently updated, are ranked (the window); a very common
# term's other matches follow them by recency, so a page costs the same whatever share of
# records match.
SEARCH_RANKED_CANDIDATES = 1000

_RECENCY = ("-updated_at", "-id")
_SEARCH_ORDER = ("-search_score", *_RECENCY)
_RECENCY_ORDERS = {(f"{sign}updated_at", f"{sign}{pk}") for sign in ("", "-") for pk in ("pk", "id")}


class _BoundedSearchPages:
    """A search in its own order whose slices read the ranking window, not every match.

    The order is: the window (the SEARCH_RANKED_CANDIDATES most recently updated matches of
    the query with all its filters) by rank, then every other match by recency. So a slice
    that ends inside the window ranks the window alone; one that starts past it is the same
    slice of the matches by recency; one that straddles both ranks the matches no older than
    its last row. A common term's matches are found by walking the (moderation_state,
    updated_at, id) index, which stops after as many matches as the slice needs; a rare
    term's through its GIN index. Counting and other orders take the query as it is.
    """

    _search_rank = None

    def _clone(self):
        clone = super()._clone()
        clone._search_rank = self._search_rank
        return clone

    def _in_search_order(self) -> bool:
        return (
            self._search_rank is not None
            and tuple(self.query.order_by) == _SEARCH_ORDER
            and not self.query.is_sliced
        )

    @staticmethod
    def _plain(queryset):
        """`queryset` with its slices and reads left to Django (the search order is gone)."""
        queryset = queryset._chain()
        queryset._search_rank = None
        return queryset

    def _recent(self):
        return self._plain(self.order_by(*_RECENCY))

    def _walking(self):
        """This query with a common term's match written so the planner walks by recency."""
        walking = self._chain()
        walking.query.where = _walk_form(walking.query.where)
        return walking

    def _window_order(self, window):
        """The search order, its window drawn from the filters as they now are."""
        in_window = Case(
            When(pk__in=self._recent().values("pk")[:window], then=self._search_rank),
            default=Value(-1.0),
            output_field=FloatField(),
        )
        return self._plain(self.alias(search_window_score=in_window)).order_by(
            "-search_window_score", *_RECENCY
        )

    def __getitem__(self, k):
        if (
            self._search_rank is not None
            and isinstance(k, slice)
            and not self.query.is_sliced
            and tuple(self.query.order_by) in _RECENCY_ORDERS
        ):
            # A walk by recency (a cursor page, "latest first"): the same walk as the window's.
            return self._plain(self._walking())[k]
        if not (self._in_search_order() and isinstance(k, slice) and k.step is None and k.stop):
            return super().__getitem__(k)
        start, stop = k.start or 0, k.stop
        window = SEARCH_RANKED_CANDIDATES
        walking = self._walking()
        if stop <= window:
            ranked = walking.filter(pk__in=walking._recent().values("pk")[:window])
            page = self._plain(ranked.alias(search_window_rank=self._search_rank)).order_by(
                "-search_window_rank", *_RECENCY
            )
        elif start >= window:
            page = walking._recent()
        else:
            page = walking.filter(pk__in=walking._recent().values("pk")[:stop])._window_order(window)
        return page[start:stop]

    def _fetch_all(self):
        if self._result_cache is None and self._in_search_order():
            # Django's query setter makes any query with values a dict reader; keep this one's
            # (values_list, flat or not).
            iterable_class = self._iterable_class
            self.query = self._walking()._window_order(SEARCH_RANKED_CANDIDATES).query
            self._iterable_class = iterable_class
        super()._fetch_all()

    def iterator(self, chunk_size=None):
        if self._in_search_order():
            return self._walking()._window_order(SEARCH_RANKED_CANDIDATES).iterator(chunk_size=chunk_size)
        return super().iterator(chunk_size=chunk_size)


_bounded_classes: dict[type, type] = {}


def _bounded(queryset, rank):
    """`queryset` as the same class with bounded search slices (the class keeps its own methods)."""
    base = type(queryset)
    if base not in _bounded_classes:
        _bounded_classes[base] = type(f"Search{base.__name__}", (_BoundedSearchPages, base), {})
    bounded = queryset._chain()
    bounded.__class__ = _bounded_classes[base]
    bounded._search_rank = rank
    return bounded


class _Match(Func):
    """`vector @@ query`, written `(…) IS TRUE` where the GIN index is not to be used.

    `indexed` is the form for counting and other orders, `walked` whether the pages of the
    search order walk by recency instead (see _common). PostgreSQL estimates both forms alike.
    """

    function = ""
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, vector: str, query, *, indexed: bool, walked: bool):
        super().__init__(F(vector), query)
        self.indexed = indexed
        self.walked = walked

    def as_sql(self, compiler, connection, **extra_context):
        extra_context["template"] = "(%(expressions)s)" if self.indexed else "(%(expressions)s) IS TRUE"
        return super().as_sql(compiler, connection, **extra_context)


def _walk_form(node):
    """`node` (a WHERE tree) with each match that pages walk written so the GIN index is not used."""
    if isinstance(node, _Match):
        if node.indexed and node.walked:
            node = node.copy()
            node.indexed = False
        return node
    if isinstance(node, WhereNode):
        clone = node.create(connector=node.connector, negated=node.negated)
        clone.children = [_walk_form(child) for child in node.children]
        return clone
    if hasattr(node, "get_source_expressions"):
        sources = node.get_source_expressions()
        changed = [_walk_form(source) if source is not None else None for source in sources]
        if any(new is not old for new, old in zip(changed, sources, strict=True)):
            node = node.copy()
            node.set_source_expressions(changed)
    return node


def _title_english(query):
    """Whether the title holds every word: the weight-A lexemes of the stored vector, the title's."""
    title_lexemes = Func(
        F("search_english"), Value("{a}"), function="ts_filter", output_field=SearchVectorField()
    )
    return Func(title_lexemes, query, function="", arg_joiner=" @@ ", output_field=BooleanField())


# How common each part of a query is, from PostgreSQL's statistics of the stored vectors: the
# frequency of the query's rarest lexeme is at most the share of records that match.
_FREQUENCY_SQL = """
SELECT (
    SELECT min(COALESCE(s.freqs[array_position(s.elems, lexeme)], 0))
    FROM unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s))) AS lexeme,
        (SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs
         FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s AND attname = %s) AS s
), (SELECT reltuples FROM pg_class WHERE oid = %s::regclass)
"""
# Kept per process: statistics change when PostgreSQL analyses the table, not per record.
_KEPT_FREQUENCIES = 1000
_FREQUENCIES_FOR_SECONDS = 600
_frequencies: OrderedDict[tuple, tuple[float, tuple[bool, bool]]] = OrderedDict()


def _common(config: str, text: str, column: str) -> tuple[bool, bool]:
    """Whether matches are so many that walking the records by recency finds them sooner:
    for counting, and for a page's ranking window.

    With a share s of N records matching, that walk reads about k/s records to find k
    matches, the GIN index about s·N. So counting (EXACT_UP_TO + 1 matches) walks when
    s²·N > EXACT_UP_TO, and a page when s²·N > SEARCH_RANKED_CANDIDATES. PostgreSQL's own
    estimate multiplies the shares of the query's words as if they were independent, which
    for words that occur together ("technical assistance") is several times too few; the
    rarest word's share bounds the matches from above instead.
    """
    table = Initiative._meta.db_table
    key = (connection.alias, config, text, column)
    now = time.monotonic()
    kept = _frequencies.get(key)
    if kept is not None and now - kept[0] < _FREQUENCIES_FOR_SECONDS:
        return kept[1]
    with connection.cursor() as cursor:
        cursor.execute(_FREQUENCY_SQL, [config, text, table, column, table])
        share, rows = cursor.fetchone()
    weight = share * share * rows if share is not None and rows is not None else 0.0
    common = (weight > EXACT_UP_TO, weight > SEARCH_RANKED_CANDIDATES)
    _frequencies[key] = (now, common)
    _frequencies.move_to_end(key)
    while len(_frequencies) > _KEPT_FREQUENCIES:
        _frequencies.popitem(last=False)
    return common


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
        counted, walked = _common("english", latin, "search_vector_english")
        # The words as written, in the search document (which also holds the names, labels
        # and synonyms of the record's tags): a search for a tag's label finds its records.
        as_written = SearchQuery(latin, config="simple", search_type="plain")
        vectors["search_bigrams"] = _bigram_vector()
        counted_written, walked_written = _common("simple", latin, "search_vector_bigrams")
        condition &= Q(_Match("search_english", english, indexed=not counted, walked=walked)) | Q(
            _Match("search_bigrams", as_written, indexed=not counted_written, walked=walked_written)
        )
        title_condition &= Q(_title_english(english))
        rank = SearchRank(F("search_english"), english)
    if bigrams:
        # Every bigram of the query must occur: close to a phrase match for Chinese.
        chinese = SearchQuery(" & ".join(bigrams), config="simple", search_type="raw")
        vectors["search_bigrams"] = _bigram_vector()
        counted, walked = _common("simple", " ".join(bigrams), "search_vector_bigrams")
        condition &= Q(_Match("search_bigrams", chinese, indexed=not counted, walked=walked))
        for run in runs:
            title_condition &= Q(title__contains=run)
        chinese_rank = SearchRank(F("search_bigrams"), chinese)
        rank = rank + chinese_rank if latin else chinese_rank
    # alias(), not annotate(): the vectors and scores are read by the condition and the order,
    # never selected, so reading a page's rows by id does not rank them again.
    matches = queryset.alias(**vectors).filter(condition)
    # Ranks stay below 100, so a title hit always comes before any other match.
    title_hit = Case(When(title_condition, then=Value(100.0)), default=Value(0.0), output_field=FloatField())
    # `search_score` names the order (the window is drawn when the query is read, after any
    # further filters); ordering by it alone, window aside, ranks every match.
    return _bounded(matches.alias(search_score=title_hit + rank), title_hit + rank).order_by(*_SEARCH_ORDER)


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
