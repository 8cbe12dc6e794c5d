"""The one place where the records tell other apps what happened to a published record.

Services call `public_event_announce` inside their transaction; receivers (webhooks) run
there too and put their side effects after commit. The records never import a receiver.
"""

from django.dispatch import Signal

from .choices import ModerationState, PublicEvent

# Sent with `event` (a PublicEvent) and `initiative`, the record as the public sees it.
public_event = Signal()


def public_event_announce(*, event: PublicEvent, initiative) -> None:
    """Tell receivers about a published record; a record the public cannot read is never told.

    Call it while the record is published: after publishing or changing it, before archiving it.
    """
    if initiative.moderation_state != ModerationState.PUBLISHED:
        return
    public_event.send(sender=type(initiative), event=PublicEvent(event), initiative=initiative)
