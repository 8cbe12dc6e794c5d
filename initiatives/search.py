"""The text that search runs on, and the language a text is written in.

PostgreSQL's text-search parsers do not split unspaced Chinese, so alongside the words
of the text the search document holds every pair of adjacent Chinese characters
(bigrams). A two-character Chinese query then matches inside a longer phrase, and an
English query is matched by stem through the `english` configuration.
"""

import re

from governance.choices import Language

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_CJK_CHARACTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def text_language(*texts: str) -> str:
    """The language of a note or comment (governance.choices.Language): "zh-hans" when most of
    its letters are Chinese characters, otherwise "en" (an empty text too).

    Only letters count: digits, punctuation, spaces and Markdown marks say nothing, so a Chinese
    note naming "UNDP (2024)" stays Chinese. migrations/0029_note_comment_language.py carries a
    copy of this rule for the rows written before it.
    """
    text = " ".join(part for part in texts if part)
    chinese = len(_CJK_CHARACTER.findall(text))
    other = sum(1 for character in text if character.isalpha()) - chinese
    return Language.ZH_HANS.value if chinese > other else Language.EN.value


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
