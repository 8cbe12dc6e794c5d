"""Find markup a browser would run in an HTML document, by parsing it as a browser would tokenise it.

Used on whole pages (which may hold the site's own scripts, by `src`, under the CSP) and on
rendered user content (which may hold no script at all).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# A <script> whose type is a data format is not run by any browser (Django's json_script).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
# How a browser reads a URL (WHATWG URL standard): leading and trailing controls and spaces
# are dropped, and tabs and newlines are dropped anywhere, so "java\tscript:" is javascript:.
# HTMLParser has already decoded character references in attribute values.
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def dangerous_url(value: str) -> bool:
    """True for a URL a browser would run or render as a document: javascript:, vbscript:, data:."""
    cleaned = _TAB_OR_NEWLINE.sub("", (value or "").strip(_EDGES)).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:"))


@dataclass
class Findings:
    inline_scripts: list[str] = field(default_factory=list)
    external_scripts: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    dangerous_urls: list[str] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)
    style_attributes: int = 0
    style_blocks: int = 0

    @property
    def executable(self) -> list[str]:
        """Everything here that could run script, whatever the CSP says."""
        return self.inline_scripts + self.handlers + self.dangerous_urls + self.embeds


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = Findings()
        self._in_script: str | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.handlers.append(f"<{tag} {name}={value[:60]!r}>")
            elif name in URL_ATTRIBUTES and dangerous_url(value):
                self.found.dangerous_urls.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "style":
                self.found.style_attributes += 1
        if tag == "script":
            if attributes.get("src"):
                self.found.external_scripts.append(attributes["src"])
            else:
                self._in_script = attributes.get("type", "").lower()
                self._script_text = []
        elif tag == "style":
            self.found.style_blocks += 1
        elif tag in ("iframe", "frame", "object", "embed", "base", "applet"):
            self.found.embeds.append(f"<{tag} {attributes}>")
        elif tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.found.embeds.append(f"<meta refresh {attributes.get('content', '')!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._in_script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            text = "".join(self._script_text).strip()
            if self._in_script not in DATA_SCRIPT_TYPES:
                self.found.inline_scripts.append(text[:80] or "(empty inline <script>)")
            self._in_script = None


def find(document: str) -> Findings:
    finder = _Finder()
    finder.feed(document)
    finder.close()
    if finder._in_script is not None:
        finder.handle_endtag("script")
    return finder.found
