"""The unread notifications panel another app's page may show (the workspace), loaded by
name in its template so that app never imports this one."""

from django import template

from ..selectors import unread
from ..texts import notification_html, notification_path

register = template.Library()

SHOWN = 5


@register.inclusion_tag("notifications/_unread_panel.html", takes_context=True)
def unread_notifications_panel(context):
    user = context["user"]
    latest, total = unread(user, SHOWN)
    return {
        "items": [(n, notification_html(n), notification_path(n)) for n in latest],
        "total": total,
        "request": context.get("request"),
    }
