"""Shapes of the initiatives API: input validation only; the services do the writing.

Relations are read from the snapshot of the record's current version (history.py): it is
already in the API's shape (slugs, ISO codes, usernames), and reading it with the row keeps
a page to the same few queries whatever its size.
"""

from urllib.parse import quote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings
from taggit.models import Tag

from api.serializers import StrictInput
from governance.api.serializers import CountryCodeField
from governance.choices import Language
from governance.models import ActionLine, Advocacy, KeyTask, Stakeholder

from .. import rules
from ..choices import (
    InitiativeKind,
    InitiativeStatus,
    ModerationState,
    ParticipationRole,
    TranslationStatus,
    UpdateKind,
    UpdateState,
)
from ..history import (
    RELATION_LIMITS,
    RESULT_LIMITS,
    TEXT_FIELDS,
    link_item,
    results_with_numbers,
    snapshot_of,
    translations_merge,
)
from ..markup import BODY_MAX_LENGTH, UPDATE_TEXT_MAX_LENGTH
from ..models import (
    CollaborationInvitation,
    Indicator,
    Initiative,
    PendingRevision,
    Result,
    Revision,
    SourceLink,
    Update,
)
from ..models.results import VALUE_DIGITS, VALUE_PLACES
from ..models.vocabulary import LABEL_MAX_LENGTH, SYNONYMS_LIMIT
from ..services import period_dates_check, source_dates_check
from ..texts import reader_language, shown_text, translations_in_full


class ItemListSerializer(serializers.ListSerializer):
    """A list of objects whose errors about the list itself (too long, not a list) read as
    those of other list fields: a list of messages, not an object of non-field errors."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict) and set(detail) == {api_settings.NON_FIELD_ERRORS_KEY}:
                raise serializers.ValidationError(detail[api_settings.NON_FIELD_ERRORS_KEY]) from None
            raise


class WholeItemSerializer(StrictInput, serializers.Serializer):
    """An item of a list field, which is always sent whole: in a PATCH too, where DRF would
    otherwise let its required keys be left out as if the item were a partial update."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        missing = {
            name: [field.error_messages["required"]]
            for name, field in self.fields.items()
            if field.required and not field.read_only and name not in value
        }
        if missing:
            raise serializers.ValidationError(missing, code="required")
        return value

    class Meta:
        list_serializer_class = ItemListSerializer


class ParticipationSerializer(WholeItemSerializer):
    """A stakeholder's part in an initiative."""

    stakeholder = serializers.SlugRelatedField(slug_field="slug", queryset=Stakeholder.objects.all())
    role = serializers.ChoiceField(choices=ParticipationRole.choices)


class LinkSerializer(WholeItemSerializer):
    """A source: its web address and what a reader needs to weigh it."""

    url = serializers.URLField(max_length=SourceLink._meta.get_field("url").max_length)
    title = serializers.CharField(
        max_length=SourceLink._meta.get_field("title").max_length,
        allow_blank=True,
        required=False,
        default="",
    )
    publisher = serializers.CharField(
        max_length=SourceLink._meta.get_field("publisher").max_length,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("Who published the source."),
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("Language of the source; empty when unknown."),
    )
    published_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("When the source was published.")
    )
    accessed_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("When the source was last read; not before it was published."),
    )
    checked = serializers.BooleanField(
        required=False,
        help_text=_(
            "Whether a curator has checked what the source says. Only curators and administrators "
            "change it: from anyone else the value is ignored, and each link keeps the state of "
            "the record's link with the same address (a new address starts unchecked). Left out, "
            "the state is kept."
        ),
    )
    checked_by = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Username of the curator who checked it.")
    )
    checked_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("When it was checked (ISO 8601, UTC).")
    )

    def validate(self, attrs):
        try:
            source_dates_check(published_on=attrs.get("published_on"), accessed_on=attrs.get("accessed_on"))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class TranslationSerializer(StrictInput, serializers.Serializer):
    """A record's text in one language, with where it comes from."""

    title = serializers.CharField(
        max_length=Initiative._meta.get_field("title").max_length,
        allow_blank=True,
        allow_null=True,
        required=False,
    )
    summary = serializers.CharField(
        max_length=Initiative._meta.get_field("summary").max_length,
        allow_blank=True,
        allow_null=True,
        required=False,
    )
    body = serializers.CharField(
        max_length=BODY_MAX_LENGTH,
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text=_("Markdown."),
    )
    status = serializers.ChoiceField(
        choices=TranslationStatus.choices,
        required=False,
        help_text=_(
            "original: the language the record was written in; person: translated by a person; "
            "pending: no translation yet, or a draft not yet checked by a person."
        ),
    )


