"""Permissions the whole API shares."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from governance.models import ApiToken


class TokenMayWrite(BasePermission):
    """A read-only token reads; it never writes, whatever its user may do."""

    message = _("This token is read-only.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "read_only_token_allowed", False):
            return True
        return not (isinstance(request.auth, ApiToken) and not request.auth.write)


class IsAuthenticatedToWrite(BasePermission):
    """Anyone reads; writing needs a signed-in caller (their right is checked by the services)."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)
