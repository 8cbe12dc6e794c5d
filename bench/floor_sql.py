"""The floors' SQL: each builds a whole answer, JSON included, in one statement.

Read by bench/floor_urls.py, which serves them, and by bench/measurement.py, which times them
in PostgreSQL alone; kept apart from the views so that neither needs the other's imports.
"""

from pathlib import Path

PAGE_SQL = (Path(__file__).with_name("page.sql")).read_text()
FLOOR_SQL = f"""
SELECT json_build_object(
    'count', (SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published'),
    'next', '/bench/floor/list/?page=2',
    'previous', NULL,
    'results', COALESCE(json_agg(row_to_json(page)), '[]'::json)
)::text
FROM (
    SELECT * FROM ({PAGE_SQL}) AS published
    ORDER BY updated_at DESC, id DESC
    LIMIT 50
) AS page
"""  # noqa: S608 -- a constant read from bench/page.sql

# As initiatives/selectors/search.py ranks: only the 1,000 most recently updated matches are
# ranked, a title hit first; the page of 50 comes from them.
SEARCH_SQL = """
WITH ranked AS (
    SELECT m.id, m.updated_at,
           CASE WHEN {title_hit} THEN 100.0 ELSE 0.0 END + ts_rank(m.{vector}, {query}) AS score
    FROM (
        SELECT i.id, i.updated_at, i.title, i.{vector}
        FROM initiatives_initiative i
        WHERE i.moderation_state = 'published' AND i.{vector} @@ {query}
        ORDER BY i.updated_at DESC, i.id DESC
        LIMIT 1000
    ) m
    ORDER BY score DESC, m.updated_at DESC, m.id DESC
    LIMIT 50
)
SELECT json_build_object(
    'count', {count},
    'next', '/bench/floor/search/?page=2',
    'previous', NULL,
    'results', COALESCE(
        (SELECT json_agg(row_to_json(page) ORDER BY page.score DESC, page.updated_at DESC, page.id DESC)
         FROM (SELECT published.*, ranked.score FROM ({page}) AS published
               JOIN ranked ON ranked.id = published.id) AS page),
        '[]'::json
    )
)::text
"""  # noqa: S608 -- constants: bench/page.sql and the two ways to match below

COUNT_SQL = """(
        SELECT count(*) FROM initiatives_initiative i
        WHERE i.moderation_state = 'published' AND i.{vector} @@ {query}
    )"""
MATCHING = {
    "english": {
        "query": "plainto_tsquery('english', %(q)s)",
        "vector": "search_vector_english",
        "title_hit": "to_tsvector('english', m.title) @@ plainto_tsquery('english', %(q)s)",
    },
    "chinese": {
        "query": "to_tsquery('simple', %(bigrams)s)",
        "vector": "search_vector_bigrams",
        "title_hit": "m.title LIKE %(like)s",
    },
}
# By (language, with the exact count): the floor with the count the targets name, and the
# same page without it, beside it for comparison.
SEARCH_SQL_FOR = {
    (language, counted): SEARCH_SQL.format(
        count=COUNT_SQL.format(vector=parts["vector"], query=parts["query"]) if counted else "NULL",
        page=PAGE_SQL,
        **parts,
    )
    for language, parts in MATCHING.items()
    for counted in (True, False)
}
