"""Who may do what to an initiative: the role matrix of the design, in one place.

Each rule is a `rules` predicate, and PERMISSIONS below registers it under a permission name,
so every surface asks the same question the same way: `user.has_perm("initiatives.approve_initiative",
record)` in services, the API, the admin and templates (`{% load rules %}{% has_perm … %}`). The
predicates stay callable as functions (`rules.can_approve(user, record)`) for the callers that
read better that way, and `edit_mode`/`note_mode` say how, not only whether.

Object permissions ask about one record (or a proposal, a note); asked without an object they
answer no, and the admin's model-level questions (may this person open the initiatives list at
all) fall to Django's group permissions as before. Superusers are held to the object rules too
(governance.models.User.has_perm): an admin who wrote a submission may not approve it either.

| may …                               | anonymous | member [1]     | Curator  | Moderator | admin    |
|-------------------------------------|-----------|----------------|----------|-----------|----------|
| read published                      | yes       | yes            | yes      | yes       | yes      |
| read unpublished                    | no        | yes            | yes      | yes       | yes      |
| edit draft / rejected               | no        | yes            | yes      | no        | yes      |
| edit published                      | no        | as revision    | directly | no        | directly |
| progress note on a draft [2]        | no        | at once        | at once  | no        | at once  |
| progress note on a published record | no        | held           | at once  | no        | at once  |
| approve / reject a submission       | no        | no             | no       | yes [3]   | yes [3]  |
| approve / reject a pending revision | no        | no             | no       | yes [3]   | yes [3]  |
| approve / reject a held note        | no        | no             | no       | yes [3]   | yes [3]  |
| see proposals, held / rejected notes| no        | yes            | yes      | yes       | yes      |
| archive, merge, restore             | no        | no             | yes      | no        | yes      |
| label, merge tags                   | no        | no             | yes      | no        | yes      |
| mark a source checked [4]           | no        | no             | yes      | no        | yes      |
| hide a comment, decide its reports  | no        | no             | no       | yes       | yes      |

Comments belong to their authors, whatever their role: the author edits one within
COMMENT_EDIT_MINUTES and deletes it; any other signed-in reader may report it.

[1] the owner and the collaborators of the record (a curator or admin among them acts as one).
    Under review or archived, members neither edit nor add notes.
[2] private with the draft until it is published, as the draft is.
[3] four eyes, below.
[4] from anyone else, an edit keeps each source's checked state (services/sources.py).

Notes follow edits: whoever's edit of the record goes live directly publishes notes at
once; whoever's edit would be a pending revision has their note held. Four eyes: nobody
decides on a record they own, nor on content they wrote since the record was last
approved (for a submission: created, edited, restored, merged, bulk-changed or submitted
it; for a pending revision: any of its authors; for a held note: its author).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rules import add_perm, predicate

from .choices import EventAction, ModerationState

State = ModerationState


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


@predicate
def is_admin(user) -> bool:
    return _active(user) and user.is_superuser


@predicate
def is_curator(user) -> bool:
    return _active(user) and user.is_curator


@predicate
def is_moderator(user) -> bool:
    return _active(user) and user.is_moderator


@predicate
def is_member(user, initiative) -> bool:
    """The owner or a collaborator."""
    if not _active(user) or initiative.pk is None:
        return False
    if initiative.owner_id == user.pk:
        return True
    cache = getattr(initiative, "_collaborator_ids", None)
    if cache is None:
        cache = set(initiative.collaborators.values_list("pk", flat=True))
        initiative._collaborator_ids = cache
    return user.pk in cache


@predicate
def can_create(user) -> bool:
    from governance.choices import Role

    return _active(user) and (user.is_superuser or any(user.has_role(role) for role in Role.values))


@predicate
def can_view(user, initiative) -> bool:
    if initiative.moderation_state == State.PUBLISHED:
        return True
    return is_admin(user) or is_curator(user) or is_moderator(user) or is_member(user, initiative)


def can_follow_merge(user, source, survivor) -> bool:
    """Whether a merged record's address may lead this user on to the record that survived.

    The survivor's slug names its title, so the user must be able to see the survivor; and
    leading on from the old address says that the merged record existed, so that address
    must have been known to them: published once, or a record they may see.
    """
    if not can_view(user, survivor):
        return False
    return source.published_at is not None or can_view(user, source)


@predicate
def can_read_full_history(user, initiative) -> bool:
    """Versions from before the first publication, and the reasons given for transitions,
    were never public: they are for the record's members and staff."""
    return is_admin(user) or is_curator(user) or is_moderator(user) or is_member(user, initiative)


