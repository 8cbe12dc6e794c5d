"""A search ranks a bounded window of its matches and pages through the rest by recency, so
a common word costs a page about what a rare one does: in English and in Chinese, with or
without other filters, and the pages still hold every match once."""

import pytest
from django.db import connection

from api import answers
from initiatives.models import Initiative
from initiatives.selectors import counting, initiative_search, search
from initiatives.selectors.counting import bounded_count
from tests import factories
from tests.api.reading import LIST_URL, get_with_sql, slugs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the window and its plans are PostgreSQL's"),
]

WINDOW = 4

TERMS = {
    # (query, a title that holds it, a summary that holds it, text that does not)
    "english": ("harbour", "Harbour pilots {n}", "Exchanges on harbour safety.", "Regional forum {n}"),
    "chinese": ("合作", "港口合作项目{n}", "各方开展合作交流。", "区域论坛{n}"),
}


@pytest.fixture
def window(monkeypatch):
    """A window of WINDOW matches, and PostgreSQL's statistics of the vectors read afresh."""
    monkeypatch.setattr(search, "SEARCH_RANKED_CANDIDATES", WINDOW)
    monkeypatch.setattr(search, "_frequencies", type(search._frequencies)())
    return WINDOW


def _records(language, pattern):
    """Matching records created oldest first, T for a title hit and S for a summary hit."""
    _, title, summary, other = TERMS[language]
    made = []
    for n, kind in enumerate(pattern):
        if kind == "T":
            made.append(
                factories.make_initiative(state="published", title=title.format(n=n), summary=summary)
            )
        else:
            made.append(
                factories.make_initiative(state="published", title=other.format(n=n), summary=summary)
            )
    factories.make_initiative(state="published", title=other.format(n="x"), summary=other.format(n="y"))
    return made


def _expected(made):
    """The documented order: the WINDOW latest matches with title hits first (each part
    latest first, as their ranks are equal), then every older match latest first."""
    latest_first = made[::-1]
    in_window, rest = latest_first[:WINDOW], latest_first[WINDOW:]
    title_hits = [r for r in in_window if r.title.startswith(("Harbour", "港口"))]
    others = [r for r in in_window if r not in title_hits]
    return [r.slug for r in title_hits + others + rest]


def _walk(api, **params):
    """Every page from the first, following the `next` links."""
    response = api.get(LIST_URL, params)
    seen = slugs(response)
    while response.json()["next"]:
        response = api.get(response.json()["next"])
        seen += slugs(response)
    return seen


@pytest.mark.parametrize("analysed", [False, True], ids=["gin", "walked"])
@pytest.mark.parametrize("language", ["english", "chinese"])
def test_pages_rank_the_window_then_follow_by_recency_with_no_gap_or_repeat(api, window, language, analysed):
    # Oldest first: two title hits outside the window, one inside it.
    made = _records(language, "TSSTSTSS")
    query = TERMS[language][0]
    if analysed:  # statistics say the word is common: pages walk by recency
        _analyse()
    page = initiative_search(Initiative.objects.published(), query)[:2]
    assert ("IS TRUE" in str(page.query)) is analysed
    expected = _expected(made)
    assert expected[:2] == [made[5].slug, made[7].slug]  # the window's title hit leads, older ones do not
    for size in (1, 3, 4, 5, 8):
        # Pages inside the window, straddling its end and past it.
        assert _walk(api, q=query, page_size=size) == expected, size
    assert api.get(LIST_URL, {"q": query}).json()["count"] == len(made)


@pytest.mark.parametrize("language", ["english", "chinese"])
def test_a_rare_word_is_ranked_whole(api, language):
    made = _records(language, "TSS")
    assert slugs(api.get(LIST_URL, {"q": TERMS[language][0]})) == [made[0].slug, made[2].slug, made[1].slug]


def test_filters_combine_with_the_query_before_the_window_is_drawn(api, window):
    ours = [
        factories.make_initiative(state="published", kind="event", title=title, summary="Harbour safety.")
        for title in ("Regional forum", "Coastal watch", "Harbour pilots", "Regional desk", "Port plan")
    ]
    for n in range(WINDOW + 2):  # newer matches of another kind
        factories.make_initiative(
            state="published", kind="project", title=f"Desk {n}", summary="Harbour safety."
        )
    found = slugs(api.get(LIST_URL, {"q": "harbour", "kind": "event"}))
    # The window is the kind's own latest matches: the title hit among them would not be
    # in a window drawn before the filter; it leads, then the rest by recency.
    assert found == [ours[2].slug, ours[4].slug, ours[3].slug, ours[1].slug, ours[0].slug]


