"""Where the frame comes from: each key task's page and each record's page show the article's
passage, the Chinese as quoted and the English rendering, each marked with its language."""

import html
import re

import pytest
from django.conf import settings

from governance.article import ARTICLE_SOURCE, ARTICLE_TITLE_ZH
from governance.models import ActionLine, KeyTask
from tests import factories

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _holding(page: str, text: str) -> str:
    """The opening tag of the element whose content starts with `text`."""
    found = re.search(r"(<[a-z]+[^>]*>)(?:<p>)?" + re.escape(text), page)
    assert found, text[:30]
    return found.group(1)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_key_task_page_quotes_its_passage_and_each_action_lines(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    task = KeyTask.objects.get(slug="global-south")
    page = _page(client.get("/key-tasks/global-south/"))
    assert 'lang="zh-Hans"' in _holding(page, task.passage_zh)
    assert "<blockquote" in _holding(page, task.passage_zh)
    assert 'lang="en"' in _holding(page, task.passage_en)
    # Cited: the article's title and its source line.
    assert f"《{ARTICLE_TITLE_ZH}》" in page and ARTICLE_SOURCE in page
    assert "<figure" in page and "<figcaption" in page
    for line in ActionLine.objects.filter(key_task=task):
        assert 'lang="zh-Hans"' in _holding(page, line.passage_zh), line.slug
        assert 'lang="en"' in _holding(page, line.passage_en), line.slug
    # Another task's passages are not there.
    assert KeyTask.objects.get(slug="multi-stakeholder").passage_zh not in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_record_page_shows_where_its_key_task_and_action_line_come_from(client, language):
    record = factories.make_initiative(
        state="published", key_task="major-power-cooperation", action_line="confidence-building-measures"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = _page(client.get(record.get_absolute_url()))
    task, line = record.key_task, record.action_line
    for passage_zh, passage_en in ((task.passage_zh, task.passage_en), (line.passage_zh, line.passage_en)):
        assert 'lang="zh-Hans"' in _holding(page, passage_zh)
        assert 'lang="en"' in _holding(page, passage_en)
    # Folded away beside the key task, so the record comes first.
    facts = page[page.index('class="initiative__facts"') :]
    assert facts.count('<details class="provenance">') == 2
    name = task.name_zh if language == "zh-hans" else task.name_en
    assert facts.index(f"{task.number}. {name}") < facts.index(task.passage_zh) < facts.index(line.passage_zh)


def test_a_record_without_an_action_line_shows_only_its_key_tasks_passage(client):
    record = factories.make_initiative(state="published", key_task="global-south", action_line="")
    page = _page(client.get(record.get_absolute_url()))
    assert record.key_task.passage_zh in page
    assert page.count('<details class="provenance">') == 1
    assert not any(line.passage_zh in page for line in ActionLine.objects.all())