class TranslationsSerializer(StrictInput, serializers.Serializer):
    """A record's text keyed by language code; a language given as null loses its translation."""

    def get_fields(self):
        # One optional member per record language ("zh-hans" is no Python name).
        return {code: TranslationSerializer(required=False, allow_null=True) for code in Language.values}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in Language.values)
            if unknown:
                raise serializers.ValidationError(
                    [
                        _("Unknown language: %(languages)s (use %(known)s).")
                        % {"languages": ", ".join(unknown), "known": ", ".join(Language.values)}
                    ]
                )
        return super().to_internal_value(data)


def _value_field(**kwargs):
    """An indicator's value: a JSON number (the API writes it as the shortest number, 12.5)."""
    return serializers.DecimalField(
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        coerce_to_string=False,
        required=False,
        allow_null=True,
        default=None,
        **kwargs,
    )


def _results_of(snapshot: dict) -> list[dict]:
    """The snapshot's results with their values as numbers; a version written before records
    had results holds none."""
    return results_with_numbers(snapshot.get("results", []))


class IndicatorIdField(serializers.IntegerField):
    """A note's indicator by its id, as the record's results give it."""

    def get_attribute(self, instance):
        return instance.indicator_id


def _item_id_field(help_text):
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text=help_text)


class IndicatorPeriodSerializer(WholeItemSerializer):
    """What an indicator reached over a span of time."""

    start = serializers.DateField()
    end = serializers.DateField()
    actual = _value_field()

    def validate(self, attrs):
        try:
            period_dates_check(start=attrs["start"], end=attrs["end"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class IndicatorSerializer(WholeItemSerializer):
    """A measure of a result: its baseline, its target and the values of its periods."""

    id = _item_id_field(
        _("Given by the server: send it back to change this indicator, leave it out to add one.")
    )
    name = serializers.CharField(max_length=Indicator._meta.get_field("name").max_length)
    unit = serializers.CharField(
        max_length=Indicator._meta.get_field("unit").max_length, required=False, allow_blank=True, default=""
    )
    baseline = _value_field()
    target = _value_field()
    periods = IndicatorPeriodSerializer(
        many=True, required=False, default=list, max_length=RESULT_LIMITS["periods"]
    )
    latest_actual = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("The value of the period that ended last.")
    )
    progress = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "How far the latest value got from the baseline to the target, 0 to 100 percent; "
            "null without a target or a value."
        ),
    )


class ResultSerializer(WholeItemSerializer):
    """An outcome the record aims at, with the indicators that measure it."""

    id = _item_id_field(
        _("Given by the server: send it back to change this result, leave it out to add one.")
    )
    title = serializers.CharField(max_length=Result._meta.get_field("title").max_length)
    indicators = IndicatorSerializer(
        many=True, required=False, default=list, max_length=RESULT_LIMITS["indicators"]
    )


