"""The floors the benchmark compares Concord with, served by the same gunicorn workers.

`bench/floor/list/` is the API's first page of 50 published initiatives, built as JSON by
PostgreSQL in one statement and passed through untouched: nothing in Python can be faster
while still asking the database. `bench/hello/` is Django's own floor, a view doing
nothing. Both exist only under bench/settings.py; the site's URLs follow them unchanged.
"""

from pathlib import Path

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

PAGE_SQL = (Path(__file__).with_name("page.sql")).read_text()
FLOOR_SQL = f"""
SELECT json_build_object(
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


def floor_list(request):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL)
        body = cursor.fetchone()[0]
    return HttpResponse(body, content_type="application/json")


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [
    path("bench/floor/list/", floor_list),
    path("bench/hello/", hello),
    *site_urlpatterns,
]
