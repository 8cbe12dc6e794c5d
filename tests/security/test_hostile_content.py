"""Hostile content: every XSS payload in tests/security/payloads.py goes through every field a
user writes (title, summary, body, tags, link title and URL, update title and text, comment)
by the services, and is looked for in every place that shows it: the public pages, the admin,
the API (JSON and its browsable HTML), the Atom feed and the digest e-mail. No executable
markup may come out: no <script>, no on* attribute, no javascript:/data: URL, no embed.
The same pages are then opened in headless Chromium with alert() hooked (integration test).
"""

import html
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from initiatives import services
from tests import factories
from tests.security import markup
from tests.security.payloads import XSS_PAYLOADS

FIELDS = (
    "title",
    "summary",
    "body",
    "tags",
    "link_title",
    "link_url",
    "update_title",
    "update_text",
    "comment",
)


def _web_address_with(payload: str) -> str:
    """A valid http address that still carries the payload's quotes and brackets."""
    return "https://example.org/source?q=" + quote(payload, safe="\"'<>()=:;/&#")


@dataclass
class Planted:
    payload: str
    initiative: object
    refused: dict = field(default_factory=dict)  # field -> the service's message


def _plant(payload: str, *, owner, moderator, reader) -> Planted:
    """Write the payload into every field; a field the services refuse gets a plain value."""
    values = {
        "title": payload,
        "summary": payload,
        "body": payload,
        "tags": [payload[:100]],
        "links": [{"url": payload, "title": payload}],
    }
    refused = {}
    for _attempt in range(len(values) + 1):
        try:
            with transaction.atomic():
                initiative = services.initiative_create(actor=owner, data=factories.initiative_data(**values))
            break
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                refused["link_url" if name == "links" else name] = " ".join(messages)
                values[name] = {
                    "links": [{"url": _web_address_with(payload), "title": payload}],
                    "tags": ["plain"],
                }.get(name, f"plain {name}")
    else:
        pytest.fail(f"the services refused every variant of {payload!r}: {refused}")
    initiative = services.initiative_submit(actor=owner, initiative=initiative)
    initiative = services.initiative_approve(actor=moderator, initiative=initiative)
    note = services.update_create(
        actor=owner, initiative=initiative, data={"title": payload, "text": payload}
    )
    services.update_approve(actor=moderator, update=note)  # the owner's note waits for a moderator
    services.comment_create(actor=reader, initiative=initiative, body=payload)
    initiative.refresh_from_db()
    return Planted(payload=payload, initiative=initiative, refused=refused)


