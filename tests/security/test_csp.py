"""A Content-Security-Policy on every HTML page, and pages that need nothing it refuses.

The policy allows scripts and styles only from the site itself; so each page is parsed and
must hold no inline script, no inline event handler and no javascript: URL, which the
browser would refuse to run (and which would be the way in for injected markup).
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.security import markup

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def parse_policy(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in header.split(";"):
        parts = directive.split()
        if parts:
            policy[parts[0]] = parts[1:]
    return policy


def assert_strict_policy(header: str) -> None:
    policy = parse_policy(header)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive, policy["default-src"])
        assert sources == ["'self'"], f"{directive} allows {sources}"
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    for directive, sources in policy.items():
        for source in sources:
            assert "unsafe" not in source, f"{directive} allows {source}"
            assert not source.startswith(("http:", "https:", "*")), f"{directive} allows {source}"


@pytest.fixture
def site(db):
    owner = factories.contributor()
    published = factories.make_initiative(owner=owner, state="published", title="Published cyber dialogue")
    draft = factories.make_initiative(owner=owner, title="A draft of a CERT network")
    return {"owner": owner, "published": published, "draft": draft}


def public_pages(site) -> list[str]:
    published = site["published"]
    return [
        "/",
        "/initiatives/",
        "/initiatives/?q=cyber&key_task=global-south",
        f"/initiatives/{published.slug}/",
        f"/initiatives/{published.slug}/history/",
        "/key-tasks/global-south/",
        "/countries/",
        "/countries/KE/",
        "/stakeholders/",
        "/stakeholders/undp/",
        "/tags/",
        "/statistics/",
        "/statistics/?key_task=global-south&country=KE",
        "/digests/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/api/docs/",
        "/admin/login/",
    ]


def owner_pages(site) -> list[str]:
    draft = site["draft"]
    return [
        "/workspace/",
        "/workspace/new/",
        "/following/",
        f"/initiatives/{draft.slug}/",
        f"/initiatives/{draft.slug}/edit/",
        "/accounts/profile/",
        "/accounts/password/",
        "/digests/settings/",
    ]


def admin_pages(site) -> list[str]:
    """Every registered model's list, add (where adding is allowed) and change pages, and the index."""
    pages = ["/admin/"]
    request = _request_for(site["admin"])
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        instance = model_admin.get_queryset(request).first()
        if instance is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
    return pages


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def check_page(client, url: str) -> markup.Findings | None:
    """Fetch a page; None when it is not HTML (a redirect, say), else what it holds."""
    response = client.get(url)
    assert response.status_code in (200, 302, 403), f"{url}: {response.status_code}"
    assert CSP in response.headers, f"{url} has no {CSP}"
    assert_strict_policy(response.headers[CSP])
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    found = markup.find(response.content.decode())
    assert found.inline_scripts == [], f"{url} has inline scripts: {found.inline_scripts}"
    assert found.handlers == [], f"{url} has inline event handlers: {found.handlers}"
    assert found.dangerous_urls == [], f"{url} has script URLs: {found.dangerous_urls}"
    for src in found.external_scripts:
        assert src.startswith("/"), f"{url} loads a script from elsewhere: {src}"
    return found


def test_every_public_page_has_a_strict_policy_and_no_inline_script(client, site, report_figure):
    pages = public_pages(site)
    checked = [url for url in pages if check_page(client, url) is not None]
    assert len(checked) == len(pages)
    report_figure(f"CSP: {len(checked)} public pages, each with the policy and no inline script")


def test_signed_in_pages_have_a_strict_policy_and_no_inline_script(client, site, report_figure):
    client.force_login(site["owner"])
    pages = owner_pages(site)
    checked = [url for url in pages if check_page(client, url) is not None]
    assert len(checked) == len(pages)
    report_figure(f"CSP: {len(checked)} contributor pages, each with the policy and no inline script")


def test_site_pages_need_no_inline_styles(client, site):
    """style="" and <style> are refused by the policy, so the site's own pages use none."""
    client.force_login(site["owner"])
    for url in public_pages(site)[:-2] + owner_pages(site):
        found = markup.find(client.get(url).content.decode())
        assert (found.style_attributes, found.style_blocks) == (0, 0), url


def test_every_admin_page_has_a_strict_policy_and_no_inline_script(client, site, report_figure):
    site["admin"] = factories.admin()
    client.force_login(site["admin"])
    pages = admin_pages(site)
    checked = [url for url in pages if check_page(client, url) is not None]
    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    # Every model's list page was read as HTML; read-only models have no add page.
    assert set(lists) <= set(checked)
    assert len(checked) > len(lists)
    report_figure(f"CSP: {len(checked)} admin pages (list, add, change of every model), no inline script")


def test_json_and_redirects_carry_the_policy_too(client, site):
    for url in ("/api/v1/initiatives/", "/api/schema/", "/workspace/"):
        assert CSP in client.get(url).headers, url


@pytest.mark.integration
def test_pages_work_in_chromium_under_the_policy(chromium, site, report_figure):
    """Chromium reports every refusal of the CSP; the site's pages cause none."""
    from tests.security.conftest import DjangoBrowser

    site["admin"] = factories.admin()
    visits = {}
    for user, pages in (
        (None, public_pages(site)),
        (site["owner"], owner_pages(site)),
        (site["admin"], None),
    ):
        client = Client()
        if user is not None:
            client.force_login(user)
        browser = DjangoBrowser(chromium, client)
        try:
            for url in pages if pages is not None else admin_pages(site):
                visits[url] = browser.visit(url)
        finally:
            browser.close()
    assert {url: result["status"] for url, result in visits.items() if result["status"] != 200} == {}
    refused = {url: result["csp"] for url, result in visits.items() if result["csp"]}
    assert refused == {}
    assert all(result["alerts"] == [] for result in visits.values())
    report_figure(f"CSP in Chromium: {len(visits)} pages (public, contributor, admin, API docs), 0 refusals")
