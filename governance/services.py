"""Writes to the frame that have rules: granting and revoking roles."""

import hashlib
import secrets

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .choices import Role
from .models import ApiToken, Country, Stakeholder
from .slugs import slug_unique

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


def username_normalise(username: str) -> str:
    """A username as it is stored: NFKC-normalised (full-width letters become plain ones)."""
    return get_user_model().normalize_username(username)


def _user(username: str):
    try:
        return get_user_model().objects.get(username=username_normalise(username))
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


def user_sync_staff(*, user) -> None:
    """Admin-panel access follows the roles: curators and moderators have it, others not."""
    staff = user.is_superuser or user.groups.filter(name__in=[str(r) for r in STAFF_ROLES]).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_create(*, username: str, email: str, password: str, role: str = Role.CONTRIBUTOR, **extra):
    """A new account in the given role (a Contributor by default); usernames are unique
    ignoring case once normalised."""
    username = username_normalise(username)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=username, email=email, password=password, **extra
            )
    except IntegrityError:
        # Only the username is unique among what is given here.
        raise ValidationError({"username": [_("This username is taken.")]}) from None
    role_grant(actor=None, username=user.username, role=role)
    return user


SIGNUP_SALT = "concord.signup"
SIGNUP_MAX_AGE = 3 * 24 * 3600


def signup_token(user) -> str:
    """A signed, expiring token that confirms this user's e-mail address."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SIGNUP_SALT)


@transaction.atomic
def user_signup(*, username: str, email: str, password: str, preferred_language: str = "en", confirm_url):
    """Open sign-up: an inactive Contributor until the e-mail address is confirmed.

    `confirm_url(token)` builds the link for the e-mail; the message leaves only once the
    account is committed.
    """
    if not settings.CONCORD_SIGNUP_OPEN:
        raise PermissionDenied(_("Sign-up is closed; an administrator creates accounts."))
    users = get_user_model().objects
    errors = {}
    username = username_normalise(username)
    if users.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    if users.filter(email__iexact=email).exists():
        errors["email"] = [_("An account already uses this e-mail address.")]
    try:
        validate_password(password, get_user_model()(username=username, email=email))
    except ValidationError as error:
        errors["password1"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user = user_create(
        username=username,
        email=email,
        password=password,
        is_active=False,
        preferred_language=preferred_language,
    )
    link = confirm_url(signup_token(user))

    def send():
        with translation.override(user.preferred_language):
            context = {"user": user, "link": link, "days": SIGNUP_MAX_AGE // 86400}
            send_mail(
                subject=render_to_string("registration/signup_email_subject.txt", context).strip(),
                message=render_to_string("registration/signup_email.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )

    transaction.on_commit(send)
    return user


@transaction.atomic
def user_confirm_email(*, token: str):
    """Activate the account the token was made for; a used, forged or old token is refused."""
    try:
        payload = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is invalid or has expired.")) from None
    user = (
        get_user_model()
        .objects.select_for_update()
        .filter(pk=payload.get("user"), email=payload.get("email"))
        .first()
    )
    if user is None or user.last_login is not None:
        raise ValidationError(_("This confirmation link is invalid or has expired."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


PROFILE_FIELDS = ("first_name", "last_name", "email", "affiliation", "preferred_language")


@transaction.atomic
def profile_update(*, actor, user, data: dict):
    """People change their own profile; the e-mail address stays unique."""
    if actor is None or not actor.is_authenticated or actor.pk != user.pk:
        raise PermissionDenied(_("You may only change your own profile."))
    email = data.get("email")
    if email and get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": [_("An account already uses this e-mail address.")]})
    changed = [field for field in PROFILE_FIELDS if field in data]
    for field in changed:
        setattr(user, field, data[field])
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=changed)
    return user


class AccountLockedOut(PermissionDenied):
    """Too many failed sign-ins for this account from this address (django-axes)."""


# A token's last use is recorded at most this often, so reads do not each cost a write.
TOKEN_TOUCH_SECONDS = 60


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str = "", write: bool = True, expires_at=None):
    """A new API token for an active user; returns it with its key, which is not stored."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Only active accounts get API tokens."))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:8],
        key_hash=_token_hash(key),
        write=write,
        expires_at=expires_at,
    )
    return token, key