class InitiativeSerializer(StrictInput, serializers.Serializer):
    """An initiative as the API reads and writes it; fields a caller may not set are read-only."""

    slug = serializers.SlugField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("The record's page on the site."))
    title = serializers.CharField(
        max_length=Initiative._meta.get_field("title").max_length,
        required=False,
        help_text=_(
            "In the language asked for (?lang= or Accept-Language), falling back to the original; "
            "a write sets the original language's title. Required on creation, here or in translations."
        ),
    )
    summary = serializers.CharField(
        max_length=Initiative._meta.get_field("summary").max_length,
        required=False,
        help_text=_("As title: in the language asked for; a write sets the original's."),
    )
    body = serializers.CharField(
        required=False, allow_blank=True, max_length=BODY_MAX_LENGTH, help_text=_("Markdown.")
    )
    language = serializers.ChoiceField(
        choices=Language.choices, required=False, help_text=_("The language the record was written in.")
    )
    text_language = serializers.ChoiceField(
        choices=Language.choices,
        read_only=True,
        help_text=_(
            "The language of title, summary and body in this answer: the one asked for, or the original."
        ),
    )
    translations = TranslationsSerializer(
        required=False,
        help_text=_(
            "The text in every language. A write replaces the fields it gives for the languages it "
            "names and keeps the rest; the original language's entry may not be sent together with "
            "title, summary or body."
        ),
    )
    key_task = serializers.SlugRelatedField(slug_field="slug", queryset=KeyTask.objects.all())
    action_line = serializers.SlugRelatedField(
        slug_field="slug", queryset=ActionLine.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=InitiativeKind.choices)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    countries = serializers.ListField(
        child=CountryCodeField(),
        required=False,
        max_length=RELATION_LIMITS["countries"],
        help_text=_("ISO 3166-1 alpha-2 codes."),
    )
    stakeholders = ParticipationSerializer(
        many=True, required=False, max_length=RELATION_LIMITS["participations"]
    )
    advocacies = serializers.ListField(
        child=serializers.SlugRelatedField(slug_field="slug", queryset=Advocacy.objects.all()),
        required=False,
        max_length=RELATION_LIMITS["advocacies"],
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=Tag._meta.get_field("name").max_length, allow_blank=False),
        required=False,
        max_length=RELATION_LIMITS["tags"],
    )
    links = LinkSerializer(many=True, required=False, max_length=RELATION_LIMITS["links"])
    results = ResultSerializer(
        many=True,
        required=False,
        max_length=RELATION_LIMITS["results"],
        help_text=_(
            "What the record aims at (projects and programmes only), each with indicators and their "
            "periods. Sent whole: items with an id are changed, items without one added, the rest deleted."
        ),
    )
    collaborators = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "Usernames of people who may edit the record with its owner. Read-only: people join "
            "by accepting an invitation (POST .../invitations/), and a value sent here is ignored."
        ),
    )
    change_message = serializers.CharField(
        max_length=Revision._meta.get_field("change_message").max_length,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("Why the change was made; kept in the history."),
    )
    owner = serializers.CharField(read_only=True, help_text=_("Username of the owner."))
    moderation_state = serializers.ChoiceField(choices=ModerationState.choices, read_only=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    merged_into = serializers.SlugField(read_only=True, allow_null=True)
    allowed_actions = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("What the caller may do to this record now: edit, propose_revision, submit, approve…"),
    )

    def to_internal_value(self, data):
        missing = self._missing_texts(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                for field, messages in missing.items():
                    error.detail.setdefault(field, messages)
            raise
        if missing:
            raise serializers.ValidationError(missing)
        return value

    def _missing_texts(self, data) -> dict:
        """On creation, title and summary are required: at the top or in the original's entry."""
        if self.instance is not None or not isinstance(data, dict):
            return {}
        original = data.get("language") if data.get("language") in Language.values else "en"
        translations = data.get("translations")
        given = translations.get(original) if isinstance(translations, dict) else None
        given = given if isinstance(given, dict) else {}
        return {
            field: [serializers.Field.default_error_messages["required"]]
            for field in ("title", "summary")
            if field not in data and not (isinstance(given.get(field), str) and given[field].strip())
        }

    def validate(self, attrs):
        translations = attrs.get("translations")
        original = attrs.get("language") or (self.instance.language if self.instance is not None else "en")
        given = translations.get(original) if translations else None
        if given is not None:
            if any(field in attrs for field in TEXT_FIELDS):
                raise serializers.ValidationError(
                    {
                        "translations": [
                            _(
                                "Give the original language's text either as title, summary and body "
                                "or as its entry in translations, not both."
                            )
                        ]
                    }
                )
            if given.get("status") not in (None, TranslationStatus.ORIGINAL):
                raise serializers.ValidationError(
                    {"translations": [_("The original language's entry has the status “original”.")]}
                )
        for language, entry in (translations or {}).items():
            if language != original and entry and entry.get("status") == TranslationStatus.ORIGINAL:
                raise serializers.ValidationError(
                    {
                        "translations": [
                            _(
                                "Only the record's own language is “original”; "
                                "a translation is “person” or “pending”."
                            )
                        ]
                    }
                )
        return attrs

    def service_data(self) -> dict:
        """Validated input in the services' snapshot vocabulary (stakeholders → participations;
        translations laid over the record's, the original's entry as title, summary and body)."""
        data = dict(self.validated_data)
        data.pop("change_message", None)
        if "stakeholders" in data:
            data["participations"] = data.pop("stakeholders")
        if "translations" in data:
            given = dict(data.pop("translations"))
            original = data.get("language") or (self.instance.language if self.instance is not None else "en")
            entry = given.pop(original, None)
            for field in TEXT_FIELDS:
                if entry and entry.get(field) is not None:
                    data[field] = entry[field]
            current = snapshot_of(self.instance).get("translations", {}) if self.instance is not None else {}
            data["translations"] = translations_merge(
                current,
                {
                    language: None
                    if entry is None
                    else {field: value for field, value in entry.items() if value is not None}
                    for language, entry in given.items()
                },
            )
        return data

    def asked_language(self) -> str:
        request = self.context.get("request")
        return getattr(request, "text_language", None) or reader_language()

    def to_representation(self, initiative):
        snapshot = getattr(initiative, "current_snapshot", None) or snapshot_of(initiative)
        user = self.context["request"].user
        translations = snapshot.get("translations") or {}
        text = shown_text(initiative, self.asked_language(), translations=translations)
        return {
            "slug": initiative.slug,
            "url": self.address_of(initiative.slug),
            "title": text.title,
            "summary": text.summary,
            "body": text.body,
            "language": initiative.language,
            "text_language": text.language,
            "translations": translations_in_full(initiative, translations),
            "key_task": _related(initiative, "key_task_slug", "key_task", "slug"),
            "action_line": _related(initiative, "action_line_slug", "action_line", "slug")
            if initiative.action_line_id
            else None,
            "kind": initiative.kind,
            "status": initiative.status,
            "start_date": initiative.start_date.isoformat() if initiative.start_date else None,
            "end_date": initiative.end_date.isoformat() if initiative.end_date else None,
            "countries": snapshot.get("countries", []),
            "stakeholders": snapshot.get("participations", []),
            "advocacies": snapshot.get("advocacies", []),
            "tags": snapshot.get("tags", []),
            "links": [link_item(link) for link in snapshot.get("links", [])],
            "results": _results_of(snapshot),
            "collaborators": snapshot.get("collaborators", []),
            "owner": _related(initiative, "owner_username", "owner", "username"),
            "moderation_state": initiative.moderation_state,
            "version": initiative.version,
            "created_at": _datetime(initiative.created_at),
            "updated_at": _datetime(initiative.updated_at),
            "submitted_at": _datetime(initiative.submitted_at),
            "published_at": _datetime(initiative.published_at),
            "merged_into": getattr(initiative, "merged_into_slug", None),
            "allowed_actions": rules.allowed_actions(user, initiative),
        }

    def address_of(self, slug: str) -> str:
        """The record's page, as reverse() writes it: the address is resolved once per answer,
        each slug quoted into it as reverse() quotes it."""
        try:
            before, after = self._address_parts
        except AttributeError:
            before, _, after = reverse("initiatives:detail", kwargs={"slug": _SLUG_MARK}).rpartition(
                _SLUG_MARK
            )
            self._address_parts = (before, after)
        return before + quote(slug, safe=_PATH_SAFE) + after


# A slug standing for every slug while the page's address is resolved; what reverse() leaves
# unquoted in a path.
_SLUG_MARK = "slug"
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_DATETIME = serializers.DateTimeField()


def _related(initiative, annotated: str, relation: str, field: str):
    """A related row's name as the list's query annotated it, or from the row itself."""
    value = getattr(initiative, annotated, None)
    return value if value is not None else getattr(getattr(initiative, relation), field)


def _datetime(value):
    """As DRF's DateTimeField writes it (ISO 8601, UTC as Z) without its per-call lookups."""
    if not value:
        return None
    if api_settings.DATETIME_FORMAT != ISO_8601:
        return _DATETIME.to_representation(value)
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class InvitationCreateSerializer(StrictInput, serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text=_("Who is invited to collaborate."))


class InvitationSerializer(StrictInput, serializers.ModelSerializer):
    """An invitation to collaborate on a record, as its invitee or inviter sees it."""

    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.CharField(source="initiative.title", read_only=True)
    invitee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    invited_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CollaborationInvitation
        fields = ["id", "initiative", "title", "invitee", "invited_by", "state", "created_at", "decided_at"]
        read_only_fields = fields


class ReasonSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(max_length=5000, help_text=_("Told to the owner."))


class OptionalReasonSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class MergeSerializer(StrictInput, serializers.Serializer):
    into = serializers.CharField(
        max_length=Initiative._meta.get_field("slug").max_length,
        help_text=_("Slug of the record that survives; this one redirects to it."),
    )


class RevisionSerializer(StrictInput, serializers.ModelSerializer):
    """One version in an initiative's history: who, when, why, what changed, the full content."""

    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    changes = serializers.SerializerMethodField(
        help_text=_("Field by field: [before, after] for each field that changed.")
    )
    snapshot = serializers.JSONField(read_only=True, help_text=_("The content at this version."))
    # Read through selectors.revisions_visible_to, which blanks what the caller may not read.
    change_message = serializers.CharField(source="shown_message", read_only=True)

    class Meta:
        model = Revision
        fields = ["version", "action", "actor", "created_at", "change_message", "changes", "snapshot"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_changes(self, revision) -> dict:
        if revision.hides_survivor:
            return {field: change for field, change in revision.changes.items() if field != "merged_into"}
        return revision.changes


class FieldChangeSerializer(StrictInput, serializers.Serializer):
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class PendingRevisionSerializer(StrictInput, serializers.ModelSerializer):
    """A proposed change to a published record: open until a moderator approves or rejects it."""

    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    authors = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        many=True,
        help_text=_("Everyone who wrote any of the proposal; none of them may decide it."),
    )
    changes = serializers.SerializerMethodField(
        help_text=_(
            "Field by field, what the proposal changes: against the live record while it is "
            "open, against the version it started from once decided."
        )
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("The moderator who approved or rejected it."),
    )

    class Meta:
        model = PendingRevision
        fields = [
            "id",
            "initiative",
            "state",
            "authors",
            "changes",
            "created_at",
            "base_version",
            "change_message",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=FieldChangeSerializer()))
    def get_changes(self, revision) -> dict:
        from ..selectors import revision_changes

        known = self.context.get("changes")
        if known is None or revision.pk not in known:
            known = revision_changes([revision])
        return known[revision.pk]


