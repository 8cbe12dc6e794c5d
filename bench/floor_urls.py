"""The floors the benchmark compares Concord with, served by the same gunicorn workers.

`bench/floor/list/` is the API's first page of 50 published initiatives with the exact count
of them, built as JSON by PostgreSQL in one statement and passed through untouched: nothing
in Python can be faster while still asking the database. `bench/floor/search/?q=` is the
same for a full-text match: the page the API's search answers (the most recently updated
matches ranked, title hits first) with the exact count of matches, read through the stored
vectors and GIN indexes the API uses (migration 0008), in one statement; with `count=false`
the same page alone. `bench/hello/` is Django's own floor, a view doing nothing. All exist
only under bench/settings.py; the site's URLs follow them unchanged.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from bench.floor_sql import FLOOR_SQL, SEARCH_SQL_FOR
from config.urls import urlpatterns as site_urlpatterns
from initiatives.search import cjk_bigrams


def floor_list(request):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL)
        body = cursor.fetchone()[0]
    return HttpResponse(body, content_type="application/json")


def floor_search(request):
    """One term, English words or a Chinese phrase, as the search box sends it; `count=false`
    leaves the count out."""
    q = request.GET.get("q", "").strip()
    counted = request.GET.get("count") != "false"
    bigrams = cjk_bigrams(q)
    with connection.cursor() as cursor:
        if bigrams:
            params = {"bigrams": " & ".join(bigrams), "like": f"%{q}%"}
            cursor.execute(SEARCH_SQL_FOR["chinese", counted], params)
        else:
            cursor.execute(SEARCH_SQL_FOR["english", counted], {"q": q})
        body = cursor.fetchone()[0]
    return HttpResponse(body, content_type="application/json")


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [
    path("bench/floor/list/", floor_list),
    path("bench/floor/search/", floor_search),
    path("bench/hello/", hello),
    *site_urlpatterns,
]
