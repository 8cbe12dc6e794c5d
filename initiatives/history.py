"""Snapshots of an initiative's content, their differences, and how they are applied.

One JSON shape serves the history (`Revision.snapshot`), pending revisions and the API:
plain fields as strings, the key task and action line as slugs, countries as ISO codes,
relations as sorted lists, so that two snapshots compare equal exactly when the content is
the same.

A source link is an object with every key of LINK_DEFAULTS; snapshots written before a key
existed read it as its default (link_item), so old versions still show, compare and restore.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.choices import Language
from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

from .choices import HistoryAction, ParticipationRole, TranslationStatus
from .markup import render_markdown
from .models import (
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeTranslation,
    Participation,
    Result,
    Revision,
    SourceLink,
)
from .models.results import VALUE_DIGITS, VALUE_PLACES, latest_of, progress_towards
from .vocabulary import tags_canonical

SCALAR_FIELDS = ("title", "summary", "body", "language", "kind", "status")
DATE_FIELDS = ("start_date", "end_date")
SLUG_FIELDS = ("key_task", "action_line")
RELATION_FIELDS = (
    "countries",
    "advocacies",
    "tags",
    "participations",
    "links",
    "collaborators",
    "translations",
    "results",
)
# The text fields a record has in each language; the original's are the record's own columns.
TEXT_FIELDS = ("title", "summary", "body")
CONTENT_FIELDS = SCALAR_FIELDS + DATE_FIELDS + SLUG_FIELDS + RELATION_FIELDS
# The most items a record's relation may hold: each item costs queries and rows on every
# write, and no real initiative comes near these.
RELATION_LIMITS = {
    "tags": 50,
    "countries": 50,
    "participations": 50,
    "links": 20,
    "collaborators": 20,
    "advocacies": 20,
    "results": 20,
}
# A source link in a snapshot, each key with what it means when an older snapshot lacks it.
# Who checked a source and when are the services' to write (services/sources.py), never input.
LINK_DEFAULTS = {
    "url": "",
    "title": "",
    "publisher": "",
    "language": "",
    "published_on": None,
    "accessed_on": None,
    "checked": False,
    "checked_by": None,
    "checked_at": None,
}
LINK_DATE_FIELDS = ("published_on", "accessed_on")


def link_item(item: dict) -> dict:
    """A snapshot's source link with every key, those it lacks at their defaults."""
    return {key: item.get(key, default) for key, default in LINK_DEFAULTS.items()}


