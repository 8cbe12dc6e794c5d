"""Markdown bodies are rendered, then cleaned: nothing a reader's browser would run survives."""

from html.parser import HTMLParser

import pytest

from initiatives.markup import render_markdown
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE_BODY = """
Intro with **bold** and [a real link](https://example.org/ok).

<script>alert("body")</script>

<div onclick="steal()">raw div</div>

<img src="x" onerror="alert('img')">

[click me](javascript:alert('link'))

[encoded](JaVaScRiPt:alert(1))

<a href="javascript:alert(2)">raw anchor</a>

<iframe src="https://evil.example"></iframe>

<style>body { display: none }</style>
"""


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def _parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_render_markdown_keeps_formatting_and_drops_everything_active():
    html = render_markdown(HOSTILE_BODY)
    parsed = _parsed(html)
    assert "strong" in parsed.tags
    assert ("href", "https://example.org/ok") in parsed.attributes
    for tag in ("script", "div", "img", "iframe", "style"):
        assert tag not in parsed.tags, tag
    assert not [name for name, _value in parsed.attributes if name.startswith("on")]
    assert not [
        value for name, value in parsed.attributes if name == "href" and "javascript" in value.lower()
    ]


def _running_scripts(html: str) -> int:
    """Script elements a browser would run: all but the JSON-LD data block."""
    return html.count("<script") - html.count('<script type="application/ld+json">')


def test_the_detail_page_never_carries_the_hostile_markup(client):
    initiative = factories.make_initiative(state="published", body=HOSTILE_BODY)
    response = client.get(initiative.get_absolute_url())
    html = response.content.decode()
    parsed = _parsed(html)
    # Scripts only from our own static files; no inline script, handler or javascript: link.
    # The page's schema.org description is a data block, which no browser runs.
    assert _running_scripts(html) == 1 and "/static/js/concord.js" in html
    assert "iframe" not in parsed.tags and "img" not in parsed.tags
    assert not [name for name, _value in parsed.attributes if name.startswith("on")]
    assert not [value for name, value in parsed.attributes if value and "javascript:" in value.lower()]
    # Raw HTML is shown as text, not interpreted.
    assert "&lt;div onclick=" in html


def test_update_texts_are_sanitised_too(client, published):
    from initiatives import services

    services.update_create(
        actor=published.owner,
        initiative=published,
        data={"title": "Note", "text": "<script>alert(1)</script>[x](javascript:alert(1))"},
    )
    html = client.get(published.get_absolute_url()).content.decode()
    assert _running_scripts(html) == 1
    assert not [v for n, v in _parsed(html).attributes if n == "href" and v and "javascript" in v.lower()]
