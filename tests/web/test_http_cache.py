"""What a shared cache in front (nginx, a CDN) is told it may store: anonymous public reads
only, varied by what picks their language and their reader; everything else is private."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from governance import services as governance_services
from governance.models import Country, KeyTask, Stakeholder
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _short_public_caching(settings):
    settings.HTTP_CACHE_MAX_AGE = 30
    settings.HTTP_CACHE_STALE_SECONDS = 15
    cache.clear()  # throttle counters
    yield
    cache.clear()


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


PUBLIC = {"public", "max-age=30", "stale-while-revalidate=15"}


def _public_urls(initiative) -> list[str]:
    tag = initiative.tags.first()
    return [
        reverse("initiatives:home"),
        reverse("initiatives:list"),
        reverse("initiatives:list") + "?q=cyber",
        reverse("initiatives:calendar"),
        reverse("initiatives:calendar") + "?view=list",
        reverse("initiatives:calendar_feed"),
        reverse("initiatives:detail", args=[initiative.slug]),
        reverse("initiatives:key_task", args=[KeyTask.objects.first().slug]),
        reverse("initiatives:countries"),
        reverse("initiatives:country", args=[Country.objects.first().code]),
        reverse("initiatives:stakeholders"),
        reverse("initiatives:stakeholder", args=[Stakeholder.objects.first().slug]),
        reverse("initiatives:tags"),
        reverse("initiatives:tag", args=[tag.slug]),
        reverse("digests:archive"),
        reverse("digests:feed"),
        "/api/v1/initiatives/",
        f"/api/v1/initiatives/{initiative.slug}/",
        "/api/v1/key-tasks/",
    ]


def test_anonymous_public_reads_are_public_with_their_etag_and_set_no_cookie():
    initiative = factories.make_initiative(state="published", title="Public cyber dialogue", tags=["cert"])
    for url in _public_urls(initiative):
        for language in ("en", "zh-hans"):
            response = Client(HTTP_ACCEPT_LANGUAGE=language).get(url)
            assert response.status_code == 200, url
            assert _directives(response) == PUBLIC, url
            assert {"cookie", "accept-language", "authorization"} <= _vary(response), url
            # A cookie in a shared answer (a CSRF token, a session) would be everyone's.
            assert not response.cookies, (url, response.cookies)
            assert "Set-Cookie" not in response
    api = APIClient()
    first = api.get(f"/api/v1/initiatives/{initiative.slug}/")
    assert first.has_header("ETag")
    again = api.get(f"/api/v1/initiatives/{initiative.slug}/")  # a kept answer, replayed
    assert _directives(again) == PUBLIC and again["ETag"] == first["ETag"]
    unchanged = api.get(f"/api/v1/initiatives/{initiative.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and _directives(unchanged) == PUBLIC


def test_the_language_switcher_works_without_a_token_and_the_page_then_varies_by_its_cookie():
    client = Client(enforce_csrf_checks=True)
    home = reverse("initiatives:home")
    switched = client.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    assert switched.status_code == 302
    page = client.get(home)
    assert page["Content-Language"] == "zh-hans"
    assert "public" in _directives(page) and "cookie" in _vary(page)


def test_signed_in_readers_get_private_answers(contributor):
    initiative = factories.make_initiative(state="published", tags=["cert"])
    browser = Client()
    browser.force_login(contributor)
    _token, key = governance_services.api_token_create(user=contributor, name="test", write=False)
    token = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    for url in _public_urls(initiative):
        for response in (browser.get(url), token.get(url)):
            assert response.status_code == 200, url
            assert "private" in _directives(response) and "public" not in _directives(response), url
            assert {"cookie", "authorization", "accept-language"} <= _vary(response), url


def test_errors_writes_the_workspace_the_admin_and_cursor_walks_are_never_public(contributor):
    anonymous = Client()
    never_public = [
        anonymous.get("/initiatives/no-such-record/"),  # 404
        anonymous.get("/api/v1/initiatives/no-such-record/"),  # 404
        anonymous.get(reverse("initiatives:workspace")),  # a redirect to sign in
        anonymous.get("/admin/"),
        anonymous.get(reverse("login")),  # sets the CSRF cookie
        anonymous.get("/api/v1/initiatives/?mode=cursor"),
        anonymous.post("/api/v1/initiatives/", {}, content_type="application/json"),  # 401/403
        anonymous.get("/api/v1/initiatives/?page=999"),  # 404
    ]
    signed_in = Client()
    signed_in.force_login(contributor)
    never_public += [signed_in.get(reverse("initiatives:workspace")), signed_in.get("/admin/")]
    for response in never_public:
        assert "public" not in _directives(response), (response.status_code, response.get("Cache-Control"))
        assert "private" in _directives(response)


def test_zero_max_age_turns_public_caching_off(settings):
    settings.HTTP_CACHE_MAX_AGE = 0
    response = Client().get(reverse("initiatives:home"))
    assert response.status_code == 200
    assert "private" in _directives(response)