def edit_mode(user, initiative) -> str | None:
    """'direct', 'revision' (held for a moderator) or None when the user may not edit."""
    if not _active(user) or initiative.merged_into_id:
        return None
    state = initiative.moderation_state
    if is_admin(user) or is_curator(user):
        return "direct"
    if not is_member(user, initiative):
        return None
    if state in (State.DRAFT, State.REJECTED):
        return "direct"
    if state == State.PUBLISHED:
        return "revision"
    return None


@predicate
def can_submit(user, initiative) -> bool:
    if initiative.moderation_state not in (State.DRAFT, State.REJECTED) or initiative.merged_into_id:
        return False
    return is_admin(user) or is_curator(user) or is_member(user, initiative)


# What puts content into a record or sends it for review. Whoever did any of these since the
# record was last approved wrote some of what a moderator is asked to decide.
AUTHORING_EVENTS = (
    EventAction.CREATE,
    EventAction.EDIT,
    EventAction.SUBMIT,
    EventAction.RESTORE,
    EventAction.MERGE,
    EventAction.BULK,
)


def authoring_events(user_id, initiative):
    """The events by which `user_id` wrote or submitted a record's content since its last approval.

    `initiative` is a record's id, or OuterRef("pk") inside a query of initiatives, so that a
    list learns it for every row in its own query. Events are compared by id: a record's
    writes take its row lock before they record their event, so ids follow their order.
    """
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import InitiativeEvent

    last_approval = (
        InitiativeEvent.objects.filter(initiative=OuterRef("initiative_id"), action=EventAction.APPROVE)
        .order_by("-id")
        .values("id")[:1]
    )
    return InitiativeEvent.objects.filter(
        initiative=initiative, actor_id=user_id, action__in=AUTHORING_EVENTS
    ).filter(id__gt=Coalesce(Subquery(last_approval), 0))


def wrote_under_review(user, initiative) -> bool:
    """Whether the user wrote or submitted any of the content since the record's last approval."""
    if not _active(user) or initiative.pk is None:
        return False
    if "caller_wrote_under_review" in initiative.__dict__:
        # Annotated by list queries for their caller, so that a page costs no query per record.
        return initiative.caller_wrote_under_review
    return authoring_events(user.pk, initiative.pk).exists()


def _may_decide(user, initiative) -> bool:
    """Moderators and admins decide, never on what they own, wrote or submitted (four eyes)."""
    if not (is_admin(user) or is_moderator(user)):
        return False
    if initiative.owner_id == user.pk:
        return False
    return not wrote_under_review(user, initiative)


@predicate
def can_approve(user, initiative) -> bool:
    return initiative.moderation_state == State.SUBMITTED and _may_decide(user, initiative)


@predicate
def can_reject(user, initiative) -> bool:
    return can_approve(user, initiative)


@predicate
def may_decide_revision(user, revision) -> bool:
    """Moderators and admins, never on a record they own nor on a proposal they helped write."""
    if not (is_admin(user) or is_moderator(user)):
        return False
    if revision.initiative.owner_id == user.pk:
        return False
    # all(), not a filtered query, so that authors prefetched for a page are used.
    return user.pk not in {author.pk for author in revision.authors.all()}


