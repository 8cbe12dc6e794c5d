"""What is measured: the API's pages, the HTML pages and the floors, with their paths.

Each endpoint names the site that serves it (answers kept as deployed, or kept answers off),
the callers it is asked as (anonymous, a contributor's token or session, a superuser's
session) and the floor its target is set against.
"""

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

from bench.environment import DJANGO, NOT_KEPT, POSTGREST_URL, log
from bench.provisioning import sql

# The API's first list page as it answered, to see whether it carries a total count.
LIST_SHAPE: dict = {}
# A rare term, for query counts of search at several page sizes.
SELECTIVE_TERM: list = []
# Common words of the generated text in both languages, as the targets name them.
COMMON_ENGLISH = ["partners", "technical assistance"]
COMMON_CHINESE = ["合作", "数字"]

SITE_OF_BASE = {DJANGO: "kept", NOT_KEPT: "not_kept"}


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
    # The floor its target is set against: "list", "search", "hello", or "" for a floor itself.
    floor: str = "list"
    note: str = ""
    available: bool = True
    status: int | None = None
    queries: int | None = None
    alone: dict = field(default_factory=dict)
    rounds: list = field(default_factory=list)
    # What the first answer said of its count: {"count": n, "count_is_estimate": bool} when it has one.
    count: dict = field(default_factory=dict)

    @property
    def site(self) -> str | None:
        """The gunicorn serving it ("kept" or "not_kept"), None for PostgREST."""
        return SITE_OF_BASE.get(self.base)

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
    return {"selective": english + chinese, "common": COMMON_ENGLISH + COMMON_CHINESE}


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


def _callers(people: dict) -> dict:
    """Request headers for each kind of caller; a caller the run could not make is missing."""
    if people.get("error"):
        return {}
    cookie = people["cookie"]
    return {
        "token": {"Authorization": f"Token {people['token']}"},
        "contributor": {"Cookie": f"{cookie}={people['contributor_session']}"},
        "admin": {"Cookie": f"{cookie}={people['admin_session']}"},
    }


