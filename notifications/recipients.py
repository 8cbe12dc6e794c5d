"""Who is told of an event around a record, and as which kind.

One person, one notification per event: where a person is concerned in several ways the
first kind named for them wins (a mention before a reply before a comment; a member's own
news before a follower's). Whether each may see it is asked afterwards (services).
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from taggit.models import TaggedItem

from governance.choices import Role
from initiatives.choices import MemberEvent, TopicKind, UpdateState
from initiatives.models import (
    CollaborationInvitation,
    Comment,
    Initiative,
    Participation,
    PendingRevision,
    TopicFollow,
    Update,
)

from .choices import NotificationKind as Kind


def members(initiative) -> list[int]:
    """The record's owner and collaborators."""
    ids = [initiative.owner_id] if initiative.owner_id else []
    return ids + list(initiative.collaborators.values_list("pk", flat=True))


def followers(initiative) -> list[int]:
    """Who follows the record itself, or a key task, action line, country, stakeholder or tag
    it is under (initiatives.models.TopicFollow)."""
    topics = Q(kind=TopicKind.KEY_TASK, value=initiative.key_task.slug)
    if initiative.action_line_id:
        topics |= Q(kind=TopicKind.ACTION_LINE, value=initiative.action_line.slug)
    codes = list(initiative.countries.values_list("code", flat=True))
    if codes:
        topics |= Q(kind=TopicKind.COUNTRY, value__in=codes)
    stakeholders = list(
        Participation.objects.filter(initiative=initiative).values_list("stakeholder__slug", flat=True)
    )
    if stakeholders:
        topics |= Q(kind=TopicKind.STAKEHOLDER, value__in=stakeholders)
    tags = list(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Initiative), object_id=initiative.pk
        ).values_list("tag__slug", flat=True)
    )
    if tags:
        topics |= Q(kind=TopicKind.TAG, value__in=tags)
    by_topic = TopicFollow.objects.filter(topics).values_list("user_id", flat=True)
    by_record = _record_followers(initiative)
    return sorted(set(by_record) | set(by_topic))


def _record_followers(initiative):
    follows = TopicFollow.objects.filter(kind=TopicKind.INITIATIVE, initiative=initiative)
    return follows.values_list("user_id", flat=True)


def moderators(*, may_decide) -> list[int]:
    """Active moderators and administrators for whom `may_decide(user)` holds."""
    users = get_user_model().objects.filter(is_active=True)
    users = users.filter(Q(is_superuser=True) | Q(groups__name=Role.MODERATOR)).distinct().order_by("pk")
    return [user.pk for user in users if may_decide(user)]


def _waiting(initiative) -> list[int]:
    return moderators(may_decide=lambda u: u.has_perm("initiatives.moderate") and u.pk != initiative.owner_id)


def event_recipients(payload: dict, initiative) -> tuple[dict[int, str], dict]:
    """(user id -> kind, details for the text) for this event; empty when it is no longer
    something to tell (a hidden comment, a note no longer published)."""
    event = MemberEvent(payload["kind"])
    told: dict[int, str] = {}
    details: dict = {}

    def tell(ids, kind):
        for pk in ids:
            told.setdefault(pk, kind)

    if payload.get("reason"):
        details["reason"] = payload["reason"]
    if event == MemberEvent.SUBMITTED:
        tell(_waiting(initiative), Kind.SUBMISSION_WAITING)
    elif event == MemberEvent.APPROVED:
        tell(members(initiative), Kind.SUBMISSION_APPROVED)
        tell(followers(initiative), Kind.FOLLOWED_UPDATE)
    elif event == MemberEvent.REJECTED:
        tell(members(initiative), Kind.SUBMISSION_REJECTED)
    elif event in (
        MemberEvent.REVISION_PROPOSED,
        MemberEvent.REVISION_APPROVED,
        MemberEvent.REVISION_REJECTED,
    ):
        revision = PendingRevision.objects.filter(pk=payload.get("revision_id")).first()
        if revision is None:
            return {}, details
        details["revision"] = revision.pk
        authors = list(revision.authors.values_list("pk", flat=True))
        if event == MemberEvent.REVISION_PROPOSED:
            tell(
                moderators(may_decide=lambda u: u.has_perm("initiatives.decide_revision", revision)),
                Kind.SUBMISSION_WAITING,
            )
        elif event == MemberEvent.REVISION_APPROVED:
            tell(authors, Kind.REVISION_APPROVED)
            tell(followers(initiative), Kind.FOLLOWED_UPDATE)
        else:
            tell(authors, Kind.REVISION_REJECTED)
    elif event in (MemberEvent.NOTE_PUBLISHED, MemberEvent.NOTE_HELD):
        update = Update.objects.filter(pk=payload.get("update_id")).first()
        if update is None:
            return {}, details
        details["update"] = update.pk
        details["title"] = update.title
        details["language"] = update.language
        if event == MemberEvent.NOTE_HELD:
            tell(
                moderators(may_decide=lambda u: u.has_perm("initiatives.decide_update", update)),
                Kind.SUBMISSION_WAITING,
            )
        elif update.state == UpdateState.PUBLISHED:
            tell(followers(initiative), Kind.FOLLOWED_UPDATE)
    elif event == MemberEvent.INVITED:
        invitation = CollaborationInvitation.objects.filter(pk=payload.get("invitation_id")).first()
        if invitation is not None and invitation.state == CollaborationInvitation.State.OPEN:
            details["invitation"] = invitation.pk
            tell([invitation.invitee_id], Kind.INVITATION)
    elif event == MemberEvent.COMMENT_POSTED:
        comment = Comment.objects.filter(pk=payload.get("comment_id")).select_related("parent").first()
        # A hidden comment tells nobody.
        if comment is None or comment.hidden_at is not None:
            return {}, details
        details["comment"] = comment.pk
        details["excerpt"] = comment.body[:200]
        details["language"] = comment.language
        tell(payload.get("mentioned_ids") or [], Kind.MENTION)
        if comment.parent is not None and comment.parent.hidden_at is None:
            tell([comment.parent.author_id], Kind.REPLY)
        tell(members(initiative), Kind.COMMENT)
        tell(_record_followers(initiative), Kind.COMMENT)
    told.pop(payload.get("actor_id"), None)
    return told, details
