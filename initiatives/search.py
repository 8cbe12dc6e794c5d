"""The text that search runs on.

PostgreSQL's text-search parsers do not split unspaced Chinese, so alongside the words
of the text the search document holds every pair of adjacent Chinese characters
(bigrams). A two-character Chinese query then matches inside a longer phrase, and an
English query is matched by stem through the `english` configuration.
"""

import re

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def has_chinese(text: str) -> bool:
    """Whether the text holds a Chinese character."""
    return bool(_CJK_RUN.search(text or ""))


def cjk_bigrams(text: str) -> list[str]:
    """Adjacent character pairs of each run of Chinese characters (single characters alone)."""
    grams = []
    for run in _CJK_RUN.findall(text or ""):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def search_document(*, title: str, summary: str, body: str = "", extra: str = "") -> str:
    """Words and Chinese bigrams of a record, title first."""
    parts = [title, summary, body, extra]
    text = " ".join(part for part in parts if part)
    latin = _CJK_RUN.sub(" ", text)
    return " ".join([latin, *cjk_bigrams(text)]).strip()
