"""Moderation through the API: four eyes, proposed changes, merge and restore."""

import pytest

from initiatives import services
from initiatives.models import Initiative
from tests import factories

LIST_URL = "/api/v1/initiatives/"


def detail(initiative) -> str:
    return f"{LIST_URL}{initiative.slug}/"


def fresh(initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


# Four eyes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_moderator_who_edited_the_draft_is_neither_offered_nor_allowed_approval(client_for):
    moderator = factories.moderator()
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, collaborators=[moderator.username])
    services.initiative_edit(actor=moderator, initiative=fresh(initiative), data={"body": "Mine."})
    services.initiative_submit(actor=owner, initiative=fresh(initiative))
    client = client_for(moderator)

    assert client.get(detail(initiative)).json()["allowed_actions"] == []
    rows = {row["slug"]: row for row in client.get(LIST_URL).json()["results"]}
    assert rows[initiative.slug]["allowed_actions"] == []
    assert client.post(f"{detail(initiative)}approve/").status_code == 403
    assert client.post(f"{detail(initiative)}reject/", {"reason": "No."}, format="json").status_code == 403
    assert fresh(initiative).moderation_state == "submitted"

    other = client_for(factories.moderator())
    rows = {row["slug"]: row for row in other.get(LIST_URL).json()["results"]}
    assert rows[initiative.slug]["allowed_actions"] == ["approve", "reject"]
