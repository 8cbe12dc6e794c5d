"""Forms of the web site: they shape input into the snapshot format the services take.

The initiative form never saves anything itself; `service_data()` returns the values that
`services.initiative_create` and `services.initiative_edit` expect (slugs, ISO codes,
usernames), and the views turn the services' per-field errors back into form errors.
"""

import re

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags

from governance.choices import Language
from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

from . import services
from .choices import InitiativeKind, InitiativeStatus, ParticipationRole, TranslationStatus, UpdateKind
from .history import RELATION_LIMITS
from .markup import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, UPDATE_TEXT_MAX_LENGTH
from .models import Indicator, Initiative, Result, Revision, SourceLink, Update
from .models.results import VALUE_DIGITS, VALUE_PLACES
from .models.vocabulary import LABEL_MAX_LENGTH, SYNONYMS_LIMIT

_SEPARATORS = re.compile(r"[,，;；\n]+")


def _tokens(value: str) -> list[str]:
    return [token.strip() for token in _SEPARATORS.split(value or "") if token.strip()]


def _check_count(items, field: str) -> None:
    """The service's cap on a relation, checked before each item is looked up."""
    limit = RELATION_LIMITS[field]
    if len(items) > limit:
        raise forms.ValidationError(
            _("At most %(limit)d (%(count)d given).") % {"limit": limit, "count": len(items)}
        )


class AutocompleteInput(forms.TextInput):
    """A text input whose suggestions come from the autocomplete endpoint (static/js/concord.js)."""

    def __init__(self, source: str, multiple: bool = False, attrs=None):
        attrs = {
            "data-autocomplete": source,
            "autocomplete": "off",
            **({"data-multiple": "true"} if multiple else {}),
            **(attrs or {}),
        }
        super().__init__(attrs)


class CountryListField(forms.CharField):
    """Countries as ISO codes or names (English or Chinese), separated by commas."""

    def clean(self, value):
        tokens = list(dict.fromkeys(_tokens(super().clean(value))))
        _check_count(tokens, "countries")
        codes, unknown = [], []
        for token in tokens:
            country = Country.objects.filter(
                Q(code__iexact=token) | Q(name_en__iexact=token) | Q(name_zh=token) | Q(alpha3__iexact=token)
            ).first()
            if country is None:
                unknown.append(token)
            elif country.code not in codes:
                codes.append(country.code)
        if unknown:
            raise forms.ValidationError(
                _("Unknown country: %(names)s. Use ISO codes such as KE or names such as Kenya.")
                % {"names": ", ".join(unknown)}
            )
        return codes


class StakeholderField(forms.CharField):
    """A stakeholder by slug, acronym or name."""

    def clean(self, value):
        token = (super().clean(value) or "").strip()
        if not token:
            return None
        stakeholder = (
            Stakeholder.objects.filter(slug=token).first()
            or Stakeholder.objects.filter(Q(name_en__iexact=token) | Q(name_zh=token)).first()
            or Stakeholder.objects.filter(acronym__iexact=token).first()
        )
        if stakeholder is None:
            raise forms.ValidationError(_("No stakeholder is called “%(name)s”.") % {"name": token})
        return stakeholder.slug


