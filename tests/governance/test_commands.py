"""Operators give and take roles from the command line; a mistake is a one-line error."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from governance.services import role_grant
from tests import factories


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def roles_of(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def test_grant_role_makes_a_contributor_a_moderator_with_admin_access(db):
    user = factories.contributor(username="amina")
    assert not user.is_staff

    output = run("grant_role", "amina", "Moderator")

    user.refresh_from_db()
    assert roles_of(user) == ["Contributor", "Moderator"]
    assert user.is_staff
    assert "amina: roles now Contributor, Moderator" in output


def test_role_names_are_case_insensitive(db):
    user = factories.contributor(username="li.wei")
    run("grant_role", "li.wei", "curator")
    assert "Curator" in roles_of(user)


def test_revoke_role_takes_away_admin_access_with_the_last_staff_role(db):
    user = factories.curator(username="jonas")
    run("grant_role", "jonas", "Moderator")

    run("revoke_role", "jonas", "Curator")
    user.refresh_from_db()
    assert roles_of(user) == ["Moderator"]
    assert user.is_staff

    output = run("revoke_role", "jonas", "Moderator")
    user.refresh_from_db()
    assert roles_of(user) == []
    assert not user.is_staff
    assert "jonas: roles now none" in output


def test_revoking_a_role_leaves_an_administrator_in_the_admin(db):
    admin = factories.admin(username="root")
    run("grant_role", "root", "Moderator")
    run("revoke_role", "root", "Moderator")
    admin.refresh_from_db()
    assert admin.is_staff and admin.is_superuser


@pytest.mark.parametrize("command", ["grant_role", "revoke_role"])
def test_unknown_user_is_a_one_line_error_and_changes_nothing(db, command):
    factories.contributor(username="amina")

    with pytest.raises(CommandError) as error:
        run(command, "nobody", "Curator")

    message = str(error.value)
    assert "nobody" in message
    assert "\n" not in message
    assert [(u.username, roles_of(u)) for u in get_user_model().objects.all()] == [("amina", ["Contributor"])]


@pytest.mark.parametrize("command", ["grant_role", "revoke_role"])
def test_unknown_role_is_a_one_line_error_naming_the_roles_and_changes_nothing(db, command):
    user = factories.curator(username="amina")

    with pytest.raises(CommandError) as error:
        run(command, "amina", "Overlord")

    message = str(error.value)
    assert "Overlord" in message
    assert "Contributor, Curator, Moderator" in message
    assert "\n" not in message
    user.refresh_from_db()
    assert roles_of(user) == ["Curator"]
    assert user.is_staff


def test_only_administrators_grant_roles_through_the_service(db):
    curator = factories.curator()
    target = factories.contributor(username="target")

    with pytest.raises(PermissionDenied):
        role_grant(actor=curator, username="target", role="Moderator")
    assert roles_of(target) == ["Contributor"]

    role_grant(actor=factories.admin(), username="target", role="Moderator")
    assert roles_of(target) == ["Contributor", "Moderator"]
