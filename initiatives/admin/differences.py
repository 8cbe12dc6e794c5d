"""What moderators read in the admin: a record's results, and a proposal's difference, as
people read them rather than as the snapshot stores them.

A snapshot keeps results, translations, sources and participants as lists and objects; shown
as they are, a proposal that changes one indicator's target is a wall of JSON. Here each is
a short list: results with their indicators and periods, each translation by language with
its status, each source by its address and details, each participant with their role.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.choices import Language

from ..choices import ParticipationRole, TranslationStatus
from ..history import number_text as history_number
from ..templatetags.concord import field_labels

NOTHING = "—"
# How much of a summary or a body a difference shows: the moderator sees that it changed,
# and opens the record's history for the whole text.
TEXT_WORDS = 60


def _number(value) -> str:
    return NOTHING if value in (None, "") else str(value)


def _periods_html(periods) -> SafeString:
    if not periods:
        return mark_safe("")  # noqa: S308 -- a constant
    return format_html(
        "<br><small>{}</small>",
        format_html_join(
            "; ",
            "{}–{}: {}",
            ((p.get("start") or "?", p.get("end") or "?", _number(p.get("actual"))) for p in periods),
        ),
    )


def results_html(results) -> SafeString:
    """Results as nested lists: each result, its indicators with unit, baseline and target,
    and the value each period reached."""
    if not results:
        return format_html("{}", _("No results"))
    items = []
    for result in results:
        indicators = format_html_join(
            "",
            "<li>{} {}: {} {} → {} {}{}</li>",
            (
                (
                    indicator.get("name") or NOTHING,
                    format_html("({})", indicator["unit"]) if indicator.get("unit") else "",
                    _("baseline"),
                    _number(indicator.get("baseline")),
                    _("target"),
                    _number(indicator.get("target")),
                    _periods_html(indicator.get("periods") or []),
                )
                for indicator in result.get("indicators") or []
            ),
        )
        items.append(
            format_html(
                "<li><strong>{}</strong>{}</li>",
                result.get("title") or NOTHING,
                format_html("<ul>{}</ul>", indicators) if indicators else "",
            )
        )
    return format_html("<ul>{}</ul>", mark_safe("".join(items)))  # noqa: S308 -- each item escaped


def _status_label(status) -> str:
    try:
        return str(TranslationStatus(status).label)
    except ValueError:
        return str(status or "")


def _language_label(code) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return str(code)


def translations_html(translations) -> SafeString:
    """Each translation by language: its status, its title and the start of its summary."""
    if not translations:
        return format_html("{}", _("No translations"))
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong> ({}): {}<br><small>{}</small></li>",
            (
                (
                    _language_label(language),
                    _status_label((entry or {}).get("status")),
                    (entry or {}).get("title") or NOTHING,
                    Truncator((entry or {}).get("summary") or "").words(TEXT_WORDS),
                )
                for language, entry in sorted((translations or {}).items())
            ),
        ),
    )


def links_html(links) -> SafeString:
    """Each source by its address, with its title, publisher, language and dates, and whether
    a curator checked it."""
    if not links:
        return format_html("{}", _("No sources"))
    rows = []
    for link in links:
        details = [
            link.get("title"),
            link.get("publisher"),
            _language_label(link["language"]) if link.get("language") else "",
            link.get("published_on"),
        ]
        checked = _("checked") if link.get("checked") else _("not checked")
        rows.append((link.get("url") or NOTHING, " · ".join(str(d) for d in details if d), checked))
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}<br><small>{} ({})</small></li>", rows))


def participations_html(participations) -> SafeString:
    if not participations:
        return format_html("{}", NOTHING)
    roles = dict(ParticipationRole.choices)
    return format_html_join(
        ", ",
        "{} ({})",
        (
            (item.get("stakeholder") or NOTHING, roles.get(item.get("role"), item.get("role") or ""))
            for item in participations
        ),
    )


RENDERERS = {
    "results": results_html,
    "translations": translations_html,
    "links": links_html,
    "participations": participations_html,
}


def value_html(field: str, value) -> SafeString:
    """One side of a field's difference, readable."""
    if field in RENDERERS:
        return RENDERERS[field](value)
    if value is None or value == "" or value == []:
        return format_html("{}", NOTHING)
    if isinstance(value, list):
        return format_html("{}", ", ".join(str(item) for item in value))
    if field in ("summary", "body"):
        return format_html("{}", Truncator(str(value)).words(TEXT_WORDS))
    return format_html("{}", value)


def difference_html(changes: dict) -> SafeString:
    """A proposal's changes ({field: [live, proposed]}) as a table of readable values."""
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
        (
            (field_labels([field]), value_html(field, old), value_html(field, new))
            for field, (old, new) in changes.items()
        ),
    )
    return format_html(
        "<table class='revision-difference'><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
        "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("field"),
        _("live"),
        _("proposed"),
        rows,
    )


def results_table_html(initiative) -> SafeString:
    """A record's results as they are now, one row per indicator: its result, unit, baseline,
    target, the latest value reported and how far that got (periods prefetched or not)."""
    rows = []
    for result in initiative.results.prefetch_related("indicators__periods"):
        indicators = list(result.indicators.all())
        if not indicators:
            rows.append((result.title, NOTHING, "", NOTHING, NOTHING, NOTHING, NOTHING))
        for indicator in indicators:
            progress = indicator.progress
            rows.append(
                (
                    result.title,
                    indicator.name,
                    indicator.unit,
                    _number(history_number(indicator.baseline)),
                    _number(history_number(indicator.target)),
                    _number(history_number(indicator.latest_actual)),
                    NOTHING if progress is None else f"{progress}%",
                )
            )
    if not rows:
        return format_html("{}", _("No results"))
    return format_html(
        "<table class='results-table'><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join(
            "",
            "<th scope='col'>{}</th>",
            (
                (label,)
                for label in (
                    _("Result"),
                    _("Indicator"),
                    _("Unit"),
                    _("Baseline"),
                    _("Target"),
                    _("Latest value"),
                    _("Progress"),
                )
            ),
        ),
        format_html_join("", "<tr>" + "<td>{}</td>" * 7 + "</tr>", rows),
    )