def moment_text(value: datetime.datetime | None) -> str | None:
    """A moment as snapshots keep it: ISO 8601 in UTC, with Z, as the API writes moments."""
    if value is None:
        return None
    text = value.astimezone(datetime.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def link_snapshot(link: SourceLink) -> dict:
    """A source link row as a snapshot holds it."""
    return {
        "url": link.url,
        "title": link.title,
        "publisher": link.publisher,
        "language": link.language,
        "published_on": link.published_on.isoformat() if link.published_on else None,
        "accessed_on": link.accessed_on.isoformat() if link.accessed_on else None,
        "checked": link.checked,
        "checked_by": link.checked_by.get_username() if link.checked_by else None,
        "checked_at": moment_text(link.checked_at),
    }


def links_of(initiative: Initiative) -> list[dict]:
    """The record's source links as they are in the database now, as a snapshot holds them."""
    return [
        link_snapshot(link)
        for link in SourceLink.objects.filter(initiative=initiative).select_related("checked_by")
    ]


def links_checked(links: list[dict], *, current: list[dict], actor=None, may_check: bool) -> list[dict]:
    """The links to write, each with its checked state, who checked it and when.

    Someone who may not check sources changes none of it: each link keeps the state of the
    current link with the same address. A curator's link that says nothing of it (None) keeps
    it too; one that changes it is stamped with the curator and the moment.
    """
    kept = {}
    for link in current:
        kept.setdefault(link["url"], link_item(link))
    now = None
    written = []
    for link in links:
        link = dict(link)
        before = kept.get(link.get("url"), {"checked": False, "checked_by": None, "checked_at": None})
        wanted = link.get("checked")
        if not may_check or wanted is None or bool(wanted) == bool(before["checked"]):
            state = {key: before[key] for key in ("checked", "checked_by", "checked_at")}
        elif wanted:
            now = now or timezone.now()
            checker = actor.get_username() if actor is not None and actor.is_authenticated else None
            state = {"checked": True, "checked_by": checker, "checked_at": moment_text(now)}
        else:
            state = {"checked": False, "checked_by": None, "checked_at": None}
        written.append({**link, **state})
    return written


# The most indicators a result may hold, and periods an indicator.
RESULT_LIMITS = {"indicators": 20, "periods": 40}


def translations_snapshot(rows) -> dict:
    """A record's translation rows as the snapshot keeps them: {language: {title, summary, body, status}}."""
    return {
        t.language: {"title": t.title, "summary": t.summary, "body": t.body, "status": t.status} for t in rows
    }


def snapshot_of(initiative: Initiative) -> dict:
    """The content of an initiative as it is in the database now."""
    initiative = (
        Initiative.objects.select_related("key_task", "action_line")
        .prefetch_related(
            "countries",
            "advocacies",
            "tags",
            "participations__stakeholder",
            "links__checked_by",
            "collaborators",
            "translations",
            "results__indicators__periods",
        )
        .get(pk=initiative.pk)
    )
    snapshot = {field: getattr(initiative, field) for field in SCALAR_FIELDS}
    for field in DATE_FIELDS:
        value = getattr(initiative, field)
        snapshot[field] = value.isoformat() if value else None
    snapshot["key_task"] = initiative.key_task.slug
    snapshot["action_line"] = initiative.action_line.slug if initiative.action_line else None
    snapshot["countries"] = sorted(c.code for c in initiative.countries.all())
    snapshot["advocacies"] = sorted(a.slug for a in initiative.advocacies.all())
    snapshot["tags"] = sorted(t.name for t in initiative.tags.all())
    snapshot["participations"] = sorted(
        ({"stakeholder": p.stakeholder.slug, "role": p.role} for p in initiative.participations.all()),
        key=lambda p: p["stakeholder"],
    )
    snapshot["links"] = [link_snapshot(link) for link in initiative.links.all()]
    snapshot["collaborators"] = sorted(u.get_username() for u in initiative.collaborators.all())
    snapshot["translations"] = translations_snapshot(initiative.translations.all())
    snapshot["results"] = [
        {
            "id": result.pk,
            "title": result.title,
            "indicators": [
                {
                    "id": indicator.pk,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": number_text(indicator.baseline),
                    "target": number_text(indicator.target),
                    "periods": [
                        {
                            "start": period.start.isoformat(),
                            "end": period.end.isoformat(),
                            "actual": number_text(period.actual),
                        }
                        for period in indicator.periods.all()
                    ],
                }
                for indicator in result.indicators.all()
            ],
        }
        for result in initiative.results.all()
    ]
    return snapshot


def _translation_values(value) -> dict:
    """Translations as the snapshot keeps them: {language: {title, summary, body, status}}.

    A language given as null, or with no text and no status, has no translation. Text is kept
    as written; the status defaults to "person" (someone wrote it).
    """
    if not isinstance(value, dict):
        return value  # snapshot_resolve says what is wrong with it
    values = {}
    for language, entry in value.items():
        if entry is None:
            continue
        if not isinstance(entry, dict):
            values[str(language)] = entry
            continue
        text = {field: str(entry.get(field) or "") for field in TEXT_FIELDS}
        status = entry.get("status")
        if not any(text.values()) and not status:
            continue
        values[str(language)] = {**text, "status": str(status or TranslationStatus.PERSON)}
    return dict(sorted(values.items()))


def translations_merge(current: dict, given: dict) -> dict:
    """`given` laid over `current` language by language and field by field (a partial write):
    the fields it names are replaced, the others kept; a language given as null is removed."""
    merged = {language: dict(entry) for language, entry in (current or {}).items()}
    for language, entry in (given or {}).items():
        if entry is None:
            merged.pop(language, None)
        elif isinstance(entry, dict):
            merged[language] = {**merged.get(language, {}), **entry}
        else:
            merged[language] = entry
    return merged


def number_text(value):
    """An indicator's value as the snapshot writes it: the shortest decimal text ("12.5", not
    "12.5000"), so that equal values compare equal; None stays None, and what is not a number
    is kept as given for snapshot_resolve to report."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return value
    if not number.is_finite() or abs(number.adjusted()) > VALUE_DIGITS:
        # Kept as given (not written out digit by digit) for snapshot_resolve to refuse.
        return str(value)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def number_value(text):
    """A snapshot's value (decimal text) as a JSON number, as the API and the exports write it:
    whole numbers as integers, None as None."""
    if text is None:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def _indicator_with_numbers(indicator: dict) -> dict:
    """An indicator as the API and the exports give it, with its latest value and its progress
    towards the target (models/results.py, as the record's page says it)."""
    latest = latest_of(indicator["periods"])
    decimal = {
        key: Decimal(indicator[key]) if indicator[key] is not None else None for key in ("baseline", "target")
    }
    return {
        "id": indicator["id"],
        "name": indicator["name"],
        "unit": indicator["unit"],
        "baseline": number_value(indicator["baseline"]),
        "target": number_value(indicator["target"]),
        "periods": [
            {"start": period["start"], "end": period["end"], "actual": number_value(period["actual"])}
            for period in indicator["periods"]
        ],
        "latest_actual": number_value(latest["actual"]) if latest else None,
        "progress": progress_towards(
            baseline=decimal["baseline"],
            target=decimal["target"],
            actual=Decimal(latest["actual"]) if latest else None,
        ),
    }


def results_with_numbers(results: list[dict]) -> list[dict]:
    """A snapshot's results as the API and the exports give them: values as JSON numbers, keys
    in the order they are read (the database keeps a snapshot's keys in an order of its own)."""
    return [
        {
            "id": result["id"],
            "title": result["title"],
            "indicators": [_indicator_with_numbers(indicator) for indicator in result["indicators"]],
        }
        for result in results or []
    ]


def _date_text(value):
    return value.isoformat() if isinstance(value, datetime.date) else (value or None)


def _item_id(value):
    """An item's id as given: an integer, or None for a new item; anything else kept to be refused."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _results_values(value) -> list[dict]:
    """Results as the snapshot holds them; periods sorted, so that their order given does not count."""
    return [
        {
            "id": _item_id(result.get("id")),
            "title": str(result.get("title") or "").strip(),
            "indicators": [
                {
                    "id": _item_id(indicator.get("id")),
                    "name": str(indicator.get("name") or "").strip(),
                    "unit": str(indicator.get("unit") or "").strip(),
                    "baseline": number_text(indicator.get("baseline")),
                    "target": number_text(indicator.get("target")),
                    "periods": sorted(
                        (
                            {
                                "start": _date_text(period.get("start")),
                                "end": _date_text(period.get("end")),
                                "actual": number_text(period.get("actual")),
                            }
                            for period in _items(indicator.get("periods"))
                        ),
                        key=lambda period: (str(period["start"]), str(period["end"])),
                    ),
                }
                for indicator in _items(result.get("indicators"))
            ],
        }
        for result in _items(value)
    ]


def snapshot_values(data: dict) -> dict:
    """Turn form or serializer values (model instances, dates) into snapshot values."""
    values = {}
    for field, value in data.items():
        if field not in CONTENT_FIELDS:
            continue
        if field in DATE_FIELDS:
            value = value.isoformat() if isinstance(value, datetime.date) else (value or None)
        elif field in SLUG_FIELDS:
            value = getattr(value, "slug", value) or None
        elif field == "countries":
            value = sorted(getattr(c, "code", c) for c in value or [])
        elif field == "advocacies":
            value = sorted(getattr(a, "slug", a) for a in value or [])
        elif field == "tags":
            # A tag given by a label or a synonym, in any case, is stored by its name.
            value = sorted(tags_canonical(getattr(t, "name", t) for t in value or []))
        elif field == "participations":
            # A key left out stays None here; snapshot_resolve reports it on the field.
            value = sorted(
                (
                    {
                        "stakeholder": getattr(p.get("stakeholder"), "slug", p.get("stakeholder")),
                        "role": p.get("role"),
                    }
                    for p in _items(value)
                ),
                key=lambda p: str(p["stakeholder"] or ""),
            )
        elif field == "links":
            value = [_link_values(link) for link in _items(value)]
        elif field == "collaborators":
            value = sorted(getattr(u, "username", u) for u in value or [])
        elif field == "translations":
            value = _translation_values(value if value is not None else {})
        elif field == "results":
            value = _results_values(value)
        elif value is None:
            value = ""
        values[field] = value
    return values


def _link_values(link: dict) -> dict:
    """A source link from a form or serializer. `checked` left out is None: the services keep
    the state of the record's link with the same address (services/sources.py)."""
    values = {
        "url": link.get("url"),
        "title": link.get("title") or "",
        "publisher": link.get("publisher") or "",
        "language": link.get("language") or "",
    }
    for field in LINK_DATE_FIELDS:
        value = link.get(field)
        values[field] = value.isoformat() if isinstance(value, datetime.date) else (value or None)
    checked = link.get("checked")
    values["checked"] = None if checked is None else checked
    values["checked_by"] = None
    values["checked_at"] = None
    return values


def _items(value) -> list[dict]:
    """The items of a list of objects; anything else in the list counts as an empty object."""
    return [item if isinstance(item, dict) else {} for item in value or []]


def snapshot_diff(old: dict, new: dict) -> dict:
    """Field by field: {field: [before, after]} for every field that differs."""
    return {
        field: [old.get(field), new.get(field)]
        for field in sorted(set(old) | set(new))
        if old.get(field) != new.get(field)
        # A relation a snapshot predates (None) and one that is empty are the same content.
        and not (field in RELATION_FIELDS and not old.get(field) and not new.get(field))
    }


def _resolve(model, field: str, keys: Iterable[str], lookup: str = "slug") -> list:
    keys = list(keys)
    found = {getattr(obj, lookup): obj for obj in model.objects.filter(**{f"{lookup}__in": keys})}
    missing = [key for key in keys if key not in found]
    if missing:
        raise ValidationError(
            {field: _("Unknown value: %(values)s.") % {"values": ", ".join(map(str, missing))}}
        )
    return [found[key] for key in keys]


def snapshot_resolve(values: dict) -> dict:
    """Check a (partial) snapshot and resolve its slugs; raises ValidationError per field."""
    resolved = {}
    errors = {}
    for field, value in values.items():
        try:
            if field == "key_task":
                resolved[field] = _resolve(KeyTask, field, [value])[0] if value else None
                if value is None:
                    raise ValidationError({field: _("A key task is required.")})
            elif field == "action_line":
                resolved[field] = _resolve(ActionLine, field, [value])[0] if value else None
            elif field in DATE_FIELDS:
                resolved[field] = datetime.date.fromisoformat(value) if value else None
            elif field == "countries":
                resolved[field] = _resolve(Country, field, value, lookup="code")
            elif field == "advocacies":
                resolved[field] = _resolve(Advocacy, field, value)
            elif field == "participations":
                if any(not p["stakeholder"] or not p["role"] for p in value):
                    raise ValidationError({field: _("Give each stakeholder with its role.")})
                stakeholders = _resolve(Stakeholder, field, [p["stakeholder"] for p in value])
                if len({s.pk for s in stakeholders}) != len(stakeholders):
                    raise ValidationError({field: _("Each stakeholder may take part once.")})
                roles = [p["role"] for p in value]
                bad = [role for role in roles if role not in ParticipationRole.values]
                if bad:
                    raise ValidationError({field: _("Unknown role: %(roles)s.") % {"roles": ", ".join(bad)}})
                resolved[field] = list(zip(stakeholders, roles, strict=True))
            elif field == "links":
                resolved[field] = _resolve_links(value)
            elif field == "collaborators":
                resolved[field] = _resolve(get_user_model(), field, value, lookup="username")
            elif field == "translations":
                resolved[field] = _resolve_translations(value)
            elif field == "tags":
                # A proposal or an old version may name a tag merged since: its name is now a
                # synonym of the tag that took its records.
                resolved[field] = sorted(tags_canonical(value))
            elif field == "results":
                resolved[field] = _resolve_results(value)
            else:
                resolved[field] = value
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return resolved


def _resolve_translations(value) -> dict:
    """Check the shape of translations; the rules between them and the record are validation's."""
    if not isinstance(value, dict) or any(not isinstance(entry, dict) for entry in value.values()):
        raise ValidationError(
            {"translations": _('Give translations as an object keyed by language: {"en": {"title": …}}.')}
        )
    known = {code for code, _label in Language.choices}
    unknown = sorted(language for language in value if language not in known)
    if unknown:
        raise ValidationError(
            {
                "translations": _("Unknown language: %(languages)s (use %(known)s).")
                % {"languages": ", ".join(unknown), "known": ", ".join(sorted(known))}
            }
        )
    return value


def _resolve_links(value: list) -> list[dict]:
    """Check source links and read their dates, moments and checkers; raises ValidationError."""
    links = [link_item(link) for link in _items(value)]
    if any(not link["url"] for link in links):
        raise ValidationError({"links": _("Give each link with its address.")})
    errors = []
    for link in links:
        if link["language"] not in ("", *Language.values):
            errors.append(_("“%(value)s” is not a language of a source.") % {"value": link["language"]})
        for field in LINK_DATE_FIELDS:
            try:
                link[field] = datetime.date.fromisoformat(link[field]) if link[field] else None
            except (TypeError, ValueError):
                errors.append(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": link[field]})
        if link["checked"] not in (True, False, None):
            errors.append(_("Say whether a source is checked with true or false."))
        try:
            moment = link["checked_at"]
            link["checked_at"] = datetime.datetime.fromisoformat(moment) if moment else None
        except (TypeError, ValueError):
            link["checked_at"] = None
    if errors:
        raise ValidationError({"links": errors})
    # Who checked a source is kept by name; someone no longer here is kept as nobody.
    names = {link["checked_by"] for link in links if link["checked_by"]}
    people = {user.get_username(): user for user in get_user_model().objects.filter(username__in=names)}
    for link in links:
        link["checked_by"] = people.get(link["checked_by"])
    return links


def _number(value, errors: list, label: str):
    """A value of an indicator as a Decimal the database holds; a message in `errors` otherwise."""
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or isinstance(value, bool) or not number.is_finite():
        errors.append(_("%(label)s: “%(value)s” is not a number.") % {"label": label, "value": value})
        return None
    # Measured by magnitude first: normalising a number like 1e999999999 overflows.
    too_large = number.adjusted() >= VALUE_DIGITS - VALUE_PLACES
    _sign, digits, exponent = (number if too_large else number.normalize()).as_tuple()
    places = max(-exponent, 0)
    whole = max(len(digits) + exponent, 0)
    if too_large or places > VALUE_PLACES or whole > VALUE_DIGITS - VALUE_PLACES:
        errors.append(
            _("%(label)s: give at most %(whole)d digits before the decimal point and %(places)d after.")
            % {"label": label, "whole": VALUE_DIGITS - VALUE_PLACES, "places": VALUE_PLACES}
        )
        return None
    return number


def _date(value, errors: list, label: str):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(_("%(label)s: give a date (YYYY-MM-DD).") % {"label": label})
        return None


def _resolve_results(value: list[dict]) -> list[dict]:
    """Results with their values as numbers and dates; every fault found is reported on `results`."""
    errors = []
    seen = {"result": set(), "indicator": set()}

    unknown = {
        "result": _("Unknown result id: %(ids)s."),
        "indicator": _("Unknown indicator id: %(ids)s."),
    }
    twice = {
        "result": _("The result id %(id)s is given twice."),
        "indicator": _("The indicator id %(id)s is given twice."),
    }

    def identifier(item, kind):
        item_id = item["id"]
        if item_id is None:
            return None
        if not isinstance(item_id, int) or item_id < 1:
            errors.append(unknown[kind] % {"ids": item_id})
            return None
        if item_id in seen[kind]:
            errors.append(twice[kind] % {"id": item_id})
        seen[kind].add(item_id)
        return item_id

    resolved = []
    for result in value:
        indicators = []
        for indicator in result["indicators"]:
            label = indicator["name"] or _("indicator")
            periods = [
                {
                    "start": _date(period["start"], errors, label),
                    "end": _date(period["end"], errors, label),
                    "actual": _number(period["actual"], errors, label),
                }
                for period in indicator["periods"]
            ]
            indicators.append(
                {
                    "id": identifier(indicator, "indicator"),
                    "name": indicator["name"],
                    "unit": indicator["unit"],
                    "baseline": _number(indicator["baseline"], errors, label),
                    "target": _number(indicator["target"], errors, label),
                    "periods": periods,
                }
            )
        resolved.append(
            {"id": identifier(result, "result"), "title": result["title"], "indicators": indicators}
        )
    if errors:
        raise ValidationError({"results": errors})
    return resolved


def _results_apply(initiative: Initiative, results: list[dict]) -> None:
    """Write the record's results: an item with the id of one of the record's items updates it
    (so notes that report against an indicator keep it), one without is created, and the
    record's items left out are deleted. An id the record does not hold (an item deleted
    since the snapshot was taken) is created anew."""
    kept_results = {result.pk: result for result in Result.objects.filter(initiative=initiative)}
    kept_indicators = {
        indicator.pk: indicator for indicator in Indicator.objects.filter(result__initiative=initiative)
    }
    IndicatorPeriod.objects.filter(indicator__result__initiative=initiative).delete()
    results_seen, indicators_seen, periods = set(), set(), []
    for position, item in enumerate(results):
        result = kept_results.get(item["id"]) or Result(initiative=initiative)
        if result.pk is None or (result.title, result.position) != (item["title"], position):
            result.title, result.position = item["title"], position
            result.save()
        results_seen.add(result.pk)
        for place, entry in enumerate(item["indicators"]):
            indicator = kept_indicators.get(entry["id"]) or Indicator()
            fields = {
                "result_id": result.pk,
                "name": entry["name"],
                "unit": entry["unit"],
                "baseline": entry["baseline"],
                "target": entry["target"],
                "position": place,
            }
            if indicator.pk is None or any(getattr(indicator, k) != v for k, v in fields.items()):
                for name, field_value in fields.items():
                    setattr(indicator, name, field_value)
                indicator.save()
            indicators_seen.add(indicator.pk)
            periods.extend(IndicatorPeriod(indicator=indicator, **period) for period in entry["periods"])
    Indicator.objects.filter(result__initiative=initiative).exclude(pk__in=indicators_seen).delete()
    Result.objects.filter(initiative=initiative).exclude(pk__in=results_seen).delete()
    IndicatorPeriod.objects.bulk_create(periods)


def snapshot_apply_relations(initiative: Initiative, resolved: dict) -> None:
    """Write the relation fields of a resolved snapshot to the database."""
    if "countries" in resolved:
        initiative.countries.set(resolved["countries"])
    if "advocacies" in resolved:
        initiative.advocacies.set(resolved["advocacies"])
    if "tags" in resolved:
        initiative.tags.set(resolved["tags"], clear=False)
    if "collaborators" in resolved:
        initiative.collaborators.set(resolved["collaborators"])
    if "participations" in resolved:
        Participation.objects.filter(initiative=initiative).delete()
        Participation.objects.bulk_create(
            Participation(initiative=initiative, stakeholder=stakeholder, role=role)
            for stakeholder, role in resolved["participations"]
        )
    if "links" in resolved:
        SourceLink.objects.filter(initiative=initiative).delete()
        SourceLink.objects.bulk_create(
            SourceLink(
                initiative=initiative,
                url=link["url"],
                title=link["title"] or "",
                publisher=link["publisher"] or "",
                language=link["language"] or "",
                published_on=link["published_on"],
                accessed_on=link["accessed_on"],
                checked=bool(link["checked"]),
                checked_by=link["checked_by"] if link["checked"] else None,
                checked_at=link["checked_at"] if link["checked"] else None,
                position=index,
            )
            for index, link in enumerate(resolved["links"])
        )
    if "translations" in resolved:
        InitiativeTranslation.objects.filter(initiative=initiative).delete()
        InitiativeTranslation.objects.bulk_create(
            InitiativeTranslation(
                initiative=initiative,
                language=language,
                title=entry["title"],
                summary=entry["summary"],
                body=entry["body"],
                body_html=render_markdown(entry["body"]) if entry["body"] else "",
                status=entry["status"],
            )
            for language, entry in resolved["translations"].items()
        )
    if "results" in resolved:
        _results_apply(initiative, resolved["results"])


def revision_record(
    *, initiative: Initiative, actor, action: str, change_message: str = "", extra_changes: dict | None = None
) -> Revision:
    """Store the snapshot of the initiative's current version and what changed since the last."""
    version = Initiative.objects.filter(pk=initiative.pk).values_list("version", flat=True).get()
    snapshot = snapshot_of(initiative)
    previous = Revision.objects.filter(initiative=initiative).order_by("-version").first()
    changes = snapshot_diff(previous.snapshot if previous else {}, snapshot)
    changes.update(extra_changes or {})
    return Revision.objects.create(
        initiative=initiative,
        version=version,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        created_at=timezone.now(),
        change_message=change_message[:500],
        snapshot=snapshot,
        changes=changes,
    )


def revisions_record_bulk(*, initiative_ids: list[int], actor) -> None:
    """History for rows a service changed in one UPDATE (a bulk change), one entry each."""
    for initiative in Initiative.objects.filter(pk__in=initiative_ids):
        revision_record(initiative=initiative, actor=actor, action=HistoryAction.BULK)
