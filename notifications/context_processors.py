from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_notifications(request):
    """The bell's count for signed-in users, read only when a page shows it (one indexed query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
