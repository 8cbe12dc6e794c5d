"""Markdown costs time linear in its length, is bounded on every door, and is rendered once.

Linearity is shown by counting the Python and C function calls a render makes for an input
of n and of 2n pathological characters, not by timing: the count of a linear renderer
doubles, that of Python-Markdown (quadratic in runs of brackets) nearly quadruples.
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from initiatives import services
from initiatives.markup import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, UPDATE_TEXT_MAX_LENGTH, render_markdown
from initiatives.models import Initiative, Update
from tests import factories

pytestmark = pytest.mark.django_db

PATHOLOGICAL = {
    "brackets": lambda n: "[" * n + "]" * n,
    "images": lambda n: "![" * n,
    "nested links": lambda n: "[" * n + "a" + "](b)" * n,
    "open links": lambda n: "[a](" * n,
    "emphasis": lambda n: "**" * n + "a" + "**" * n,
    "nested lists": lambda n: "- " * n + "a",
    "nested quotes": lambda n: "> " * n + "a",
    "table": lambda n: "|" * n + "\n" + "|-" * n + "\n" + "|a" * n,
}


def _calls(function, *args) -> int:
    """How many functions (Python and C) one call of `function` enters."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


def _markdown_calls(function, *args) -> int:
    """How many functions of a Markdown library (any) one call of `function` enters."""
    libraries = ("markdown_it", "markdown")
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call" and any(part in libraries for part in Path(frame.f_code.co_filename).parts[-3:-1]):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_rendering_work_grows_linearly_with_pathological_input(shape):
    make = PATHOLOGICAL[shape]
    single, double = _calls(render_markdown, make(500)), _calls(render_markdown, make(1000))
    assert double / single < 2.5, f"{shape}: {single} calls for n=500, {double} for n=1000"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.hrefs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs.extend(value for name, value in attrs if name == "href")


def _parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_rendering_keeps_tables_fenced_code_lists_and_links():
    html = render_markdown(
        "## Plan\n\n"
        "| Year | Step |\n|------|------|\n| 2025 | Pilot |\n\n"
        "```python\nprint('<b>')\n```\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n"
        'See [the charter](https://example.org/charter "Charter") and ~~old~~ **new** *terms*.'
    )
    parsed = _parsed(html)
    for tag in ("h2", "table", "thead", "tbody", "th", "td", "pre", "code", "ul", "ol", "li", "a", "s"):
        assert tag in parsed.tags, tag
    assert "<td>Pilot</td>" in html
    assert "<pre><code>print('&lt;b&gt;')\n</code></pre>" in html
    assert parsed.hrefs == ["https://example.org/charter"]
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1) )",
        "[x](&#106;avascript:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "<javascript:alert(1)>",
        "[x][evil]\n\n[evil]: javascript:alert(1)",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        '<a href="javascript:alert(1)">raw</a>',
    ],
)
def test_no_javascript_link_survives(source):
    for href in _parsed(render_markdown(source)).hrefs:
        # What a browser would make of it: tabs and newlines dropped, then the scheme read.
        browser_sees = re.sub(r"[\t\n\r]", "", href).strip("\x00 ")
        assert urlsplit(browser_sees).scheme.lower() in {"", "http", "https", "mailto"}, href


# The limits, at every door.


def test_services_refuse_a_body_over_the_limit_and_name_it(contributor):
    data = factories.initiative_data(body="a" * (BODY_MAX_LENGTH + 1))
    with pytest.raises(ValidationError) as error:
        services.initiative_create(actor=contributor, data=data)
    assert f"{BODY_MAX_LENGTH}" in " ".join(error.value.message_dict["body"])
    initiative = services.initiative_create(
        actor=contributor, data=factories.initiative_data(body="a" * BODY_MAX_LENGTH)
    )
    with pytest.raises(ValidationError) as error:
        services.initiative_edit(
            actor=contributor, initiative=initiative, data={"body": "b" * (BODY_MAX_LENGTH + 1)}
        )
    assert "body" in error.value.message_dict


def test_services_refuse_update_text_and_comments_over_their_limits(contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    with pytest.raises(ValidationError) as error:
        services.update_create(
            actor=contributor,
            initiative=initiative,
            data={"title": "Note", "text": "a" * (UPDATE_TEXT_MAX_LENGTH + 1)},
        )
    assert f"{UPDATE_TEXT_MAX_LENGTH}" in " ".join(error.value.message_dict["text"])
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=contributor, initiative=initiative, body="a" * (COMMENT_MAX_LENGTH + 1))
    assert f"{COMMENT_MAX_LENGTH}" in " ".join(error.value.message_dict["body"])