def api_token_obtain(*, request, username: str, password: str, name: str = "", write: bool = True):
    """Exchange a username and password for a new token; failures count toward lockout."""
    # Normalised as the sign-in form does, so that lockouts count one name once.
    username = username_normalise(username)
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if AxesProxyHandler.is_locked(request, {"username": username}):
            raise AccountLockedOut(_("Too many failed sign-ins; try again later."))
        raise ValidationError(_("The username or password is not correct."))
    return api_token_create(user=user, name=name or "api", write=write)


def api_token_check(*, key: str):
    """The live token for a key (not expired, its user active), or None; notes when it was used."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_token_hash(key)).first()
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def api_token_revoke(*, actor, token) -> None:
    """People revoke their own tokens; a revoked token is gone for good."""
    if actor is None or not actor.is_authenticated or token.user_id != actor.pk:
        raise PermissionDenied(_("You may only revoke your own tokens."))
    token.delete()


STAKEHOLDER_FIELDS = ("name_en", "name_zh", "acronym", "kind", "country", "website")


def _check_curator(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_curator:
        raise PermissionDenied(_("Only curators change stakeholders."))


def _stakeholder_apply(stakeholder, data: dict) -> list[str]:
    changed = [field for field in STAKEHOLDER_FIELDS if field in data]
    for field in changed:
        value = data[field]
        if field == "country":
            code = getattr(value, "code", value)
            value = Country.objects.filter(code=str(code).upper()).first() if code else None
            if code and value is None:
                raise ValidationError({"country": [_("Unknown country code: %(code)s.") % {"code": code}]})
        elif value is None:
            value = ""
        setattr(stakeholder, field, value)
    stakeholder.full_clean()
    return changed


@transaction.atomic
def stakeholder_create(*, actor, data: dict):
    """A new organisation; curators only. The slug is made once, from the English name."""
    _check_curator(actor)
    stakeholder = Stakeholder()
    slug = (data.get("slug") or "").strip() or slugify(data.get("name_en") or "")[:110]
    if slug and not data.get("slug"):
        slug = slug_unique(
            slug,
            lambda s: Stakeholder.objects.filter(slug=s).exists(),
            counted=True,
            max_length=Stakeholder._meta.get_field("slug").max_length,
        )
    stakeholder.slug = slug
    _stakeholder_apply(stakeholder, data)
    stakeholder.save()
    return stakeholder


@transaction.atomic
def stakeholder_update(*, actor, stakeholder, data: dict):
    """Change an organisation's details; curators only. The slug never changes."""
    _check_curator(actor)
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    changed = _stakeholder_apply(stakeholder, data)
    if changed:
        stakeholder.save(update_fields=changed)
    return stakeholder


@transaction.atomic
def user_deactivate(*, actor, user) -> dict:
    """Administrators close an account: it can no longer sign in, and every session and API
    token it holds stops working at once. Nobody closes their own account this way.

    Returns how many sessions ended and tokens were revoked; the admin history of the user
    records who did it.
    """
    if actor is None or not actor.is_authenticated or not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only administrators deactivate accounts."))
    if actor.pk == user.pk:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    # Sessions only carry the user id inside their signed payload, so the live ones are read.
    live = Session.objects.filter(expire_date__gt=timezone.now())
    # (get_decoded gives {} for one signed with a retired key, which no longer signs anyone in.)
    ended = [s.pk for s in live.iterator() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    Session.objects.filter(pk__in=ended).delete()
    revoked, _detail = ApiToken.objects.filter(user=user).delete()
    summary = {"sessions": len(ended), "tokens": revoked}
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=_("Deactivated; %(sessions)d sessions ended, %(tokens)d API tokens revoked.")
        % summary,
        single_object=True,
    )
    return summary
