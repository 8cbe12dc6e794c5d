"""Subscriptions: a user's own digest, saved searches, one-click unsubscribe.

Switching a digest on starts it from now, never from a backlog; only the owner of a
saved search changes it.
"""

import logging
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Country, KeyTask

from .. import selectors
from ..choices import Frequency, SubscriptionKind, Watch
from ..models import Subscription
from ..tokens import unsubscribe_token_read

logger = logging.getLogger(__name__)

MAX_TAGS = 50


# Subscriptions ---------------------------------------------------------------------------


def _clean_frequency(frequency, errors: dict) -> str:
    if frequency not in Frequency.values:
        errors["frequency"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Frequency.values)}]
    return frequency


def _resolve_topics(*, key_tasks, countries, tags, errors: dict):
    key_tasks = [str(k) for k in (key_tasks or [])]
    found_tasks = list(KeyTask.objects.filter(slug__in=key_tasks))
    unknown = sorted(set(key_tasks) - {k.slug for k in found_tasks})
    if unknown:
        errors["key_tasks"] = [_("Unknown key task: %(slugs)s.") % {"slugs": ", ".join(unknown)}]
    codes = [str(c).upper() for c in (countries or [])]
    found_countries = list(Country.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {c.code for c in found_countries})
    if unknown:
        errors["countries"] = [_("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)}]
    clean_tags = []
    for tag in tags or []:
        tag = str(tag).strip()
        if tag and tag.lower() not in {t.lower() for t in clean_tags}:
            clean_tags.append(tag[:100])
    if len(clean_tags) > MAX_TAGS:
        errors["tags"] = [_("Watch at most %(n)s tags.") % {"n": MAX_TAGS}]
    return found_tasks, found_countries, clean_tags


@transaction.atomic
def subscription_update(
    *,
    user,
    frequency: str,
    watch: str = Watch.TOPICS,
    key_tasks=(),
    countries=(),
    tags=(),
) -> Subscription:
    """Set a user's own digest; switching it on starts from now, never from a backlog."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to manage your digest."))
    errors: dict = {}
    _clean_frequency(frequency, errors)
    if watch not in Watch.values:
        errors["watch"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Watch.values)}]
    found_tasks, found_countries, clean_tags = _resolve_topics(
        key_tasks=key_tasks, countries=countries, tags=tags, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    subscription = (
        Subscription.objects.select_for_update().filter(user=user, kind=SubscriptionKind.PROFILE).first()
    )
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(user=user, kind=SubscriptionKind.PROFILE)
        except IntegrityError:
            # A concurrent request created it first; work on that row.
            subscription = Subscription.objects.select_for_update().get(
                user=user, kind=SubscriptionKind.PROFILE
            )
    if subscription.frequency == Frequency.OFF and frequency != Frequency.OFF:
        subscription.cursor = timezone.now()
    subscription.frequency = frequency
    subscription.watch = watch
    subscription.tags = clean_tags
    subscription.save()
    subscription.key_tasks.set(found_tasks)
    subscription.countries.set(found_countries)
    return subscription


@transaction.atomic
def saved_search_create(
    *, user, query: str, name: str = "", frequency: str = Frequency.WEEKLY
) -> Subscription:
    """Save a browse query as a subscription of its own; its digest starts from now."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to save a search."))
    errors: dict = {}
    query = (query or "").strip().lstrip("?")
    if not query:
        errors["query"] = [_("Filter the list first; an empty search cannot be saved.")]
    elif len(query) > 2000:
        errors["query"] = [_("This search is too long to save.")]
    else:
        for field_name, messages in selectors.query_errors(query).items():
            errors.setdefault("query", []).extend(f"{field_name}: {m}" for m in messages)
    _clean_frequency(frequency, errors)
    if errors:
        raise ValidationError(errors)
    return Subscription.objects.create(
        user=user,
        kind=SubscriptionKind.SEARCH,
        query=query,
        name=(name or "").strip()[:200] or query[:200],
        frequency=frequency,
    )


