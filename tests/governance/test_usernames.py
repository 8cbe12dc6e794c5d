"""Usernames are NFKC-normalised before any uniqueness check, and unique ignoring case, at every door.

`ｆｒｅｓｈ` (full-width) is `fresh` once normalised, as Django's own forms read it; a name
that differs from another only in width or case names the same person.
"""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from governance import services
from tests import factories

pytestmark = pytest.mark.django_db

FULL_WIDTH_FRESH = "ｆｒｅｓｈ"


def _signup(client, username, email="fresh@example.org"):
    return client.post(
        reverse("signup"),
        {
            "username": username,
            "email": email,
            "password1": "long-enough-passphrase",
            "password2": "long-enough-passphrase",
            "preferred_language": "en",
        },
    )


def test_a_full_width_username_signs_up_as_its_normal_form(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, FULL_WIDTH_FRESH)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="fresh")
    assert list(user.groups.values_list("name", flat=True)) == ["Contributor"]
    link = re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": FULL_WIDTH_FRESH, "password": "long-enough-passphrase"}
    )
    assert signed_in.status_code == 302


@pytest.mark.parametrize("copy", [FULL_WIDTH_FRESH, "ＦＲＥＳＨ", "Fresh"])
def test_a_width_or_case_copy_of_a_name_is_taken(client, copy):
    factories.contributor(username="fresh")
    response = _signup(client, copy, email="someone-else@example.org")
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["This username is taken."]
    assert get_user_model().objects.count() == 1


def test_the_service_normalises_too(django_capture_on_commit_callbacks):
    factories.contributor(username="fresh")
    with pytest.raises(ValidationError) as error:
        services.user_signup(
            username="ｆｒｅｓｈ",
            email="other@example.org",
            password="long-enough-passphrase",
            confirm_url=lambda token: token,
        )
    assert "username" in error.value.message_dict
    user = services.user_create(username="ｎｅｗ", email="new@example.org", password="long-enough-passphrase")
    assert user.username == "new"


def test_the_database_refuses_a_case_copy_from_any_door():
    factories.contributor(username="fresh")
    user = get_user_model()(username="FRESH", email="copy@example.org")
    with pytest.raises(ValidationError, match="A user with that username already exists"):
        user.full_clean(exclude=["password"])
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(username="FRESH", email="copy@example.org")


def test_the_admin_refuses_a_copy_when_adding_and_when_renaming(client, admin_user):
    client.force_login(admin_user)
    factories.contributor(username="fresh")
    other = factories.contributor(username="other")
    added = client.post(
        reverse("admin:governance_user_add"),
        {
            "username": FULL_WIDTH_FRESH,
            "password1": "long-enough-passphrase",
            "password2": "long-enough-passphrase",
        },
    )
    assert added.status_code == 200 and "username" in added.context["adminform"].form.errors
    change = client.get(reverse("admin:governance_user_change", args=[other.pk])).context["adminform"].form
    data = {name: value for name, value in change.initial.items() if value is not None}
    data.update(
        username="ＦＲＥＳＨ",
        groups=[group.pk for group in change.initial["groups"]],
        user_permissions=[],
        last_login_0="",
        last_login_1="",
        date_joined_0="2026-01-01",
        date_joined_1="00:00:00",
    )
    renamed = client.post(reverse("admin:governance_user_change", args=[other.pk]), data)
    assert renamed.status_code == 200
    assert "username" in renamed.context["adminform"].form.errors
    other.refresh_from_db()
    assert other.username == "other"


def test_commands_and_token_requests_find_the_person_by_a_full_width_name():
    api = APIClient()
    factories.contributor(username="fresh", password="long-enough-passphrase")
    out = StringIO()
    call_command("grant_role", FULL_WIDTH_FRESH, "Curator", stdout=out)
    assert "fresh: roles now Contributor, Curator" in out.getvalue()
    response = api.post(
        "/api/v1/auth/token/",
        {"username": FULL_WIDTH_FRESH, "password": "long-enough-passphrase"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["token"]
