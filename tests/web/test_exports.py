"""Download links on the browse page and the frame's pages give, as a file, exactly the
records the page lists for this visitor, with the page's filters and order."""

import csv
import io
import json
import re
from html import unescape

import openpyxl
import pytest

from tests import factories

FORMATS = ("csv", "xlsx", "jsonl")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def slugs_in(file_format: str, data: bytes) -> list[str]:
    if file_format == "csv":
        return [row["slug"] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]
    if file_format == "jsonl":
        return [json.loads(line)["slug"] for line in data.decode("utf-8").splitlines()]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def download_links(page: bytes) -> dict[str, str]:
    """The page's download links by format."""
    links = re.findall(r'<a href="([^"]*/initiatives/export\.(\w+)[^"]*)" download>', page.decode())
    return {file_format: unescape(url) for url, file_format in links}


def listed_slugs(client, url: str) -> list[str]:
    """Every record a listing page shows, page after page, in its order."""
    slugs = []
    page = 1
    while True:
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}page={page}")
        assert response.status_code == 200
        found = re.findall(r'href="/initiatives/([^/"]+)/"', response.content.decode())
        slugs += [unescape(slug) for slug in dict.fromkeys(found) if slug not in slugs]
        if f"page={page + 1}" not in response.content.decode():
            return slugs
        page += 1


@pytest.fixture
def records(db, contributor):
    made = [
        factories.make_initiative(state="published", kind="event", countries=["KE"], tags=["数据跨境"]),
        factories.make_initiative(
            state="published", kind="event", countries=["BR"], title="网络安全应急响应"
        ),
        factories.make_initiative(
            state="published",
            kind="project",
            countries=["KE"],
            key_task="multi-stakeholder",
            action_line=None,
        ),
    ]
    draft = factories.make_initiative(
        owner=contributor, kind="event", countries=["KE"], title="Owner's own draft"
    )
    return made, draft


@pytest.mark.django_db
def test_the_browse_page_links_to_its_records_as_files_with_its_filters(client, records):
    made, draft = records
    response = client.get("/initiatives/", {"kind": "event", "ordering": "title", "page": "1"})
    links = download_links(response.content)
    assert set(links) == set(FORMATS)
    for file_format, url in links.items():
        assert "kind=event" in url and "ordering=title" in url and "page=" not in url
        exported = client.get(url)
        assert exported.status_code == 200
        assert exported["Content-Disposition"] == f'attachment; filename="initiatives.{file_format}"'
        expected = sorted((r for r in made if r.kind == "event"), key=lambda r: (r.title, r.pk))
        slugs = slugs_in(file_format, body_of(exported))
        assert slugs == [r.slug for r in expected]
        assert draft.slug not in slugs


@pytest.mark.django_db
def test_a_draft_reaches_only_those_who_may_read_it(client, records, contributor):
    _made, draft = records
    for file_format in FORMATS:
        url = f"/initiatives/export.{file_format}?moderation_state=draft"
        assert slugs_in(file_format, body_of(client.get(url))) == []
        client.force_login(factories.contributor())
        assert slugs_in(file_format, body_of(client.get(url))) == []
        client.force_login(contributor)
        assert slugs_in(file_format, body_of(client.get(url))) == [draft.slug]
        assert draft.slug not in slugs_in(
            file_format, body_of(client.get(f"/initiatives/export.{file_format}"))
        )
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    ["/key-tasks/global-south/", "/countries/KE/", "/stakeholders/undp/", "/tags/数据跨境/"],
)
def test_each_frame_page_exports_the_records_it_lists_in_its_order(client, records, page):
    listed = listed_slugs(client, page)
    assert listed
    links = download_links(client.get(page).content)
    assert set(links) == set(FORMATS)
    for file_format, url in links.items():
        assert slugs_in(file_format, body_of(client.get(url))) == listed, (page, file_format)


@pytest.mark.django_db
def test_an_unknown_format_or_a_bad_filter_is_said_plainly(client, records):
    response = client.get("/initiatives/export.pdf")
    assert response.status_code == 404
    assert "csv, xlsx or jsonl" in response.content.decode()
    response = client.get("/initiatives/export.csv", {"country": "ZZ"})
    assert response.status_code == 400
    assert "country" in response.content.decode()
    response = client.get("/initiatives/export.xlsx", {"updated_since": "yesterday"})
    assert response.status_code == 400
    # A filter the page could not use gets no download links either.
    assert download_links(client.get("/initiatives/", {"country": "ZZ"}).content) == {}
