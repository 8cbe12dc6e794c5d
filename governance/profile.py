"""Counts other apps keep about a person, shown with their profile (/api/v1/me/).

The frame knows no other app: an app registers its count here when it is ready.
"""

from collections.abc import Callable

_counts: dict[str, Callable] = {}


def profile_count_register(name: str, count: Callable) -> None:
    """Name a count of `count(user) -> int` for the profile."""
    _counts[name] = count


def profile_count(user, name: str) -> int:
    """The named count for this user; 0 when no app keeps it."""
    count = _counts.get(name)
    return count(user) if count is not None else 0
