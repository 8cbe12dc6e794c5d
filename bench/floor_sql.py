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
WITH query AS (SELECT {query} AS q),
ranked AS (
    SELECT m.id, m.updated_at,
           CASE WHEN {title_hit} THEN 100.0 ELSE 0.0 END + ts_rank(m.{vector}, query.q) AS score
    FROM (
        SELECT i.id, i.updated_at, i.title, i.{vector}
        FROM initiatives_initiative i, query
        WHERE i.moderation_state = 'published' AND i.{vector} @@ query.q
        ORDER BY i.updated_at DESC, i.id DESC
        LIMIT 1000
    ) m, query
    ORDER BY score DESC, m.updated_at DESC, m.id DESC
    LIMIT 50
)
SELECT json_build_object(
    'count', (
        SELECT count(*) FROM initiatives_initiative i, query
        WHERE i.moderation_state = 'published' AND i.{vector} @@ query.q
    ),
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

ENGLISH_SEARCH_SQL = SEARCH_SQL.format(
    query="plainto_tsquery('english', %(q)s)",
    vector="search_vector_english",
    title_hit="to_tsvector('english', m.title) @@ query.q",
    page=PAGE_SQL,
)
CHINESE_SEARCH_SQL = SEARCH_SQL.format(
    query="to_tsquery('simple', %(bigrams)s)",
    vector="search_vector_bigrams",
    title_hit="m.title LIKE %(like)s",
    page=PAGE_SQL,
)
