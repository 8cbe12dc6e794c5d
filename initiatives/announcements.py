"""The one place where the records tell other apps what happened to a published record, to
the people around a record, and to the tag vocabulary.

Services call `public_event_announce` inside their transaction; receivers (webhooks) run
there too and put their side effects after commit. The records never import a receiver.
"""

from django.dispatch import Signal

from .choices import MemberEvent, ModerationState, PublicEvent

# Sent with `event` (a PublicEvent) and `initiative`, the record as the public sees it.
public_event = Signal()


def public_event_announce(*, event: PublicEvent, initiative) -> None:
    """Tell receivers about a published record; a record the public cannot read is never told.

    Call it while the record is published: after publishing or changing it, before archiving it.
    """
    if initiative.moderation_state != ModerationState.PUBLISHED:
        return
    public_event.send(sender=type(initiative), event=PublicEvent(event), initiative=initiative)


# Sent with `kind` (a MemberEvent), `initiative`, `actor` (who did it, or None), `key` (the
# same for the same happening, so a receiver can tell a repeat) and details named per kind.
member_event = Signal()


def member_event_announce(*, kind, initiative, actor, key: str, **details) -> None:
    """Tell receivers (notifications) that something happened to the people around a record.

    Unlike `public_event_announce` this is said about records in any state: each receiver
    decides who may be told, by what they may see.
    """
    kind = MemberEvent(kind)
    sender = type(initiative)
    member_event.send(sender=sender, kind=kind, initiative=initiative, actor=actor, key=key, **details)


# Sent with `names` (every name the merged tag was known by: its name, slug, labels and
# synonyms) and `target` (the name of the tag that survived).
tag_merged = Signal()


def tag_merged_announce(*, names, target: str) -> None:
    """Tell receivers (digests) that a tag was merged into another, inside the merge's
    transaction: what they keep under the merged tag's names moves to the survivor with it."""
    names = sorted({str(name) for name in names if name})
    tag_merged.send(sender=None, names=names, target=target)
