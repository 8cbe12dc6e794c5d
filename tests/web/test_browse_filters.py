"""The browse page's sidebar: results and the reader's language for everyone, checked
sources and translations needed for curators; and the curators' workspace counting the
records that wait for a translation."""

import sys

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

CHINESE = {"title": "中文译名", "summary": "中文摘要", "status": "person"}


def browse(client, **query) -> str:
    response = client.get(reverse("initiatives:list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_every_reader_filters_by_results_and_by_the_language_they_read(client):
    factories.make_initiative(state="published", title="Translated record", translations={"zh-hans": CHINESE})
    factories.make_initiative(state="published", title="English only record")

    page = browse(client)
    assert 'name="has_results"' in page and 'name="translated"' in page
    assert 'name="source_checked"' not in page and 'name="needs_translation"' not in page

    chinese = browse(client, translated="zh-hans")
    assert "Translated record" in chinese
    assert "English only record" not in chinese
    assert 'value="zh-hans" selected' in chinese


def test_curators_get_the_checked_source_and_translation_controls(client):
    client.force_login(factories.curator())
    factories.make_initiative(state="published", title="Translated record", translations={"zh-hans": CHINESE})
    factories.make_initiative(state="published", title="English only record")

    page = browse(client)
    assert 'name="source_checked"' in page and 'name="needs_translation"' in page

    waiting = browse(client, needs_translation="zh-hans")
    assert "English only record" in waiting and "Translated record" not in waiting


def test_contributors_neither_see_nor_use_the_curators_filters(client):
    client.force_login(factories.contributor())
    factories.make_initiative(state="published", title="English only record")

    page = browse(client)
    assert 'name="needs_translation"' not in page and 'name="source_checked"' not in page
    refused = browse(client, needs_translation="zh-hans")
    assert "Only curators look for the records that need a translation." in refused
    assert "English only record" not in refused


def test_the_workspace_counts_the_published_records_waiting_for_a_translation(client):
    curator = factories.curator()
    factories.make_initiative(state="published", title="Translated record", translations={"zh-hans": CHINESE})
    factories.make_initiative(state="published")
    factories.make_initiative(state="published", translations={"zh-hans": {**CHINESE, "status": "pending"}})
    factories.make_initiative(state="draft")
    client.force_login(curator)

    workspace = client.get(reverse("initiatives:workspace")).content.decode()

    assert "2 published records wait for a translation into Simplified Chinese" in workspace
    assert "?needs_translation=zh-hans" in workspace
    assert "translation into English" not in workspace


def test_the_translation_count_stops_at_the_cap(client, monkeypatch):
    owner, moderator = factories.contributor(), factories.moderator()
    for _ in range(3):
        factories.make_initiative(owner=owner, state="published", moderator_user=moderator)
    client.force_login(factories.curator())
    monkeypatch.setattr(sys.modules["initiatives.views.workspace"], "COUNT_CAP", 2)

    workspace = client.get(reverse("initiatives:workspace")).content.decode()

    assert "More than 2 published records wait for a translation into Simplified Chinese" in workspace


def test_contributors_are_not_asked_for_translations(client):
    owner = factories.contributor()
    factories.make_initiative(owner=owner, state="published")
    client.force_login(owner)

    workspace = client.get(reverse("initiatives:workspace")).content.decode()

    assert "wait for a translation" not in workspace


def test_the_kept_filter_form_is_each_kind_of_readers_own(client):
    """The form is rendered once per address and kind of reader: a curator's controls never
    reach an anonymous reader of the same address, nor the reverse, and a catalogue change
    brings new options."""
    factories.make_initiative(state="published", title="Tagged record", tags=["cloud"])
    curator, contributor = factories.curator(), factories.contributor()
    for reader, curators_controls, moderation_state in (
        (None, False, False),
        (curator, True, True),
        (None, False, False),
        (contributor, False, True),
        (curator, True, True),
    ):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        page = browse(client, kind="project")
        assert ('name="needs_translation"' in page) is curators_controls
        assert ('name="moderation_state"' in page) is moderation_state
        assert 'value="project" selected' in page
    client.logout()
    assert 'value="satellites"' not in browse(client, kind="project")
    factories.make_initiative(state="published", tags=["satellites"])
    assert 'value="satellites"' in browse(client, kind="project")