def test_the_api_answers_400_naming_the_limit(contributor):
    from rest_framework.test import APIClient

    from governance import services as governance_services

    _token, key = governance_services.api_token_create(user=contributor, name="test", write=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = factories.initiative_data(body="a" * (BODY_MAX_LENGTH + 1))
    data["stakeholders"] = data.pop("participations", [])
    response = api.post("/api/v1/initiatives/", data, format="json")
    assert response.status_code == 400
    assert str(BODY_MAX_LENGTH) in " ".join(response.json()["body"])

    initiative = factories.make_initiative(owner=contributor)
    url = f"/api/v1/initiatives/{initiative.slug}/"
    response = api.patch(url, {"body": "a" * (BODY_MAX_LENGTH + 1)}, format="json")
    assert response.status_code == 400
    assert str(BODY_MAX_LENGTH) in " ".join(response.json()["body"])
    response = api.post(
        f"{url}updates/", {"title": "Note", "text": "a" * (UPDATE_TEXT_MAX_LENGTH + 1)}, format="json"
    )
    assert response.status_code == 400
    assert str(UPDATE_TEXT_MAX_LENGTH) in " ".join(response.json()["text"])


def test_the_web_forms_name_the_limit(client, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    client.force_login(contributor)
    response = client.post(
        reverse("initiatives:update_create", kwargs={"slug": initiative.slug}),
        {
            "kind": "progress",
            "date": "2025-01-01",
            "title": "Note",
            "text": "a" * (UPDATE_TEXT_MAX_LENGTH + 1),
        },
    )
    assert response.status_code == 400
    assert f"at most {UPDATE_TEXT_MAX_LENGTH} characters" in response.content.decode()
    assert not Update.objects.filter(initiative=initiative).exists()

    response = client.post(
        reverse("initiatives:create"),
        {
            "title": "Long one",
            "summary": "Too long a body.",
            "body": "a" * (BODY_MAX_LENGTH + 1),
            "language": "en",
            "key_task": "global-south",
            "kind": "project",
            "status": "planned",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert f"at most {BODY_MAX_LENGTH} characters" in response.content.decode()
    assert not Initiative.objects.filter(title="Long one").exists()


def test_the_preview_is_bounded(client, contributor):
    client.force_login(contributor)
    url = reverse("initiatives:preview")
    response = client.post(url, {"body": "[" * (BODY_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert str(BODY_MAX_LENGTH) in response.content.decode()
    assert client.post(url, {"body": "*a*" + "b" * (BODY_MAX_LENGTH - 3)}).status_code == 200


# The HTML is rendered when the text is written, and pages serve what was kept.


def test_the_services_keep_the_html_of_each_version(contributor, curator):
    initiative = factories.make_initiative(owner=contributor, body="First **draft**.")
    initiative.refresh_from_db()
    assert initiative.body_html == "<p>First <strong>draft</strong>.</p>\n"
    services.initiative_edit(actor=contributor, initiative=initiative, data={"body": "Second *take*."})
    initiative.refresh_from_db()
    assert initiative.body_html == "<p>Second <em>take</em>.</p>\n"
    services.initiative_edit(actor=contributor, initiative=initiative, data={"title": "Renamed"})
    initiative.refresh_from_db()
    assert initiative.body_html == "<p>Second <em>take</em>.</p>\n"
    services.initiative_restore(actor=curator, initiative=initiative, version=1)
    initiative.refresh_from_db()
    assert initiative.body_html == "<p>First <strong>draft</strong>.</p>\n"
    update = services.update_create(
        actor=contributor, initiative=initiative, data={"title": "Note", "text": "A *note*."}
    )
    assert Update.objects.get(pk=update.pk).text_html == "<p>A <em>note</em>.</p>\n"
    services.update_save(actor=contributor, initiative=initiative, update=update, data={"text": "Fixed."})
    assert Update.objects.get(pk=update.pk).text_html == "<p>Fixed.</p>\n"


def _get(client, url):
    return client.get(url)


def test_a_page_view_serves_the_kept_html_without_rendering(client, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published", body="The **body**.")
    # A curator's note is published at once; an owner's would wait for a moderator.
    services.update_create(
        actor=factories.curator(), initiative=initiative, data={"title": "Note", "text": "The *note*."}
    )
    url = initiative.get_absolute_url()
    client.get(url)  # warm: templates, translations, URL resolvers
    assert _markdown_calls(_get, client, url) == 0
    html = client.get(url).content.decode()
    assert "<strong>body</strong>" in html and "<em>note</em>" in html


def test_html_missing_from_a_row_is_rendered_on_its_first_view_and_kept(client, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published", body="Kept **once**.")
    update = services.update_create(
        actor=factories.curator(), initiative=initiative, data={"title": "Note", "text": "A *note*."}
    )
    # As generate_data loads rows, and as rows written before the column existed are.
    Initiative._base_manager.filter(pk=initiative.pk).update(body_html=None)
    Update.objects.filter(pk=update.pk).update(text_html=None)
    version = Initiative.objects.get(pk=initiative.pk).version
    url = initiative.get_absolute_url()
    assert _markdown_calls(_get, client, url) > 0
    fresh = Initiative.objects.get(pk=initiative.pk)
    assert fresh.body_html == "<p>Kept <strong>once</strong>.</p>\n"
    assert fresh.version == version
    assert Update.objects.get(pk=update.pk).text_html == "<p>A <em>note</em>.</p>\n"
    assert _markdown_calls(_get, client, url) == 0


def test_a_change_of_the_body_is_not_hidden_by_the_kept_html(client, contributor, curator):
    initiative = factories.make_initiative(owner=contributor, state="published", body="Old **text**.")
    services.initiative_edit(actor=curator, initiative=initiative, data={"body": "New **text**."})
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "New <strong>text</strong>." in html and "Old" not in html
