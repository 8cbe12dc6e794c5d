"""The moderation queue as its own admin list (a proxy of Initiative)."""

from django.utils.translation import gettext_lazy as _

from .initiative import Initiative


class ModerationQueueItem(Initiative):
    """A submitted initiative, as the moderation queue lists it."""

    class Meta:
        proxy = True
        verbose_name = _("submission awaiting review")
        verbose_name_plural = _("moderation queue")
