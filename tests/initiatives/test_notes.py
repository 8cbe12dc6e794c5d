"""Progress notes follow the rule of edits: what would wait for a moderator as an edit waits as a note.

Curators and admins, who edit a published record directly, publish notes at once; owners
and collaborators, whose edit of a published record is a pending revision, have their note
held until a moderator who did not write it approves it. Held and rejected notes are for
the record's members and staff; no page, feed, digest or anonymous answer shows them.
"""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from digests import services as digest_services
from initiatives import rules, services
from initiatives.models import Initiative, Update
from tests import factories

NOTE = {"title": "Second cohort trained", "kind": "milestone", "text": "Forty responders."}


@pytest.fixture
def record(db):
    collaborator = factories.contributor(username="collaborator")
    return factories.make_initiative(
        owner=factories.contributor(username="owner"),
        state="published",
        title="Regional CERT academy",
        collaborators=[collaborator.username],
    ), collaborator


def fresh(note) -> Update:
    return Update.objects.get(pk=note.pk)


# --- the rule, through the services -------------------------------------------------------


def test_a_collaborators_note_on_a_published_record_waits_for_a_moderator(record):
    initiative, collaborator = record
    updated_at = Initiative.objects.get(pk=initiative.pk).updated_at

    note = services.update_create(actor=collaborator, initiative=initiative, data=NOTE)

    assert (note.state, note.published_at) == ("held", None)
    assert Initiative.objects.get(pk=initiative.pk).updated_at == updated_at
    moderator = factories.moderator()
    services.update_approve(actor=moderator, update=note)
    note = fresh(note)
    assert (note.state, note.decided_by) == ("published", moderator)
    assert note.published_at is not None and note.decided_at is not None
    assert Initiative.objects.get(pk=initiative.pk).updated_at == note.published_at


@pytest.mark.parametrize(
    ("who", "state", "expected"),
    [
        ("owner", "published", "held"),
        ("collaborator", "published", "held"),
        ("curator", "published", "published"),
        ("admin", "published", "published"),
        ("owner", "draft", "published"),
        ("collaborator", "rejected", "published"),
        ("curator", "archived", "published"),
    ],
)
def test_notes_follow_the_edit_mode(db, who, state, expected):
    collaborator = factories.contributor()
    initiative = factories.make_initiative(state=state, collaborators=[collaborator.username])
    actor = {
        "owner": initiative.owner,
        "collaborator": collaborator,
        "curator": factories.curator(),
        "admin": factories.admin(),
    }[who]
    assert rules.note_mode(actor, initiative) == {"held": "held", "published": "direct"}[expected]

    note = services.update_create(actor=actor, initiative=initiative, data=NOTE)

    assert note.state == expected
    assert (note.published_at is not None) is (expected == "published")


@pytest.mark.parametrize("state", ["submitted", "published", "archived"])
def test_those_who_may_not_edit_add_no_notes(db, state):
    initiative = factories.make_initiative(state=state)
    for actor in (AnonymousUser(), factories.contributor(), factories.moderator()):
        with pytest.raises(PermissionDenied):
            services.update_create(actor=actor, initiative=initiative, data=NOTE)
    assert not Update.objects.exists()


def test_neither_its_author_nor_the_records_owner_decides_a_note(db):
    author = factories.moderator(username="mod_collaborator")
    owner = factories.moderator(username="mod_owner")
    initiative = factories.make_initiative(owner=owner, state="published", collaborators=[author.username])
    note = services.update_create(actor=author, initiative=initiative, data=NOTE)
    assert note.state == "held"

    for actor in (author, owner, factories.curator(), factories.contributor()):
        with pytest.raises(PermissionDenied):
            services.update_approve(actor=actor, update=note)
        with pytest.raises(PermissionDenied):
            services.update_reject(actor=actor, update=note, reason="No.")
    assert fresh(note).state == "held"

    services.update_approve(actor=factories.admin(), update=note)
    assert fresh(note).state == "published"


def test_a_rejected_note_is_kept_with_its_reason_and_decided_once(record):
    initiative, collaborator = record
    note = services.update_create(actor=collaborator, initiative=initiative, data=NOTE)
    moderator = factories.moderator()

    with pytest.raises(ValidationError) as error:
        services.update_reject(actor=moderator, update=note, reason=" ")
    assert "reason" in error.value.message_dict
    services.update_reject(actor=moderator, update=note, reason="Name the partner, not the trainee.")

    note = fresh(note)
    assert (note.state, note.reason, note.decided_by, note.published_at) == (
        "rejected",
        "Name the partner, not the trainee.",
        moderator,
        None,
    )
    for decide in (services.update_approve, services.update_reject):
        kwargs = {"reason": "Again."} if decide is services.update_reject else {}
        with pytest.raises(services.AlreadyDecided):
            decide(actor=factories.moderator(), update=note, **kwargs)


