from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a person is told about; each has its own channel in their settings."""

    SUBMISSION_APPROVED = "submission_approved", _("My submission was approved")
    SUBMISSION_REJECTED = "submission_rejected", _("My submission was rejected")
    REVISION_APPROVED = "revision_approved", _("A change I proposed was approved")
    REVISION_REJECTED = "revision_rejected", _("A change I proposed was rejected")
    COMMENT = "comment", _("A comment on a record I own, work on or follow")
    REPLY = "reply", _("A reply to my comment")
    MENTION = "mention", _("Someone mentioned me")
    INVITATION = "invitation", _("An invitation to collaborate")
    FOLLOWED_UPDATE = "followed_update", _("News of something I follow")
    SUBMISSION_WAITING = "submission_waiting", _("Something waits for review (moderators)")


class Channel(models.TextChoices):
    """How a notification reaches its person: every one is shown in the site too."""

    EMAIL = "email", _("By e-mail at once")
    DIGEST = "digest", _("In my digest")
    SITE = "site", _("Only in the site")


Kind = NotificationKind

# What a person gets until they choose: their own business at once, the rest gathered. An
# invitation is e-mailed by itself already, so by default it is not e-mailed twice.
DEFAULT_CHANNELS = {
    Kind.SUBMISSION_APPROVED: Channel.EMAIL,
    Kind.SUBMISSION_REJECTED: Channel.EMAIL,
    Kind.REVISION_APPROVED: Channel.EMAIL,
    Kind.REVISION_REJECTED: Channel.EMAIL,
    Kind.COMMENT: Channel.DIGEST,
    Kind.REPLY: Channel.EMAIL,
    Kind.MENTION: Channel.EMAIL,
    Kind.INVITATION: Channel.SITE,
    Kind.FOLLOWED_UPDATE: Channel.DIGEST,
    Kind.SUBMISSION_WAITING: Channel.DIGEST,
}
