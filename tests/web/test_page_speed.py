"""The public pages, the workspace and the admin's lists cost the same number of queries
whatever the number of records; what is the same for everyone is built once per catalogue
generation and shared, and nothing of one reader's reaches another's page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives import services
from initiatives.views.workspace import GROUP_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?key_task=global-south",
    "/initiatives/?country=KE",
    "/initiatives/?tag=capacity+building",
    "/initiatives/?q=capacity",
    "/initiatives/?key_task=global-south&country=CN&page=2",
    "/key-tasks/global-south/",
    "/countries/KE/",
    "/stakeholders/undp/",
    "/tags/capacity-building/",
    "/countries/",
    "/stakeholders/",
    "/tags/",
]


# Queries that read who the reader is (their session, their row, their roles, the bell's
# count of their unread notifications).
READER = (
    'SELECT "django_session"',
    'SELECT "governance_user"',
    'SELECT "auth_group"',
    'SELECT COUNT(*) AS "__count" FROM "notifications_notification"',
)


def _queries(client, url, *, past_reader=False) -> int:
    """Queries of one request, past reading the catalogue's generation (which a test reads
    on every use; a site, once a second) and, if asked, past reading who the reader is."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    skipped = READER if past_reader else ()
    return len(
        [
            q
            for q in captured
            if "initiatives_cataloguechange" not in q["sql"] and not q["sql"].startswith(skipped)
        ]
    )


def _publish(count, *, owner, moderator_user):
    for _ in range(count):
        factories.make_initiative(owner=owner, state="published", moderator_user=moderator_user)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_query_counts_do_not_grow_with_the_records(client, contributor, moderator, signed_in):
    if signed_in:
        client.force_login(contributor)
    pages = [*PUBLIC_PAGES, "/workspace/"] if signed_in else PUBLIC_PAGES
    _publish(1, owner=contributor, moderator_user=moderator)
    for url in pages:  # what a process reads once whatever the records (content types and the like)
        _queries(client, url)

    _publish(4, owner=contributor, moderator_user=moderator)
    few = {url: _queries(client, url) for url in pages}
    _publish(25, owner=contributor, moderator_user=moderator)
    many = {url: _queries(client, url) for url in pages}

    assert many == few


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_a_second_reader_in_the_same_generation_reads_less(client, contributor, moderator, signed_in):
    _publish(3, owner=contributor, moderator_user=moderator)
    first = {url: _queries(client, url) for url in PUBLIC_PAGES}
    if signed_in:
        client.force_login(factories.contributor())
    # Past who the reader is: the kept facets, counts and fragments.
    second = {url: _queries(client, url, past_reader=True) for url in PUBLIC_PAGES}
    for url in PUBLIC_PAGES:
        assert second[url] <= first[url], url
    assert sum(second.values()) < sum(first.values()) // 2
    # The plain browse page and the home page then read nothing of the records at all.
    assert second["/initiatives/"] == 0
    assert second["/"] == 0


def test_a_record_published_shows_on_the_next_request(client, contributor, moderator):
    _publish(2, owner=contributor, moderator_user=moderator)
    pages = ["/", "/initiatives/", "/initiatives/?country=KE", "/key-tasks/global-south/", "/countries/KE/"]
    for url in pages:
        client.get(url)
        client.get(url)
    record = factories.make_initiative(owner=contributor, title="Freshly submitted dialogue")
    services.initiative_submit(actor=contributor, initiative=record)
    for url in pages:
        assert record.title not in client.get(url).content.decode(), url

    services.initiative_approve(actor=moderator, initiative=record)

    for url in pages:
        page = client.get(url).content.decode()
        assert record.title in page, url
    assert "3 initiatives" in client.get("/initiatives/").content.decode()


def test_a_count_past_the_bound_says_it_is_an_estimate(client, contributor, moderator, settings):
    _publish(5, owner=contributor, moderator_user=moderator)
    settings.API_EXACT_COUNT_UP_TO = 3
    page = client.get("/initiatives/").content.decode()
    assert re.search(r"About \d+ initiatives", page)
    listing = client.get("/key-tasks/global-south/").content.decode()
    assert re.search(r"About \d+ published initiatives", listing)

    settings.API_EXACT_COUNT_UP_TO = 10
    page = client.get("/initiatives/").content.decode()
    assert "About" not in page and "5 initiatives" in page