def test_a_cursor_walk_of_a_common_word_reads_every_match_once_by_recency(api, window):
    made = _records("english", "TSSTSTSS")
    _analyse()
    assert "IS TRUE" in str(
        initiative_search(Initiative.objects.published(), "harbour").order_by("updated_at", "pk")[:3].query
    )
    assert _walk(api, q="harbour", mode="cursor", page_size=3) == [r.slug for r in made]


def test_whole_reads_and_slices_agree(window):
    made = _records("english", "TSSTSSS")
    results = initiative_search(Initiative.objects.published(), "harbour")
    whole = [r.slug for r in results]
    assert whole == _expected(made)
    assert [r.slug for r in results[2:6]] == whole[2:6]
    assert [r.slug for r in initiative_search(Initiative.objects.published(), "harbour").iterator()] == whole
    assert results.first().slug == whole[0]


def test_a_page_reads_a_limited_window_and_the_count_reads_no_window(api):
    for n in range(3):
        factories.make_initiative(state="published", title=f"Harbour pilots {n}", summary="Harbour safety.")
    response, sql = get_with_sql(api, f"{LIST_URL}?q=harbour&page_size=2")
    assert len(slugs(response)) == 2
    (page,) = [s for s in sql if 'AS "pk"' in s and "ORDER BY" in s and "COUNT(" not in s.upper()]
    assert f"LIMIT {search.SEARCH_RANKED_CANDIDATES}" in page
    counts = [s for s in sql if "COUNT(" in s.upper()]
    assert counts and not any("ORDER BY" in s for s in counts)


def _analyse():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")


def _plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("common", "rare"), [("harbour", "malta"), ("合作", "马耳他")])
def test_a_common_word_walks_by_recency_and_a_rare_one_may_read_the_gin_index(
    window, monkeypatch, common, rare
):
    monkeypatch.setattr(search, "EXACT_UP_TO", 1000)
    language = "english" if common == "harbour" else "chinese"
    _records(language, "TSSSSSSSSSSSS")
    factories.make_initiative(state="published", title=f"Malta {rare}", summary="Rare.")
    _analyse()
    published = Initiative.objects.published()
    page = initiative_search(published, common).values_list("pk", flat=True)[:2]
    # On a table this small the planner may read the recency order from any index on the
    # state; what matters is that the common word is not read from its GIN index.
    plan = _plan(page)
    assert "initiative_search_" not in plan, plan
    assert "IS TRUE" in str(page.query) and f"LIMIT {WINDOW}" in str(page.query)
    # A rare word's match stays in the form its GIN index answers.
    assert "IS TRUE" not in str(initiative_search(published, rare).values_list("pk", flat=True)[:2].query)
    # Counting still reads the GIN index for the common word: its share is below the bound.
    assert "IS TRUE" not in str(initiative_search(published, common).order_by().query)
    assert bounded_count(initiative_search(published, common), exact_up_to=5).is_estimate


def test_query_count_is_flat_across_page_sizes(api):
    for n in range(12):
        factories.make_initiative(state="published", title=f"Harbour {n}", summary="Harbour safety.")
    counts = {}
    for size in (10, 50, 100):
        # Built afresh each time: nothing kept from the request before.
        answers.forget_all()
        counting.forget_counts()
        search._frequencies.clear()
        response, sql = get_with_sql(api, f"{LIST_URL}?q=harbour&page_size={size}")
        assert response.status_code == 200
        counts[size] = len(sql)
    assert len(set(counts.values())) == 1, counts


def test_a_whole_search_read_as_values_keeps_its_shape():
    record = factories.make_initiative(state="published", title="Harbour pilot", summary="Harbour.")
    found = initiative_search(Initiative.objects.published(), "harbour")
    assert list(found.values_list("pk", flat=True)) == [record.pk]
    assert list(found.values_list("pk", "slug")) == [(record.pk, record.slug)]
    assert list(found.values("pk")) == [{"pk": record.pk}]
