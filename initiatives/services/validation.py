"""The invariants of a record's content, checked before the database sees it.

Each rule has its home here, backed where it can be by a constraint in the database; the
web form, the API and the admin hand input on and show these messages on their fields.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from governance.choices import Language

from ..choices import InitiativeKind, InitiativeStatus, TranslationStatus
from ..history import (
    DATE_FIELDS,
    RELATION_LIMITS,
    RESULT_LIMITS,
    SCALAR_FIELDS,
    TEXT_FIELDS,
    translations_snapshot,
)
from ..markup import BODY_MAX_LENGTH
from ..models import Indicator, IndicatorPeriod, Initiative, Result, SourceLink

REQUIRED_FIELDS = ("title", "summary", "key_task", "kind")
TITLE_MAX_LENGTH = Initiative._meta.get_field("title").max_length
TEXT_LIMITS = {
    "title": TITLE_MAX_LENGTH,
    "summary": Initiative._meta.get_field("summary").max_length,
    "body": BODY_MAX_LENGTH,
}
# The kinds of record that set out results to reach; a dialogue or a declaration has none.
RESULT_KINDS = (InitiativeKind.PROJECT, InitiativeKind.PROGRAMME)


def _constraint_message(name: str, model=Initiative) -> str:
    """The message of one of the model's constraints, so that it is written once."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


def _results_errors(results: list[dict]) -> list[str]:
    """What is wrong in a list of results: names left out or too long, too many indicators or
    periods, a period that ends before it starts (a database constraint too)."""
    messages = []
    title_length = Result._meta.get_field("title").max_length
    name_length = Indicator._meta.get_field("name").max_length
    unit_length = Indicator._meta.get_field("unit").max_length
    for result in results:
        if not result["title"]:
            messages.append(_("Give each result a title."))
        elif len(result["title"]) > title_length:
            messages.append(_("Keep a result's title under %(limit)d characters.") % {"limit": title_length})
        indicators = result["indicators"]
        if len(indicators) > RESULT_LIMITS["indicators"]:
            messages.append(
                _("A result may have at most %(limit)d indicators (%(count)d given).")
                % {"limit": RESULT_LIMITS["indicators"], "count": len(indicators)}
            )
        for indicator in indicators:
            label = indicator["name"] or _("indicator")
            if not indicator["name"]:
                messages.append(_("Give each indicator a name."))
            elif len(indicator["name"]) > name_length:
                messages.append(
                    _("Keep an indicator's name under %(limit)d characters.") % {"limit": name_length}
                )
            if len(indicator["unit"]) > unit_length:
                messages.append(_("Keep a unit under %(limit)d characters.") % {"limit": unit_length})
            periods = indicator["periods"]
            if len(periods) > RESULT_LIMITS["periods"]:
                messages.append(
                    _("An indicator may have at most %(limit)d periods (%(count)d given).")
                    % {"limit": RESULT_LIMITS["periods"], "count": len(periods)}
                )
            for period in periods:
                if period["start"] and period["end"] and period["end"] < period["start"]:
                    message = _constraint_message("indicator_period_end_not_before_start", IndicatorPeriod)
                    messages.append(f"{label}: {message}")
    # One message per fault, however many items share it.
    return list(dict.fromkeys(messages))


def _relation_errors(values: dict) -> dict:
    """The rules between fields, on whichever of them the values hold.

    Both are held by the database too: the end date by the model's CheckConstraint, the
    action line by the composite foreign key of migration 0002.
    """
    errors = {}
    action_line, key_task = values.get("action_line"), values.get("key_task")
    if action_line is not None and key_task is not None and action_line.key_task_id != key_task.pk:
        errors["action_line"] = [
            _("This action line belongs to another key task (%(task)s).")
            % {"task": action_line.key_task.slug}
        ]
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = [_constraint_message("initiative_end_not_before_start")]
    return errors


def source_dates_check(*, published_on, accessed_on) -> None:
    """Refuse a source accessed before it was published, on `accessed_on`; forms and
    serializers call it on each link to show the message next to the date."""
    if published_on and accessed_on and accessed_on < published_on:
        raise ValidationError(
            {"accessed_on": [_constraint_message("sourcelink_accessed_not_before_published", SourceLink)]}
        )


def period_dates_check(*, start, end) -> None:
    """Refuse a period of an indicator that ends before it starts, on `end`; forms and
    serializers call it on each period to show the message next to the date."""
    if start and end and end < start:
        raise ValidationError(
            {"end": [_constraint_message("indicator_period_end_not_before_start", IndicatorPeriod)]}
        )


def initiative_fields_check(values: dict) -> None:
    """Refuse values whose fields disagree (an action line of another key task, an end before
    the start), field by field; forms call it on their input to show the messages next to
    the fields even when other fields are still wrong."""
    errors = _relation_errors(values)
    if errors:
        raise ValidationError(errors)


