"""Pages of translated records with results, checked sources and labelled tags, and the
lists of tags, cost the same queries whatever their size: the browse page, the API's list,
the tag pages, and a record's page whatever the number of its indicators and periods."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from initiatives import catalogue, services
from initiatives.selectors import counting
from tests import factories

pytestmark = pytest.mark.django_db

TRANSLATION = {"zh-hans": {"title": "网络能力建设", "summary": "培训国家计算机应急响应小组人员。"}}


def _results(indicators: int) -> list[dict]:
    return [
        {
            "title": f"Result {number}",
            "indicators": [
                {
                    "name": f"Indicator {number}.{place}",
                    "baseline": 0,
                    "target": 10,
                    "periods": [
                        {"start": "2025-01-01", "end": "2025-06-30", "actual": 3},
                        {"start": "2025-07-01", "end": "2025-12-31", "actual": 6},
                    ],
                }
                for place in range(indicators)
            ],
        }
        for number in range(2)
    ]


def _records(count: int, curator) -> list:
    made = []
    for _ in range(count):
        record = factories.make_initiative(
            state="published",
            translations=TRANSLATION,
            results=_results(2),
            tags=["开源", "training", f"topic {len(made)}"],
        )
        services.source_check(
            actor=curator, initiative=record, url="https://example.org/source", checked=True
        )
        made.append(record)
    return made


def _queries(client, url) -> int:
    # Nothing kept: each page is measured as the first reader after a change gets it.
    cache.clear()
    catalogue.forget_remembered()
    counting.forget_counts()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_of_translated_records_with_results_do_not_grow(client, curator, language):
    services.tag_labels_set(
        actor=curator,
        tag=Tag.objects.get_or_create(name="开源")[0],
        label_en="Open source",
        label_zh="开源",
        synonyms=["OSS"],
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    urls = ("/initiatives/", "/api/v1/initiatives/", "/tags/开源/", "/tags/", "/api/v1/tags/")
    _records(2, curator)
    few = {url: _queries(client, url) for url in urls}
    _records(8, curator)
    many = {url: _queries(client, url) for url in urls}
    assert many == few


def test_a_records_page_does_not_grow_with_its_indicators(client, curator):
    small, large = (
        factories.make_initiative(state="published", translations=TRANSLATION, results=_results(size))
        for size in (1, 12)
    )
    for record in (small, large):
        services.update_create(
            actor=curator, initiative=record, data={"title": "Cohort trained", "text": "x"}
        )
    assert _queries(client, large.get_absolute_url()) == _queries(client, small.get_absolute_url())