@pytest.fixture(scope="module")
def planted(django_db_setup, django_db_blocker):
    """Every payload planted once for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        owner, moderator, reader = factories.contributor(), factories.moderator(), factories.contributor()
        administrator = factories.admin()
        records = [_plant(p, owner=owner, moderator=moderator, reader=reader) for p in XSS_PAYLOADS]
        yield SimpleNamespace(records=records, owner=owner, administrator=administrator)
        transaction.set_rollback(True)


def _executable(document: str) -> list[str]:
    return markup.find(document).executable


class _Text(markup.HTMLParser):
    """The text a reader sees, plus attribute values (where form fields show their text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.extend(value for _name, value in attrs if value)


def _visible(document: str) -> str:
    parser = _Text()
    parser.feed(document)
    return "\n".join(parser.parts)


def _shown_as_text(payload: str, document: str) -> bool:
    """The payload is on the page as readable text (so the test is not passing on an empty page)."""
    return payload.strip() in _visible(document)


def _survivors(pages: dict[str, str]) -> dict[str, list[str]]:
    return {where: found for where, document in pages.items() if (found := _executable(document))}


pytestmark = pytest.mark.django_db


def test_the_payloads_reach_every_field(planted, report_figure):
    stored = sum(len(FIELDS) - len(r.refused) for r in planted.records)
    refused = {}
    for record in planted.records:
        for name in record.refused:
            refused[name] = refused.get(name, 0) + 1
    # Only a link's address has a format to meet; everything else is stored as written.
    assert set(refused) <= {"link_url"}, refused
    report_figure(
        f"hostile content: {len(XSS_PAYLOADS)} payloads x {len(FIELDS)} fields = "
        f"{len(XSS_PAYLOADS) * len(FIELDS)} writes; {stored} stored, "
        f"{sum(refused.values())} refused by the services ({refused or 'none'}; each such link was "
        "then stored as an https address carrying the payload in its query)"
    )


def test_public_detail_pages(planted, report_figure):
    client = Client()
    pages, shown = {}, 0
    for record in planted.records:
        response = client.get(f"/initiatives/{record.initiative.slug}/")
        assert response.status_code == 200
        pages[record.payload] = document = response.content.decode()
        shown += _shown_as_text(record.payload, document)
    assert _survivors(pages) == {}
    assert shown >= len(planted.records) - 5, "the payloads are not on the pages at all"
    report_figure(f"hostile content, public detail pages: {len(pages)} pages, 0 with executable markup")


def test_public_lists_history_tags_and_home(planted, report_figure):
    client = Client()
    urls = ["/", "/initiatives/", "/initiatives/?page=2", "/initiatives/?page=3", "/tags/"]
    urls += [f"/initiatives/{r.initiative.slug}/history/" for r in planted.records[:10]]
    urls += [f"/tags/{tag.slug}/" for r in planted.records for tag in r.initiative.tags.all()][:40]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    assert _survivors(pages) == {}
    report_figure(
        f"hostile content, lists/home/history/tag pages: {len(pages)} pages, 0 with executable markup"
    )


def test_admin_pages(planted, report_figure):
    client = Client()
    client.force_login(planted.administrator)
    pages, shown = {}, 0
    for record in planted.records:
        response = client.get(f"/admin/initiatives/initiative/{record.initiative.pk}/change/")
        assert response.status_code == 200
        pages[record.payload] = document = response.content.decode()
        shown += _shown_as_text(record.payload, document)
    for url in (
        "/admin/initiatives/initiative/",
        "/admin/initiatives/comment/",
        "/admin/initiatives/update/",
    ):
        pages[url] = client.get(url).content.decode()
    assert _survivors(pages) == {}
    assert shown >= len(planted.records) - 5
    report_figure(
        f"hostile content, admin change and list pages: {len(pages)} pages, 0 with executable markup"
    )


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


def _html_fields(data, path="") -> dict[str, str]:
    """Every string in a JSON document whose key says it is HTML (body_html and the like)."""
    found = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key.endswith("html"):
                found[f"{path}.{key}"] = value
            else:
                found.update(_html_fields(value, f"{path}.{key}"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.update(_html_fields(value, f"{path}[{index}]"))
    return found


def test_api_json_and_its_html(planted, report_figure):
    client = Client()
    html_fields, browsable = {}, {}
    for record in planted.records:
        cache.clear()  # the anonymous rate limit would otherwise stop this walk part-way
        for url in (
            f"/api/v1/initiatives/{record.initiative.slug}/",
            f"/api/v1/initiatives/{record.initiative.slug}/updates/",
        ):
            response = client.get(url)
            assert response.status_code == 200
            # JSON is never sniffed into HTML by a browser.
            assert response["Content-Type"].startswith("application/json")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert record.payload.strip() in _strings(response.json())
            html_fields.update({f"{url}{k}": v for k, v in _html_fields(response.json()).items()})
        response = client.get(f"/api/v1/initiatives/{record.initiative.slug}/", HTTP_ACCEPT="text/html")
        assert response["Content-Type"].startswith("text/html")
        browsable[record.payload] = response.content.decode()
    assert _survivors(html_fields) == {}
    assert _survivors(browsable) == {}
    report_figure(
        f"hostile content, API: {len(planted.records) * 2} JSON documents (application/json, nosniff), "
        f"{len(html_fields)} HTML fields in them, {len(browsable)} browsable-API pages; "
        "0 with executable markup"
    )


def test_atom_feed(planted, report_figure):
    response = Client().get("/initiatives/feed/")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 -- the site's own output, in a test
    atom = "{http://www.w3.org/2005/Atom}"
    fragments = {}
    for number, entry in enumerate(root.iter(f"{atom}entry")):
        for element in entry:
            # type="html" means a feed reader renders the text as HTML.
            if element.get("type") == "html" and element.text:
                fragments[f"entry {number} {element.tag}"] = element.text
            elif element.tag == f"{atom}title":
                fragments[f"entry {number} title"] = html.escape(element.text or "")
    assert fragments
    assert _survivors(fragments) == {}
    report_figure(
        f"hostile content, Atom feed: {len(fragments)} fields as a reader renders them, 0 executable"
    )


def test_digest_email(planted, report_figure):
    from digests.emails import digest_message
    from digests.selectors import DigestItem, DigestSection
    from digests.services import saved_search_create

    initiatives = [r.initiative for r in planted.records]
    sections = {}
    for initiative in initiatives:
        section = sections.setdefault(
            initiative.key_task_id, DigestSection(key_task=initiative.key_task, items=[])
        )
        section.items.append(
            DigestItem(initiative=initiative, is_new=True, updates=list(initiative.updates.all()))
        )
    recipient = planted.owner
    # A saved search's name is written by its owner and shown in the e-mail too.
    subscription = saved_search_create(user=recipient, query="q=alert", name=XSS_PAYLOADS[0])
    now = timezone.now()
    # The delivery row's own fields do not reach the body; a stand-in spares the ledger.
    delivery = SimpleNamespace(
        pk=1,
        kind="digest",
        period_key="weekly:2026-W48",
        recipient=recipient,
        email=recipient.email,
        subscription=subscription,
        window_start=now - timezone.timedelta(days=7),
        window_end=now,
    )
    message = digest_message(delivery=delivery, sections=list(sections.values()))
    ((body, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert sum(_shown_as_text(r.payload, body) for r in planted.records) >= len(planted.records) - 5
    assert _executable(body) == []
    report_figure(f"hostile content, digest e-mail: {len(initiatives)} items in one HTML body, 0 executable")


@pytest.mark.integration
def test_nothing_runs_in_chromium(planted, chromium, report_figure):
    """The same pages in a real browser, alert() hooked and every inline-handler event fired."""
    from digests.emails import digest_message
    from digests.selectors import DigestItem, DigestSection
    from tests.security.conftest import DjangoBrowser

    results = {}
    admin_client = Client()
    admin_client.force_login(planted.administrator)
    for client, urls in (
        (
            Client(),
            ["/", "/initiatives/", "/initiatives/?page=2", "/tags/"]
            + [f"/initiatives/{r.initiative.slug}/" for r in planted.records],
        ),
        (admin_client, [f"/admin/initiatives/initiative/{r.initiative.pk}/change/" for r in planted.records]),
    ):
        browser = DjangoBrowser(chromium, client)
        try:
            for url in urls:
                cache.clear()
                results[url] = browser.visit(url)
        finally:
            browser.close()
    api_browser = DjangoBrowser(chromium, Client())
    try:
        # DRF's browsable pages carry inline styles of their own, which the CSP refuses; what
        # a page refuses beyond that baseline would have come from the content.
        plain = factories.make_initiative(state="published", title="A plain initiative")
        baseline = set(api_browser.visit(f"/api/v1/initiatives/{plain.slug}/?format=api")["csp"])
        for record in planted.records[:20]:
            cache.clear()
            url = f"/api/v1/initiatives/{record.initiative.slug}/?format=api"
            results[url] = api_browser.visit(url)
            results[url]["csp"] = [refusal for refusal in results[url]["csp"] if refusal not in baseline]
        # E-mail and feed readers apply no CSP, so their markup is shown with none.
        sections = {}
        for record in planted.records:
            initiative = record.initiative
            section = sections.setdefault(initiative.key_task_id, DigestSection(initiative.key_task, []))
            section.items.append(DigestItem(initiative, True, list(initiative.updates.all())))
        now = timezone.now()
        delivery = SimpleNamespace(
            pk=1,
            kind="digest",
            period_key="weekly:2026-W48",
            recipient=planted.owner,
            email=planted.owner.email,
            subscription=SimpleNamespace(pk=1, user_id=planted.owner.pk, kind="topics", name=""),
            window_start=now - timezone.timedelta(days=7),
            window_end=now,
        )
        ((body, _mimetype),) = digest_message(
            delivery=delivery, sections=list(sections.values())
        ).alternatives
        results["digest e-mail"] = api_browser.show(body)
        results["digest e-mail"]["status"] = 200
    finally:
        api_browser.close()

    assert {url: r["status"] for url, r in results.items() if r["status"] != 200} == {}
    ran = {url: r for url, r in results.items() if r["alerts"] or r["scriptLinks"] or r["frames"] or r["csp"]}
    assert ran == {}
    report_figure(
        f"hostile content in Chromium: {len(results)} pages and documents, "
        f"{sum(len(r['alerts']) for r in results.values())} alerts, "
        f"{sum(len(r['csp']) for r in results.values())} CSP refusals, "
        f"{sum(len(r['scriptLinks']) for r in results.values())} javascript:/data: links"
    )