@predicate
def can_decide_revision(user, revision) -> bool:
    """May approve or reject this proposal now: it is still open and they may decide it."""
    return revision.state == "open" and may_decide_revision(user, revision)


@predicate
def can_view_moderation(user, initiative) -> bool:
    """Proposed changes, held and rejected notes are for the record's members and the staff roles."""
    return is_admin(user) or is_curator(user) or is_moderator(user) or is_member(user, initiative)


@predicate
def can_archive(user, initiative) -> bool:
    return initiative.moderation_state == State.PUBLISHED and (is_admin(user) or is_curator(user))


@predicate
def can_restore(user, initiative) -> bool:
    return not initiative.merged_into_id and (is_admin(user) or is_curator(user))


@predicate
def can_merge(user, initiative) -> bool:
    return not initiative.merged_into_id and (is_admin(user) or is_curator(user))


@predicate
def can_delete(user, initiative) -> bool:
    """Admins delete anything; owners delete a draft that was never published."""
    if is_admin(user):
        return True
    return (
        _active(user)
        and initiative.owner_id == user.pk
        and initiative.moderation_state == State.DRAFT
        and initiative.published_at is None
    )


@predicate
def can_remove_collaborator(user, initiative) -> bool:
    """The owner, a curator or an administrator takes collaborators off a record."""
    return _active(user) and (initiative.owner_id == user.pk or is_admin(user) or is_curator(user))


def can_withdraw_invitation(user, invitation) -> bool:
    """Whoever sent an invitation, or whoever may take collaborators off the record, withdraws it."""
    return _active(user) and (
        invitation.invited_by_id == user.pk or can_remove_collaborator(user, invitation.initiative)
    )


def note_mode(user, initiative) -> str | None:
    """'direct' (a new note is live at once), 'held' (it waits for a moderator) or None.

    Notes follow edits: a note by someone whose edit would be a pending revision waits too.
    """
    return {"direct": "direct", "revision": "held"}.get(edit_mode(user, initiative))


@predicate
def can_add_update(user, initiative) -> bool:
    return note_mode(user, initiative) is not None


@predicate
def may_decide_note(user, note) -> bool:
    """Moderators and admins, never on a note they wrote nor on a record they own."""
    if not (is_admin(user) or is_moderator(user)):
        return False
    return note.author_id != user.pk and note.initiative.owner_id != user.pk


@predicate
def can_hide_comment(user) -> bool:
    return is_admin(user) or is_moderator(user)


@predicate
def can_read_comment(user, comment) -> bool:
    """A comment's wording: never once deleted; once hidden, for its author and moderators."""
    if comment.deleted_at is not None:
        return False
    if comment.hidden_at is None:
        return True
    return (_active(user) and comment.author_id == user.pk) or can_hide_comment(user)


def comment_edit_open(comment) -> bool:
    """Whether a comment is still within the minutes its author may change it in."""
    return timezone.now() <= comment.created_at + timedelta(minutes=settings.COMMENT_EDIT_MINUTES)


@predicate
def can_delete_own_comment(user, comment) -> bool:
    """The author deletes their comment (moderators hide, they do not delete)."""
    return _active(user) and comment.author_id == user.pk and comment.deleted_at is None


@predicate
def can_edit_own_comment(user, comment) -> bool:
    """The author changes their comment's wording, within COMMENT_EDIT_MINUTES of posting it."""
    return can_delete_own_comment(user, comment) and comment_edit_open(comment)


@predicate
def can_report_comment(user, comment) -> bool:
    """A signed-in reader reports a comment they can read and did not write."""
    return _active(user) and comment.author_id != user.pk and can_read_comment(user, comment)


@predicate
def can_edit(user, initiative) -> bool:
    """May change the live record directly."""
    return edit_mode(user, initiative) == "direct"


@predicate
def can_propose_revision(user, initiative) -> bool:
    """May edit only as a proposal held for a moderator."""
    return edit_mode(user, initiative) == "revision"