class UpdateSerializer(StrictInput, serializers.ModelSerializer):
    """A dated progress note: published, held for a moderator, or rejected with a reason."""

    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=UpdateKind.choices, required=False, default=UpdateKind.PROGRESS)
    date = serializers.DateField(required=False)
    text = serializers.CharField(required=False, allow_blank=True, max_length=UPDATE_TEXT_MAX_LENGTH)
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text=_(
            "The language of the title and text. Left out, it is detected: mostly Chinese "
            "characters make zh-hans, anything else en."
        ),
    )
    state = serializers.ChoiceField(
        choices=UpdateState.choices,
        read_only=True,
        help_text=_(
            "held: waiting for a moderator, seen only by the record's members and staff; "
            "rejected: kept, unpublished, with the moderator's reason."
        ),
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("The moderator who approved or rejected it, if it was held."),
    )
    indicator = IndicatorIdField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("The id of the record's indicator whose progress the note reports, if any."),
    )

    class Meta:
        model = Update
        fields = [
            "id",
            "kind",
            "date",
            "title",
            "text",
            "language",
            "author",
            "created_at",
            "state",
            "published_at",
            "decided_by",
            "decided_at",
            "reason",
            "indicator",
        ]
        read_only_fields = [
            "id",
            "author",
            "created_at",
            "state",
            "published_at",
            "decided_by",
            "decided_at",
            "reason",
        ]


