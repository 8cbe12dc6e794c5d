"""Shapes of the frame in the API: key tasks, advocacies, countries, stakeholders, the caller."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers import StrictInput

from ..choices import Language, Role, StakeholderKind
from ..models import ActionLine, Advocacy, Country, KeyTask, Stakeholder, User
from ..profile import profile_count


class FrameValueField(serializers.CharField):
    """Text naming a row of the frame (a key task's slug, a country's code) that a service
    checks; the schema lists the values."""

    def __init__(self, *, model, **kwargs):
        self.frame_model = model
        super().__init__(**kwargs)


class CountryCodeField(serializers.SlugRelatedField):
    """An ISO alpha-2 code, in either case."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Country.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.strip().upper()
        return super().to_internal_value(data)


PASSAGE_ZH_HELP = _("The article's words for it, quoted exactly from the Chinese original.")
PASSAGE_EN_HELP = _("An English rendering of passage_zh.")


class ActionLineSerializer(StrictInput, serializers.ModelSerializer):
    """An action line of a key task, with the sentence of the article that names it."""

    class Meta:
        model = ActionLine
        fields = ["slug", "name_en", "name_zh", "position", "passage_zh", "passage_en"]
        extra_kwargs = {
            "passage_zh": {"help_text": PASSAGE_ZH_HELP},
            "passage_en": {"help_text": PASSAGE_EN_HELP},
        }


class KeyTaskSerializer(StrictInput, serializers.ModelSerializer):
    """A key task of the article with its action lines."""

    action_lines = ActionLineSerializer(many=True, read_only=True)

    class Meta:
        model = KeyTask
        fields = [
            "number",
            "slug",
            "name_en",
            "name_zh",
            "heading_en",
            "heading_zh",
            "passage_zh",
            "passage_en",
            "action_lines",
        ]
        extra_kwargs = {
            "passage_zh": {"help_text": PASSAGE_ZH_HELP},
            "passage_en": {"help_text": PASSAGE_EN_HELP},
        }


class AdvocacySerializer(StrictInput, serializers.ModelSerializer):
    class Meta:
        model = Advocacy
        fields = ["slug", "name_en", "name_zh", "motto_en", "motto_zh", "position"]


class CountrySerializer(StrictInput, serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "alpha3", "numeric", "name_en", "name_zh", "region", "subregion", "global_south"]


class StakeholderSerializer(StrictInput, serializers.ModelSerializer):
    """An organisation; curators create and change them, the slug is made once."""

    slug = serializers.SlugField(
        max_length=120,
        required=False,
        help_text=_("Made from the English name when left out; never changes."),
    )
    kind = serializers.ChoiceField(choices=StakeholderKind.choices)
    country = CountryCodeField(required=False, allow_null=True)

    class Meta:
        model = Stakeholder
        fields = ["slug", "name_en", "name_zh", "acronym", "kind", "country", "website"]
        # Uniqueness is the service's to check, with the rest of the rules.
        extra_kwargs = {"slug": {"validators": []}}


class StakeholderChangeSerializer(StakeholderSerializer):
    """A change to an organisation: every field but the slug, which never changes (sent, it is
    ignored)."""

    slug = serializers.SlugField(read_only=True)


class MeSerializer(StrictInput, serializers.ModelSerializer):
    """The caller's profile and roles."""

    affiliation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Stakeholder.objects.all(), required=False, allow_null=True
    )
    preferred_language = serializers.ChoiceField(choices=Language.choices, required=False)
    roles = serializers.SerializerMethodField()
    unread_notifications = serializers.SerializerMethodField(
        help_text=_("How many of your notifications are unread (/api/v1/me/notifications/).")
    )

    class Meta:
        model = User
        fields = [
            "username",
            "email",
            "first_name",
            "last_name",
            "affiliation",
            "preferred_language",
            "roles",
            "is_superuser",
            "unread_notifications",
        ]
        read_only_fields = ["username", "roles", "is_superuser", "unread_notifications"]

    def get_roles(self, user) -> list[str]:
        return [role for role in Role.values if user.has_role(role)]

    def get_unread_notifications(self, user) -> int:
        return profile_count(user, "unread_notifications")


class TokenRequestSerializer(StrictInput, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("To recognise the token later."),
    )
    write = serializers.BooleanField(
        required=False, default=True, help_text=_("False makes a read-only token.")
    )


class TokenSerializer(StrictInput, serializers.Serializer):
    token = serializers.CharField(help_text=_("Shown once: keep it; only its hash is stored."))
    prefix = serializers.CharField()
    name = serializers.CharField()
    write = serializers.BooleanField()
    expires_at = serializers.DateTimeField(allow_null=True)