def test_the_estimate_is_worded_in_chinese(client, contributor, moderator, settings):
    _publish(5, owner=contributor, moderator_user=moderator)
    settings.API_EXACT_COUNT_UP_TO = 3
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/initiatives/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert re.search(r"约 ?\d+ ?项", page)


def test_nothing_of_one_reader_reaches_another_through_the_shared_parts(client, moderator):
    alice = factories.contributor(username="alice-keeps-secrets")
    factories.make_initiative(owner=alice, state="published", moderator_user=moderator)
    secret = factories.make_initiative(owner=alice, title="Unpublished draft of Alice", tags=["alice-only"])
    client.force_login(alice)
    urls = [*PUBLIC_PAGES, "/initiatives/?tag=alice-only", "/initiatives/?moderation_state=draft"]
    for url in urls:
        client.get(url)
    own_drafts = client.get("/initiatives/?moderation_state=draft").content.decode()
    assert secret.title in own_drafts
    assert secret.title in client.get("/workspace/").content.decode()

    bob = factories.contributor(username="bob-reads-along")
    for reader in (None, bob):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        for url in [*urls, "/workspace/"] if reader else urls:
            page = client.get(url).content.decode()
            assert alice.username not in page, url
            assert secret.title not in page, url
            assert "alice-only" not in page or url.endswith("tag=alice-only"), url
        # To them the draft's tag names nothing: an error, not the list Alice was shown.
        refused = client.get("/initiatives/?tag=alice-only").content.decode()
        assert "Unknown tag" in refused


ADMIN_LISTS = ["admin:initiatives_initiative_changelist", "admin:initiatives_moderationqueueitem_changelist"]


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_admin_lists_never_count_the_whole_table(client, admin_user, contributor, moderator, name, settings):
    _publish(3, owner=contributor, moderator_user=moderator)
    for _ in range(3):
        factories.make_initiative(owner=contributor, state="submitted")
    settings.API_EXACT_COUNT_UP_TO = 2
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), {"o": "1"} if "queue" in name else {})
    assert response.status_code == 200
    assert response.context["cl"].model_admin.show_full_result_count is False
    assert response.context["cl"].full_result_count is None
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert counts, "the list counts what it shows"
    for sql in counts:
        # Every count reads at most the bound's rows, in a subquery with a LIMIT.
        assert "LIMIT" in sql.upper(), sql


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_admin_lists_query_counts_do_not_grow_with_the_records(client, admin_user, contributor, name):
    client.force_login(admin_user)
    factories.make_initiative(owner=contributor, state="submitted")
    client.get(reverse(name))
    for _ in range(3):
        factories.make_initiative(owner=contributor, state="submitted")
    few = _queries(client, reverse(name))
    for _ in range(12):
        factories.make_initiative(owner=contributor, state="submitted")
    assert _queries(client, reverse(name)) == few


def test_the_workspace_shows_the_latest_of_each_group_and_pages_through_one(client, contributor):
    for number in range(GROUP_SIZE + 3):
        factories.make_initiative(owner=contributor, title=f"Draft number {number}")
    factories.make_initiative(owner=contributor, state="submitted", title="Waiting for review")
    client.force_login(contributor)

    response = client.get("/workspace/")
    groups = {state: items for state, _label, items in response.context["groups"]}
    assert len(groups["draft"]) == GROUP_SIZE and groups["draft"].total == GROUP_SIZE + 3
    assert [i.title for i in groups["submitted"]] == ["Waiting for review"]
    assert groups["draft"][0].title == f"Draft number {GROUP_SIZE + 2}"  # latest first
    assert f"Show all {GROUP_SIZE + 3}" in response.content.decode()

    rest = client.get("/workspace/", {"state": "draft", "page": 2})
    groups = {state: items for state, _label, items in rest.context["groups"]}
    assert list(groups) == ["draft"]
    assert [i.title for i in groups["draft"]] == [f"Draft number {n}" for n in (2, 1, 0)]