def _own_search(user, subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.user_id != getattr(user, "pk", None) or subscription.kind != SubscriptionKind.SEARCH:
        raise PermissionDenied(_("This saved search is not yours."))
    return subscription


@transaction.atomic
def saved_search_update(*, user, subscription: Subscription, frequency: str, name: str | None = None):
    """Change a saved search's frequency or name; only its owner may."""
    subscription = _own_search(user, subscription)
    errors: dict = {}
    _clean_frequency(frequency, errors)
    if errors:
        raise ValidationError(errors)
    if subscription.frequency == Frequency.OFF and frequency != Frequency.OFF:
        subscription.cursor = timezone.now()
    subscription.frequency = frequency
    if name is not None and name.strip():
        subscription.name = name.strip()[:200]
    subscription.save(update_fields=["frequency", "name", "cursor", "updated_at"])
    return subscription


@transaction.atomic
def saved_search_delete(*, user, subscription: Subscription) -> None:
    """Remove a saved search; its delivery history goes with it."""
    _own_search(user, subscription).delete()


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Subscription:
    """Switch off the subscription a signed token names; repeating it changes nothing more."""
    value = unsubscribe_token_read(token)
    subscription = (
        Subscription.objects.select_for_update().filter(pk=value["s"], user_id=value.get("u")).first()
    )
    if subscription is None:
        raise ValidationError({"token": [_("This unsubscribe link is no longer valid.")]})
    if subscription.frequency != Frequency.OFF:
        subscription.frequency = Frequency.OFF
        subscription.save(update_fields=["frequency", "updated_at"])
        logger.info("subscription %s unsubscribed by one-click link", subscription.pk)
    return subscription


@transaction.atomic
def subscriptions_tag_rename(*, names, target: str) -> int:
    """Digest subscriptions and saved searches that name a tag by any of `names` (any case)
    name `target` instead, once; returns how many changed. Called inside a tag merge's
    transaction (digests.receivers), so they move with the records or not at all."""
    lowered = {str(name).strip().lower() for name in names if str(name).strip()}
    if not lowered:
        return 0
    changed = 0
    watching = Subscription.objects.select_for_update().filter(kind=SubscriptionKind.PROFILE).exclude(tags=[])
    for subscription in watching.only("pk", "tags").order_by("pk"):
        tags = _renamed(subscription.tags or [], lowered, target)
        if tags != subscription.tags:
            subscription.tags = tags
            subscription.save(update_fields=["tags", "updated_at"])
            changed += 1
    searches = Subscription.objects.select_for_update().filter(
        kind=SubscriptionKind.SEARCH, query__contains="tag="
    )
    for subscription in searches.only("pk", "query").order_by("pk"):
        pairs = parse_qsl(subscription.query, keep_blank_values=True)
        tags = _renamed([value for key, value in pairs if key == "tag"], lowered, target)
        if tags == [value for key, value in pairs if key == "tag"]:
            continue
        # The tags stay where the first of them was; every other parameter stays as it was.
        at = next(index for index, (key, _value) in enumerate(pairs) if key == "tag")
        others = [(key, value) for key, value in pairs if key != "tag"]
        before = sum(1 for key, _value in pairs[:at] if key != "tag")
        subscription.query = urlencode(others[:before] + [("tag", tag) for tag in tags] + others[before:])
        subscription.save(update_fields=["query", "updated_at"])
        changed += 1
    return changed


def _renamed(tags: list[str], lowered: set[str], target: str) -> list[str]:
    """The tags with each one named in `lowered` as `target`, without repeats (any case)."""
    renamed, seen = [], set()
    for tag in tags:
        name = target if str(tag).strip().lower() in lowered else tag
        if str(name).strip().lower() not in seen:
            seen.add(str(name).strip().lower())
            renamed.append(name)
    return renamed
