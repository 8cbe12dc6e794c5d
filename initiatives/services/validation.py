"""The invariants of a record's content, checked before the database sees it.

Each rule has its home here, backed where it can be by a constraint in the database; the
web form, the API and the admin hand input on and show these messages on their fields.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from governance.choices import Language

from ..choices import InitiativeKind, InitiativeStatus
from ..history import DATE_FIELDS, SCALAR_FIELDS
from ..markup import BODY_MAX_LENGTH
from ..models import Initiative

REQUIRED_FIELDS = ("title", "summary", "key_task", "kind")


def initiative_validate(resolved: dict, *, current: dict | None = None) -> None:
    """The invariants of a record, checked before the database sees it."""
    merged = {**(current or {}), **resolved}
    errors = {}
    for field in REQUIRED_FIELDS:
        value = merged.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[field] = [_("This field is required.")]
    if len(merged.get("title") or "") > 300:
        errors["title"] = [_("Keep the title under 300 characters.")]
    # Only a body being written is measured: an edit of other fields leaves an old body be.
    if len(resolved.get("body") or "") > BODY_MAX_LENGTH:
        errors["body"] = [
            _("The description may have at most %(limit)s characters (it has %(count)s).")
            % {"limit": BODY_MAX_LENGTH, "count": len(resolved["body"])}
        ]
    action_line, key_task = merged.get("action_line"), merged.get("key_task")
    if action_line is not None and key_task is not None and action_line.key_task_id != key_task.pk:
        errors["action_line"] = [
            _("This action line belongs to another key task (%(task)s).")
            % {"task": action_line.key_task.slug}
        ]
    # Source links become <a href> on every page; only web addresses, never javascript: or data:.
    web_address = URLValidator(schemes=["http", "https"])
    for link in resolved.get("links") or []:
        try:
            web_address(str(link.get("url") or ""))
        except ValidationError:
            errors["links"] = [
                _("“%(url)s” is not a web address (http or https).") % {"url": link.get("url")}
            ]
    start, end = merged.get("start_date"), merged.get("end_date")
    if start and end and end < start:
        errors["end_date"] = [_("The end date cannot be before the start date.")]

    for field, choices in (("kind", InitiativeKind), ("status", InitiativeStatus), ("language", Language)):
        if field in resolved and resolved[field] not in choices.values:
            errors[field] = [_("“%(value)s” is not a valid choice.") % {"value": resolved[field]}]
    if errors:
        raise ValidationError(errors)


def current_resolved(initiative: Initiative) -> dict:
    return {
        **{field: getattr(initiative, field) for field in SCALAR_FIELDS + DATE_FIELDS},
        "key_task": initiative.key_task,
        "action_line": initiative.action_line,
    }
