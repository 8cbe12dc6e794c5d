"""The public pages: what anyone sees, and what they must not see."""

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_shows_key_tasks_with_counts_latest_and_charts(client, published, draft):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Multilateral mechanisms" in page and "The Global South" in page
    assert published.title in page
    assert draft.title not in page
    assert 'id="chart-key-tasks"' in page and 'id="chart-regions"' in page and 'id="chart-years"' in page
    # Kenya takes part in the published record: its tile is shaded and links to its page.
    assert 'href="/countries/KE/"' in page
    assert [task.number for task in response.context["key_tasks"]] == [1, 2, 3, 4]
    key_tasks = {task.slug: task.count for task in response.context["key_tasks"]}
    assert key_tasks["global-south"] == 1
    assert key_tasks["multilateral-mechanisms"] == 0


def test_browse_lists_published_only_and_keeps_filters_in_links(client, published, draft):
    for number in range(25):
        factories.make_initiative(state="published", title=f"Extra published {number}", countries=["KE"])
    response = client.get("/initiatives/", {"country": "KE", "kind": "project"})
    assert response.status_code == 200
    page = response.content.decode()
    assert draft.title not in page
    assert response.context["page"].paginator.count == 26
    # The next page link carries the filters.
    assert "country=KE" in page and "kind=project" in page and "page=2" in page
    assert "Country: Kenya" in page and "Kind: Project" in page  # the active filters, by name
    second = client.get("/initiatives/", {"country": "KE", "kind": "project", "page": 2})
    assert len(second.context["page"].object_list) == 6


@pytest.mark.parametrize(
    "params",
    [
        {"key_task": "global-south"},
        {"action_line": "south-south-projects"},
        {"kind": "project"},
        {"status": "active"},
        {"country": "CN"},
        {"region": "africa"},
        {"global_south": "true"},
        {"stakeholder": "undp"},
        {"tag": "capacity building"},
        {"advocacy": "security"},
        {"ordering": "title"},
    ],
)
def test_each_facet_finds_the_record_and_excludes_others(client, published, params):
    other = factories.make_initiative(
        state="published",
        title="Bilateral norms dialogue",
        key_task="major-power-cooperation",
        action_line=None,
        kind="dialogue",
        status="planned",
        countries=["FR"],
        tags=["norms"],
        advocacies=["inclusiveness"],
        participations=[{"stakeholder": "itu", "role": "lead"}],
    )
    titles = [i.title for i in client.get("/initiatives/", params).context["page"]]
    assert published.title in titles
    if "ordering" not in params:
        assert other.title not in titles


def test_browse_with_an_unknown_filter_value_explains_instead_of_failing(client, published):
    response = client.get("/initiatives/", {"key_task": "no-such-task"})
    assert response.status_code == 200
    assert response.context["filter_errors"]
    assert "Some filters could not be used" in response.content.decode()


def test_browse_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for _ in range(3):
        factories.make_initiative(state="published")
    # The first render also counts each filter's options (initiatives/selectors/facets.py).
    with django_assert_max_num_queries(40) as small:
        client.get("/initiatives/")
    for _ in range(12):
        factories.make_initiative(state="published")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/initiatives/")


def test_detail_shows_every_part_of_the_record(client, published, moderator):
    note = services.update_create(
        actor=published.owner, initiative=published, data={"title": "First workshop held", "kind": "meeting"}
    )
    services.update_approve(actor=moderator, update=note)
    services.comment_create(actor=moderator, initiative=published, body="Useful work.")
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        published.title,
        "<strong>Markdown</strong>",  # body rendered
        "United Nations Development Programme",  # participant
        "Lead",  # role
        "Kenya",
        "China",
        "capacity building",
        "https://example.org/source",
        "First workshop held",
        "Useful work.",
        "freshness--fresh",
        "Version 3",  # public history: created, submitted, approved
        "Sign in to follow",
    ):
        assert expected in page, expected


