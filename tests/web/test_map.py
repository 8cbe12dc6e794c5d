"""The world map: countries shaded by the published records under the browse filters, lines
for bilateral dialogues, tables with the same figures, drawn from Natural Earth's shapes."""

import json
import re

import pytest
from django.urls import reverse

from initiatives import worldmap
from tests import factories

pytestmark = pytest.mark.django_db

MAP = reverse("initiatives:map")


def _country_title(html: str, name: str) -> str:
    """The tooltip the map gives a country: its name and count."""
    found = re.search(rf"<title>{re.escape(name)}: ([^<]*)</title>", html)
    return found.group(1) if found else ""


def _shade(html: str, code: str) -> int:
    found = re.search(
        rf'href="/countries/{code}/"[^>]*><path class="world-map__country world-map__country--(\d)"', html
    )
    assert found, f"{code} is not drawn"
    return int(found.group(1))


@pytest.fixture
def catalogue():
    owner = factories.contributor()
    published = [
        factories.make_initiative(owner=owner, state="published", countries=["KE", "CN"]),
        factories.make_initiative(owner=owner, state="published", countries=["KE"]),
        factories.make_initiative(owner=owner, state="published", countries=["KE", "BR"], kind="dialogue"),
        factories.make_initiative(owner=owner, state="published", countries=["BR", "KE"], kind="dialogue"),
        factories.make_initiative(
            owner=owner, state="published", countries=["CN", "BR", "KE"], kind="dialogue"
        ),
    ]
    draft = factories.make_initiative(owner=owner, countries=["FR"], kind="dialogue")
    return owner, published, draft


def test_countries_are_shaded_and_titled_by_their_published_records(client, catalogue):
    html = client.get(MAP).content.decode()
    assert _country_title(html, "Kenya") == "5 initiatives"
    assert _country_title(html, "China") == "2 initiatives"
    assert _country_title(html, "Brazil") == "3 initiatives"
    # The most involved country has the darkest shade, one with no record none.
    assert _shade(html, "KE") == 5
    assert 0 < _shade(html, "CN") < _shade(html, "BR") < 5
    assert _shade(html, "FR") == 0
    assert _country_title(html, "France") == "0 initiatives"


def test_a_draft_counts_for_nobody_not_even_its_owner(client, catalogue):
    owner, _published, _draft = catalogue
    client.force_login(owner)
    html = client.get(MAP).content.decode()
    assert _shade(html, "FR") == 0
    assert "France</a></th>" not in html


def test_filters_of_the_browse_page_apply(client, catalogue):
    html = client.get(MAP, {"kind": "dialogue"}).content.decode()
    assert _country_title(html, "Kenya") == "3 initiatives"
    assert _country_title(html, "China") == "1 initiative"
    assert 'href="/initiatives/?kind=dialogue"' in html


def test_bilateral_dialogues_are_lines_and_a_table(client, catalogue):
    html = client.get(MAP).content.decode()
    line = r'<path class="world-map__pair world-map__pair--(\d)" d="M[^"]+"><title>([^<]+)</title>'
    lines = re.findall(line, html)
    # Two dialogues between Brazil and Kenya (in either order); the three-country one is not bilateral.
    assert lines == [("2", "Brazil – Kenya: 2 bilateral dialogues")]
    table = html.split("<caption>Bilateral dialogues</caption>")[1].split("</table>")[0]
    assert "Brazil</a> – <a" in table and '<td class="numeric">2</td>' in table


def test_the_table_lists_every_country_with_records_most_first(client, catalogue):
    html = client.get(MAP).content.decode()
    table = html.split("<caption>Published initiatives by country</caption>")[1].split("</table>")[0]
    rows = re.findall(r'<a href="/countries/(\w\w)/">[^<]+</a></th><td class="numeric">(\d+)</td>', table)
    assert rows == [("KE", "5"), ("BR", "3"), ("CN", "2")]


def test_every_country_links_to_its_page_and_nothing_is_fetched_from_elsewhere(client, catalogue):
    answer = client.get(MAP)
    html = answer.content.decode()
    assert html.count('<a href="/countries/') >= 170
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_in_chinese_the_countries_are_named_in_chinese(client, catalogue):
    html = client.get(MAP, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<title>肯尼亚: 5" in html


def test_a_bad_filter_is_a_400_with_its_reason(client, catalogue):
    answer = client.get(MAP, {"kind": "picnic"})
    assert answer.status_code == 400
    assert "picnic" in answer.content.decode()
    assert "world-map__country" not in answer.content.decode()


def test_a_record_published_later_is_on_the_next_map(client, catalogue):
    owner, _published, _draft = catalogue
    assert _country_title(client.get(MAP).content.decode(), "France") == "0 initiatives"
    factories.make_initiative(owner=owner, state="published", countries=["FR"])
    assert _country_title(client.get(MAP).content.decode(), "France") == "1 initiative"


def test_without_the_shapes_the_page_keeps_its_tables(client, catalogue, settings, tmp_path):
    settings.WORLD_SHAPES_PATH = str(tmp_path / "missing.json")
    worldmap.shapes.cache_clear()
    try:
        html = client.get(MAP).content.decode()
    finally:
        worldmap.shapes.cache_clear()
    assert "world-map__country" not in html
    assert "make shapes" in html
    assert '<a href="/countries/KE/">Kenya</a></th><td class="numeric">5</td>' in html


def test_topojson_arcs_are_decoded_and_walked_both_ways(settings, tmp_path):
    """A square made of two arcs, the second walked backwards, comes back as one ring."""
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0, ~1]], "id": "404"}],
            }
        },
        # (0,0) → (10,0) → (10,10), and (0,0) → (0,10) → (10,10) delta-encoded.
        "arcs": [[[0, 0], [10, 0], [0, 10]], [[0, 0], [0, 10], [10, 0]]],
    }
    path = tmp_path / "countries.json"
    path.write_text(json.dumps(topology))
    settings.WORLD_SHAPES_PATH = str(path)
    worldmap.shapes.cache_clear()
    try:
        shape = worldmap.shapes()["404"]
    finally:
        worldmap.shapes.cache_clear()
    corners = [worldmap.project(x, y) for x, y in [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]]
    expected = "M" + "L".join(f"{x:.0f},{y:.0f}" for x, y in corners) + "Z"
    assert shape.path == expected
    x, y = shape.centre
    assert corners[0][0] < x < corners[1][0] and corners[2][1] < y < corners[0][1]


def test_the_projection_keeps_the_world_in_its_frame():
    assert worldmap.project(0, 0) == pytest.approx((worldmap.WIDTH / 2, worldmap.HEIGHT / 2))
    assert worldmap.project(-180, 0)[0] == pytest.approx(0, abs=0.01)
    assert worldmap.project(180, 0)[0] == pytest.approx(worldmap.WIDTH, abs=0.01)
    assert worldmap.project(0, 90)[1] == pytest.approx(0, abs=0.01)
    assert worldmap.project(0, -90)[1] == pytest.approx(worldmap.HEIGHT, abs=0.01)