def test_a_note_is_changed_only_by_those_who_publish_notes_and_only_once_live(record):
    initiative, collaborator = record
    held = services.update_create(actor=collaborator, initiative=initiative, data=NOTE)
    curator = factories.curator()
    live = services.update_create(actor=curator, initiative=initiative, data={"title": "Launched"})

    # The owner's change to a live note would go live unreviewed, as an edit would not.
    with pytest.raises(PermissionDenied):
        services.update_save(
            actor=initiative.owner, initiative=initiative, update=live, data={"title": "Mine"}
        )
    # A held note is decided as written; nobody rewrites it first.
    with pytest.raises(PermissionDenied):
        services.update_save(actor=curator, initiative=initiative, update=held, data={"title": "Edited"})
    services.update_save(actor=curator, initiative=initiative, update=live, data={"title": "Launched in May"})

    assert (fresh(live).title, fresh(held).title) == ("Launched in May", NOTE["title"])


# --- the web page --------------------------------------------------------------------------


def test_held_and_rejected_notes_show_only_to_members_and_staff(client, record):
    initiative, collaborator = record
    held = services.update_create(actor=collaborator, initiative=initiative, data={"title": "Held note"})
    turned_down = services.update_create(
        actor=initiative.owner, initiative=initiative, data={"title": "Bad note"}
    )
    services.update_reject(actor=factories.moderator(), update=turned_down, reason="Off topic.")
    services.update_create(actor=factories.curator(), initiative=initiative, data={"title": "Curator note"})
    url = initiative.get_absolute_url()

    for viewer in (None, factories.contributor()):
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Curator note" in page
        assert "Held note" not in page and "Bad note" not in page and "Off topic." not in page
    for viewer in (collaborator, initiative.owner, factories.moderator(), factories.curator()):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Held note" in page and "Bad note" in page and "Off topic." in page, viewer

    services.update_approve(actor=factories.moderator(), update=held)
    client.logout()
    assert "Held note" in client.get(url).content.decode()


def test_the_web_form_says_a_note_waits_for_a_moderator(client, record):
    initiative, collaborator = record
    client.force_login(collaborator)
    response = client.post(
        reverse("initiatives:update_create", args=[initiative.slug]),
        {"title": "From the form", "kind": "progress", "date": "2026-03-01", "text": ""},
        follow=True,
    )
    assert "waiting for a moderator" in response.content.decode()
    assert Update.objects.get(title="From the form").state == "held"


def test_a_followers_list_dates_only_published_notes(client, record):
    initiative, collaborator = record
    follower = factories.contributor()
    services.follow_create(actor=follower, initiative=initiative)
    services.update_create(
        actor=collaborator, initiative=initiative, data={"title": "Held", "date": datetime.date(2031, 5, 17)}
    )
    client.force_login(follower)
    page = client.get(reverse("initiatives:following")).content.decode()
    assert "2031" not in page


# --- digests -------------------------------------------------------------------------------


def test_a_held_note_reaches_no_digest_until_approved_then_the_next_one(db, settings):
    settings.DIGESTS_SETTLE_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    collaborator = factories.contributor()
    initiative = factories.make_initiative(state="published", collaborators=[collaborator.username])
    follower = factories.UserFactory()
    digest_services.subscription_update(user=follower, frequency="daily")
    services.follow_create(actor=follower, initiative=initiative)

    def digest(period):
        mail.outbox.clear()
        run = digest_services.digest_run_start(kind="daily", period=period)
        for ids in digest_services.due_batches(run=run):
            digest_services.digest_batch_send(run_id=run.pk, ids=ids)
        return " ".join(message.body for message in mail.outbox if message.to == [follower.email])

    digest("2030-01-01")
    note = services.update_create(actor=collaborator, initiative=initiative, data={"title": "Held back news"})
    assert "Held back news" not in digest("2030-01-02")
    services.update_approve(actor=factories.moderator(), update=note)
    assert "Held back news" in digest("2030-01-03")


# --- the admin -----------------------------------------------------------------------------


def test_moderators_approve_and_reject_held_notes_in_the_admin(client, record):
    initiative, collaborator = record
    first = services.update_create(actor=collaborator, initiative=initiative, data={"title": "First"})
    second = services.update_create(actor=collaborator, initiative=initiative, data={"title": "Second"})
    changelist = reverse("admin:initiatives_update_changelist")
    client.force_login(factories.moderator())

    assert "First" in client.get(changelist, {"state__exact": "held"}).content.decode()
    client.post(changelist, {"action": "approve_notes", ACTION_CHECKBOX_NAME: [first.pk]}, follow=True)
    asked = client.post(changelist, {"action": "reject_notes", ACTION_CHECKBOX_NAME: [second.pk]})
    assert 'name="reason"' in asked.content.decode()
    client.post(
        changelist,
        {"action": "reject_notes", ACTION_CHECKBOX_NAME: [second.pk], "reason": "Duplicate."},
        follow=True,
    )
    assert (fresh(first).state, fresh(second).state, fresh(second).reason) == (
        "published",
        "rejected",
        "Duplicate.",
    )


def test_the_admin_refuses_a_note_to_its_author_and_to_curators(client, db):
    author = factories.moderator()
    initiative = factories.make_initiative(state="published", collaborators=[author.username])
    note = services.update_create(actor=author, initiative=initiative, data={"title": "My own news"})
    changelist = reverse("admin:initiatives_update_changelist")
    for user in (author, factories.curator()):
        client.force_login(user)
        client.post(changelist, {"action": "approve_notes", ACTION_CHECKBOX_NAME: [note.pk]}, follow=True)
    assert fresh(note).state == "held"
