"""What a service refuses with, beyond Django's PermissionDenied and ValidationError.

The web shows both as a message, the admin as a form error, the API as 409
(api/exceptions.py).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ConcurrentEditError(Exception):
    """The record changed after the editor loaded it; nothing was saved."""

    def __init__(self, *, expected: int, current: int | None):
        self.expected = expected
        self.current = current
        super().__init__(
            _(
                "This initiative was changed by someone else since you opened it "
                "(you had version %(expected)s, it is now at version %(current)s). "
                "Nothing was saved: reload it to see their changes, then apply yours again."
            )
            % {"expected": expected, "current": current}
        )


class AlreadyDecided(PermissionDenied):
    """A moderator's decision came after another one: the proposal or note waits no more.

    A PermissionDenied, so that a door that does not tell the two apart still refuses; the
    API answers 409.
    """
