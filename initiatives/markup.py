"""Markdown on the site: rendered in time linear in its length, bounded, and kept per version.

The renderer is markdown-it-py with the CommonMark rules (plus tables and strikethrough):
its parser does a bounded amount of work per character, where Python-Markdown's took time
quadratic in runs of brackets (8,000 `[` then 8,000 `]` took 6 s). Raw HTML is off (it is
shown as text), and the result is cleaned with nh3 against a short allow-list, so neither
a `<script>` in the source nor a `javascript:` link produced by Markdown's syntax reaches
a page.

Every Markdown field has a length limit, checked by the forms, the API and the services,
so that the worst input costs a bounded time (about 0.3 s at the limit).

The HTML is rendered when the text is written, not when it is read: the services store it
beside the source (`Initiative.body_html`, `Update.text_html`) whenever the source changes.
A row whose HTML is NULL (written before the column existed, or loaded in bulk by
`generate_data`) is rendered on its first view and kept.
"""

import nh3
from markdown_it import MarkdownIt

from .mentions import mentioned_users, mentions_marked

# Limits in characters; a body at its limit still renders in a fraction of a second.
BODY_MAX_LENGTH = 20_000
UPDATE_TEXT_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# One parser for the process: it holds no state between calls.
_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to put in a page."""
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def kept_html(record, *, source: str, target: str) -> str:
    """The HTML kept for `record.<source>`; rendered and kept now if the row has none yet."""
    html = getattr(record, target)
    if html is not None:
        return html
    text = getattr(record, source)
    html = render_markdown(text)
    # Kept only if the source is still what was rendered; a plain UPDATE, not a new version.
    type(record)._base_manager.filter(pk=record.pk, **{source: text}, **{f"{target}__isnull": True}).update(
        **{target: html}
    )
    setattr(record, target, html)
    return html


def render_comment(text: str) -> str:
    """A comment's Markdown to safe HTML, with mentions of existing accounts marked."""
    return mentions_marked(render_markdown(text), [user.get_username() for user in mentioned_users(text)])
