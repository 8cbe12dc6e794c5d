"""Tokens: obtaining, using, revoking; read-only tokens; deactivated users; lockout; sessions."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import ApiToken
from initiatives.models import Initiative
from tests import factories

TOKEN_URL = "/api/v1/auth/token/"
LIST_URL = "/api/v1/initiatives/"


def _obtain(client, username, password, **extra):
    return client.post(TOKEN_URL, {"username": username, "password": password, **extra}, format="json")


@pytest.mark.django_db
def test_username_and_password_give_a_token_that_works_and_is_stored_hashed(api, contributor):
    response = _obtain(api, contributor.username, factories.PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    stored = ApiToken.objects.get(user=contributor)
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(stored.prefix)
    assert len(stored.key_hash) == 64

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == contributor.username
    assert me.json()["roles"] == ["Contributor"]
    stored.refresh_from_db()
    assert stored.last_used_at is not None


@pytest.mark.django_db
def test_wrong_password_is_a_400_and_gives_no_token(api, contributor):
    response = _obtain(api, contributor.username, "not-the-password")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_missing_credentials_are_named(api):
    response = api.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "username", "password"}


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out(api, contributor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    codes = [_obtain(api, contributor.username, "wrong-password").status_code for _ in range(3)]
    assert codes[:2] == [400, 400]
    # Locked: even the right password is refused for now.
    response = _obtain(api, contributor.username, factories.PASSWORD)
    assert response.status_code == 429
    assert "detail" in response.json()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_bad_token_is_a_401_with_the_scheme(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(LIST_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


@pytest.mark.django_db
def test_revoked_token_stops_working(client_for, contributor):
    client = client_for(contributor)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.delete(TOKEN_URL).status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=contributor).exists()


@pytest.mark.django_db
def test_revoking_needs_a_token(api, contributor):
    assert api.delete(TOKEN_URL).status_code == 401
    api.force_authenticate(contributor)
    assert api.delete(TOKEN_URL).status_code == 400


@pytest.mark.django_db
def test_deactivated_users_token_stops_working(client_for, contributor):
    client = client_for(contributor)
    contributor.is_active = False
    contributor.save(update_fields=["is_active"])
    assert client.get("/api/v1/me/").status_code == 401
    assert client.post(LIST_URL, factories.initiative_data(), format="json").status_code == 401


@pytest.mark.django_db
def test_deactivated_user_gets_no_token(api, contributor):
    contributor.is_active = False
    contributor.save(update_fields=["is_active"])
    assert _obtain(api, contributor.username, factories.PASSWORD).status_code == 400


@pytest.mark.django_db
def test_expired_token_stops_working(client_for, contributor):
    client = client_for(contributor)
    ApiToken.objects.filter(user=contributor).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_read_only_token_reads_but_never_writes(client_for, contributor, curator):
    initiative = factories.make_initiative(owner=contributor)
    client = client_for(contributor, write=False)
    assert client.get(LIST_URL).status_code == 200
    assert client.get(f"{LIST_URL}{initiative.slug}/").status_code == 200
    assert client.post(LIST_URL, factories.initiative_data(), format="json").status_code == 403
    assert (
        client.patch(f"{LIST_URL}{initiative.slug}/", {"title": "Changed"}, format="json").status_code == 403
    )
    assert client.post(f"{LIST_URL}{initiative.slug}/submit/").status_code == 403
    assert client.patch("/api/v1/me/", {"first_name": "X"}, format="json").status_code == 403
    curator_client = client_for(curator, write=False)
    response = curator_client.post(
        "/api/v1/stakeholders/", {"name_en": "Any body", "kind": "academia"}, format="json"
    )
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title != "Changed" and initiative.moderation_state == "draft"
    assert Initiative.objects.count() == 1
    # It may still revoke itself.
    assert client.delete(TOKEN_URL).status_code == 204


@pytest.mark.django_db
def test_read_only_token_can_be_requested(api, contributor):
    response = _obtain(api, contributor.username, factories.PASSWORD, write=False, name="mirror")
    assert response.status_code == 200
    assert response.json()["write"] is False
    assert ApiToken.objects.get().name == "mirror"


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(contributor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post(LIST_URL, factories.initiative_data(), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_anonymous_writes_are_401(api):
    response = api.post(LIST_URL, factories.initiative_data(), format="json")
    assert response.status_code == 401
    assert api.get("/api/v1/me/").status_code == 401
