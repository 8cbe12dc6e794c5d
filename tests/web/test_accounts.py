"""Accounts: sign-in with lockout, password change and reset, sign-up, profile and language."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from governance.models import Stakeholder
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_sign_in_and_out(client, contributor):
    response = client.post(
        reverse("login"), {"username": contributor.username, "password": PASSWORD, "next": "/workspace/"}
    )
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/workspace/").status_code == 302


def test_wrong_password_is_a_form_error(client, contributor):
    response = client.post(reverse("login"), {"username": contributor.username, "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_repeated_failures_lock_that_account_but_not_others(client, contributor, settings):
    other = factories.contributor()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": contributor.username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": contributor.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    fine = client.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    assert fine.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


def test_password_change(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert contributor.check_password("a-new-long-passphrase")


def test_password_reset_mails_a_working_link(client, contributor):
    response = client.post(reverse("password_reset"), {"email": contributor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contributor.email]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-passphrase-2026", "new_password2": "reset-passphrase-2026"},
    )
    assert done.status_code == 302
    contributor.refresh_from_db()
    assert contributor.check_password("reset-passphrase-2026")


def _signup(client, **overrides):
    data = {
        "username": "amina",
        "email": "amina@example.org",
        "password1": "long-enough-passphrase",
        "password2": "long-enough-passphrase",
        "preferred_language": "zh-hans",
        **overrides,
    }
    return client.post(reverse("signup"), data)


def test_sign_up_confirms_the_address_and_creates_a_contributor(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="amina")
    assert not user.is_active
    assert user.preferred_language == "zh-hans"
    assert list(user.groups.values_list("name", flat=True)) == ["Contributor"]
    assert (
        client.post(reverse("login"), {"username": "amina", "password": "long-enough-passphrase"}).status_code
        == 200
    )  # not yet confirmed
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    signed_in = client.post(reverse("login"), {"username": "amina", "password": "long-enough-passphrase"})
    assert signed_in.status_code == 302
    assert client.get(link).status_code == 400  # used


def test_sign_up_rejects_taken_names_weak_passwords_and_forged_links(client, contributor):
    response = _signup(
        client,
        username=contributor.username.upper(),
        email=contributor.email,
        password1="short",
        password2="short",
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "username" in errors and "email" in errors and "password1" in errors
    assert client.get(reverse("signup_confirm", args=["forged:token"])).status_code == 400


def test_sign_up_can_be_turned_off(client, settings):
    settings.CONCORD_SIGNUP_OPEN = False
    assert client.get(reverse("signup")).status_code == 403
    assert _signup(client).status_code == 403
    assert not get_user_model().objects.filter(username="amina").exists()
    assert "Sign up" not in client.get(reverse("login")).content.decode()


def test_profile_saves_affiliation_and_language(client, contributor):
    client.force_login(contributor)
    undp = Stakeholder.objects.get(slug="undp")
    response = client.post(
        reverse("profile"),
        {
            "first_name": "Li",
            "last_name": "Wei",
            "email": "li.wei@example.org",
            "affiliation": undp.pk,
            "preferred_language": "zh-hans",
        },
    )
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert contributor.affiliation == undp and contributor.preferred_language == "zh-hans"
    assert client.get("/").content.decode().count("我的倡议") >= 1


def test_profile_refuses_someone_elses_email(client, contributor):
    other = factories.contributor()
    client.force_login(contributor)
    response = client.post(
        reverse("profile"),
        {"email": other.email.upper(), "preferred_language": "en", "first_name": "", "last_name": ""},
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


def test_preferred_language_applies_until_the_switcher_is_used(client, contributor):
    contributor.preferred_language = "zh-hans"
    contributor.save()
    client.force_login(contributor)
    assert 'lang="zh-Hans"' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_repeated_wrong_passwords_are_answered_more_slowly_before_the_lockout(client, monkeypatch):
    from governance import views

    held = []
    monkeypatch.setattr(views.time, "sleep", held.append)
    victim, other = factories.contributor(), factories.contributor()
    for _ in range(4):
        response = client.post(
            "/accounts/login/", {"username": victim.username, "password": "wrong-guess-123"}
        )
        assert response.status_code == 200
    assert held == [0.5, 1.0]
    client.post("/accounts/login/", {"username": other.username, "password": "wrong-guess-123"})
    assert held == [0.5, 1.0], "another account's first failure is not slowed"
    for _ in range(3):
        response = client.post(
            "/accounts/login/", {"username": victim.username, "password": "wrong-guess-123"}
        )
    assert response.status_code == 429
    assert held == [0.5, 1.0], "the fifth failure locks the account, and locked answers are not held"
