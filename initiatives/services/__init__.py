"""Every write to initiatives, with its rules, one module per family of actions.

Each service runs in one transaction, checks the actor's right through `rules`, bumps the
record's `version` with `UPDATE … WHERE version = n` (so a concurrent writer is refused,
never silently overwritten), and records a history entry and an event. A change the public
can see is announced (`announcements.public_event_announce`: published, updated, archived,
merged, comment added) for the apps that listen, such as webhooks. The web, the API,
the admin, tasks and commands all call these functions, through this package:
`from initiatives import services; services.initiative_submit(...)`.

- content: create a draft, edit it (directly, or as a proposal when it must wait), delete it.
- revisions: proposals (propose, diff, approve, reject) and restoring an earlier version.
- moderation: submit, approve, reject, archive; a curator's bulk change of status.
- merge: fold a duplicate into the record that survives.
- notes: progress notes, added, corrected, and decided when held.
- discussion: comments and replies, their edits, deletion, reports and moderators' decisions.
- collaboration: follows, collaborators and invitations.
- presence: who has a record's edit form open (advisory; saving still checks the version).
- sources: whether a record's sources were checked, which only curators change.
- validation: the invariants of a record's content, one home for each.
- records: the plumbing writes share (row lock, version claim, content write, events).
- vocabulary: a tag's labels and synonyms, and merging one tag into another.
- exceptions: ConcurrentEditError and AlreadyDecided.
"""

from ..invitations import collaborator_invitation_read, collaborator_invitation_send
from .collaboration import (
    collaborator_accept,
    collaborator_invite,
    collaborator_remove,
    follow_create,
    follow_delete,
    invitation_accept,
    invitation_decline,
    invitation_withdraw,
    topic_follow_create,
    topic_follow_delete,
)
from .content import initiative_create, initiative_delete, initiative_edit
from .discussion import (
    comment_create,
    comment_delete,
    comment_edit,
    comment_hide,
    comment_report,
    comment_reports_dismiss,
)
from .exceptions import AlreadyDecided, ConcurrentEditError
from .merge import initiative_merge
from .moderation import (
    initiative_approve,
    initiative_archive,
    initiative_reject,
    initiative_submit,
    initiatives_set_status,
)
from .notes import update_approve, update_create, update_reject, update_save
from .presence import edit_presence_release, edit_presence_touch
from .records import initiative_version_check
from .revisions import initiative_restore, revision_approve, revision_diff, revision_reject
from .sources import source_check
from .validation import initiative_fields_check, period_dates_check, source_dates_check
from .vocabulary import tag_delete, tag_labels_set, tag_merge

__all__ = [
    "AlreadyDecided",
    "ConcurrentEditError",
    "collaborator_accept",
    "collaborator_invitation_read",
    "collaborator_invitation_send",
    "collaborator_invite",
    "collaborator_remove",
    "invitation_accept",
    "invitation_decline",
    "invitation_withdraw",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_hide",
    "comment_report",
    "comment_reports_dismiss",
    "edit_presence_release",
    "edit_presence_touch",
    "follow_create",
    "follow_delete",
    "topic_follow_create",
    "topic_follow_delete",
    "initiative_approve",
    "initiative_archive",
    "initiative_create",
    "initiative_delete",
    "initiative_edit",
    "initiative_fields_check",
    "period_dates_check",
    "source_dates_check",
    "initiative_merge",
    "initiative_reject",
    "initiative_restore",
    "initiative_submit",
    "initiative_version_check",
    "initiatives_set_status",
    "revision_approve",
    "revision_diff",
    "revision_reject",
    "source_check",
    "tag_delete",
    "tag_labels_set",
    "tag_merge",
    "update_approve",
    "update_create",
    "update_reject",
    "update_save",
]
