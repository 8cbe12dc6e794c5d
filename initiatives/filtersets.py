"""The one FilterSet behind the browse page and the API's initiatives list.

Relation filters use EXISTS subqueries rather than joins, so a record matching through
several countries or tags appears once and no DISTINCT is needed (it would fight the
search ranking and the cursor's ordering). A value that names nothing (an unknown key task,
country or tag) is a form error on that parameter, which the API reports as a 400. A tag
that only records hidden from the caller carry names nothing, to them.
"""

import datetime

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from taggit.models import Tag, TaggedItem

from governance.choices import Language, Region
from governance.filters import StrictBooleanFilter
from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

from .choices import InitiativeKind, InitiativeStatus, ModerationState
from .models import Initiative, Participation, Result
from .rules import PERMISSIONS
from .selectors import initiative_search, tags_visible_to
from .vocabulary import tag_matching


class StableOrderingFilter(django_filters.OrderingFilter):
    """Orders by the chosen fields, then by id in the direction of the last one.

    Without the id, rows that tie (two records with one title) come back in any order, so
    pages may repeat or skip them; with it in the same direction, one index on (field, id)
    serves the ordering both ways (migration 0011).
    """

    def filter(self, qs, value):
        ordered = super().filter(qs, value)
        if ordered is qs or not ordered.query.order_by:
            return ordered
        last = ordered.query.order_by[-1]
        return ordered.order_by(*ordered.query.order_by, "-pk" if last.startswith("-") else "pk")


# The most values one query parameter may repeat: each value of a filter costs queries.
MAX_PARAMETER_VALUES = 20


class BoundedValues:
    """A field read from a repeatable parameter: more than MAX_PARAMETER_VALUES values are
    refused (on the parameter) before any of them is looked up."""

    max_values = MAX_PARAMETER_VALUES

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) > self.max_values:
            raise forms.ValidationError(
                _("Give at most %(limit)d values (%(count)d given)."),
                code="max_values",
                params={"limit": self.max_values, "count": len(value)},
            )
        return super().clean(value)


class TagField(BoundedValues, forms.MultipleChoiceField):
    """Tag names, labels or synonyms (any case) or slugs; each must be one of `queryset`, the tags in use on
    records the caller may see (none when no queryset is given)."""

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = queryset if queryset is not None else Tag.objects.none()

    def valid_value(self, value) -> bool:
        return True

    def clean(self, value):
        names = [str(v).strip() for v in super().clean(value) or [] if str(v).strip()]
        tags = []
        unknown = []
        for name in names:
            tag = tag_matching(self.queryset, name)
            if tag is None:
                unknown.append(name)
            else:
                tags.append(tag)
        if unknown:
            raise forms.ValidationError(
                _("Unknown tag: %(tags)s."), code="invalid_choice", params={"tags": ", ".join(unknown)}
            )
        return tags


class TagFilter(django_filters.filters.QuerySetRequestMixin, django_filters.MultipleChoiceFilter):
    """Takes `queryset` as a callable of the request, like ModelChoiceFilter."""

    field_class = TagField


def _tags_for(request):
    return tags_visible_to(getattr(request, "user", None))


class CountryField(BoundedValues, forms.ModelMultipleChoiceField):
    """ISO alpha-2 codes, in either case; an empty value is no filter, as for every filter."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = [str(v).strip().upper() for v in value if str(v).strip()]
        return super().clean(value)


class CountryFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = CountryField


class StakeholderField(BoundedValues, forms.ModelMultipleChoiceField):
    """Stakeholder slugs; an empty value is no filter."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = [str(v).strip() for v in value if str(v).strip()]
        return super().clean(value)


class StakeholderFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = StakeholderField


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, read in UTC: one that is not a moment of the years 1 to 9999 in UTC
    (year 1 at +05:00, say) is an error, as is an offset PostgreSQL would refuse."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Give a date and time between the years 1 and 9999 in UTC."), code="invalid"
            ) from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class InitiativeFilterForm(forms.Form):
    """The filters' form: the translations records need are a curator's question."""

    # Set by InitiativeFilterSet from its request: who asks. Without a request (a saved
    # search read by the digests) every filter may be used.
    asked_by_request = False
    user = None

    def clean_needs_translation(self):
        value = self.cleaned_data.get("needs_translation")
        # The rule itself, not user.has_perm: Django's own backend would read the reader's
        # model permissions on every page that only asks for other filters.
        if value and self.asked_by_request and not PERMISSIONS["initiatives.curate"](self.user):
            raise forms.ValidationError(
                _("Only curators look for the records that need a translation."), code="curators_only"
            )
        return value


