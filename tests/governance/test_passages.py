"""Each key task and action line carries its passage of the article: the Chinese quoted exactly
from shared/seed/article.zh.txt, with an English rendering."""

import re
from pathlib import Path

import pytest

import governance
from governance.article import ARTICLE_SOURCE, ARTICLE_TITLE_ZH
from governance.models import ActionLine, KeyTask

# The repository's copy of the article (shared/seed/article.zh.txt, byte for byte).
ARTICLE = Path(governance.__file__).parent / "migrations" / "seed" / "article.zh.txt"
# The steering documents' own copy, where the checkout has them beside it.
STEERING = [path for path in (Path("/work/shared/seed/article.zh.txt"),) if path.exists()]

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def _cjk(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def test_every_key_task_quotes_the_article_exactly_with_an_english_rendering():
    article = _flat(_article())
    tasks = list(KeyTask.objects.all())
    assert len(tasks) == 4
    for task in tasks:
        assert task.passage_zh and _flat(task.passage_zh) in article, task.slug
        # The core of the paragraph the heading opens: 1 to 3 sentences.
        assert 1 <= task.passage_zh.count("。") <= 3, task.slug
        assert task.passage_en and _cjk(task.passage_en) == 0, task.slug
        assert task.passage_en.rstrip().endswith("."), task.slug


def test_every_action_line_quotes_the_sentence_that_names_it():
    article = _flat(_article())
    lines = list(ActionLine.objects.select_related("key_task"))
    assert len(lines) == 14
    for line in lines:
        assert line.passage_zh and _flat(line.passage_zh) in article, line.slug
        assert line.passage_en and _cjk(line.passage_en) == 0, line.slug
    by_slug = {line.slug: line for line in lines}
    # The sentence names what the line is about.
    assert "UNGGE" in by_slug["un-gge-oewg-law-and-norms"].passage_zh
    assert "OEWG" in by_slug["un-gge-oewg-law-and-norms"].passage_en
    assert "UNDCO" in by_slug["un-digital-cooperation"].passage_zh
    assert "智慧城市" in by_slug["south-south-projects"].passage_zh
    assert "smart cities" in by_slug["south-south-projects"].passage_en
    assert "信任建立措施" in by_slug["confidence-building-measures"].passage_zh
    assert "多元合作联盟" in by_slug["multi-stakeholder-networks"].passage_zh
    # An action line's passage comes from its own key task's part of the article.
    article_lines = _article().splitlines()
    for line in lines:
        heading = line.key_task.heading_zh
        heading_at = next(i for i, text in enumerate(article_lines) if text.startswith(heading))
        following = " ".join(article_lines[heading_at : heading_at + 2])
        assert _flat(line.passage_zh) in _flat(following), line.slug


def test_the_kept_copy_is_the_article_itself():
    for path in STEERING:
        assert path.read_bytes() == ARTICLE.read_bytes()


def test_the_citation_is_the_article_title_and_its_source_line():
    first, second = _article().splitlines()[:2]
    assert first == ARTICLE_TITLE_ZH
    assert second == ARTICLE_SOURCE
