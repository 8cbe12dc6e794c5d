"""Where the published records are: how many per country, and which pairs of countries hold
bilateral dialogues, under the browse page's filters (the map page)."""

from collections import Counter

from django.db.models import Count

from governance.models import Country

from ..choices import InitiativeKind
from ..models import Initiative


def country_counts(records) -> dict[str, int]:
    """{alpha-2 code: records} for the given records; a record counts once per country."""
    through = Initiative.countries.through
    rows = (
        through.objects.filter(initiative__in=records.order_by().values("pk"))
        .values_list("country_id")
        .annotate(count=Count("initiative_id", distinct=True))
    )
    return dict(rows)


def dialogue_pairs(records) -> list[tuple[str, str, int]]:
    """(code, code, dialogues) for the bilateral dialogues among the given records: the
    dialogues with exactly two countries, the codes in alphabetical order, most first."""
    dialogues = (
        records.order_by()
        .filter(kind=InitiativeKind.DIALOGUE)
        .annotate(country_count=Count("countries"))
        .filter(country_count=2)
        .values("pk")
    )
    through = Initiative.countries.through
    codes: dict[int, list[str]] = {}
    for initiative_id, code in through.objects.filter(initiative__in=dialogues).values_list(
        "initiative_id", "country_id"
    ):
        codes.setdefault(initiative_id, []).append(code)
    pairs = Counter(tuple(sorted(pair)) for pair in codes.values() if len(pair) == 2)
    return [(first, second, count) for (first, second), count in pairs.most_common()]


def countries_by_numeric() -> dict[str, Country]:
    """Every country by its ISO numeric code, the name Natural Earth gives its shapes."""
    return {country.numeric: country for country in Country.objects.all()}
