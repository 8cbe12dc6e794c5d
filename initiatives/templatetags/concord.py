"""Template helpers for the public site: Markdown rendered safely, URLs that keep filters.

Markdown is rendered first with raw HTML turned off (it is shown as text), and the result
is then cleaned with nh3 against a short allow-list, so neither a `<script>` in the source
nor a `javascript:` link produced by Markdown's own syntax reaches the page.
"""

import datetime

import markdown as markdown_lib
import nh3
from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

register = template.Library()

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _markdown_renderer() -> markdown_lib.Markdown:
    renderer = markdown_lib.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    # Raw HTML in the source is escaped, not passed through.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    return renderer


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to put in a page."""
    html = _markdown_renderer().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 -- cleaned by nh3 just above


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" drops them)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_without(context, key: str, value=None) -> str:
    """The current query string without one filter value (or the whole filter), from page 1."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if value is None:
        query.pop(key, None)
    else:
        values = [v for v in query.getlist(key) if v != str(value)]
        query.setlist(key, values)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


FRESH_DAYS = 90
STALE_DAYS = 365


@register.inclusion_tag("initiatives/_freshness.html")
def freshness(moment):
    """A badge saying when a record was last updated: fresh, ageing or stale."""
    if moment is None:
        return {"level": "stale", "moment": None, "label": _("never updated")}
    if isinstance(moment, datetime.datetime):
        age = (timezone.now() - moment).days
    else:
        age = (timezone.localdate() - moment).days
    if age <= FRESH_DAYS:
        level, label = "fresh", _("recently updated")
    elif age <= STALE_DAYS:
        level, label = "ageing", _("updated this year")
    else:
        level, label = "stale", _("not updated for over a year")
    return {"level": level, "moment": moment, "label": label}


_RELATION_LABELS = {"participations": _lazy("Participants"), "links": _lazy("Sources")}


@register.filter
def field_labels(changes) -> str:
    """The names of changed fields in a revision, as readers know them, in their language."""
    from ..models import Initiative

    labels = []
    for name in changes or ():
        if name in _RELATION_LABELS:
            labels.append(str(_RELATION_LABELS[name]))
            continue
        try:
            labels.append(str(Initiative._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name)
    return ", ".join(labels)
