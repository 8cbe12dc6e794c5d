from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from initiatives.announcements import public_event

        from .receivers import webhooks_notify

        public_event.connect(webhooks_notify, dispatch_uid="webhooks.webhooks_notify")
