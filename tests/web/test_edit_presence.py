"""Edit presence: whoever opens a record's edit form is told who else has it open and since
when; the notice lapses after EDIT_PRESENCE_SECONDS and goes when that person saves, and
saving still goes through the version check."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from initiatives.models import EditPresence
from tests import factories
from tests.initiatives.test_admin import form_data as admin_form_data
from tests.web.test_workspace import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return factories.contributor(username="alice")


@pytest.fixture
def bob(db):
    return factories.contributor(username="bob")


@pytest.fixture
def shared_draft(alice, bob):
    return factories.make_initiative(owner=alice, partners=[bob], title="Shared draft of a CERT network")


def edit_url(initiative) -> str:
    return reverse("initiatives:edit", args=[initiative.slug])


def presence_url(initiative) -> str:
    return reverse("initiatives:edit_presence", args=[initiative.slug])


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def started_today_at(user, hour: int, minute: int) -> None:
    """Move when this person started editing to a time of today (UTC, the site's zone)."""
    moment = timezone.now().replace(hour=hour, minute=minute, second=0, microsecond=0)
    EditPresence.objects.filter(user=user).update(started_at=moment)


def go_quiet(seconds: int) -> None:
    """Every open form last said so `seconds` earlier than it did."""
    EditPresence.objects.update(
        seen_at=F("seen_at") - datetime.timedelta(seconds=seconds),
        started_at=F("started_at") - datetime.timedelta(seconds=seconds),
    )


def text_of(response) -> str:
    return response.content.decode()


def test_bob_is_told_that_alice_is_editing_and_since_when(alice, bob, shared_draft):
    assert as_user(alice).get(edit_url(shared_draft)).status_code == 200
    started_today_at(alice, 14, 5)

    page = as_user(bob).get(edit_url(shared_draft))
    assert page.status_code == 200
    assert [p.user for p in page.context["editing_now"]] == [alice]
    assert "alice has been editing this record (since 2:05 p.m.)." in text_of(page)
    assert "If they save first, your save will not overwrite their changes" in text_of(page)

    # Alice is not told about herself, only about Bob, who now has the form open too.
    again = as_user(alice).get(edit_url(shared_draft))
    assert [p.user for p in again.context["editing_now"]] == [bob]
    assert "alice has been editing" not in text_of(again)
    assert "bob has been editing this record (since" in text_of(again)


def test_nobody_else_editing_shows_no_notice(alice, shared_draft):
    page = as_user(alice).get(edit_url(shared_draft))
    assert page.context["editing_now"] == []
    assert "has been editing" not in text_of(page)
    assert 'id="edit-presence"' in text_of(page)  # the empty, hidden place the heartbeat fills


def test_several_editors_are_listed_longest_first(alice, bob, shared_draft):
    carol = factories.curator(username="carol")
    as_user(carol).get(edit_url(shared_draft))
    as_user(alice).get(edit_url(shared_draft))
    started_today_at(alice, 9, 30)
    # Carol opened the form yesterday and has kept it open since: the day is named too.
    yesterday = timezone.now() - datetime.timedelta(days=1)
    EditPresence.objects.filter(user=carol).update(
        started_at=yesterday.replace(hour=23, minute=50, second=0, microsecond=0)
    )

    page = as_user(bob).get(edit_url(shared_draft))
    assert [p.user for p in page.context["editing_now"]] == [carol, alice]
    html = text_of(page)
    carol_since = date_format(EditPresence.objects.get(user=carol).started_at, "DATETIME_FORMAT")
    assert f"carol has been editing this record (since {carol_since})." in html
    assert "11:50 p.m." in carol_since
    assert "alice has been editing this record (since 9:30 a.m.)." in html
    assert "If one of them saves first" in html


def test_the_notice_lapses_after_edit_presence_seconds(settings, alice, bob, shared_draft):
    settings.EDIT_PRESENCE_SECONDS = 120
    as_user(alice).get(edit_url(shared_draft))
    go_quiet(100)
    assert [p.user for p in as_user(bob).get(edit_url(shared_draft)).context["editing_now"]] == [alice]

    go_quiet(30)  # Alice's form last said so 130 seconds ago: she left without saving.
    page = as_user(bob).get(edit_url(shared_draft))
    assert page.context["editing_now"] == []
    assert "alice has been editing" not in text_of(page)


def test_the_heartbeat_keeps_presence_fresh_and_answers_with_the_notice(alice, bob, shared_draft):
    alice_client, bob_client = as_user(alice), as_user(bob)
    alice_client.get(edit_url(shared_draft))
    started = EditPresence.objects.get(user=alice).started_at
    go_quiet(250)

    beat = alice_client.post(presence_url(shared_draft))
    assert beat.status_code == 200
    assert beat.content.decode().strip() == ""  # nobody else is editing
    go_quiet(250)  # 500 seconds since the form opened, 250 since it last said so

    page = bob_client.get(edit_url(shared_draft))
    assert [p.user for p in page.context["editing_now"]] == [alice]
    assert EditPresence.objects.get(user=alice).started_at == started - datetime.timedelta(seconds=500)

    # Bob's form, asking a minute later, is answered with the notice to show.
    answer = bob_client.post(presence_url(shared_draft))
    assert answer.status_code == 200
    assert "alice has been editing this record (since" in answer.content.decode()


def test_after_alice_saves_bob_no_longer_sees_her_and_his_stale_save_is_refused(alice, bob, shared_draft):
    alice_client, bob_client = as_user(alice), as_user(bob)
    alice_client.get(edit_url(shared_draft))
    opened = bob_client.get(edit_url(shared_draft))
    assert [p.user for p in opened.context["editing_now"]] == [alice]
    bobs_version = opened.context["form"].initial["version"]

    saved = alice_client.post(
        edit_url(shared_draft),
        form_data(version=str(shared_draft.version), title="Alice's title", collaborators="bob"),
    )
    assert saved.status_code == 302
    assert not EditPresence.objects.filter(user=alice).exists()
    assert bob_client.get(edit_url(shared_draft)).context["editing_now"] == []

    # The notice was advice: the version check still refuses Bob's save from the old version.
    stale = bob_client.post(
        edit_url(shared_draft), form_data(version=str(bobs_version), title="Bob's title", collaborators="bob")
    )
    assert stale.status_code == 400
    assert "changed by someone else" in " ".join(stale.context["form"].non_field_errors())
    shared_draft.refresh_from_db()
    assert shared_draft.title == "Alice's title"
    # Bob is still at the form, so Alice, opening it again, is told about him.
    assert [p.user for p in alice_client.get(edit_url(shared_draft)).context["editing_now"]] == [bob]


def test_people_who_may_not_edit_get_no_presence(client, alice, shared_draft):
    published = factories.make_initiative(owner=alice, state="published", title="Published dialogue")
    stranger = as_user(factories.contributor())
    assert stranger.post(presence_url(shared_draft)).status_code == 404  # may not see it
    assert stranger.post(presence_url(published)).status_code == 403  # may see it, not edit it
    moderator = as_user(factories.moderator())
    assert moderator.post(presence_url(shared_draft)).status_code == 403  # moderators do not edit
    anonymous = client.post(presence_url(shared_draft))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert not EditPresence.objects.exists()

    # Nor do they show up to the people who may: the owner sees nobody else.
    assert as_user(alice).get(edit_url(shared_draft)).context["editing_now"] == []


def test_the_heartbeat_is_a_csrf_protected_post(alice, shared_draft):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(presence_url(shared_draft)).status_code == 403
    assert strict.get(presence_url(shared_draft)).status_code == 405
    assert not EditPresence.objects.exists()

    page = strict.get(edit_url(shared_draft))
    token = page.context["csrf_token"]
    assert strict.post(presence_url(shared_draft), HTTP_X_CSRFTOKEN=str(token)).status_code == 200


def test_the_notice_is_in_the_readers_language(alice, bob, shared_draft):
    bob.preferred_language = "zh-hans"
    bob.save(update_fields=["preferred_language"])
    as_user(alice).get(edit_url(shared_draft))
    started_today_at(alice, 14, 5)

    html = text_of(as_user(bob).get(edit_url(shared_draft)))
    assert "alice 自 14:05 起一直在编辑此记录。" in html
    assert "has been editing" not in html


def test_the_admin_change_form_shows_and_makes_presence_for_curators(alice, shared_draft):
    curator = factories.curator(username="carol")
    as_user(alice).get(edit_url(shared_draft))
    admin_url = reverse("admin:initiatives_initiative_change", args=[shared_draft.pk])

    curators_page = as_user(curator).get(admin_url)
    assert curators_page.status_code == 200
    assert "alice has been editing this record (since" in curators_page.content.decode()
    assert "js/edit_presence.js" in curators_page.content.decode()
    # The curator at the admin's form shows on the site's form in turn, until they save there.
    alice_client = as_user(alice)
    assert [p.user for p in alice_client.get(edit_url(shared_draft)).context["editing_now"]] == [curator]
    shared_draft.refresh_from_db()
    saved = as_user(curator).post(admin_url, admin_form_data(shared_draft, title="Curated title"))
    assert saved.status_code == 302
    assert alice_client.get(edit_url(shared_draft)).context["editing_now"] == []


def test_the_heartbeat_costs_the_same_queries_however_many_are_editing(alice, shared_draft):
    def heartbeat_queries() -> int:
        client = as_user(alice)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(presence_url(shared_draft)).status_code == 200
        return len(queries)

    as_user(alice).get(edit_url(shared_draft))
    as_user(factories.curator()).get(edit_url(shared_draft))
    with_one = heartbeat_queries()
    assert with_one <= 10
    for _ in range(3):
        as_user(factories.curator()).get(edit_url(shared_draft))
    assert heartbeat_queries() == with_one
