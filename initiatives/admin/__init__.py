"""The admin panel: curators keep content, moderators work the queue.

Every save and action here calls initiatives.services, so the role matrix, the version
check and the history hold exactly as on the web and in the API.

- forms: the initiative's content form, the reason and merge-target forms of actions.
- actions: running a service over a selection, reporting, the intermediate action page.
- initiative: InitiativeAdmin with its inlines and the pages of one record.
- moderation: approve/reject, the moderation queue, pending revisions, held notes.
- discussion: reported comments, kept visible or hidden.
- vocabulary: tags with their labels and synonyms, and merging tags (in place of taggit's).
- readonly: revisions, events, comments, follows and invitations, shown but never edited here.

Importing the modules registers their admins.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .discussion import ReportedCommentAdmin
from .forms import CONTENT_FORM_FIELDS, InitiativeAdminForm, MergeForm, RejectForm, TagListWidget
from .initiative import InitiativeAdmin, ParticipationInline, SourceLinkInline, UpdateInline
from .moderation import ModerationActionsMixin, ModerationQueueAdmin, PendingRevisionAdmin, UpdateAdmin
from .readonly import (
    CollaborationInvitationAdmin,
    CommentAdmin,
    InitiativeEventAdmin,
    ReadOnlyAdmin,
    RevisionAdmin,
    TopicFollowAdmin,
)
from .vocabulary import TagAdmin

__all__ = [
    "CONTENT_FORM_FIELDS",
    "CollaborationInvitationAdmin",
    "CommentAdmin",
    "InitiativeAdmin",
    "InitiativeAdminForm",
    "InitiativeEventAdmin",
    "MergeForm",
    "ModerationActionsMixin",
    "ModerationQueueAdmin",
    "ParticipationInline",
    "PendingRevisionAdmin",
    "ReadOnlyAdmin",
    "RejectForm",
    "ReportedCommentAdmin",
    "RevisionAdmin",
    "SourceLinkInline",
    "TagAdmin",
    "TagListWidget",
    "TopicFollowAdmin",
    "UpdateAdmin",
    "UpdateInline",
]

admin.site.site_header = _("Concord administration")
admin.site.site_title = _("Concord")
