"""Authorisation beyond roles, route by route.

`test_every_route_is_covered` walks every URL pattern of the project and fails when one is
missing from ROUTES, the table below that names the checks covering it; a route added
without saying how it is protected fails the suite. The checks are the other tests here:
object level (another's draft, by slug or id, is 404 on the web and in the API), field level
(read-only fields stay read-only), function level (each action refused for the wrong role)
and the admin's access table.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from digests.services import saved_search_create
from governance import services as governance_services
from initiatives import services
from initiatives.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db

SIGN_IN = "sign-in required"
PUBLIC = "public read"
WEB_OBJECT = "object: another's draft is 404 on the web"
API_OBJECT = "object: another's draft is 404 in the API"
API_FIELDS = "field: read-only fields stay read-only"
READ_ONLY_TOKEN = "function: a read-only token writes nothing"
API_ANONYMOUS = "function: anonymous API writes refused"
API_ACTIONS = "function: API actions refused for the wrong role"
WEB_ACTIONS = "function: web actions refused for the wrong role"
FRAME_READ_ONLY = "function: the frame is read-only in the API"
SEARCH_OBJECT = "object: another's saved search is 404"
BAD_TOKEN = "input: forged or stale tokens are refused"
ADMIN = "admin: access table"
ADMIN_ACTIONS = "admin: moderation actions refused for the wrong role"
SESSIONS = "tests/security/test_sessions.py and test_brute_force.py"
INVITATIONS = (
    "tests/web/test_invitations.py and tests/api/test_invitations.py: only the invitee answers "
    "(anyone else's is 404), only the owner or staff removes, read-only tokens write nothing; "
    "tests/web/test_invitation_withdraw.py: only the sender or whoever removes collaborators "
    "withdraws, through the invitation's own record"
)
DISCUSSION = (
    "tests/web/test_discussion.py and tests/api/test_comments.py: a comment on a record one may "
    "not see is 404, only its author edits or deletes it, nobody reports their own"
)
STATS = (
    "tests/api/test_stats.py and tests/web/test_statistics.py: drafts count only for those who may "
    "see them, as the list and the browse page show them"
)
WEBHOOKS = "tests/webhooks/test_api.py: administrators only, read-only tokens write nothing"
EXPORTS = (
    "tests/web/test_exports.py and tests/api/test_export.py: a file holds what the list shows the "
    "caller, a draft only for those who may read it"
)
IMPORTS = (
    "tests/web/test_import_page.py and tests/api/test_imports.py: curators only (a contributor's "
    "upload is 403), a job is its owner's alone (anyone else's is 404)"
)
OPENDATA = "tests/initiatives/test_opendata.py: published records only, and only the dump's own files"
SOURCES = (
    "tests/web/test_sources.py: only curators and administrators mark a source checked (a "
    "contributor's POST is 403 and changes nothing), on a record they may see"
)
NOTIFICATIONS = (
    "tests/web/test_notifications.py and tests/api/test_notifications.py: one's own only "
    "(anyone else's is 404), POST with CSRF, read-only tokens write nothing"
)

ROUTES = {
    "set_language": [PUBLIC],
    # accounts
    "login": [PUBLIC, SESSIONS],
    "logout": [SESSIONS],
    "password_change": [SIGN_IN, SESSIONS],
    "password_change_done": [SIGN_IN],
    "password_reset": [PUBLIC],
    "password_reset_done": [PUBLIC],
    "password_reset_confirm": [BAD_TOKEN],
    "password_reset_complete": [PUBLIC],
    "signup": [PUBLIC],
    "signup_done": [PUBLIC],
    "signup_confirm": [BAD_TOKEN],
    "profile": [SIGN_IN],
    # the public site and the workspace
    "initiatives:home": [PUBLIC],
    "initiatives:list": [PUBLIC, WEB_OBJECT],
    "initiatives:calendar": [PUBLIC, WEB_OBJECT],
    "initiatives:calendar_feed": [PUBLIC, WEB_OBJECT],
    "initiatives:export": [PUBLIC, WEB_OBJECT, EXPORTS],
    "initiatives:opendata": [PUBLIC, OPENDATA],
    "initiatives:import": [SIGN_IN, WEB_ACTIONS, IMPORTS],
    "initiatives:import_job": [SIGN_IN, IMPORTS],
    "initiatives:import_confirm": [SIGN_IN, IMPORTS],
    "initiatives:opendata_file": [PUBLIC, OPENDATA],
    "initiatives:detail": [WEB_OBJECT],
    "initiatives:edit": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:edit_presence": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:submit": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:history": [WEB_OBJECT],
    "initiatives:update_create": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:results": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:invite": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:collaborator_remove": [SIGN_IN, INVITATIONS],
    "initiatives:invitation_answer": [SIGN_IN, INVITATIONS],
    "initiatives:invitation_withdraw": [WEB_OBJECT, SIGN_IN, INVITATIONS],
    "initiatives:source_check": [SIGN_IN, SOURCES],
    "initiatives:comment_create": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:follow": [WEB_OBJECT, WEB_ACTIONS],
    "initiatives:topic_follow": [SIGN_IN],
    "initiatives:comment_hide": [WEB_ACTIONS],
    "initiatives:comment_edit": [DISCUSSION],
    "initiatives:comment_delete": [DISCUSSION],
    "initiatives:comment_report": [DISCUSSION],
    "initiatives:key_task": [PUBLIC],
    "initiatives:countries": [PUBLIC],
    "initiatives:map": [PUBLIC],
    "initiatives:country": [PUBLIC],
    "initiatives:stakeholders": [PUBLIC],
    "initiatives:stakeholder": [PUBLIC],
    "initiatives:tags": [PUBLIC],
    "initiatives:tag": [PUBLIC],
    "initiatives:tag_labels": [SIGN_IN, WEB_ACTIONS],
    "initiatives:tag_merge": [SIGN_IN, WEB_ACTIONS],
    "initiatives:workspace": [SIGN_IN, WEB_OBJECT],
    "initiatives:create": [SIGN_IN],
    "initiatives:following": [SIGN_IN],
    "initiatives:preview": [SIGN_IN],
    "initiatives:invitation": [SIGN_IN, BAD_TOKEN],
    "initiatives:autocomplete": [PUBLIC, WEB_OBJECT],
    "initiatives:statistics": [PUBLIC, STATS],
    "initiatives:statistics_csv": [PUBLIC, STATS],
    # digests
    "digests:archive": [PUBLIC],
    "digests:settings": [SIGN_IN],
    "digests:search_save": [SIGN_IN],
    "digests:search_change": [SIGN_IN, SEARCH_OBJECT],
    "digests:unsubscribe": [BAD_TOKEN],
    "digests:feed": [PUBLIC, WEB_OBJECT],
    "digests:api-subscription": [API_ANONYMOUS, READ_ONLY_TOKEN],
    # notifications
    "notifications:list": [SIGN_IN, NOTIFICATIONS],
    "notifications:settings": [SIGN_IN, NOTIFICATIONS],
    "notifications:read": [SIGN_IN, NOTIFICATIONS],
    "notifications:read_all": [SIGN_IN, NOTIFICATIONS],
    "api:notification-list": [NOTIFICATIONS],
    "api:notification-read": [NOTIFICATIONS],
    "api:notification-read-all": [NOTIFICATIONS],
    "api:notification-settings": [NOTIFICATIONS],
    # the API
    "api:root": [PUBLIC],
    "api:import-list": [API_ANONYMOUS, API_ACTIONS, READ_ONLY_TOKEN, IMPORTS],
    "api:import-detail": [IMPORTS],
    "api:initiative-list": [API_OBJECT, API_ANONYMOUS, READ_ONLY_TOKEN],
    "api:initiative-detail": [API_OBJECT, API_FIELDS, API_ANONYMOUS, READ_ONLY_TOKEN],
    "api:initiative-approve": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-archive": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-reject": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-submit": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-history": [API_OBJECT],
    "api:initiative-comments": [DISCUSSION],
    "api:initiative-comment": [DISCUSSION],
    "api:initiative-comment-report": [DISCUSSION],
    "api:initiative-invitations": [INVITATIONS],
    "api:initiative-collaborator-remove": [INVITATIONS],
    "api:invitation-list": [INVITATIONS],
    "api:invitation-accept": [INVITATIONS],
    "api:invitation-decline": [INVITATIONS],
    "api:initiative-updates": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-revisions": [API_OBJECT, API_ACTIONS],
    "api:initiative-revision-approve": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-revision-reject": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-merge": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-restore": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-update-approve": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:initiative-update-reject": [API_OBJECT, API_ACTIONS, READ_ONLY_TOKEN],
    "api:key-task-list": [PUBLIC, FRAME_READ_ONLY],
    "api:key-task-detail": [PUBLIC, FRAME_READ_ONLY],
    "api:advocacy-list": [PUBLIC, FRAME_READ_ONLY],
    "api:advocacy-detail": [PUBLIC, FRAME_READ_ONLY],
    "api:country-list": [PUBLIC, FRAME_READ_ONLY],
    "api:country-detail": [PUBLIC, FRAME_READ_ONLY],
    "api:stakeholder-list": [PUBLIC, API_ACTIONS, READ_ONLY_TOKEN],
    "api:stakeholder-detail": [PUBLIC, API_ACTIONS, READ_ONLY_TOKEN],
    "api:tag-list": [PUBLIC, FRAME_READ_ONLY],
    "api:tag-detail": [PUBLIC, FRAME_READ_ONLY, API_ACTIONS],
    "api:tag-merge": [API_ACTIONS],
    "api:initiative-stats-list": [PUBLIC, STATS],
    "api:token": [SESSIONS],
    "api:me": [API_ANONYMOUS, API_FIELDS, READ_ONLY_TOKEN],
    "api:topic-follow-list": [API_ANONYMOUS, READ_ONLY_TOKEN],
    "api:topic-follow-detail": [API_ANONYMOUS, READ_ONLY_TOKEN],
    "api:webhook-list": [WEBHOOKS],
    "api:webhook-detail": [WEBHOOKS],
    "api:webhook-deliveries": [WEBHOOKS],
    "api:schema": [PUBLIC],
    "api:docs": [PUBLIC],
    "api/^": [PUBLIC],  # unknown API addresses: a JSON 404
    # the admin site's own pages
    "admin:index": [ADMIN],
    "admin:login": [SESSIONS],
    "admin:logout": [ADMIN],
    "admin:password_change": [ADMIN],
    "admin:password_change_done": [ADMIN],
    "admin:autocomplete": [ADMIN],
    "admin:jsi18n": [ADMIN],
    "admin:view_on_site": [ADMIN],
    "admin:app_list": [ADMIN],
    "admin/(?P<url>.*)$": [ADMIN],
    "admin:auth_user_password_change": [ADMIN],
    "admin:initiatives_initiative_approve": [ADMIN_ACTIONS],
    "admin:initiatives_initiative_reject": [ADMIN_ACTIONS],
    "admin:initiatives_initiative_restore": [ADMIN_ACTIONS],
}

# What curators and moderators may do in the admin, model by model: view, add, change,
# delete. Administrators may do everything; everyone else is sent to the admin sign-in.
ADMIN_ACCESS = {
    "auth.group": {"curator": "", "moderator": ""},
    "axes.accessattempt": {"curator": "", "moderator": ""},
    "axes.accessfailurelog": {"curator": "", "moderator": ""},
    "axes.accesslog": {"curator": "", "moderator": ""},
    "digests.digestdelivery": {"curator": "", "moderator": ""},
    "digests.digestrun": {"curator": "", "moderator": ""},
    "digests.subscription": {"curator": "", "moderator": ""},
    "django_celery_beat.clockedschedule": {"curator": "", "moderator": ""},
    "django_celery_beat.crontabschedule": {"curator": "", "moderator": ""},
    "django_celery_beat.intervalschedule": {"curator": "", "moderator": ""},
    "django_celery_beat.periodictask": {"curator": "", "moderator": ""},
    "django_celery_beat.solarschedule": {"curator": "", "moderator": ""},
    "governance.actionline": {"curator": "v", "moderator": "v"},
    "governance.advocacy": {"curator": "v", "moderator": "v"},
    "governance.country": {"curator": "v", "moderator": "v"},
    "governance.keytask": {"curator": "v", "moderator": "v"},
    "governance.stakeholder": {"curator": "vac", "moderator": "v"},
    "governance.user": {"curator": "", "moderator": ""},
    "initiatives.collaborationinvitation": {"curator": "", "moderator": ""},
    "initiatives.comment": {"curator": "v", "moderator": "v"},
    "initiatives.reportedcomment": {"curator": "", "moderator": "v"},
    "initiatives.initiative": {"curator": "vac", "moderator": "va"},
    "initiatives.initiativeevent": {"curator": "v", "moderator": "v"},
    "initiatives.moderationqueueitem": {"curator": "v", "moderator": "v"},
    "initiatives.pendingrevision": {"curator": "v", "moderator": "v"},
    "initiatives.revision": {"curator": "v", "moderator": "v"},
    "initiatives.topicfollow": {"curator": "", "moderator": ""},
    "initiatives.update": {"curator": "v", "moderator": "v"},
    "notifications.notification": {"curator": "", "moderator": ""},
    "taggit.tag": {"curator": "vacd", "moderator": "v"},
    "webhooks.webhook": {"curator": "", "moderator": ""},
    "webhooks.webhookdelivery": {"curator": "", "moderator": ""},
}
ADMIN_MODEL_VIEWS = ("changelist", "add", "history", "delete", "change")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield (namespace + pattern.name) if pattern.name else prefix + str(pattern.pattern)


def _admin_routes() -> dict[str, list[str]]:
    routes = {}
    for label in ADMIN_ACCESS:
        app, model = label.split(".")
        for view in ADMIN_MODEL_VIEWS:
            routes[f"admin:{app}_{model}_{view}"] = [ADMIN]
        routes[f"admin/{app}/{model}/<path:object_id>/"] = [ADMIN]  # redirects to the change page
    return routes


def test_every_route_is_covered(report_figure):
    routes = set(_walk(get_resolver().url_patterns))
    table = {**ROUTES, **_admin_routes()}
    uncovered = sorted(routes - set(table))
    stale = sorted(set(table) - routes)
    assert uncovered == [], f"routes with no entry in ROUTES / ADMIN_ACCESS: {uncovered}"
    assert stale == [], f"entries for routes that no longer exist: {stale}"
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_ACCESS)
    checks = {check for names in table.values() for check in names}
    report_figure(
        f"authorisation: {len(routes)} URL patterns walked, all {len(table)} in the coverage table "
        f"({len(ROUTES)} named, {len(table) - len(ROUTES)} admin model routes), {len(checks)} kinds of check"
    )


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def world(db):
    owner, stranger = factories.contributor(), factories.contributor()
    draft = factories.make_initiative(owner=owner, title="Owner's private draft")
    submitted = factories.make_initiative(owner=owner, state="submitted", title="Owner's submission")
    published = factories.make_initiative(owner=owner, state="published", title="Owner's published record")
    return {
        "owner": owner,
        "stranger": stranger,
        "draft": draft,
        "submitted": submitted,
        "published": published,
    }


def _api(user=None, *, write=True) -> APIClient:
    client = APIClient()
    if user is not None:
        key = governance_services.api_token_create(user=user, name="t", write=write)[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _web(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# ----------------------------------------------------------------------------- checks


def test_public_routes_answer_anyone(world):
    client, published = _web(), world["published"]
    for url in (
        "/",
        "/initiatives/",
        "/key-tasks/global-south/",
        "/countries/",
        "/countries/KE/",
        "/stakeholders/",
        "/stakeholders/undp/",
        "/tags/",
        "/tags/capacity-building/",
        "/digests/",
        "/initiatives/feed/",
        "/calendar/",
        "/calendar/?view=list",
        "/calendar.ics",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/signup/sent/",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/complete/",
        "/api/schema/",
        "/api/docs/",
        "/api/v1/",
        "/autocomplete/stakeholders/?q=un",
        "/autocomplete/countries/?q=ke",
        "/api/v1/key-tasks/",
        "/api/v1/key-tasks/global-south/",
        "/api/v1/advocacies/",
        "/api/v1/advocacies/security/",
        "/api/v1/countries/",
        "/api/v1/countries/KE/",
        "/api/v1/stakeholders/",
        "/api/v1/stakeholders/undp/",
        "/api/v1/tags/",
        "/api/v1/tags/capacity-building/",
        f"/initiatives/{published.slug}/",
        "/statistics/",
        "/statistics/key-task-by-region.csv",
        "/api/v1/stats/initiatives/?by=key_task",
    ):
        assert client.get(url).status_code == 200, url
    assert client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}).status_code == 302
    unknown = client.get("/api/v1/no-such-thing/")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/json")


def test_sign_in_required_pages_send_anonymous_visitors_to_sign_in(world):
    client = _web()
    for url in (
        "/accounts/profile/",
        "/accounts/password/",
        "/accounts/password/done/",
        "/workspace/",
        "/workspace/new/",
        "/workspace/import/",
        "/workspace/import/1/",
        "/following/",
        "/following/topics/",
        "/workspace/preview/",
        "/workspace/invitations/forged-token/",
        "/digests/settings/",
        "/digests/searches/save/",
        "/digests/searches/1/",
        "/notifications/",
        "/notifications/settings/",
        "/tags/capacity-building/labels/",
        "/tags/capacity-building/merge/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_anothers_draft_is_404_on_the_web(world):
    slug = world["draft"].slug
    stranger = _web(world["stranger"])
    for suffix in (
        "",
        "edit/",
        "edit/presence/",
        "history/",
        "submit/",
        "updates/",
        "results/",
        "collaborators/",
        "comments/",
        "follow/",
        "invitations/1/withdraw/",
    ):
        url = f"/initiatives/{slug}/{suffix}"
        assert stranger.get(url).status_code in (404, 405), url
        assert stranger.post(url, {"title": "x", "body": "x", "identifier": "x"}).status_code == 404, url
        anonymous = _web().get(url)
        assert anonymous.status_code == 404 or anonymous["Location"].startswith("/accounts/login/"), url
    for url in (
        "/initiatives/",
        f"/initiatives/?q={slug}",
        "/workspace/",
        "/initiatives/feed/",
        "/calendar/?view=list&moderation_state=draft",
        "/calendar.ics?moderation_state=draft",
    ):
        assert world["draft"].title not in stranger.get(url).content.decode(), url
    # A tag only a private draft carries names nothing public.
    services.initiative_edit(
        actor=world["owner"], initiative=world["draft"], data={"tags": ["codename-zephyr"]}
    )
    for url in ("/tags/", "/autocomplete/tags/?q=zephyr", "/api/v1/tags/?search=zephyr", "/api/v1/tags/"):
        assert "codename-zephyr" not in stranger.get(url).content.decode(), url
    assert _web(world["owner"]).get(f"/initiatives/{slug}/").status_code == 200


def test_anothers_draft_is_404_in_the_api(world):
    slug = world["draft"].slug
    for client in (_api(world["stranger"]), _api()):
        for suffix in ("", "history/", "updates/", "revisions/"):
            assert client.get(f"/api/v1/initiatives/{slug}/{suffix}").status_code == 404
        assert client.patch(
            f"/api/v1/initiatives/{slug}/", {"title": "taken"}, format="json"
        ).status_code in (
            401,
            404,
        )
        assert client.delete(f"/api/v1/initiatives/{slug}/").status_code in (401, 404)
        for action in (
            "submit",
            "approve",
            "reject",
            "archive",
            "updates",
            "merge",
            "history/1/restore",
            "revisions/1/approve",
            "revisions/1/reject",
            "updates/1/approve",
            "updates/1/reject",
        ):
            response = client.post(
                f"/api/v1/initiatives/{slug}/{action}/", {"reason": "x", "title": "x", "into": "x"}
            )
            assert response.status_code in (401, 404), action
        slugs = [
            row["slug"] for row in client.get("/api/v1/initiatives/?moderation_state=draft").json()["results"]
        ]
        assert slug not in slugs
    assert Initiative.objects.get(pk=world["draft"].pk).title == "Owner's private draft"
    assert _api(world["owner"]).get(f"/api/v1/initiatives/{slug}/").status_code == 200


def test_read_only_fields_stay_read_only(world):
    draft, owner = world["draft"], world["owner"]
    client = _api(owner)
    before = Initiative.objects.get(pk=draft.pk)
    response = client.patch(
        f"/api/v1/initiatives/{draft.slug}/",
        {
            "slug": "hijacked",
            "owner": world["stranger"].username,
            "moderation_state": "published",
            "version": 99,
            "created_at": "2000-01-01T00:00:00Z",
            "published_at": "2000-01-01T00:00:00Z",
            "merged_into": world["published"].slug,
            "summary": "An honest change.",
        },
        format="json",
    )
    assert response.status_code in (200, 400)
    after = Initiative.objects.get(pk=draft.pk)
    for name in ("slug", "owner_id", "moderation_state", "created_at", "published_at", "merged_into_id"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.version in (before.version, before.version + 1)
    me = client.patch(
        "/api/v1/me/", {"is_superuser": True, "is_staff": True, "roles": ["Curator"]}, format="json"
    )
    assert me.status_code in (200, 400)
    owner.refresh_from_db()
    assert not owner.is_superuser and not owner.is_staff and not owner.is_curator


def test_a_read_only_token_writes_nothing(world):
    owner, draft = world["owner"], world["draft"]
    reader = _api(owner, write=False)
    curator_reader = _api(factories.curator(), write=False)
    moderator_reader = _api(factories.moderator(), write=False)
    revision = services.initiative_edit(actor=owner, initiative=world["published"], data={"title": "x"})
    proposal = f"/api/v1/initiatives/{world['published'].slug}/revisions/{revision.pk}/"
    note = services.update_create(actor=owner, initiative=world["published"], data={"title": "x"})
    held_note = f"/api/v1/initiatives/{world['published'].slug}/updates/{note.pk}/"
    writes = [
        (reader, "post", "/api/v1/initiatives/", factories.initiative_data()),
        (reader, "patch", f"/api/v1/initiatives/{draft.slug}/", {"summary": "x"}),
        (reader, "delete", f"/api/v1/initiatives/{draft.slug}/", None),
        (reader, "post", f"/api/v1/initiatives/{draft.slug}/submit/", {}),
        (reader, "post", f"/api/v1/initiatives/{draft.slug}/updates/", {"title": "x"}),
        (reader, "patch", "/api/v1/me/", {"first_name": "x"}),
        (reader, "put", "/api/v1/me/subscription/", {"frequency": "daily"}),
        (reader, "patch", "/api/v1/me/subscription/", {"frequency": "daily"}),
        (curator_reader, "post", "/api/v1/stakeholders/", {"name_en": "X", "kind": "academia"}),
        (curator_reader, "patch", "/api/v1/stakeholders/undp/", {"acronym": "X"}),
        (curator_reader, "post", f"/api/v1/initiatives/{world['published'].slug}/archive/", {}),
        (curator_reader, "post", f"/api/v1/initiatives/{draft.slug}/merge/", {"into": "x"}),
        (curator_reader, "post", f"/api/v1/initiatives/{draft.slug}/history/1/restore/", {}),
        (curator_reader, "post", "/api/v1/imports/", {}),
        (moderator_reader, "post", f"{proposal}approve/", {}),
        (moderator_reader, "post", f"{proposal}reject/", {"reason": "x"}),
        (moderator_reader, "post", f"{held_note}approve/", {}),
        (moderator_reader, "post", f"{held_note}reject/", {"reason": "x"}),
    ]
    for client, method, url, data in writes:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code in (403, 405), f"{method} {url}: {response.status_code}"
    assert Initiative.objects.filter(owner=owner).count() == 3
    assert Initiative.objects.get(pk=draft.pk).moderation_state == "draft"
    assert Initiative.objects.get(pk=draft.pk).merged_into_id is None
    revision.refresh_from_db()
    note.refresh_from_db()
    assert (revision.state, note.state) == ("open", "held")


def test_anonymous_api_writes_are_refused(world):
    client = _api()
    for method, url in (
        ("post", "/api/v1/initiatives/"),
        ("patch", f"/api/v1/initiatives/{world['published'].slug}/"),
        ("delete", f"/api/v1/initiatives/{world['published'].slug}/"),
        ("patch", "/api/v1/me/"),
        ("get", "/api/v1/me/"),
        ("get", "/api/v1/me/subscription/"),
        ("post", "/api/v1/stakeholders/"),
        ("post", "/api/v1/imports/"),
        ("get", "/api/v1/imports/1/"),
    ):
        assert getattr(client, method)(url, {}, format="json").status_code in (401, 403), f"{method} {url}"


def test_api_actions_are_refused_for_the_wrong_role(world):
    submitted, published = world["submitted"], world["published"]
    contributor, curator = _api(world["stranger"]), _api(factories.curator())
    for client, action in (
        (contributor, "approve"),
        (contributor, "reject"),
        (curator, "approve"),
        (curator, "reject"),
        (_api(world["owner"]), "approve"),
    ):
        response = client.post(
            f"/api/v1/initiatives/{submitted.slug}/{action}/", {"reason": "no"}, format="json"
        )
        assert response.status_code in (403, 404), action
    assert Initiative.objects.get(pk=submitted.pk).moderation_state == "submitted"
    own_moderator = factories.moderator()
    mine = factories.make_initiative(owner=own_moderator, state="submitted")
    assert _api(own_moderator).post(f"/api/v1/initiatives/{mine.slug}/approve/").status_code == 403
    for client in (contributor, _api(factories.moderator())):
        assert client.post(f"/api/v1/initiatives/{published.slug}/archive/").status_code == 403
        assert (
            client.post(f"/api/v1/initiatives/{published.slug}/updates/", {"title": "x"}).status_code == 403
        )
    for client in (contributor, _api(world["owner"]), _api(factories.moderator())):
        for action in ("merge", "history/1/restore"):
            response = client.post(
                f"/api/v1/initiatives/{published.slug}/{action}/", {"into": submitted.slug}, format="json"
            )
            assert response.status_code == 403, action
    revision = services.initiative_edit(actor=world["owner"], initiative=published, data={"title": "Mine"})
    proposal = f"/api/v1/initiatives/{published.slug}/revisions/{revision.pk}/"
    for client in (contributor, _api(world["owner"]), curator):
        assert client.post(f"{proposal}approve/").status_code == 403
        assert client.post(f"{proposal}reject/", {"reason": "no"}, format="json").status_code == 403
    assert contributor.get(f"/api/v1/initiatives/{published.slug}/revisions/").status_code == 403
    revision.refresh_from_db()
    assert revision.state == "open"
    note = services.update_create(actor=world["owner"], initiative=published, data={"title": "Held"})
    held = f"/api/v1/initiatives/{published.slug}/updates/{note.pk}/"
    for client in (_api(world["owner"]), curator):
        assert client.post(f"{held}approve/").status_code == 403
        assert client.post(f"{held}reject/", {"reason": "no"}, format="json").status_code == 403
    assert contributor.post(f"{held}approve/").status_code == 404
    note.refresh_from_db()
    assert note.state == "held"
    assert contributor.post("/api/v1/stakeholders/", {"name_en": "X", "kind": "academia"}).status_code == 403
    assert contributor.post("/api/v1/imports/", {}, format="multipart").status_code == 403
    assert contributor.patch("/api/v1/stakeholders/undp/", {"acronym": "X"}).status_code == 403
    # The tag vocabulary is curators' work.
    tag = "/api/v1/tags/capacity-building/"
    for client in (contributor, _api(world["owner"]), _api(factories.moderator())):
        assert client.patch(tag, {"label_zh": "能力建设"}, format="json").status_code == 403
        assert client.post(f"{tag}merge/", {"into": "x"}, format="json").status_code == 403
    after = Initiative.objects.get(pk=published.pk)
    assert (after.moderation_state, after.merged_into_id, after.title) == ("published", None, published.title)


def test_the_frame_is_read_only_in_the_api(world):
    administrator = _api(factories.admin())
    for url in (
        "/api/v1/key-tasks/",
        "/api/v1/key-tasks/global-south/",
        "/api/v1/advocacies/",
        "/api/v1/advocacies/security/",
        "/api/v1/countries/",
        "/api/v1/countries/KE/",
        "/api/v1/tags/",
        "/api/v1/tags/capacity-building/",
    ):
        # A tag's labels and synonyms are the one part curators change (PATCH).
        writable = ("patch",) if url == "/api/v1/tags/capacity-building/" else ()
        for method in sorted({"post", "put", "patch", "delete"} - set(writable)):
            assert getattr(administrator, method)(url, {}, format="json").status_code == 405, (
                f"{method} {url}"
            )


def test_web_actions_are_refused_for_the_wrong_role(world):
    published, draft = world["published"], world["draft"]
    comment = services.comment_create(actor=world["stranger"], initiative=published, body="A fair point.")
    for user in (world["stranger"], world["owner"], factories.curator()):
        response = _web(user).post(f"/comments/{comment.pk}/hide/", {"reason": "spam"})
        assert response.status_code in (403, 404)
    comment.refresh_from_db()
    assert comment.hidden_at is None
    # A moderator does not edit drafts; a stranger does not submit or add notes to them.
    moderator = _web(factories.moderator())
    assert moderator.post(f"/initiatives/{draft.slug}/edit/", {"title": "x"}).status_code in (403, 404)
    assert moderator.post(f"/initiatives/{draft.slug}/edit/presence/").status_code == 403
    step = {"step": "add_result", "title": "x", "version": draft.version}
    assert moderator.post(f"/initiatives/{draft.slug}/results/", step).status_code in (403, 404)
    assert not draft.results.exists()
    for suffix in ("submit/", "updates/", "collaborators/"):
        assert (
            _web(world["stranger"]).post(f"/initiatives/{draft.slug}/{suffix}", {"title": "x"}).status_code
            == 404
        )
    anonymous = _web()
    for suffix in ("comments/", "follow/", "updates/"):
        response = anonymous.post(f"/initiatives/{published.slug}/{suffix}", {"body": "x", "title": "x"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Initiative.objects.get(pk=draft.pk).moderation_state == "draft"
    # Importing files is curating.
    assert _web(world["owner"]).post("/workspace/import/", {}).status_code == 403
    # So is keeping the tag vocabulary.
    for user in (world["owner"], factories.moderator()):
        assert _web(user).post("/tags/capacity-building/labels/", {"label_zh": "能力"}).status_code == 403
        assert _web(user).post("/tags/capacity-building/merge/", {"into": "x"}).status_code == 403


def test_anothers_saved_search_is_404(world):
    search = saved_search_create(user=world["owner"], query="q=cyber", name="Mine")
    stranger = _web(world["stranger"])
    assert stranger.get(f"/digests/searches/{search.pk}/").status_code in (404, 405)
    assert (
        stranger.post(f"/digests/searches/{search.pk}/", {"frequency": "off", "delete": "1"}).status_code
        == 404
    )
    search.refresh_from_db()
    assert search.frequency != "off"


def test_forged_and_stale_tokens_are_refused(world):
    client = _web()
    for url in (
        "/digests/unsubscribe/forged-token/",
        "/accounts/signup/confirm/forged-token/",
    ):
        for method in ("get", "post"):
            assert getattr(client, method)(url).status_code in (400, 404), f"{method} {url}"
    client.force_login(world["stranger"])
    for method in ("get", "post"):
        response = getattr(client, method)("/workspace/invitations/forged-token/")
        assert response.status_code == 400, method
    client.logout()
    reset = client.get("/accounts/password/reset/MQ/set-password/")
    assert reset.status_code == 200 and "invalid" in reset.content.decode().lower()


@pytest.mark.parametrize("role", ["anonymous", "contributor", "curator", "moderator", "admin"])
def test_admin_access_table(world, role, report_figure):
    user = {
        "anonymous": None,
        "contributor": world["stranger"],
        "curator": factories.curator(),
        "moderator": factories.moderator(),
        "admin": factories.admin(),
    }[role]
    client = _web(user)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        allowed = "vacd" if role == "admin" else ADMIN_ACCESS[label].get(role, "")
        info = (model._meta.app_label, model._meta.model_name)
        instance = model._default_manager.first()
        urls = {
            "v": [reverse("admin:{}_{}_changelist".format(*info))],
            "a": [reverse("admin:{}_{}_add".format(*info))],
        }
        if instance is not None:
            urls["v"].append(reverse("admin:{}_{}_history".format(*info), args=[instance.pk]))
            urls["c"] = [reverse("admin:{}_{}_change".format(*info), args=[instance.pk])]
            urls["d"] = [reverse("admin:{}_{}_delete".format(*info), args=[instance.pk])]
        for right, addresses in urls.items():
            for url in addresses:
                response = client.get(url)
                checked += 1
                if user is None or not user.is_staff:
                    assert response.status_code == 302 and "/admin/login/" in response["Location"], url
                elif role == "admin" and right == "a" and not model_admin.has_add_permission(_request(user)):
                    assert response.status_code == 403, url  # nobody adds to a read-only log
                elif (
                    role == "admin" and right == "d" and not model_admin.has_delete_permission(_request(user))
                ):
                    assert response.status_code == 403, url
                elif label == "initiatives.moderationqueueitem" and right in "vc" and url != urls["v"][0]:
                    # An entry of the queue opens the initiative's own pages instead.
                    assert response.status_code == (302 if "v" in allowed else 403), url
                elif right == "c":
                    expected = 200 if ("c" in allowed or "v" in allowed) else 403
                    assert response.status_code == expected, f"{role} {url}"
                else:
                    expected = 200 if right in allowed else 403
                    assert response.status_code == expected, f"{role} {url}: {response.status_code}"
    password = client.get(reverse("admin:auth_user_password_change", args=[world["owner"].pk]))
    if user is None or not user.is_staff:
        assert password.status_code == 302
    else:
        assert password.status_code == (200 if role == "admin" else 403)
    index = client.get("/admin/")
    assert index.status_code == (200 if user is not None and user.is_staff else 302)
    report_figure(f"admin access table, {role}: {checked} admin pages answered as the table says")


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_admin_moderation_actions_are_refused_for_the_wrong_role(world):
    submitted = world["submitted"]
    for user in (factories.curator(), world["stranger"]):
        client = _web(user)
        client.post(reverse("admin:initiatives_initiative_approve", args=[submitted.pk]))
        client.post(reverse("admin:initiatives_initiative_reject", args=[submitted.pk]), {"reason": "no"})
    assert Initiative.objects.get(pk=submitted.pk).moderation_state == "submitted"
    published = world["published"]
    moderator = _web(factories.moderator())
    response = moderator.post(reverse("admin:initiatives_initiative_restore", args=[published.pk, 1]))
    assert response.status_code in (302, 403, 404)
    assert Initiative.objects.get(pk=published.pk).version == published.version
