"""The published catalogue as the public pages count and list it.

A record counts on these pages once it is published and not merged into another (the
survivor carries its content). Counts per part of the frame are one aggregate query each,
whatever the number of records; what the browse page's filters offer is kept until the
catalogue changes (initiatives/catalogue.py).
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from taggit.models import Tag

from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

from ..catalogue import remembered
from ..choices import ModerationState
from ..models import Initiative, Participation
from .tags import tags_in_use

# Through a frame item's `initiatives` relation: the records that count.
_COUNTED = Q(initiatives__moderation_state=ModerationState.PUBLISHED, initiatives__merged_into__isnull=True)


def published_initiatives():
    """The records the public pages list and count."""
    return Initiative.objects.published().filter(merged_into__isnull=True)


def browsable(user, *, any_state: bool = False):
    """The records the browse page filters: those this user may see, not merged away.

    Browsing means published records, unless the reader asks for a moderation state;
    members find their drafts in the workspace.
    """
    visible = Initiative.objects.visible_to(user).filter(merged_into__isnull=True)
    return visible if any_state else visible.published()


def listing(queryset):
    """Rows of a listing page: newest publication first, with what a row shows."""
    return queryset.for_list().order_by("-published_at", "-id")


def key_tasks_with_counts():
    return KeyTask.objects.annotate(count=Count("initiatives", filter=_COUNTED)).order_by("number")


def countries_with_counts():
    return Country.objects.annotate(count=Count("initiatives", filter=_COUNTED)).order_by("name_en")


def region_counts() -> dict:
    """{region: records with a participant country in it}; a record counts once per region."""
    return dict(
        Country.objects.filter(_COUNTED)
        .values_list("region")
        .annotate(count=Count("initiatives", distinct=True))
        .values_list("region", "count")
    )


def start_year_counts():
    """(year, records starting that year), oldest first; records without a start are left out."""
    return (
        published_initiatives()
        .exclude(start_date__isnull=True)
        .annotate(year=ExtractYear("start_date"))
        .values_list("year")
        .annotate(count=Count("id"))
        .order_by("year")
        .values_list("year", "count")
    )


def action_lines_with_counts(key_task):
    return (
        ActionLine.objects.filter(key_task=key_task)
        .annotate(count=Count("initiatives", filter=_COUNTED))
        .order_by("position")
    )


def stakeholders_with_counts():
    counted = Q(
        participations__initiative__moderation_state=ModerationState.PUBLISHED,
        participations__initiative__merged_into__isnull=True,
    )
    return (
        Stakeholder.objects.select_related("country")
        .annotate(count=Count("participations", filter=counted))
        .order_by("name_en")
    )


def stakeholder_roles(stakeholder, initiatives) -> dict:
    """{record id: the stakeholder's role in it} over `initiatives`."""
    return dict(
        stakeholder.participations.filter(initiative__in=initiatives).values_list("initiative_id", "role")
    )


def tags_with_counts():
    """Tags on the records the public pages count, each with how many carry it, by name."""
    return tags_in_use(published_initiatives(), count_as="count").order_by("name")


def _in_use() -> dict:
    """Ids of the countries, stakeholders and tags of published records.

    They change only with the catalogue, so they are kept until it does (initiatives/catalogue.py): at a
    million records, finding them takes seconds. EXISTS per country or stakeholder stops at
    its first published record.
    """
    countries = Initiative.countries.through.objects.filter(
        country_id=OuterRef("pk"), initiative__moderation_state=ModerationState.PUBLISHED
    )
    stakeholders = Participation.objects.filter(
        stakeholder_id=OuterRef("pk"), initiative__moderation_state=ModerationState.PUBLISHED
    )
    return {
        "countries": list(Country.objects.filter(Exists(countries)).values_list("pk", flat=True)),
        "stakeholders": list(Stakeholder.objects.filter(Exists(stakeholders)).values_list("pk", flat=True)),
        "tags": list(tags_in_use(Initiative.objects.published()).values_list("pk", flat=True)),
    }


def facets() -> dict:
    """What the browse page's filters offer: the frame, and the countries, stakeholders and
    tags that published records use."""
    in_use = remembered("facets-in-use", _in_use)
    return {
        "key_tasks": KeyTask.objects.all(),
        "action_lines": ActionLine.objects.select_related("key_task"),
        "countries": Country.objects.filter(pk__in=in_use["countries"]),
        "stakeholders": Stakeholder.objects.filter(pk__in=in_use["stakeholders"]),
        "tags": Tag.objects.filter(pk__in=in_use["tags"]).order_by("name"),
        "advocacies": Advocacy.objects.all(),
    }


# The browse parameters whose values name a part of the frame, and how.
_NAMED_BY = {
    "key_task": lambda value: KeyTask.objects.filter(slug=value).first(),
    "action_line": lambda value: ActionLine.objects.filter(slug=value).first(),
    "country": lambda value: Country.objects.filter(code=value.upper()).first(),
    "stakeholder": lambda value: Stakeholder.objects.filter(slug=value).first(),
    "advocacy": lambda value: Advocacy.objects.filter(slug=value).first(),
}


def frame_item_named(parameter: str, value: str):
    """The key task, action line, country, stakeholder or advocacy a browse parameter's value
    names; None when it names none, or the parameter is not one of these (no query then)."""
    lookup = _NAMED_BY.get(parameter)
    return lookup(value) if lookup is not None else None


def countries_matching(q: str):
    """Countries by code, ISO alpha-3 or part of either name; all of them for an empty query."""
    countries = Country.objects.all()
    if q:
        countries = countries.filter(
            Q(code__iexact=q) | Q(name_en__icontains=q) | Q(name_zh__contains=q) | Q(alpha3__iexact=q)
        )
    return countries


def stakeholders_matching(q: str):
    """Stakeholders by part of slug, name or acronym; all of them for an empty query."""
    stakeholders = Stakeholder.objects.all()
    if q:
        stakeholders = stakeholders.filter(
            Q(slug__icontains=q) | Q(name_en__icontains=q) | Q(name_zh__contains=q) | Q(acronym__icontains=q)
        )
    return stakeholders


def public_tags_matching(q: str):
    """Tags on published records, by name: a tag that only a private draft carries is not public."""
    tags = tags_in_use(Initiative.objects.published()).order_by("name")
    if q:
        tags = tags.filter(name__icontains=q)
    return tags
