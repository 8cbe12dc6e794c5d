"""Writes to the frame that have rules: granting and revoking roles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import Role

# Curators and moderators work in the admin panel; contributors do not.
STAFF_ROLES = {Role.CURATOR, Role.MODERATOR}


def _role(role: str) -> Role:
    try:
        return Role(role.strip().capitalize())
    except ValueError:
        raise ValidationError(
            _("Unknown role “%(role)s”; choose one of %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        ) from None


def _user(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise ValidationError(_("No user is called “%(name)s”.") % {"name": username}) from None


def _check_actor(actor) -> None:
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only administrators assign roles."))


@transaction.atomic
def role_grant(*, actor, username: str, role: str):
    """Put a user in a role's group; curators and moderators get admin-panel access."""
    _check_actor(actor)
    role, user = _role(role), _user(username)
    user.groups.add(Group.objects.get(name=role))
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def role_revoke(*, actor, username: str, role: str):
    """Take a user out of a role; admin-panel access goes with the last staff role."""
    _check_actor(actor)
    role, user = _role(role), _user(username)
    user.groups.remove(Group.objects.get(name=role))
    remaining = set(user.groups.values_list("name", flat=True))
    if user.is_staff and not user.is_superuser and not remaining & {str(r) for r in STAFF_ROLES}:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def user_create(*, username: str, email: str, password: str, role: str = Role.CONTRIBUTOR, **extra):
    """A new account in the given role (a Contributor by default)."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password, **extra)
    role_grant(actor=None, username=username, role=role)
    return user