class InitiativeForm(forms.Form):
    """Every field of an initiative; relations as text lists with suggestions."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=Initiative._meta.get_field("title").max_length)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=Initiative._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in lists."),
    )
    body = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12, "data-markdown-preview": "body-preview"}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists with “-”."),
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=Language.choices)
    # The same text in the other record language (English for a Chinese record and the reverse).
    translation_title = forms.CharField(
        label=_("Translated title"), required=False, max_length=Initiative._meta.get_field("title").max_length
    )
    translation_summary = forms.CharField(
        label=_("Translated summary"),
        required=False,
        max_length=Initiative._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    translation_body = forms.CharField(
        label=_("Translated description"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown, as the description."),
    )
    translation_status = forms.ChoiceField(
        label=_("The translation is"),
        choices=[
            (TranslationStatus.PERSON, _("translated by a person")),
            (TranslationStatus.PENDING, _("a draft, not yet checked by a person")),
        ],
        initial=TranslationStatus.PERSON,
        required=False,
    )
    key_task = forms.ModelChoiceField(
        label=_("Key task"), queryset=KeyTask.objects.all(), to_field_name="slug", empty_label=None
    )
    action_line = forms.ModelChoiceField(
        label=_("Action line"),
        queryset=ActionLine.objects.select_related("key_task"),
        to_field_name="slug",
        required=False,
        help_text=_("Optional; it must belong to the chosen key task."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=InitiativeKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    countries = CountryListField(
        label=_("Countries"),
        required=False,
        widget=AutocompleteInput("countries", multiple=True),
        help_text=_("ISO codes or names, separated by commas."),
    )
    advocacies = forms.ModelMultipleChoiceField(
        label=_("Advocacies"),
        queryset=Advocacy.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        widget=AutocompleteInput("tags", multiple=True),
        help_text=_("Separated by commas."),
    )
    change_message = forms.CharField(
        label=_("What did you change?"),
        required=False,
        max_length=Revision._meta.get_field("change_message").max_length,
        help_text=_("Optional; shown in the history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Action lines grouped under their key task; validation still goes by the queryset.
        groups = {}
        for line in ActionLine.objects.select_related("key_task"):
            task = line.key_task
            groups.setdefault((task.number, f"{task.number}. {task.name}"), []).append((line.slug, line.name))
        self.fields["action_line"].choices = [("", "---------")] + [
            (label, options) for (_number, label), options in sorted(groups.items())
        ]
        self.fields["key_task"].label_from_instance = lambda task: f"{task.number}. {task.name}"
        self.fields["advocacies"].label_from_instance = lambda advocacy: advocacy.name

    @classmethod
    def initial_from_snapshot(cls, snapshot: dict, *, version: int) -> dict:
        other = next(
            (
                entry
                for language, entry in (snapshot.get("translations") or {}).items()
                if language != snapshot.get("language")
            ),
            {},
        )
        return {
            **{key: snapshot.get(key) for key in ("title", "summary", "body", "language", "kind", "status")},
            **{f"translation_{key}": other.get(key, "") for key in ("title", "summary", "body")},
            "translation_status": other.get("status") or TranslationStatus.PERSON,
            "start_date": snapshot.get("start_date"),
            "end_date": snapshot.get("end_date"),
            "key_task": snapshot.get("key_task"),
            "action_line": snapshot.get("action_line"),
            "countries": ", ".join(snapshot.get("countries") or []),
            "advocacies": snapshot.get("advocacies") or [],
            "tags": ", ".join(snapshot.get("tags") or []),
            "version": version,
        }

    def clean_tags(self):
        tags = sorted(set(parse_tags(self.cleaned_data.get("tags") or "")))
        _check_count(tags, "tags")
        return tags

    def clean(self):
        cleaned = super().clean()
        # The services' rules between fields, shown with the rest of the form's errors.
        try:
            services.initiative_fields_check(cleaned)
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned

    def service_data(self, *, participations: list[dict], links: list[dict]) -> dict:
        data = self.cleaned_data
        return {
            **{key: data[key] for key in ("title", "summary", "body", "language", "kind", "status")},
            "key_task": data["key_task"].slug,
            "action_line": data["action_line"].slug if data.get("action_line") else None,
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "countries": data["countries"],
            "advocacies": [advocacy.slug for advocacy in data["advocacies"]],
            "tags": data["tags"],
            "participations": participations,
            "links": links,
            "translations": self._translations(),
        }

    def _translations(self) -> dict:
        """The translation fields as the services' translations: into the language that is not
        the record's own, or none when they are all empty."""
        data = self.cleaned_data
        texts = {key: data.get(f"translation_{key}") or "" for key in ("title", "summary", "body")}
        if not any(texts.values()):
            return {}
        other = next(code for code in Language.values if code != data["language"])
        return {other: {**texts, "status": data.get("translation_status") or TranslationStatus.PERSON}}


class ParticipationForm(forms.Form):
    stakeholder = StakeholderField(
        label=_("Stakeholder"), required=False, widget=AutocompleteInput("stakeholders")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "---------"), *ParticipationRole.choices], required=False
    )


class LinkForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        required=False,
        max_length=SourceLink._meta.get_field("url").max_length,
        assume_scheme="https",
    )
    title = forms.CharField(
        label=_("Link title"), required=False, max_length=SourceLink._meta.get_field("title").max_length
    )
    publisher = forms.CharField(
        label=_("Publisher"), required=False, max_length=SourceLink._meta.get_field("publisher").max_length
    )
    language = forms.ChoiceField(
        label=_("Language of the source"), choices=[("", "---------"), *Language.choices], required=False
    )
    published_on = forms.DateField(
        label=_("Date published"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    accessed_on = forms.DateField(
        label=_("Date accessed"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        # The services' rule, shown next to the date.
        try:
            services.source_dates_check(
                published_on=cleaned.get("published_on"), accessed_on=cleaned.get("accessed_on")
            )
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned


class SourceCheckForm(forms.Form):
    """A curator's button on a record's source: mark it checked, or take the mark off."""

    url = forms.CharField(max_length=SourceLink._meta.get_field("url").max_length)
    checked = forms.BooleanField(required=False)
    version = forms.IntegerField(required=False, min_value=1)


class _RowFormSet(forms.BaseFormSet):
    """Rows left blank are ignored; a row needs its main field."""

    main_field = ""

    def rows(self) -> list[dict]:
        return [
            {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
            for form in self.forms
            if form.cleaned_data.get(self.main_field) and not form.cleaned_data.get("DELETE")
        ]


class _ParticipationFormSet(_RowFormSet):
    main_field = "stakeholder"
    default_error_messages = {"too_many_forms": _("At most %(num)d stakeholders.")}

    def clean(self):
        seen = set()
        for form in self.forms:
            stakeholder = form.cleaned_data.get("stakeholder")
            if not stakeholder:
                continue
            if not form.cleaned_data.get("role"):
                form.add_error("role", _("Choose a role."))
            if stakeholder in seen:
                form.add_error("stakeholder", _("Each stakeholder may take part once."))
            seen.add(stakeholder)


class _LinkFormSet(_RowFormSet):
    main_field = "url"
    default_error_messages = {"too_many_forms": _("At most %(num)d links.")}


# Rows beyond the cap are refused before any is read (absolute_max), as the service would.
ParticipationFormSet = forms.formset_factory(
    ParticipationForm,
    formset=_ParticipationFormSet,
    extra=3,
    max_num=RELATION_LIMITS["participations"],
    absolute_max=RELATION_LIMITS["participations"],
    validate_max=True,
)
LinkFormSet = forms.formset_factory(
    LinkForm,
    formset=_LinkFormSet,
    extra=2,
    max_num=RELATION_LIMITS["links"],
    absolute_max=RELATION_LIMITS["links"],
    validate_max=True,
)


def text_language_field(*, help_text) -> forms.ChoiceField:
    """The language a note or comment is written in; left on "detect", the service reads it
    from the text, so nobody has to set it and a Chinese text on an English page is still
    marked Chinese."""
    return forms.ChoiceField(
        label=_("Language of the text"),
        choices=[("", _("Detect from the text")), *Language.choices],
        required=False,
        help_text=help_text,
    )


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UpdateKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=Update._meta.get_field("title").max_length)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=UPDATE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = text_language_field(
        help_text=_(
            "Left on “Detect from the text”, a title and text mostly in Chinese characters are "
            "marked Simplified Chinese and anything else English, whatever the language of this "
            "page; choose one if that would be wrong. Browsers and screen readers read the note "
            "in this language."
        )
    )
    indicator = forms.ModelChoiceField(
        label=_("Reports progress on"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("No indicator"),
    )

    def __init__(self, *args, initiative=None, **kwargs):
        super().__init__(*args, **kwargs)
        indicators = (
            Indicator.objects.filter(result__initiative=initiative)
            .select_related("result")
            .order_by("result__position", "result_id", "position", "id")
            if initiative is not None
            else Indicator.objects.none()
        )
        if initiative is None or not indicators.exists():
            # A record without indicators has nothing for a note to report against.
            del self.fields["indicator"]
        else:
            self.fields["indicator"].queryset = indicators
            self.fields["indicator"].label_from_instance = lambda indicator: (
                f"{indicator.result} – {indicator}"
            )


class InviteForm(forms.Form):
    identifier = forms.CharField(label=_("Username or e-mail address"), max_length=254)


# The comment textareas offer @username completion (static/js/mentions.js).
MENTIONS_ATTRS = {
    "rows": 4,
    "data-mentions": reverse_lazy("initiatives:autocomplete", args=["people"]),
    "data-mentions-label": _("People to mention"),
}


COMMENT_LANGUAGE_HELP = _(
    "Left on “Detect from the text”, a comment mostly in Chinese characters is marked Simplified "
    "Chinese and anything else English, whatever the language of this page; choose one if that "
    "would be wrong. Browsers and screen readers read the comment in this language."
)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs=MENTIONS_ATTRS)
    )
    language = text_language_field(help_text=COMMENT_LANGUAGE_HELP)
    # The top-level comment a reply answers; none for a new thread.
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs=MENTIONS_ATTRS)
    )
    language = text_language_field(help_text=COMMENT_LANGUAGE_HELP)


class CommentReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"),
        max_length=1000,
        help_text=_("Only the moderators read this."),
    )


class CommentHideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=1000)


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    """A file of records to import; its rows are checked (a dry run) before any is written."""

    file = forms.FileField(
        label=_("File"), help_text=_("CSV, XLSX or JSON Lines, in the columns the export writes.")
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("As the file's name says")),
            ("csv", "CSV"),
            ("xlsx", "XLSX"),
            ("jsonl", "JSON Lines"),
        ],
    )


# Synonyms are typed as one line, separated by commas (an ideographic comma too).
_SYNONYM_SEPARATORS = re.compile(r"[,，、]")


class TagLabelsForm(forms.Form):
    """A tag's labels, and its synonyms as one comma-separated line."""

    label_en = forms.CharField(label=_("English label"), max_length=LABEL_MAX_LENGTH, required=False)
    label_zh = forms.CharField(label=_("Chinese label"), max_length=LABEL_MAX_LENGTH, required=False)
    synonyms = forms.CharField(
        label=_("Synonyms"),
        required=False,
        max_length=SYNONYMS_LIMIT * (LABEL_MAX_LENGTH + 2),
        help_text=_("Other names of this tag, separated by commas."),
    )

    @staticmethod
    def synonyms_split(text: str) -> list[str]:
        return [name.strip() for name in _SYNONYM_SEPARATORS.split(text or "") if name.strip()]

    def clean_synonyms(self) -> list[str]:
        return self.synonyms_split(self.cleaned_data["synonyms"])


class TagMergeForm(forms.Form):
    """The tag that takes this one's records."""

    into = forms.CharField(
        label=_("Merge into"),
        max_length=100,
        help_text=_("The name, a label or the slug of the tag that takes this tag's records."),
    )


def _value_field(label):
    return forms.DecimalField(
        label=label, required=False, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )


class ResultsStepForm(forms.Form):
    """One step of the results page: the version the page was loaded at, and which result,
    indicator or period (by their places on the page) the step is about."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    result = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    indicator = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    period = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ResultForm(ResultsStepForm):
    title = forms.CharField(label=_("Result"), max_length=Result._meta.get_field("title").max_length)


class IndicatorForm(ResultsStepForm):
    name = forms.CharField(label=_("Indicator"), max_length=Indicator._meta.get_field("name").max_length)
    unit = forms.CharField(
        label=_("Unit"), required=False, max_length=Indicator._meta.get_field("unit").max_length
    )
    baseline = _value_field(_("Baseline"))
    target = _value_field(_("Target"))


class PeriodForm(ResultsStepForm):
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    actual = _value_field(_("Actual value"))

    def clean(self):
        cleaned = super().clean()
        try:
            services.period_dates_check(start=cleaned.get("start"), end=cleaned.get("end"))
        except forms.ValidationError as error:
            self.add_error("end", error.message_dict["end"])
        return cleaned