def test_a_draft_is_not_found_for_strangers_and_other_contributors(client, draft, stranger):
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(stranger)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("initiatives:history", args=[draft.slug])).status_code == 404


def test_a_draft_is_visible_to_owner_collaborator_and_moderator(client, draft, moderator):
    collaborator = factories.contributor()
    invitation = services.collaborator_invite(
        actor=draft.owner, initiative=draft, identifier=collaborator.username
    )
    services.invitation_accept(actor=collaborator, invitation_id=invitation.pk)
    for user in (draft.owner, collaborator, moderator):
        client.force_login(user)
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 200, user
        assert "This is a draft" in response.content.decode() or user == moderator


def test_a_merged_record_redirects_permanently_to_the_survivor(client, published, curator):
    duplicate = factories.make_initiative(state="published", title="Published cyber dialogue (copy)")
    services.initiative_merge(actor=curator, source=duplicate, target=published)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()


def test_unknown_slug_is_404(client):
    assert client.get("/initiatives/nothing-here/").status_code == 404


def test_key_task_country_stakeholder_and_tag_pages(client, published, draft):
    pages = [
        reverse("initiatives:key_task", args=["global-south"]),
        reverse("initiatives:country", args=["KE"]),
        reverse("initiatives:stakeholder", args=["undp"]),
        reverse("initiatives:tag", args=["capacity-building"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert published.title in page, url
        assert draft.title not in page, url
    for url in ("/countries/", "/stakeholders/", "/tags/"):
        assert client.get(url).status_code == 200
    assert client.get(reverse("initiatives:key_task", args=["nope"])).status_code == 404
    assert client.get("/countries/ke/").status_code == 301
    assert client.get("/countries/XX/").status_code == 404


def test_history_page_lists_versions(client, published):
    client.force_login(published.owner)
    response = client.get(reverse("initiatives:history", args=[published.slug]))
    assert response.status_code == 200
    assert [r.version for r in response.context["page"]] == [3, 2, 1]


def test_public_history_starts_at_the_first_publication(client, published):
    response = client.get(reverse("initiatives:history", args=[published.slug]))
    assert response.status_code == 200
    assert [r.version for r in response.context["page"]] == [3]


def test_archived_records_leave_the_public_pages(client, published, curator):
    services.initiative_archive(actor=curator, initiative=published)
    assert client.get(published.get_absolute_url()).status_code == 404
    assert published.title not in client.get("/initiatives/").content.decode()
    assert Initiative.objects.get(pk=published.pk).moderation_state == "archived"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/key-tasks/global-south/",
        "/countries/KE/",
        "/stakeholders/undp/",
        "/tags/capacity-building/",
        "/countries/",
        "/stakeholders/",
        "/tags/",
    ],
)
def test_list_pages_make_a_fixed_number_of_queries(client, url, django_assert_max_num_queries):
    for _ in range(2):
        factories.make_initiative(state="published")
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for _ in range(8):
        factories.make_initiative(state="published")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_browse_filters_offer_what_published_records_use_and_follow_changes(client, curator):
    def offered():
        options = client.get("/initiatives/").context["options"]
        return ({code for code, _name, _count in options["country"]}, {name for name, _, _ in options["tag"]})

    factories.make_initiative(state="published", countries=["KE"], tags=["ocean data"])
    factories.make_initiative(state="draft", countries=["FJ"], tags=["draft only"])
    countries, tags = offered()
    assert "KE" in countries and "FJ" not in countries
    assert "ocean data" in tags and "draft only" not in tags
    # The lists are kept between views; a change to the catalogue shows at the next one.
    second = factories.make_initiative(state="published", countries=["FJ"], tags=["reef watch"])
    countries, tags = offered()
    assert {"KE", "FJ"} <= countries and "reef watch" in tags
    services.initiative_archive(actor=curator, initiative=second, reason="Ended.")
    countries, tags = offered()
    assert "FJ" not in countries and "reef watch" not in tags
    assert "KE" in countries
