"""Sessions: a new key at sign-in, gone at sign-out, and all of a user's ended when an
administrator deactivates them, together with their API tokens."""

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client
from rest_framework.test import APIClient

from governance import services
from governance.models import ApiToken
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _plant_session(client) -> str:
    """An anonymous session with something in it, as a visitor (or an attacker) would hold."""
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def _signed_in(client) -> bool:
    return client.get("/workspace/").status_code == 200


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_signing_in_changes_the_session_key(login_url, report_figure):
    user = factories.curator()  # staff, so the admin sign-in accepts them too
    client = Client()
    planted = _plant_session(client)
    response = client.post(login_url, {"username": user.username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 302
    new_key = _session_key(client)
    assert new_key != planted
    # The planted key is no longer a session at all, so whoever knew it gains nothing.
    assert not Session.objects.filter(session_key=planted).exists()
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert not _signed_in(attacker)
    assert _signed_in(client)
    report_figure(f"session fixation ({login_url}): key changed at sign-in; planted key signs nobody in")


def test_signing_out_ends_the_session():
    user = factories.contributor()
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    key = _session_key(client)
    assert _signed_in(client)
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie after sign-out gets nobody in.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not _signed_in(replay)


def test_sign_out_by_get_is_refused_so_a_link_cannot_sign_people_out():
    client = Client()
    client.force_login(factories.contributor())
    assert client.get("/accounts/logout/").status_code == 405
    assert _signed_in(client)


def test_changing_the_password_signs_out_other_sessions():
    user = factories.contributor()
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    new = "a-brand-new-long-passphrase"
    response = here.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)


def _api_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_deactivation_ends_every_session_and_token(report_figure):
    administrator, user, bystander = factories.admin(), factories.contributor(), factories.contributor()
    browsers = [Client() for _ in range(3)]
    for browser in browsers:
        assert (
            browser.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code
            == 302
        )
    keys = [services.api_token_create(user=user, name=f"script {n}")[1] for n in range(2)]
    bystander_browser = Client()
    bystander_browser.force_login(bystander)
    bystander_key = services.api_token_create(user=bystander, name="theirs")[1]
    assert all(_signed_in(b) for b in browsers)
    assert all(_api_client(k).get("/api/v1/me/").status_code == 200 for k in keys)

    summary = services.user_deactivate(actor=administrator, user=user)

    assert summary == {"sessions": 3, "tokens": 2}
    user.refresh_from_db()
    assert not user.is_active
    assert not any(_signed_in(b) for b in browsers)
    assert all(_api_client(k).get("/api/v1/me/").status_code == 401 for k in keys)
    assert not ApiToken.objects.filter(user=user).exists()
    # Signing in again is refused, and a new token cannot be had either.
    assert (
        Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code
        == 200
    )
    token = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert token.status_code == 400
    # Everyone else carries on.
    assert _signed_in(bystander_browser)
    assert _api_client(bystander_key).get("/api/v1/me/").status_code == 200
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert entry.user == administrator and "3 sessions" in entry.get_change_message()
    report_figure("deactivation: 3 of 3 sessions ended, 2 of 2 API tokens revoked; bystander unaffected")


def test_only_administrators_deactivate_and_not_themselves():
    user = factories.contributor()
    for actor in (None, factories.contributor(), factories.curator(), factories.moderator(), user):
        with pytest.raises(PermissionDenied):
            services.user_deactivate(actor=actor, user=user)
    administrator = factories.admin()
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=administrator, user=administrator)
    user.refresh_from_db()
    assert user.is_active


def test_password_rules_are_djangos_with_ten_characters_minimum():
    from django.contrib.auth.password_validation import get_password_validators, validate_password
    from django.core.exceptions import ValidationError

    names = {type(v).__name__ for v in get_password_validators(settings.AUTH_PASSWORD_VALIDATORS)}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
    for weak in ("short-pw1", "password123", "1234567890123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("ten-chars!")
