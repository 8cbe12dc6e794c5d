"""allowed_actions answers a person with no part in a record without asking every rule, and
that answer is the one every rule gives."""

import pytest
from django.contrib.auth.models import AnonymousUser

from initiatives import rules
from tests import factories

pytestmark = pytest.mark.django_db

STATES = ("draft", "submitted", "published", "rejected", "archived")


def every_rule(user, initiative) -> list[str]:
    actions = {"direct": ["edit"], "revision": ["propose_revision"]}.get(
        rules.edit_mode(user, initiative), []
    )
    return actions + [
        name for name, permission in rules.ACTIONS.items() if rules.RECORD_RULES[permission](user, initiative)
    ]


def test_the_short_answer_is_what_every_rule_says_for_every_role_and_state():
    owner = factories.contributor()
    stranger = factories.contributor()
    partner = factories.contributor()
    people = {
        "collaborator": partner,
        "anonymous": AnonymousUser(),
        "owner": owner,
        "stranger": stranger,
        "curator": factories.curator(),
        "moderator": factories.moderator(),
        "admin": factories.admin(),
    }
    seen_empty = seen_some = 0
    for state in STATES:
        initiative = factories.make_initiative(owner=owner, state=state, partners=[partner])
        for who, user in people.items():
            answer = rules.allowed_actions(user, initiative)
            assert answer == every_rule(user, initiative), (who, state)
            seen_empty += answer == []
            seen_some += answer != []
    # Both kinds of answer were compared, not only the short one.
    assert seen_empty and seen_some
    # A stranger is offered nothing on any record, and the owner something on a draft.
    assert rules.allowed_actions(stranger, factories.make_initiative(owner=owner)) == []
    assert "edit" in rules.allowed_actions(owner, factories.make_initiative(owner=owner))
    assert "edit" in rules.allowed_actions(
        partner, factories.make_initiative(owner=owner, partners=[partner])
    )
