"""Reading the initiatives API in tests: an answer with the SQL it ran, and a page's slugs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

LIST_URL = "/api/v1/initiatives/"


def get_with_sql(client, url, **extra):
    """(response, [SQL statements run while answering]); a streamed answer is read whole
    (into `streamed_content`) while the statements are counted."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
        if response.streaming:
            response.streamed_content = b"".join(response.streaming_content)
    return response, [query["sql"] for query in queries.captured_queries]


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]
