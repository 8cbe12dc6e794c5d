"""The published catalogue as the public pages count and list it.

A record counts on these pages once it is published and not merged into another (the
survivor carries its content). Counts per part of the frame are one aggregate query each,
whatever the number of records, and are kept until the catalogue changes
(initiatives/catalogue.py `remembered`), as is what the browse page's filters offer: at a
million records each aggregate takes PostgreSQL a second or more.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import ExtractYear
from taggit.models import Tag

from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

from ..catalogue import remembered
from ..choices import ModerationState
from ..models import Initiative, InitiativeTranslation, Participation, TagSynonym
from .tags import tags_in_use

# Through a frame item's `initiatives` relation: the records that count.
_COUNTED = Q(initiatives__moderation_state=ModerationState.PUBLISHED, initiatives__merged_into__isnull=True)


def published_initiatives():
    """The records the public pages list and count."""
    return Initiative.objects.published().filter(merged_into__isnull=True)


def browsable(user, *, any_state: bool = False):
    """The records the browse page filters: those this user may see, not merged away.

    Browsing means published records, unless the reader asks for a moderation state;
    members find their drafts in the workspace. Published records are the same for every
    reader, so that list does not ask whose they are (which would read every row).
    """
    if not any_state:
        return published_initiatives()
    return Initiative.objects.visible_to(user).filter(merged_into__isnull=True)


def cards(queryset):
    """Rows as a card shows them (initiatives/_card.html): the key task and the countries,
    without the body, which a card never shows."""
    return (
        queryset.select_related("key_task")
        .defer("body", "body_html", "search_document", "search_extra")
        .prefetch_related(
            Prefetch("countries", queryset=Country.objects.only("code", "name_en", "name_zh")),
            # A card shows the title and summary in the reader's language (texts.shown_text).
            Prefetch(
                "translations",
                queryset=InitiativeTranslation.objects.only(
                    "initiative_id", "language", "title", "summary", "status"
                ),
            ),
        )
    )


def listing(queryset):
    """Rows of a listing page: newest publication first, with what a row shows."""
    return cards(queryset).order_by("-published_at", "-id")


def latest(limit: int = 6) -> list:
    """The latest published records, kept until the catalogue changes."""
    return remembered(f"latest-{limit}", lambda: list(listing(published_initiatives())[:limit]))


def key_tasks_with_counts() -> list:
    return remembered(
        "key-tasks-with-counts",
        lambda: list(
            KeyTask.objects.annotate(count=Count("initiatives", filter=_COUNTED)).order_by("number")
        ),
    )


def countries_with_counts() -> list:
    return remembered(
        "countries-with-counts",
        lambda: list(
            Country.objects.annotate(count=Count("initiatives", filter=_COUNTED)).order_by("name_en")
        ),
    )


def region_counts() -> dict:
    """{region: records with a participant country in it}; a record counts once per region."""
    return remembered(
        "region-counts",
        lambda: dict(
            Country.objects.filter(_COUNTED)
            .values_list("region")
            .annotate(count=Count("initiatives", distinct=True))
            .values_list("region", "count")
        ),
    )


def start_year_counts() -> list:
    """(year, records starting that year), oldest first; records without a start are left out."""
    return remembered(
        "start-year-counts",
        lambda: list(
            published_initiatives()
            .exclude(start_date__isnull=True)
            .annotate(year=ExtractYear("start_date"))
            .values_list("year")
            .annotate(count=Count("id"))
            .order_by("year")
            .values_list("year", "count")
        ),
    )


def action_lines_with_counts(key_task) -> list:
    return remembered(
        f"action-lines-with-counts-{key_task.pk}",
        lambda: list(
            ActionLine.objects.filter(key_task=key_task)
            .annotate(count=Count("initiatives", filter=_COUNTED))
            .order_by("position")
        ),
    )


def stakeholders_with_counts() -> list:
    counted = Q(
        participations__initiative__moderation_state=ModerationState.PUBLISHED,
        participations__initiative__merged_into__isnull=True,
    )
    return remembered(
        "stakeholders-with-counts",
        lambda: list(
            Stakeholder.objects.select_related("country")
            .annotate(count=Count("participations", filter=counted))
            .order_by("name_en")
        ),
    )


def stakeholder_roles(stakeholder, initiative_ids) -> dict:
    """{record id: the stakeholder's role in it} over the records of these ids (a page's)."""
    return dict(
        stakeholder.participations.filter(initiative_id__in=list(initiative_ids)).values_list(
            "initiative_id", "role"
        )
    )


def tags_with_counts() -> list:
    """Tags on the records the public pages count, each with how many carry it, by name."""
    return remembered(
        "tags-with-counts",
        lambda: list(
            tags_in_use(published_initiatives(), count_as="count").select_related("label").order_by("name")
        ),
    )


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


def _facets() -> dict:
    in_use = _in_use()
    return {
        "key_tasks": list(KeyTask.objects.all()),
        "action_lines": list(ActionLine.objects.select_related("key_task")),
        "countries": list(Country.objects.filter(pk__in=in_use["countries"])),
        "stakeholders": list(Stakeholder.objects.filter(pk__in=in_use["stakeholders"])),
        "tags": list(Tag.objects.filter(pk__in=in_use["tags"]).order_by("name")),
        "advocacies": list(Advocacy.objects.all()),
    }


def facets() -> dict:
    """What the browse page's filters offer: the frame, and the countries, stakeholders and
    tags that published records use; kept until the catalogue changes (the frame's rows
    are part of it), so a page reads none of them."""
    return remembered("facets", _facets)


# The browse parameters whose values name a part of the frame: the model and its key.
_NAMED_BY = {
    "key_task": (KeyTask, "slug"),
    "action_line": (ActionLine, "slug"),
    "country": (Country, "code"),
    "stakeholder": (Stakeholder, "slug"),
    "advocacy": (Advocacy, "slug"),
}


def _frame_by_key() -> dict:
    return {
        parameter: {getattr(item, key): item for item in model.objects.all()}
        for parameter, (model, key) in _NAMED_BY.items()
    }


def frame_item_named(parameter: str, value: str):
    """The key task, action line, country, stakeholder or advocacy a browse parameter's value
    names; None when it names none, or the parameter is not one of these. The frame is
    small and kept until the catalogue changes, so naming costs no query."""
    if parameter not in _NAMED_BY:
        return None
    if parameter == "country":
        value = value.upper()
    return remembered("frame-by-key", _frame_by_key)[parameter].get(value)


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
    """Tags on published records, by name, either label or a synonym: a tag that only a
    private draft carries is not public."""
    tags = tags_in_use(Initiative.objects.published()).order_by("name")
    if q:
        synonym = TagSynonym.objects.filter(tag_id=OuterRef("pk"), name__icontains=q)
        tags = tags.filter(
            Q(name__icontains=q)
            | Q(label__label_en__icontains=q)
            | Q(label__label_zh__icontains=q)
            | Exists(synonym)
        )
    return tags
