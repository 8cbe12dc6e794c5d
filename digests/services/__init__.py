"""Every write of the digests domain: subscriptions, runs, claims and deliveries.

- subscriptions: a user's digest, saved searches, one-click unsubscribe.
- runs: the period a run covers, starting a run once, dispatching its batches.
- compose: the message for each delivery, and a run's preview.
- delivery: claiming and sending a batch, leases, retrying failed deliveries.

Tasks call these services; the services never import the tasks (they enqueue by name).
"""

from .compose import deliveries_compose, digest_preview
from .delivery import BatchResult, _claim, _renew_lease, delivery_retry, digest_batch_send
from .runs import batch_enqueue, digest_run_dispatch, digest_run_start, due_batches, period_key
from .subscriptions import (
    MAX_TAGS,
    saved_search_create,
    saved_search_delete,
    saved_search_update,
    subscription_unsubscribe,
    subscription_update,
    subscriptions_tag_rename,
)

__all__ = [
    "MAX_TAGS",
    "BatchResult",
    "_claim",
    "_renew_lease",
    "batch_enqueue",
    "deliveries_compose",
    "delivery_retry",
    "digest_batch_send",
    "digest_preview",
    "digest_run_dispatch",
    "digest_run_start",
    "due_batches",
    "period_key",
    "saved_search_create",
    "saved_search_delete",
    "saved_search_update",
    "subscription_unsubscribe",
    "subscription_update",
    "subscriptions_tag_rename",
]