class TagSerializer(StrictInput, serializers.ModelSerializer):
    """A tag, its labels in English and Chinese, its synonyms, and how many initiatives
    visible to the caller carry it."""

    initiatives = serializers.IntegerField(read_only=True)
    # Tag slugs may be Chinese; the model's SlugField would promise ASCII.
    slug = serializers.CharField(read_only=True)
    label_en = serializers.CharField(source="label.label_en", read_only=True, help_text=_("English label."))
    label_zh = serializers.CharField(source="label.label_zh", read_only=True, help_text=_("Chinese label."))
    synonyms = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="name",
        help_text=_("Other names of the tag; a record written with one stores the tag's name."),
    )

    class Meta:
        model = Tag
        fields = ["name", "slug", "label_en", "label_zh", "synonyms", "initiatives"]


class TagLabelsSerializer(StrictInput, serializers.Serializer):
    """A curator's change of a tag's labels and synonyms; a field left out keeps its value."""

    label_en = serializers.CharField(
        max_length=LABEL_MAX_LENGTH, allow_blank=True, required=False, help_text=_("English label.")
    )
    label_zh = serializers.CharField(
        max_length=LABEL_MAX_LENGTH, allow_blank=True, required=False, help_text=_("Chinese label.")
    )
    synonyms = serializers.ListField(
        child=serializers.CharField(max_length=LABEL_MAX_LENGTH),
        max_length=SYNONYMS_LIMIT,
        required=False,
        help_text=_("Every synonym of the tag (the list replaces the one it had)."),
    )


class TagMergeSerializer(StrictInput, serializers.Serializer):
    into = serializers.CharField(
        max_length=Tag._meta.get_field("name").max_length,
        help_text=_("Slug or name (or label, or synonym) of the tag that takes this one's records."),
    )
