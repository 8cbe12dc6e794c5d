"""What is measured: the API's pages, the HTML browse page and the floors, with their paths."""

import base64
import datetime
import http.client
import json
import statistics
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.environment import DJANGO, POSTGREST_URL, log
from bench.provisioning import sql

# The API's first list page as it answered, to see whether it carries a total count.
LIST_SHAPE: dict = {}
# A rare term, for query counts of search at several page sizes.
SELECTIVE_TERM: list = []


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- local address
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        log(f"{url}: {error!r}")
        return 0, {}, b""


@dataclass
class Endpoint:
    name: str
    label: str
    paths: list[str]
    base: str = DJANGO
    headers: dict = field(default_factory=dict)
    expect: int = 200
    floor: str = "json_agg"
    note: str = ""
    available: bool = True
    status: int | None = None
    queries: int | None = None
    alone: dict = field(default_factory=dict)
    cold: dict = field(default_factory=dict)
    rounds: list = field(default_factory=list)

    @property
    def path_is_api(self) -> bool:
        return self.base == DJANGO and all(path.startswith("/api/") for path in self.paths)

    def median(self, key: str):
        values = [r[key] for r in self.rounds if r.get(key) is not None]
        return statistics.median(values) if values else None


def api_list_path(**params) -> str:
    return "/api/v1/initiatives/?" + urllib.parse.urlencode(params)


def search_terms() -> dict:
    """Common words of the generated text, and the rarest tags in use (a few hundredths of a per cent)."""
    rare = sql(
        """
        SELECT t.name, count(*) AS n FROM taggit_tag t JOIN taggit_taggeditem ti ON ti.tag_id = t.id
        GROUP BY t.name ORDER BY n, t.name
        """
    )
    english = [name for name, _n in rare if name.isascii()][:2]
    chinese = [name for name, _n in rare if not name.isascii()][:2]
    return {
        "selective": english + chinese,
        "common": ["partners", "technical assistance", "合作", "数字"],
    }


def deep_cursor(first_page: dict, depth: float = 0.9) -> str | None:
    """A cursor `depth` of the way through the published set, in the API's own format.

    The API's cursor is base64 of [walk start, updated_at, id] (initiatives/api/pagination.py);
    walking there page by page would take thousands of requests, so it is made from the
    row at that position. If the format changes, the deep page is reported as not measured.
    """
    link = first_page.get("next")
    if not link:
        return None
    cursor = urllib.parse.parse_qs(urllib.parse.urlparse(link).query).get("cursor", [None])[0]
    try:
        until, _updated_at, _pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    published = sql("SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published'")[0][0]
    row = sql(
        """
        SELECT updated_at, id FROM initiatives_initiative
        WHERE moderation_state = 'published' AND updated_at <= %s
        ORDER BY updated_at, id OFFSET %s LIMIT 1
        """,
        [datetime.datetime.fromisoformat(until), int(published * depth)],
    )
    if not row:
        return None
    updated_at, pk = row[0]
    payload = json.dumps([until, updated_at.isoformat(), pk])
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def endpoints(workdir: Path) -> list[Endpoint]:
    slugs = [
        row[0]
        for row in sql(
            "SELECT slug FROM initiatives_initiative WHERE moderation_state = 'published' "
            "ORDER BY md5(slug) LIMIT 1000"
        )
    ]
    combos = sql(
        """
        SELECT k.slug, c.country_id, t.slug
        FROM (SELECT id, key_task_id FROM initiatives_initiative WHERE moderation_state = 'published'
              ORDER BY md5(slug) LIMIT 20) i
        JOIN governance_keytask k ON k.id = i.key_task_id
        JOIN LATERAL (SELECT country_id FROM initiatives_initiative_countries
                      WHERE initiative_id = i.id LIMIT 1) c ON true
        JOIN LATERAL (SELECT tag_id FROM taggit_taggeditem WHERE object_id = i.id LIMIT 1) ti ON true
        JOIN taggit_tag t ON t.id = ti.tag_id
        """
    )
    terms = search_terms()
    SELECTIVE_TERM[:] = terms["selective"][:1]
    rotation = [t for pair in zip(terms["selective"], terms["common"], strict=False) for t in pair]
    items = [
        Endpoint("api_list", "API list, page of 50", [api_list_path(page_size=50)]),
        Endpoint(
            "api_detail",
            "API detail (1000 records, rotating)",
            [f"/api/v1/initiatives/{slug}/" for slug in slugs],
        ),
        Endpoint(
            "api_filtered",
            "API filtered list (key task + country + tag), 50",
            [api_list_path(key_task=k, country=c, tag=t, page_size=50) for k, c, t in combos],
        ),
        Endpoint(
            "api_search",
            "API search, 50 (rotating: " + ", ".join(rotation) + ")",
            [api_list_path(q=term, page_size=50) for term in rotation],
        ),
        Endpoint(
            "api_cursor_first",
            "API cursor walk, first page of 50",
            [api_list_path(mode="cursor", page_size=50)],
        ),
    ]
    status, _headers, body = fetch(DJANGO + api_list_path(mode="cursor", page_size=50))
    list_status, _headers, list_body = fetch(DJANGO + api_list_path(page_size=50))
    shape = json.loads(list_body) if list_status == 200 else None
    LIST_SHAPE.update(shape if isinstance(shape, dict) else {"error": f"status {list_status}"}, results=None)
    cursor = deep_cursor(json.loads(body)) if status == 200 else None
    if cursor:
        items.append(
            Endpoint(
                "api_cursor_deep",
                "API cursor page 90% deep, 50",
                [api_list_path(cursor=cursor, page_size=50)],
            )
        )
    else:
        items.append(
            Endpoint(
                "api_cursor_deep",
                "API cursor page 90% deep, 50",
                [],
                available=False,
                note="no cursor from the API",
            )
        )
    for name, label, path in (
        ("api_list_304", "API list, conditional GET answered 304", api_list_path(page_size=50)),
        ("api_detail_304", "API detail, conditional GET answered 304", f"/api/v1/initiatives/{slugs[0]}/"),
    ):
        status, headers, _body = fetch(DJANGO + path)
        etag = headers.get("ETag")
        items.append(
            Endpoint(
                name,
                label,
                [path],
                headers={"If-None-Match": etag} if etag else {},
                expect=304,
                floor="hello",
                available=bool(etag),
                note="" if etag else f"no ETag (status {status})",
            )
        )
    items += [
        Endpoint("html_browse", "HTML browse page /initiatives/", ["/initiatives/"]),
        Endpoint(
            "floor_json_agg",
            "Floor: Django view, page of 50 as JSON built by PostgreSQL",
            ["/bench/floor/list/"],
            floor="",
        ),
        Endpoint(
            "floor_postgrest",
            "Floor: PostgREST 12, page of 50",
            ["/initiatives?order=updated_at.desc,id.desc&limit=50"],
            base=POSTGREST_URL,
            floor="",
        ),
        Endpoint("floor_hello", "Floor: Django hello view", ["/bench/hello/"], floor=""),
    ]
    for endpoint in items:
        if not endpoint.available:
            continue
        status, headers, _body = fetch(endpoint.base + endpoint.paths[0], endpoint.headers)
        endpoint.status = status
        if status != endpoint.expect:
            endpoint.available = False
            endpoint.note = f"answered {status}, expected {endpoint.expect}"
            continue
        paths_file = workdir / f"{endpoint.name}.paths"
        paths_file.write_text("\n".join(endpoint.paths) + "\n")
    return items
