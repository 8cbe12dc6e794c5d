from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from governance.profile import profile_count_register
        from initiatives.announcements import member_event

        from . import selectors
        from .receivers import notifications_enqueue

        member_event.connect(notifications_enqueue, dispatch_uid="notifications.notifications_enqueue")
        profile_count_register("unread_notifications", selectors.unread_count)