class InitiativeFilterSet(django_filters.FilterSet):
    """Filters of the browse page and the API; pass the visible queryset and the request."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    key_task = django_filters.ModelChoiceFilter(
        label=_("Key task"), queryset=KeyTask.objects.all(), to_field_name="slug"
    )
    action_line = django_filters.ModelChoiceFilter(
        label=_("Action line"), queryset=ActionLine.objects.all(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InitiativeKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InitiativeStatus.choices)
    moderation_state = django_filters.ChoiceFilter(
        label=_("Moderation state"), choices=ModerationState.choices
    )
    country = CountryFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        help_text=_("ISO alpha-2 code; repeat for any of several countries."),
    )
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices, method="filter_region")
    global_south = StrictBooleanFilter(
        label=_("Global South"),
        method="filter_global_south",
        help_text=_("True: at least one country of the Global South takes part; false: none does."),
    )
    has_results = StrictBooleanFilter(
        label=_("Has results"),
        method="filter_has_results",
        help_text=_("True: records that set out results with indicators to reach; false: records without."),
    )
    stakeholder = StakeholderFilter(
        label=_("Stakeholder"),
        queryset=Stakeholder.objects.all(),
        to_field_name="slug",
        method="filter_stakeholder",
        help_text=_("Stakeholder slug; repeat for any of several stakeholders."),
    )
    tag = TagFilter(
        label=_("Tag"),
        queryset=_tags_for,
        method="filter_tag",
        help_text=_("Repeat to require several tags: all must match."),
    )
    advocacy = django_filters.ModelChoiceFilter(
        label=_("Advocacy"), queryset=Advocacy.objects.all(), to_field_name="slug", field_name="advocacies"
    )
    source_checked = StrictBooleanFilter(
        label=_("Checked source"),
        method="filter_source_checked",
        help_text=_("True: a curator checked at least one of the record's sources; false: none."),
    )
    translated = django_filters.ChoiceFilter(
        label=_("Readable in"),
        choices=Language.choices,
        method="filter_translated",
        help_text=_("en or zh-hans: records written in that language or translated into it by a person."),
    )
    needs_translation = django_filters.ChoiceFilter(
        label=_("Needs a translation into"),
        choices=Language.choices,
        method="filter_needs_translation",
        help_text=_(
            "For curators. en or zh-hans: records written in another language that no person "
            "has translated into it yet (no translation, or a draft only)."
        ),
    )
    updated_since = UTCDateTimeFilter(
        label=_("Updated since"),
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("ISO 8601 date and time; records changed at or after it."),
    )
    ordering = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("updated_at", "updated_at"),
            ("created_at", "created_at"),
            ("published_at", "published_at"),
            ("start_date", "start_date"),
            ("title", "title"),
        ),
    )

    class Meta:
        model = Initiative
        fields = []
        form = InitiativeFilterForm

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if self.request is not None:
                form.asked_by_request = True
                form.user = getattr(self.request, "user", None)
        return self._form

    def filter_translated(self, queryset, name, value):
        return queryset.readable_in(value) if value else queryset

    def filter_needs_translation(self, queryset, name, value):
        return queryset.needing_translation(value) if value else queryset

    def filter_q(self, queryset, name, value):
        return initiative_search(queryset, value)

    def filter_country(self, queryset, name, value: str):
        if not value:
            return queryset
        through = Initiative.countries.through.objects.filter(
            initiative_id=OuterRef("pk"), country_id__in=[country.pk for country in value]
        )
        return queryset.filter(Exists(through))

    def filter_region(self, queryset, name, value):
        through = Initiative.countries.through.objects.filter(
            initiative_id=OuterRef("pk"), country__region=value
        )
        return queryset.filter(Exists(through))

    def filter_global_south(self, queryset, name, value):
        if value is None:
            return queryset
        through = Initiative.countries.through.objects.filter(
            initiative_id=OuterRef("pk"), country__global_south=True
        )
        return queryset.filter(Exists(through)) if value else queryset.exclude(Exists(through))

    def filter_source_checked(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.with_checked_source(value)

    def filter_has_results(self, queryset, name, value):
        if value is None:
            return queryset
        results = Result.objects.filter(initiative_id=OuterRef("pk"))
        return queryset.filter(Exists(results)) if value else queryset.exclude(Exists(results))

    def filter_stakeholder(self, queryset, name, value: str):
        if not value:
            return queryset
        participations = Participation.objects.filter(
            initiative_id=OuterRef("pk"), stakeholder_id__in=[stakeholder.pk for stakeholder in value]
        )
        return queryset.filter(Exists(participations))

    def filter_tag(self, queryset, name, value: str):
        content_type = ContentType.objects.get_for_model(Initiative)
        for tag in value:
            tagged = TaggedItem.objects.filter(
                content_type=content_type, object_id=OuterRef("pk"), tag_id=tag.pk
            )
            queryset = queryset.filter(Exists(tagged))
        return queryset
