"""Nothing about records a caller may not see changes what that caller gets.

A tag carried only by drafts is, to everyone who may not see those drafts, a tag that does
not exist: the tag page, the `tag` filter (browse page, API, feed), the tag list and the
tag suggestions answer exactly as they do for a name nobody ever used. And a new record's
slug is made the same way whether or not someone else's draft has the same title.
"""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from governance.slugs import slug_base
from initiatives import services
from tests import factories

HIDDEN_TAG = "Codename Bluefin"
HIDDEN_SLUG = "codename-bluefin"
NEVER_USED = "Codename Redfin"
NEVER_USED_SLUG = "codename-redfin"


@pytest.fixture
def hidden_draft(db):
    """A public record, and a draft that alone carries HIDDEN_TAG."""
    factories.make_initiative(state="published", title="Public record", tags=["public tag"])
    return factories.make_initiative(title="Someone's private draft", tags=[HIDDEN_TAG])


def _clients(user):
    web, api = Client(), APIClient()
    if user is not None:
        web.force_login(user)
        api.force_login(user)
    return web, api


def _answers(user, name: str, slug: str) -> dict:
    """What a caller gets for one tag, on every door that takes a tag; the name itself is
    written as TAG so that the answers for two names can be compared."""
    web, api = _clients(user)
    responses = {
        "tag page": web.get(f"/tags/{slug}/"),
        "browse filter": web.get("/initiatives/", {"tag": name}),
        "api filter": api.get("/api/v1/initiatives/", {"tag": name}),
        "api tag": api.get(f"/api/v1/tags/{slug}/"),
        "feed": web.get("/initiatives/feed/", {"tag": name}),
    }
    answers = {door: response.status_code for door, response in responses.items()}
    answers["browse errors"] = str(responses["browse filter"].context["filter_errors"]).replace(name, "TAG")
    answers["api body"] = responses["api filter"].content.decode().replace(name, "TAG")
    answers["feed body"] = responses["feed"].content.decode().replace(name, "TAG")
    return answers


def test_a_tag_only_drafts_carry_is_answered_like_a_tag_never_used(hidden_draft):
    for user in (None, factories.contributor()):
        hidden = _answers(user, HIDDEN_TAG, HIDDEN_SLUG)
        unknown = _answers(user, NEVER_USED, NEVER_USED_SLUG)
        assert hidden == unknown, user
        assert hidden["tag page"] == 404 and hidden["api filter"] == 400, user


def test_lists_and_suggestions_leave_out_tags_only_drafts_carry(hidden_draft):
    for user in (None, factories.contributor()):
        web, api = _clients(user)
        listed = [tag["name"] for tag in api.get("/api/v1/tags/").json()["results"]]
        assert listed == ["public tag"], user
        suggested = web.get("/autocomplete/tags/", {"q": "codename"}).json()["results"]
        assert suggested == [], user
        assert HIDDEN_TAG not in web.get("/tags/").content.decode(), user


def test_those_who_may_see_the_draft_may_use_its_tag(hidden_draft, curator):
    for user in (hidden_draft.owner, curator):
        web, api = _clients(user)
        assert web.get(f"/tags/{HIDDEN_SLUG}/").status_code == 200, user
        found = api.get("/api/v1/initiatives/", {"tag": HIDDEN_TAG})
        assert [row["slug"] for row in found.json()["results"]] == [hidden_draft.slug], user


def test_a_new_slug_says_nothing_of_a_draft_with_the_same_title(db):
    """The stranger's slug has the same form whether or not the hidden draft exists."""
    title, control = "Secret talks on undersea cables", "Open talks on undersea cables"
    factories.make_initiative(title=title)  # someone else's draft, hidden from the stranger
    stranger = factories.contributor()
    for own_title in (title, control):
        record = services.initiative_create(actor=stranger, data=factories.initiative_data(title=own_title))
        assert re.fullmatch(rf"{slug_base(own_title)}-[a-z0-9]{{6}}", record.slug), record.slug