def endpoints(workdir: Path, people: dict) -> list[Endpoint]:
    slugs = [
        row[0]
        for row in sql(
            "SELECT slug FROM initiatives_initiative WHERE moderation_state = 'published' "
            "ORDER BY md5(slug) LIMIT 200"
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
    key_tasks = [row[0] for row in sql("SELECT slug FROM governance_keytask ORDER BY slug")]
    countries = sorted({str(country) for _k, country, _t in combos})[:4]
    browse_filtered = [f"/initiatives/?key_task={k}" for k in key_tasks] + [
        f"/initiatives/?country={c}" for c in countries
    ]
    terms = search_terms()
    SELECTIVE_TERM[:] = terms["selective"][:1]
    rotation = [t for pair in zip(terms["selective"], terms["common"], strict=False) for t in pair]
    callers = _callers(people)
    missing = f"no signed-in caller: {people.get('error', 'not made')}"

    def signed_in(name, label, paths, caller, **kwargs):
        if caller not in callers:
            return Endpoint(name, label, paths, available=False, note=missing, **kwargs)
        return Endpoint(name, label, paths, headers=callers[caller], **kwargs)

    items = [
        # The floors.
        Endpoint(
            "floor_list",
            "Floor: one SQL statement, page of 50 with its exact count",
            ["/bench/floor/list/"],
            floor="",
        ),
        Endpoint(
            "floor_search",
            "Floor: one SQL statement, search page of 50 with its exact count ("
            + ", ".join(terms["common"])
            + ")",
            ["/bench/floor/search/?" + urllib.parse.urlencode({"q": term}) for term in terms["common"]],
            floor="",
        ),
        Endpoint(
            "floor_search_page",
            "Floor: the same search page of 50 without its count, one SQL statement (for comparison)",
            [
                "/bench/floor/search/?" + urllib.parse.urlencode({"q": term, "count": "false"})
                for term in terms["common"]
            ],
            floor="",
        ),
        Endpoint(
            "floor_postgrest",
            "Floor: PostgREST 12, page of 50 (no count)",
            ["/initiatives?order=updated_at.desc,id.desc&limit=50"],
            base=POSTGREST_URL,
            floor="",
        ),
        Endpoint("floor_hello", "Floor: Django hello view", ["/bench/hello/"], floor=""),
        # Signed in: never kept.
        signed_in(
            "api_list_token", "API list, 50, signed in with a token", [api_list_path(page_size=50)], "token"
        ),
        # Built afresh: the site with kept answers off.
        Endpoint(
            "api_list_not_kept",
            "API list, 50, anonymous, not kept",
            [api_list_path(page_size=50)],
            base=NOT_KEPT,
        ),
        Endpoint(
            "api_cursor_first",
            "API cursor walk, first page of 50, not kept",
            [api_list_path(mode="cursor", page_size=50)],
            base=NOT_KEPT,
        ),
        Endpoint(
            "api_search_en_not_kept",
            "API search, 50, not kept (" + ", ".join(COMMON_ENGLISH) + ")",
            [api_list_path(q=term, page_size=50) for term in COMMON_ENGLISH],
            base=NOT_KEPT,
            floor="search",
        ),
        Endpoint(
            "api_search_zh_not_kept",
            "API search, 50, not kept (" + ", ".join(COMMON_CHINESE) + ")",
            [api_list_path(q=term, page_size=50) for term in COMMON_CHINESE],
            base=NOT_KEPT,
            floor="search",
        ),
        # HTML pages, as deployed.
        Endpoint("html_browse", "HTML browse /initiatives/, anonymous", ["/initiatives/"]),
        Endpoint(
            "html_browse_filtered",
            "HTML browse, anonymous, filtered (key task or country, rotating)",
            browse_filtered,
        ),
        signed_in(
            "html_browse_signed_in", "HTML browse /initiatives/, signed in", ["/initiatives/"], "contributor"
        ),
        signed_in(
            "html_browse_signed_in_filtered",
            "HTML browse, signed in, filtered (key task or country, rotating)",
            browse_filtered,
            "contributor",
        ),
        signed_in(
            "admin_initiatives",
            "Admin initiative list /admin/initiatives/initiative/",
            ["/admin/initiatives/initiative/"],
            "admin",
        ),
        signed_in(
            "admin_moderation",
            "Admin moderation queue /admin/initiatives/moderationqueueitem/",
            ["/admin/initiatives/moderationqueueitem/"],
            "admin",
        ),
        # Kept answers, anonymous, as deployed: against hello.
        Endpoint("api_list", "API list, 50, kept", [api_list_path(page_size=50)], floor="hello"),
        Endpoint(
            "api_detail",
            "API detail, kept (200 records, rotating)",
            [f"/api/v1/initiatives/{slug}/" for slug in slugs],
            floor="hello",
        ),
        Endpoint(
            "api_filtered",
            "API filtered list (key task + country + tag), 50, kept",
            [api_list_path(key_task=k, country=c, tag=t, page_size=50) for k, c, t in combos],
            floor="hello",
        ),
        Endpoint(
            "api_search",
            "API search, 50, kept (rotating: " + ", ".join(rotation) + ")",
            [api_list_path(q=term, page_size=50) for term in rotation],
            floor="hello",
        ),
    ]
    status, _headers, body = fetch(NOT_KEPT + api_list_path(mode="cursor", page_size=50))
    list_status, _headers, list_body = fetch(NOT_KEPT + api_list_path(page_size=50))
    shape = json.loads(list_body) if list_status == 200 else None
    LIST_SHAPE.update(shape if isinstance(shape, dict) else {"error": f"status {list_status}"}, results=None)
    cursor = deep_cursor(json.loads(body)) if status == 200 else None
    deep = Endpoint(
        "api_cursor_deep",
        "API cursor page 90% deep, 50, not kept",
        [api_list_path(cursor=cursor, page_size=50)] if cursor else [],
        base=NOT_KEPT,
        available=bool(cursor),
        note="" if cursor else "no cursor from the API",
    )
    items.insert(items.index(next(e for e in items if e.name == "api_cursor_first")) + 1, deep)
    for name, label, path in (
        ("api_list_304", "API list, conditional GET answered 304, kept", api_list_path(page_size=50)),
        (
            "api_detail_304",
            "API detail, conditional GET answered 304, kept",
            f"/api/v1/initiatives/{slugs[0]}/",
        ),
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
    for endpoint in items:
        if not endpoint.available:
            continue
        status, headers, body = fetch(endpoint.base + endpoint.paths[0], endpoint.headers)
        endpoint.status = status
        if status != endpoint.expect:
            endpoint.available = False
            endpoint.note = f"answered {status}, expected {endpoint.expect}"
            continue
        endpoint.count = count_of(headers, body)
        paths_file = workdir / f"{endpoint.name}.paths"
        paths_file.write_text("\n".join(endpoint.paths) + "\n")
    return items


def count_of(headers: dict, body: bytes) -> dict:
    """`count` and `count_is_estimate` of a JSON page, when it carries them."""
    if "json" not in headers.get("Content-Type", ""):
        return {}
    try:
        answer = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(answer, dict) or "count" not in answer:
        return {}
    return {key: answer[key] for key in ("count", "count_is_estimate") if key in answer}
