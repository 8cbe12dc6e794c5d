"""schema.org descriptions of a record's, a stakeholder's and a country's page, for search
engines and other readers of JSON-LD.

A dialogue or an event is an `Event`, any other record a `Project`; a stakeholder is an
`Organization` and a country a `Country`. Each holds what its page shows to the reader it
is rendered for, nothing more. `json_ld` writes one as the text of a
`<script type="application/ld+json">` element: `<`, `>` and `&` are written as JSON
escapes, so no title can end the element or open another (as Django's `json_script` does).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .choices import InitiativeKind, ParticipationRole

CONTEXT = "https://schema.org"
EVENT_KINDS = (InitiativeKind.DIALOGUE, InitiativeKind.EVENT)
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# Which schema.org property names a stakeholder in each role, for an Event and a Project.
_EVENT_ROLES = {
    ParticipationRole.LEAD: "organizer",
    ParticipationRole.HOST: "organizer",
    ParticipationRole.FUNDER: "funder",
    ParticipationRole.PARTNER: "contributor",
    ParticipationRole.OBSERVER: "attendee",
}
_PROJECT_ROLES = {
    ParticipationRole.FUNDER: "funder",
    ParticipationRole.LEAD: "member",
    ParticipationRole.HOST: "member",
    ParticipationRole.PARTNER: "member",
    ParticipationRole.OBSERVER: "member",
}


def json_ld(data: dict) -> SafeString:
    """`data` as JSON safe to place inside a script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=False)
    return mark_safe(text.translate(_ESCAPES))  # noqa: S308 -- every <, > and & is escaped above


def _organization(stakeholder, *, absolute) -> dict:
    data = {
        "@type": "Organization",
        "name": stakeholder.name,
        "url": absolute(reverse("initiatives:stakeholder", kwargs={"slug": stakeholder.slug})),
    }
    if stakeholder.acronym:
        data["alternateName"] = stakeholder.acronym
    if stakeholder.website:
        data["sameAs"] = stakeholder.website
    return data


def _country(country, *, absolute) -> dict:
    return {
        "@type": "Country",
        "name": country.name,
        "identifier": country.code,
        "url": absolute(reverse("initiatives:country", kwargs={"code": country.code})),
    }


def initiative_data(initiative, *, absolute) -> dict:
    """An Event (dialogues, events) or a Project (the rest); `absolute` makes a path absolute."""
    is_event = initiative.kind in EVENT_KINDS
    data = {
        "@context": CONTEXT,
        "@type": "Event" if is_event else "Project",
        "name": initiative.title,
        "description": initiative.summary,
        "url": absolute(initiative.get_absolute_url()),
        "inLanguage": "zh-Hans" if initiative.language == "zh-hans" else initiative.language,
    }
    if initiative.start_date:
        data["startDate"] = initiative.start_date.isoformat()
    if initiative.end_date:
        data["endDate"] = initiative.end_date.isoformat()
    roles = _EVENT_ROLES if is_event else _PROJECT_ROLES
    for participation in initiative.participations.all():
        name = roles[participation.role]
        data.setdefault(name, []).append(_organization(participation.stakeholder, absolute=absolute))
    countries = [_country(country, absolute=absolute) for country in initiative.countries.all()]
    if countries:
        data["location" if is_event else "areaServed"] = countries
    keywords = sorted((tag.name for tag in initiative.tags.all()), key=str.casefold)
    if keywords:
        data["keywords"] = ", ".join(keywords)
    return data


def stakeholder_data(stakeholder, *, absolute) -> dict:
    data = _organization(stakeholder, absolute=absolute)
    if stakeholder.country_id:
        data["location"] = _country(stakeholder.country, absolute=absolute)
    return {"@context": CONTEXT, **data}


def country_data(country, *, absolute) -> dict:
    data = _country(country, absolute=absolute)
    other = [name for name in (country.name_en, country.name_zh) if name and name != country.name]
    if other:
        data["alternateName"] = other
    return {"@context": CONTEXT, **data}
