"""Template helpers for the public site: URLs that keep filters, freshness, field labels,
whether the reader may start a record, the article's passages and the language of a text.

Markdown is not rendered here: initiatives.markup renders it when it is written, and pages
show the kept HTML.
"""

import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from governance.article import ARTICLE_SOURCE, ARTICLE_TITLE_EN, ARTICLE_TITLE_ZH

from .. import rules
from ..search import text_language
from ..texts import html_lang, shown_text

register = template.Library()


@register.simple_tag
def may_create_initiative(user) -> bool:
    """Whether this reader may start a record: the header offers "New initiative" then."""
    return rules.can_create(user)


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


_RELATION_LABELS = {
    "participations": _lazy("Participants"),
    "links": _lazy("Sources"),
    "translations": _lazy("Translations"),
    "results": _lazy("Results"),
}


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
            field = Initiative._meta.get_field(name)
            labels.append(str(getattr(field, "verbose_name", name)))
        except FieldDoesNotExist:
            labels.append(name)
    return ", ".join(labels)


@register.filter
def shown(initiative, language=None):
    """The record's text for this reader (texts.ShownText): `{% with text=initiative|shown %}`."""
    return shown_text(initiative, language)


@register.filter(name="html_lang")
def html_lang_filter(code) -> str:
    """A record language as an HTML `lang` value: `lang="{{ note.language|html_lang }}"`."""
    return html_lang(code)


@register.filter
def in_lang(text, code) -> str:
    """A record's text (a result's, an indicator's) wrapped in a span with the record's
    language, to be named inside a sentence of the interface: `{% blocktranslate with
    name=indicator.name|in_lang:initiative.language %}`."""
    return format_html('<span lang="{}">{}</span>', html_lang(code), text)


@register.filter
def text_lang(text) -> str:
    """The HTML `lang` of a short text whose language nobody named (a tag's name or synonym,
    a source's title), read from its letters as notes' and comments' are."""
    return html_lang(text_language(str(text or "")))


@register.inclusion_tag("initiatives/_article_passage.html")
def article_passage(item):
    """A key task's or action line's passage of the article, in Chinese as quoted and in
    English as rendered, cited with the article's title and source line."""
    return {
        "item": item,
        "title_zh": ARTICLE_TITLE_ZH,
        "title_en": ARTICLE_TITLE_EN,
        "source": ARTICLE_SOURCE,
    }


@register.filter
def number_text(value) -> str | None:
    """An indicator's value as its shortest text: 12.5, not 12.5000."""
    from ..history import number_text as shortest

    return shortest(value)
