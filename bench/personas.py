"""The people the signed-in rows are measured as, made through the project's own services.

Run by bench/run.py as `python -m bench.personas` with DJANGO_SETTINGS_MODULE=bench.settings,
against the database of the size being measured. A contributor who owns a few drafts, works
on a partner's drafts and on a few published records as a collaborator (invited, and
accepting), and a superuser who opens the admin's lists. The records are made once and kept
with the data; each run gets a fresh API token for the contributor and a fresh browser
session for each (signed with the run's SECRET_KEY, which the gunicorn of the run shares).
Prints one JSON object.
"""

import json

import django

PASSWORD = "bench-only-persona-password"  # noqa: S105 -- accounts of the benchmark's database only
CONTRIBUTOR, PARTNER, ADMIN = "bench_contributor", "bench_partner", "bench_admin"


def _draft_data(number: int, frame: dict) -> dict:
    return {
        "title": f"Benchmark working draft {number}",
        "summary": "A draft the benchmark's contributor works on, with partners.",
        "body": "Kept in the benchmark's database only.",
        "key_task": frame["key_task"],
        "action_line": frame["action_line"],
        "kind": "project",
        "status": "planned",
        "countries": frame["countries"],
        "tags": ["capacity building"],
    }


def _frame() -> dict:
    from governance.models import ActionLine, Country

    line = ActionLine.objects.select_related("key_task").order_by("key_task__slug", "slug").first()
    return {
        "key_task": line.key_task.slug,
        "action_line": line.slug,
        "countries": list(Country.objects.order_by("code").values_list("code", flat=True)[:2]),
    }


def _account(username: str, **extra):
    from django.contrib.auth import get_user_model

    from governance import services

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            username=username, email=f"{username}@bench.invalid", password=PASSWORD, **extra
        )
    return user


def ensure_records(contributor, partner, admin) -> dict:
    """Three drafts of the contributor's own, two of a partner's and three published records
    the contributor collaborates on; made once, then found again."""
    from initiatives import services
    from initiatives.models import Initiative

    owned = Initiative.objects.filter(owner=contributor)
    if not owned.exists():
        frame = _frame()
        for number in range(1, 4):
            services.initiative_create(actor=contributor, data=_draft_data(number, frame))
        for number in range(4, 6):
            draft = services.initiative_create(actor=partner, data=_draft_data(number, frame))
            invitation = services.collaborator_invite(
                actor=partner, initiative=draft, identifier=contributor.username
            )
            services.invitation_accept(actor=contributor, invitation_id=invitation.pk)
        published = Initiative.objects.filter(moderation_state="published").order_by("-updated_at")[:3]
        for record in published:
            invitation = services.collaborator_invite(
                actor=admin, initiative=record, identifier=contributor.username
            )
            services.invitation_accept(actor=contributor, invitation_id=invitation.pk)
    return {
        "owned": owned.count(),
        "collaborating": Initiative.objects.filter(collaborators=contributor).count(),
    }


def fresh_token(user) -> str:
    from governance.models import ApiToken
    from governance.services import api_token_create, api_token_revoke

    for token in ApiToken.objects.filter(user=user, name="bench"):
        api_token_revoke(actor=user, token=token)
    _token, key = api_token_create(user=user, name="bench", write=False)
    return key


def fresh_session(user) -> str:
    """A signed-in browser session, as django.contrib.auth.login leaves it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main() -> None:
    django.setup()
    from django.conf import settings

    contributor = _account(CONTRIBUTOR)
    partner = _account(PARTNER)
    admin = _account(ADMIN, is_superuser=True, is_staff=True)
    records = ensure_records(contributor, partner, admin)
    print(
        json.dumps(
            {
                "contributor": CONTRIBUTOR,
                "admin": ADMIN,
                **records,
                "token": fresh_token(contributor),
                "cookie": settings.SESSION_COOKIE_NAME,
                "contributor_session": fresh_session(contributor),
                "admin_session": fresh_session(admin),
            }
        )
    )


if __name__ == "__main__":
    main()