def initiative_validate(resolved: dict, *, current: dict | None = None) -> None:
    """The invariants of a record, checked before the database sees it."""
    merged = {**(current or {}), **resolved}
    errors = {}
    for field in REQUIRED_FIELDS:
        value = merged.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[field] = [_("This field is required.")]
    if len(merged.get("title") or "") > TITLE_MAX_LENGTH:
        errors["title"] = [_("Keep the title under %(limit)s characters.") % {"limit": TITLE_MAX_LENGTH}]
    # Only a body being written is measured: an edit of other fields leaves an old body be.
    if len(resolved.get("body") or "") > BODY_MAX_LENGTH:
        errors["body"] = [
            _("The description may have at most %(limit)s characters (it has %(count)s).")
            % {"limit": BODY_MAX_LENGTH, "count": len(resolved["body"])}
        ]
    errors.update(_relation_errors(merged))
    errors.update(_translation_errors(resolved, merged))
    # Source links become <a href> on every page; only web addresses, never javascript: or data:.
    web_address = URLValidator(schemes=["http", "https"])
    for link in resolved.get("links") or []:
        try:
            web_address(str(link.get("url") or ""))
        except ValidationError:
            errors["links"] = [
                _("“%(url)s” is not a web address (http or https).") % {"url": link.get("url")}
            ]
    for link in resolved.get("links") or []:
        try:
            source_dates_check(published_on=link.get("published_on"), accessed_on=link.get("accessed_on"))
        except ValidationError as error:
            errors["links"] = error.message_dict["accessed_on"]
    for field, limit in RELATION_LIMITS.items():
        if len(resolved.get(field) or ()) > limit:
            errors[field] = [
                _("At most %(limit)d (%(count)d given).") % {"limit": limit, "count": len(resolved[field])}
            ]
    if "results" in resolved:
        messages = _results_errors(resolved["results"])
        if messages:
            errors.setdefault("results", []).extend(messages)
    has_results = bool(resolved["results"]) if "results" in resolved else (current or {}).get("has_results")
    if has_results and merged.get("kind") and merged["kind"] not in RESULT_KINDS:
        errors.setdefault("results", []).append(
            _("Only projects and programmes have results; this record is a %(kind)s.")
            % {
                "kind": InitiativeKind(merged["kind"]).label
                if merged["kind"] in InitiativeKind.values
                else merged["kind"]
            }
        )
    for field, choices in (("kind", InitiativeKind), ("status", InitiativeStatus), ("language", Language)):
        if field in resolved and resolved[field] not in choices.values:
            errors[field] = [_("“%(value)s” is not a valid choice.") % {"value": resolved[field]}]
    if errors:
        raise ValidationError(errors)


def _translation_errors(resolved: dict, merged: dict) -> dict:
    """A record's translations: other languages than its own, each with a title once it has
    any text, within the original's lengths, by a person or pending."""
    if "translations" not in resolved and "language" not in resolved:
        return {}
    translations = merged.get("translations") or {}
    original = merged.get("language")
    if original in translations:
        name = Language(original).label
        if "translations" in resolved:
            return {
                "translations": [
                    _(
                        "%(language)s is this record's original language: write its text in title, "
                        "summary and body, not as a translation."
                    )
                    % {"language": name}
                ]
            }
        return {
            "language": [
                _(
                    "This record has a translation into %(language)s; remove it before making "
                    "%(language)s the original language."
                )
                % {"language": name}
            ]
        }
    messages = []
    for language, entry in translations.items():
        name = Language(language).label
        if entry.get("status") not in (TranslationStatus.PERSON, TranslationStatus.PENDING):
            messages.append(
                _("%(language)s: the status of a translation is “person” or “pending”, not “%(status)s”.")
                % {"language": name, "status": entry.get("status")}
            )
        if (entry.get("summary") or entry.get("body")) and not (entry.get("title") or "").strip():
            messages.append(_("%(language)s: a translation with text needs its title.") % {"language": name})
        for field in TEXT_FIELDS:
            if len(entry.get(field) or "") > TEXT_LIMITS[field]:
                messages.append(
                    _("%(language)s: the %(field)s may have at most %(limit)s characters.")
                    % {"language": name, "field": _(field), "limit": TEXT_LIMITS[field]}
                )
    return {"translations": messages} if messages else {}


def current_resolved(initiative: Initiative) -> dict:
    return {
        **{field: getattr(initiative, field) for field in SCALAR_FIELDS + DATE_FIELDS},
        "key_task": initiative.key_task,
        "action_line": initiative.action_line,
        "translations": translations_snapshot(initiative.translations.all()),
        # Whether the record holds results now, for an edit of its kind alone.
        "has_results": Result.objects.filter(initiative=initiative).exists(),
    }


def results_ids_check(*, initiative: Initiative | None, resolved: dict) -> None:
    """Refuse results whose ids name no result or indicator of this record (a record being
    created has none); an item given without an id is a new one."""
    if "results" not in resolved:
        return
    results = {result["id"] for result in resolved["results"]} - {None}
    indicators = {item["id"] for result in resolved["results"] for item in result["indicators"]} - {None}
    held_results = Result.objects.filter(initiative=initiative) if initiative else Result.objects.none()
    held_indicators = (
        Indicator.objects.filter(result__initiative=initiative) if initiative else Indicator.objects.none()
    )
    unknown = results - set(held_results.filter(pk__in=results).values_list("pk", flat=True))
    messages = (
        [_("Unknown result id: %(ids)s.") % {"ids": ", ".join(map(str, sorted(unknown)))}] if unknown else []
    )
    unknown = indicators - set(held_indicators.filter(pk__in=indicators).values_list("pk", flat=True))
    if unknown:
        messages.append(_("Unknown indicator id: %(ids)s.") % {"ids": ", ".join(map(str, sorted(unknown)))})
    if messages:
        raise ValidationError({"results": messages})
