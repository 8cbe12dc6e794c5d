"""A merged record's address leads on to its survivor only for callers who may see both ends.

Its slug names the survivor's title, so a redirect (web) or a `merged_into` (API) is
itself a disclosure: the survivor must be visible to the caller, and the merged record's
address must have been known to them (published once, or theirs to see).
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from initiatives import services
from tests import factories


def _web(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def owners(db):
    return factories.contributor(username="source-owner"), factories.contributor(username="survivor-owner")


def test_a_merged_draft_leads_on_only_those_who_knew_it(owners, curator):
    """Its address was never public: a redirect would tell strangers the draft existed."""
    source_owner, _survivor_owner = owners
    survivor = factories.make_initiative(state="published", title="Open survivor of a merge")
    draft = factories.make_initiative(owner=source_owner, title="Unpublished duplicate of a dialogue")
    services.initiative_merge(actor=curator, source=draft, target=survivor)

    for user in (None, factories.contributor()):
        assert _web(user).get(draft.get_absolute_url()).status_code == 404, user
    for user in (source_owner, curator):
        response = _web(user).get(draft.get_absolute_url())
        assert response.status_code == 301, user
        assert response["Location"] == survivor.get_absolute_url()


def test_a_merged_record_never_names_a_survivor_the_caller_may_not_see(owners, curator):
    source_owner, survivor_owner = owners
    survivor = factories.make_initiative(owner=survivor_owner, title="Hidden survivor draft")
    source = factories.make_initiative(owner=source_owner, title="Duplicate that was merged")
    services.initiative_merge(actor=curator, source=source, target=survivor)
    detail = f"/api/v1/initiatives/{source.slug}/"

    for user in (None, factories.contributor(), survivor_owner):
        assert _web(user).get(source.get_absolute_url()).status_code == 404, user
        assert _api(user).get(detail).status_code == 404, user
    # The merged record's owner still reads their record, but nothing in it leads on.
    page = _web(source_owner).get(source.get_absolute_url())
    assert page.status_code == 200
    record = _api(source_owner).get(detail)
    history = _api(source_owner).get(f"{detail}history/")
    assert record.json()["merged_into"] is None
    for response in (page, record, history):
        assert response.status_code == 200
        assert survivor.slug not in response.content.decode()
    # Staff see where it went.
    assert _web(curator).get(source.get_absolute_url())["Location"] == survivor.get_absolute_url()
    assert _api(curator).get(detail).json()["merged_into"] == survivor.slug
    assert survivor.slug in _api(curator).get(f"{detail}history/").content.decode()


def test_a_published_record_merged_into_a_published_one_still_redirects_everyone(curator):
    survivor = factories.make_initiative(state="published", title="Surviving published record")
    duplicate = factories.make_initiative(state="published", title="Published duplicate record")
    services.initiative_merge(actor=curator, source=duplicate, target=survivor)
    for user in (None, factories.contributor()):
        response = _web(user).get(duplicate.get_absolute_url())
        assert response.status_code == 301, user
        assert response["Location"] == survivor.get_absolute_url()
