from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = _("Digests")

    def ready(self):
        from initiatives.announcements import tag_merged

        from .receivers import subscriptions_follow_tag_merge

        tag_merged.connect(
            subscriptions_follow_tag_merge, dispatch_uid="digests.subscriptions_follow_tag_merge"
        )
