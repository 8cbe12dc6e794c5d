"""The statistics page: its tables agree with the API's counts, in both languages, and each
table's CSV link downloads the rows the API gives for the same filters."""

import csv
import io
from html.parser import HTMLParser

import pytest
from rest_framework.test import APIClient

from governance.models import KeyTask
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = "/statistics/"
STATS_API = "/api/v1/stats/initiatives/"
TABLES = {
    "key-task-by-region": "key_task,region",
    "global-south-by-key-task": "key_task,global_south",
    "stakeholder-kinds-by-key-task": "key_task,stakeholder_kind",
    "initiatives-per-year": "year",
    "results-by-key-task": "key_task",
}
# The tables that count only some records: the API's counts with these filters too.
TABLE_FILTERS = {"results-by-key-task": {"has_results": "true"}}


class _Page(HTMLParser):
    """The page's tables (by id, as rows of cell texts) and the CSV links (by section)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, str] = {}
        self.section = None
        self.table = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "stat" in attrs.get("class", "").split():
            self.section = attrs["id"]
        elif tag == "table" and attrs.get("id", "").endswith("-table"):
            self.table = self.tables.setdefault(attrs["id"].removesuffix("-table"), [])
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("th", "td") and self.table is not None:
            self.cell = []
        elif tag == "a" and "download" in attrs and self.section:
            self.links[self.section] = attrs["href"]

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.table[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def read_page(response) -> _Page:
    assert response.status_code == 200
    parser = _Page()
    parser.feed(response.content.decode())
    return parser


def api_counts(by: str, **filters) -> list[dict]:
    response = APIClient().get(STATS_API, {"by": by, **filters})
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def records(db):
    moderator = factories.moderator()
    academia = factories.StakeholderFactory(kind="academia")

    def publish(**data):
        return factories.make_initiative(state="published", moderator_user=moderator, **data)

    publish(key_task="global-south", countries=["KE", "CN"], start_date="2020-04-01")
    publish(key_task="global-south", countries=["KE"], start_date="2021-01-01")
    publish(
        key_task="multi-stakeholder",
        action_line=None,
        countries=["FR", "DE"],
        participations=[{"stakeholder": academia.slug, "role": "lead"}],
        start_date="2021-06-01",
    )
    publish(key_task="major-power-cooperation", action_line=None, countries=[], participations=[])
    # Never counted on the public page.
    factories.make_initiative(key_task="global-south", countries=["BR"], start_date="2019-01-01")


def _key_task_rows() -> dict[str, str]:
    """Row label -> slug, as the page labels the key tasks."""
    return {f"{task.number}. {task.name}": task.slug for task in KeyTask.objects.order_by("number")}


def test_the_page_tables_agree_with_the_api(client, records):
    page = read_page(client.get(PAGE))
    labels = _key_task_rows()

    region = page.tables["key-task-by-region"]
    assert region[0] == ["Key task", "Africa", "Americas", "Asia", "Europe", "Oceania", "No country given"]
    by_region = {(row["key_task"], row["region"]): row["count"] for row in api_counts("key_task,region")}
    regions = ["africa", "americas", "asia", "europe", "oceania", None]
    assert len(region) == 5
    for row in region[1:]:
        slug = labels[row[0]]
        assert [int(cell) for cell in row[1:]] == [by_region.get((slug, value), 0) for value in regions]
    assert region[2] == ["2. The Global South", "2", "0", "1", "0", "0", "0"]

    south = page.tables["global-south-by-key-task"]
    by_south = {
        (row["key_task"], row["global_south"]): row["count"] for row in api_counts("key_task,global_south")
    }
    for row in south[1:]:
        slug = labels[row[0]]
        assert [int(row[1]), int(row[2])] == [by_south.get((slug, True), 0), by_south.get((slug, False), 0)]
    assert south[2][1:] == ["2", "0", "100 %"]
    assert south[3][1:] == ["0", "1", "0 %"]
    assert south[1][1:] == ["0", "0", "–"]

    kinds = page.tables["stakeholder-kinds-by-key-task"]
    by_kind = {
        (row["key_task"], row["stakeholder_kind"]): row["count"]
        for row in api_counts("key_task,stakeholder_kind")
    }
    columns = {label: index for index, label in enumerate(kinds[0])}
    for row in kinds[1:]:
        slug = labels[row[0]]
        assert int(row[columns["Academia"]]) == by_kind.get((slug, "academia"), 0)
        assert int(row[columns["UN body"]]) == by_kind.get((slug, "un-body"), 0)
        assert int(row[columns["No stakeholder given"]]) == by_kind.get((slug, None), 0)

    years = page.tables["initiatives-per-year"]
    assert years[1:] == [["2020", "1"], ["2021", "2"], ["No start date", "1"]]
    assert [[row["year"], row["count"]] for row in api_counts("year")] == [[2020, 1], [2021, 2], [None, 1]]


def test_every_csv_link_downloads_the_rows_the_api_gives(client, records):
    for query in ({}, {"key_task": "global-south", "country": ["KE", "CN"]}):
        page = read_page(client.get(PAGE, query))
        assert page.links.keys() == TABLES.keys()
        for name, by in TABLES.items():
            link = page.links[name]
            assert link.startswith(f"/statistics/{name}.csv")
            download = client.get(link)
            assert download.status_code == 200
            assert download["Content-Type"].startswith("text/csv")
            assert f'filename="{name}.csv"' in download["Content-Disposition"]
            api = APIClient().get(
                STATS_API, {"by": by, "format": "csv", **query, **TABLE_FILTERS.get(name, {})}
            )
            assert csv_rows(download.content) == csv_rows(api.content), (name, query)
            rows = csv_rows(download.content)
            assert rows[0] == [*by.split(","), "count"]
            assert sum(int(row[-1]) for row in rows[1:]) == sum(
                row["count"] for row in api_counts(by, **query, **TABLE_FILTERS.get(name, {}))
            )


def test_filters_in_the_address_narrow_every_table(client, records):
    page = read_page(client.get(PAGE, {"key_task": "global-south", "country": "CN"}))
    assert page.tables["initiatives-per-year"][1:] == [["2020", "1"]]
    region = page.tables["key-task-by-region"]
    assert region[0][-1] == "Oceania"  # nobody without a country: no column for it
    assert region[2] == ["2. The Global South", "1", "0", "1", "0", "0"]
    assert all(cell == "0" for row in region[1:] if row[0] != "2. The Global South" for cell in row[1:])
    content = client.get(PAGE, {"key_task": "global-south", "country": "CN"}).content.decode()
    assert "Key task: " in content and "Country: " in content
    assert 'href="/initiatives/?key_task=global-south&amp;country=CN"' in content


def test_the_page_renders_in_chinese(client, records):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": PAGE})
    response = client.get(PAGE)
    page = read_page(response)
    content = response.content.decode()
    for text in ("统计", "各重点任务和地区的倡议", "每年启动的倡议", "非洲", "未注明国家", "下载"):
        assert text in content, text
    task = KeyTask.objects.get(slug="global-south")
    assert page.tables["key-task-by-region"][2] == [f"2. {task.name_zh}", "2", "0", "1", "0", "0", "0"]
    assert page.tables["initiatives-per-year"][-1] == ["无开始日期", "1"]


def test_the_charts_are_inline_svg_that_speak_and_need_no_script(client, records):
    content = client.get(PAGE).content.decode()
    assert content.count('role="img"') == 5
    assert '<title id="chart-key-task-by-region-title">Initiatives by key task and region</title>' in content
    assert "<title>2. The Global South · Africa: 2</title>" in content
    assert 'style="' not in content and "<script>" not in content
    home = client.get("/").content.decode()
    assert home.count(f'href="{PAGE}"') == 2  # the main navigation and the footer


def test_bad_filters_are_said_on_the_page_and_refused_as_csv(client, records):
    response = client.get(PAGE, {"country": "ZZ"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Some filters could not be used" in content and "ZZ" in content
    assert read_page(response).tables == {}
    download = client.get("/statistics/key-task-by-region.csv", {"country": "ZZ"})
    assert download.status_code == 400
    assert "country" in download.content.decode()
    assert client.get("/statistics/unknown-table.csv").status_code == 404


def test_anonymous_readers_share_the_page_and_members_see_published_records_only(client, records):
    response = client.get(PAGE)
    assert "public" in response["Cache-Control"]
    owner = factories.contributor()
    factories.make_initiative(owner=owner, key_task="global-south", start_date="2018-01-01")
    client.force_login(owner)
    signed_in = client.get(PAGE)
    assert "private" in signed_in["Cache-Control"]
    assert ["2018", "1"] not in read_page(signed_in).tables["initiatives-per-year"]
    # Asking for drafts counts the reader's own, as the browse page lists them.
    drafts = read_page(client.get(PAGE, {"moderation_state": "draft"}))
    assert drafts.tables["initiatives-per-year"][1:] == [["2018", "1"]]


def test_the_browse_page_links_to_the_statistics_of_its_results(client, records):
    content = client.get("/initiatives/", {"key_task": "global-south", "page": "1"}).content.decode()
    assert 'href="/statistics/?key_task=global-south"' in content