@predicate
def given(user, obj) -> bool:
    """Whether a thing was named: object permissions answer nothing about a whole model."""
    return obj is not None


# The actions allowed_actions offers, each under its permission name.
RECORD_RULES = {
    "initiatives.submit_initiative": can_submit,
    "initiatives.approve_initiative": can_approve,
    "initiatives.reject_initiative": can_reject,
    "initiatives.archive_initiative": can_archive,
    "initiatives.restore_initiative": can_restore,
    "initiatives.merge_initiative": can_merge,
    "initiatives.delete_initiative": can_delete,
    "initiatives.add_update": can_add_update,
}

# The permission names every surface asks, each with its rule. Object permissions guard with
# `given` so that, asked without an object, they say no and Django's group permissions answer.
PERMISSIONS = {
    # Without an object: what the admin offers a person at all.
    "initiatives.add_initiative": can_create,
    "initiatives.moderate": is_admin | is_moderator,
    "initiatives.curate": is_admin | is_curator,
    # Importing a file of records (CSV, XLSX, JSON Lines): curators and administrators.
    "initiatives.import_initiatives": is_admin | is_curator,
    # The tag vocabulary (labels, synonyms, merging one tag into another), with or without a tag.
    "initiatives.curate_tags": is_admin | is_curator,
    # Saying a source was checked, on a record or in general (a new record's links).
    "initiatives.check_source": is_admin | is_curator,
    "initiatives.hide_comment": can_hide_comment,
    # On an initiative.
    "initiatives.view_initiative": given & can_view,
    "initiatives.read_full_history": given & can_read_full_history,
    "initiatives.view_moderation": given & can_view_moderation,
    "initiatives.change_initiative": given & can_edit,
    "initiatives.propose_revision": given & can_propose_revision,
    "initiatives.remove_collaborator": given & can_remove_collaborator,
    **{name: given & rule for name, rule in RECORD_RULES.items()},
    # On a proposed revision and on a held note (four eyes; whether it is still open is the
    # service's to say, with its own message).
    "initiatives.decide_revision": given & may_decide_revision,
    "initiatives.decide_update": given & may_decide_note,
    # On a comment (whether its record may be seen is the caller's or the service's to ask).
    "initiatives.edit_own_comment": given & can_edit_own_comment,
    "initiatives.delete_own_comment": given & can_delete_own_comment,
    "initiatives.report_comment": given & can_report_comment,
}
for _name, _rule in PERMISSIONS.items():
    add_perm(_name, _rule)


# What allowed_actions names each permission, for clients and templates.
ACTIONS = {
    "submit": "initiatives.submit_initiative",
    "approve": "initiatives.approve_initiative",
    "reject": "initiatives.reject_initiative",
    "archive": "initiatives.archive_initiative",
    "restore": "initiatives.restore_initiative",
    "merge": "initiatives.merge_initiative",
    "delete": "initiatives.delete_initiative",
    "add_update": "initiatives.add_update",
}


def _has_a_part(user, initiative) -> bool:
    """A staff role, or a part in this record (owner or collaborator)."""
    if not _active(user):
        return False
    return user.is_superuser or user.is_curator or user.is_moderator or is_member.fn(user, initiative)


def allowed_actions(user, initiative) -> list[str]:
    """What this user may do to this initiative now, for clients and templates."""
    if not _has_a_part(user, initiative):
        # Every rule below offers nothing to someone with no staff role and no part in the
        # record; a signed-in reader's list is mostly others' records, asked row by row.
        return []
    actions = []
    mode = edit_mode(user, initiative)
    if mode == "direct":
        actions.append("edit")
    elif mode == "revision":
        actions.append("propose_revision")
    # The predicates registered under these names, called directly: a list asks this for every
    # row, and the registry's dispatch would cost several times the rule itself.
    actions.extend(name for name, permission in ACTIONS.items() if RECORD_RULES[permission](user, initiative))
    return actions
