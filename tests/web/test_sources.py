"""Sources on the site: the record page shows what a reader needs to weigh each one, curators
mark them checked there, and find the published records none of whose sources is checked."""

import datetime

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import Initiative, Revision, SourceLink
from tests import factories

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/source"
REPORT = {
    "url": "https://www.itu.int/report",
    "title": "全球网络安全指数",
    "publisher": "International Telecommunication Union",
    "language": "zh-hans",
    "published_on": datetime.date(2024, 5, 1),
    "accessed_on": datetime.date(2024, 6, 2),
}


def page(client, initiative) -> str:
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def check_address(initiative) -> str:
    return reverse("initiatives:source_check", args=[initiative.slug])


def test_the_record_page_shows_publisher_language_dates_and_the_checked_mark(client):
    initiative = factories.make_initiative(
        state="published", links=[REPORT, {"url": SOURCE, "title": "Plain"}]
    )
    services.source_check(actor=factories.curator(), initiative=initiative, url=REPORT["url"], checked=True)

    html = page(client, Initiative.objects.get(pk=initiative.pk))

    title = '<a href="https://www.itu.int/report" rel="nofollow noopener noreferrer" lang="zh-Hans">'
    assert f"{title}全球网络安全指数</a>" in html
    assert "International Telecommunication Union" in html
    assert "Simplified Chinese" in html
    assert '<time datetime="2024-05-01">' in html
    assert '<time datetime="2024-06-02">' in html
    assert html.count("✓ Checked") == 1
    # No language given: the title says which (lang from its letters).
    plain = '<a href="https://example.org/source" rel="nofollow noopener noreferrer" lang="en">Plain</a>'
    assert plain in html
    # Readers get no curator's buttons.
    assert "Mark as checked" not in html and "Unmark" not in html


def test_a_curator_marks_a_source_checked_from_the_record_page_and_unmarks_it(client):
    curator = factories.curator(username="cora")
    initiative = factories.make_initiative(state="published")
    client.force_login(curator)
    html = page(client, initiative)
    assert "Mark as checked" in html
    assert "No source of this record has been checked yet." in html

    response = client.post(
        check_address(initiative), {"url": SOURCE, "checked": "true", "version": initiative.version}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{initiative.get_absolute_url()}#sources"
    link = SourceLink.objects.get(initiative=initiative)
    assert (link.checked, link.checked_by) == (True, curator)
    latest = Revision.objects.filter(initiative=initiative).order_by("-version").first()
    assert latest.actor == curator
    history = client.get(reverse("initiatives:history", args=[initiative.slug])).content.decode()
    assert "cora" in history
    html = page(client, initiative)
    assert "Unmark" in html
    assert "No source of this record has been checked yet." not in html

    initiative.refresh_from_db()
    client.post(check_address(initiative), {"url": SOURCE, "version": initiative.version})

    assert SourceLink.objects.get(initiative=initiative).checked is False


def test_a_contributor_may_not_check_a_source(client):
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, state="published")
    client.force_login(owner)
    html = page(client, initiative)
    assert "Mark as checked" not in html
    assert "No source of this record has been checked yet." not in html

    response = client.post(check_address(initiative), {"url": SOURCE, "checked": "true"})

    assert response.status_code == 403
    assert SourceLink.objects.get(initiative=initiative).checked is False
    initiative.refresh_from_db()
    assert Initiative.objects.get(pk=initiative.pk).version == initiative.version


def test_checking_a_source_needs_a_sign_in(client):
    initiative = factories.make_initiative(state="published")

    response = client.post(check_address(initiative), {"url": SOURCE, "checked": "true"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert SourceLink.objects.get(initiative=initiative).checked is False


def test_the_edit_form_takes_the_details_of_a_source_and_keeps_its_check(client):
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner)
    services.source_check(actor=factories.curator(), initiative=initiative, url=SOURCE, checked=True)
    initiative.refresh_from_db()
    client.force_login(owner)
    data = {
        "version": str(initiative.version),
        "title": initiative.title,
        "summary": initiative.summary,
        "body": "",
        "language": "en",
        "key_task": "global-south",
        "action_line": "south-south-projects",
        "kind": "project",
        "status": "active",
        "countries": "KE",
        "tags": "capacity building",
        "change_message": "",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-0-url": SOURCE,
        "links-0-title": "Source",
        "links-0-publisher": "UNDP",
        "links-0-language": "en",
        "links-0-published_on": "2024-05-01",
        "links-0-accessed_on": "2024-06-02",
    }

    response = client.post(reverse("initiatives:edit", args=[initiative.slug]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    link = SourceLink.objects.get(initiative=initiative)
    assert (link.publisher, link.language, link.published_on, link.accessed_on, link.checked) == (
        "UNDP",
        "en",
        datetime.date(2024, 5, 1),
        datetime.date(2024, 6, 2),
        True,
    )

    data["links-0-published_on"], data["links-0-accessed_on"] = "2024-06-02", "2024-05-01"
    refused = client.post(reverse("initiatives:edit", args=[initiative.slug]), data)

    assert refused.status_code == 400
    assert "A source cannot be accessed before it was published." in refused.content.decode()


def test_curators_find_the_published_records_with_no_checked_source_from_their_workspace(client):
    curator = factories.curator()
    checked = factories.make_initiative(state="published", title="Checked record")
    services.source_check(actor=curator, initiative=checked, url=SOURCE, checked=True)
    factories.make_initiative(state="published", title="Unchecked record")
    factories.make_initiative(state="published", title="Sourceless record", links=[])
    factories.make_initiative(state="draft", title="Draft record")
    client.force_login(curator)

    workspace = client.get(reverse("initiatives:workspace")).content.decode()

    assert "2 published records have no checked source" in workspace
    listed = client.get(reverse("initiatives:list"), {"source_checked": "false"}).content.decode()
    assert "Unchecked record" in listed and "Sourceless record" in listed
    assert "Checked record" not in listed and "Draft record" not in listed


def test_contributors_are_not_told_of_unchecked_sources(client):
    owner = factories.contributor()
    factories.make_initiative(owner=owner, state="published")
    client.force_login(owner)

    workspace = client.get(reverse("initiatives:workspace")).content.decode()

    assert "no checked source" not in workspace


def test_the_admin_list_filters_records_by_checked_source(client):
    admin = factories.admin()
    checked = factories.make_initiative(state="published", title="Checked record")
    services.source_check(actor=admin, initiative=checked, url=SOURCE, checked=True)
    factories.make_initiative(state="published", title="Unchecked record")
    client.force_login(admin)
    address = reverse("admin:initiatives_initiative_changelist")

    without = client.get(address, {"source_checked": "false"}).content.decode()
    with_one = client.get(address, {"source_checked": "true"}).content.decode()

    assert "Unchecked record" in without and "Checked record" not in without
    assert "Checked record" in with_one and "Unchecked record" not in with_one
