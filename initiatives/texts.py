"""A record's text in the reader's language: the original, or a translation, or the original
marked as such when the reader's language has none.

The original is the record's own title, summary and body under `language`; translations are
its InitiativeTranslation rows (prefetched by the lists that show many records) or, for the
API, the `translations` of the current version's snapshot. Nothing here writes.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from governance.choices import Language

from .choices import TranslationStatus
from .history import TEXT_FIELDS

# What a reader is told when the text is not in their language, or was translated: in the
# reader's language, naming the language of the original.
ORIGINALLY_IN = {
    Language.EN: _("Originally in English"),
    Language.ZH_HANS: _("Originally in Chinese"),
}
TRANSLATED_FROM = {
    Language.EN: _("Translated from English by a person"),
    Language.ZH_HANS: _("Translated from Chinese by a person"),
}
DRAFTED_FROM = {
    Language.EN: _("Draft translation from English, not yet checked by a person"),
    Language.ZH_HANS: _("Draft translation from Chinese, not yet checked by a person"),
}


def language_of(code: str | None) -> str:
    """One of the record languages for a language code (`zh-hans`, `zh-Hans`, `zh`, `en-gb`…)."""
    return Language.ZH_HANS if (code or "").lower().startswith("zh") else Language.EN


def reader_language() -> str:
    return language_of(get_language())


def html_lang(code: str | None) -> str:
    """A text's language as an HTML `lang` value (BCP 47 writes zh-Hans); an unknown or empty
    one is "", which marks the language as unknown."""
    code = (code or "").lower()
    if code.startswith("zh"):
        return "zh-Hans"
    return "en" if code.startswith("en") else ""


@dataclass(frozen=True)
class ShownText:
    title: str
    summary: str
    body: str
    language: str  # the language the text is in
    status: str  # original, person or pending
    original_language: str
    wanted: str  # the language the reader asked for
    translation: object = None  # the InitiativeTranslation shown, if any

    @property
    def fallback(self) -> bool:
        """The reader's language has no text: the original is shown in its place."""
        return self.language != self.wanted

    @property
    def html_lang(self) -> str:
        return html_lang(self.language)

    @property
    def note(self) -> str:
        """What the reader is told about where the text comes from; empty for the original
        in the reader's own language."""
        if self.fallback:
            return str(ORIGINALLY_IN[Language(self.original_language)])
        if self.status == TranslationStatus.PERSON:
            return str(TRANSLATED_FROM[Language(self.original_language)])
        if self.status == TranslationStatus.PENDING:
            return str(DRAFTED_FROM[Language(self.original_language)])
        return ""


def translations_of(initiative) -> dict:
    """{language: {title, summary, body, status}} of a record, from its rows (prefetched or not)."""
    found = {}
    for t in initiative.translations.all():
        deferred = t.get_deferred_fields()
        found[t.language] = {
            field: "" if field in deferred else getattr(t, field) for field in (*TEXT_FIELDS, "status")
        } | {"row": t}
    return found


def shown_text(initiative, language: str | None = None, *, translations: dict | None = None) -> ShownText:
    """The record's text for a reader of `language` (the active language when not given)."""
    wanted = language_of(language) if language else reader_language()
    original = language_of(initiative.language)
    if translations is None:
        translations = translations_of(initiative)
    entry = translations.get(wanted) if wanted != original else None
    if entry and (entry.get("title") or "").strip():
        return ShownText(
            title=entry["title"],
            summary=entry.get("summary") or "",
            body=entry.get("body") or "",
            language=wanted,
            status=entry.get("status") or TranslationStatus.PERSON,
            original_language=original,
            wanted=wanted,
            translation=entry.get("row"),
        )
    return ShownText(
        title=initiative.title,
        summary=initiative.summary,
        # Lists read records without their body (a card never shows it): not fetched here either.
        body="" if "body" in initiative.get_deferred_fields() else initiative.body,
        language=original,
        status=TranslationStatus.ORIGINAL,
        original_language=original,
        wanted=wanted,
    )


def translations_in_full(initiative, translations: dict) -> dict:
    """The API's `translations`: every record language, the original from the record's
    columns, the others from `translations`, a language without text as pending."""
    original = language_of(initiative.language)
    full = {}
    for code, _label in Language.choices:
        if code == original:
            full[code] = {
                "title": initiative.title,
                "summary": initiative.summary,
                "body": initiative.body,
                "status": TranslationStatus.ORIGINAL,
            }
        elif code in translations:
            entry = translations[code]
            full[code] = {field: entry.get(field) or "" for field in TEXT_FIELDS} | {
                "status": entry.get("status") or TranslationStatus.PERSON
            }
        else:
            full[code] = {"title": None, "summary": None, "body": None, "status": TranslationStatus.PENDING}
    return full
