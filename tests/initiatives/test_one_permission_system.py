"""One permission system: every door asks `user.has_perm(name, obj)` of initiatives/rules.py,
and the answer is what the service then does.

The services, the API's allowed_actions, the admin's buttons and actions and the templates'
`{% has_perm %}` ask the same registered names; superusers are held to the record's rules
too (four eyes), where Django would let them do anything.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse

from initiatives import rules, services
from initiatives.models import Initiative, PendingRevision, Update
from tests import factories
from tests.initiatives.test_permissions import ACTIONS, ACTORS, STATES, build_world, perform

# The permission each action of the matrix asks ("edit" asks one of two, below).
PERMISSION_OF = {
    "view": "initiatives.view_initiative",
    "submit": "initiatives.submit_initiative",
    "approve": "initiatives.approve_initiative",
    "reject": "initiatives.reject_initiative",
    "archive": "initiatives.archive_initiative",
    "merge": "initiatives.merge_initiative",
    "restore": "initiatives.restore_initiative",
    "delete": "initiatives.delete_initiative",
}


def fresh(initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


def test_the_permissions_are_registered_once_by_name():
    assert set(rules.PERMISSIONS) == {
        "initiatives.add_initiative",
        "initiatives.moderate",
        "initiatives.curate",
        "initiatives.import_initiatives",
        "initiatives.curate_tags",
        "initiatives.check_source",
        "initiatives.hide_comment",
        "initiatives.view_initiative",
        "initiatives.read_full_history",
        "initiatives.view_moderation",
        "initiatives.change_initiative",
        "initiatives.propose_revision",
        "initiatives.remove_collaborator",
        "initiatives.submit_initiative",
        "initiatives.approve_initiative",
        "initiatives.reject_initiative",
        "initiatives.archive_initiative",
        "initiatives.restore_initiative",
        "initiatives.merge_initiative",
        "initiatives.delete_initiative",
        "initiatives.add_update",
        "initiatives.decide_revision",
        "initiatives.decide_update",
        "initiatives.edit_own_comment",
        "initiatives.delete_own_comment",
        "initiatives.report_comment",
    }


# Without an object: what the admin shows a person at all.
#                         moderate curate hide_comment add_initiative
ROLE_TABLE = {
    "anonymous": (False, False, False, False),
    "contributor": (False, False, False, True),
    "curator": (False, True, False, True),
    "moderator": (True, False, True, True),
    "admin": (True, True, True, True),
}


@pytest.mark.parametrize("role", ROLE_TABLE)
def test_model_permissions_follow_the_roles(db, client, role):
    user = AnonymousUser() if role == "anonymous" else getattr(factories, role)()
    names = (
        "initiatives.moderate",
        "initiatives.curate",
        "initiatives.hide_comment",
        "initiatives.add_initiative",
    )
    assert tuple(user.has_perm(name) for name in names) == ROLE_TABLE[role]
    # Importing files of records is curating, and so is keeping the tag vocabulary.
    assert user.has_perm("initiatives.import_initiatives") is ROLE_TABLE[role][1]
    assert user.has_perm("initiatives.curate_tags") is ROLE_TABLE[role][1]
    # The admin's moderation queue opens for whoever moderates or curates, and no one else.
    if role != "anonymous":
        client.force_login(user)
        response = client.get(reverse("admin:initiatives_moderationqueueitem_changelist"))
        assert (response.status_code == 200) is (ROLE_TABLE[role][0] or ROLE_TABLE[role][1])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def attempt(action, user, initiative):
    """(refused, what the service returned); whatever it did is rolled back."""
    try:
        with transaction.atomic():
            result = perform(action, user, initiative)
            transaction.set_rollback(True)
    except PermissionDenied:
        return True, None
    return False, result


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_has_perm_says_what_the_service_does(world, db, actor, state):
    actors, records = world
    user = actors[actor]
    for action in ACTIONS:
        initiative = Initiative.objects.get(pk=records[state][0])
        was_refused, result = attempt(action, user, initiative)
        if action == "edit":
            direct = user.has_perm("initiatives.change_initiative", initiative)
            proposes = user.has_perm("initiatives.propose_revision", initiative)
            assert (direct, proposes) == (
                isinstance(result, Initiative),
                isinstance(result, PendingRevision),
            ), action
        else:
            assert user.has_perm(PERMISSION_OF[action], initiative) is not was_refused, action


def test_an_admin_who_wrote_the_submission_is_refused_at_every_door(db, client):
    writer = factories.admin(username="admin_writer")
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, collaborators=[writer.username])
    services.initiative_edit(actor=writer, initiative=fresh(initiative), data={"body": "The admin's text."})
    services.initiative_submit(actor=owner, initiative=fresh(initiative))
    initiative = fresh(initiative)

    assert not writer.has_perm("initiatives.approve_initiative", initiative)
    assert not writer.has_perm("initiatives.reject_initiative", initiative)
    assert writer.has_perm("initiatives.moderate")  # still moderates others' records
    tag = Template(
        '{% load rules %}{% has_perm "initiatives.approve_initiative" user record as ok %}{{ ok }}'
    )
    assert tag.render(Context({"user": writer, "record": initiative})) == "False"
    assert "approve" not in rules.allowed_actions(writer, initiative)

    client.force_login(writer)
    page = client.get(reverse("admin:initiatives_initiative_change", args=[initiative.pk])).content.decode()
    assert reverse("admin:initiatives_initiative_approve", args=[initiative.pk]) not in page
    api = client.get(f"/api/v1/initiatives/{initiative.slug}/").json()
    assert "approve" not in api["allowed_actions"]
    client.post(
        reverse("admin:initiatives_moderationqueueitem_changelist"),
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [initiative.pk]},
    )
    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=writer, initiative=fresh(initiative))
    assert fresh(initiative).moderation_state == "submitted"

    other_admin = factories.admin()
    assert other_admin.has_perm("initiatives.approve_initiative", initiative)
    services.initiative_approve(actor=other_admin, initiative=fresh(initiative))
    assert fresh(initiative).moderation_state == "published"


def test_deciding_a_proposal_asks_the_same_permission_as_the_service(db):
    author = factories.moderator(username="mod_author")
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, state="published", collaborators=[author.username])
    revision = services.initiative_edit(
        actor=author, initiative=fresh(initiative), data={"title": "Retitled"}
    )
    assert isinstance(revision, PendingRevision)

    assert not author.has_perm("initiatives.decide_revision", revision)
    with pytest.raises(PermissionDenied):
        services.revision_approve(actor=author, revision=revision)
    desk = factories.moderator()
    assert desk.has_perm("initiatives.decide_revision", revision)
    services.revision_approve(actor=desk, revision=revision)
    assert fresh(initiative).title == "Retitled"


def test_deciding_a_held_note_asks_the_same_permission_as_the_service(db):
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, state="published")
    note = services.update_create(
        actor=owner,
        initiative=fresh(initiative),
        data={"title": "Second cohort trained", "kind": "milestone", "text": "Forty responders."},
    )
    assert note.state == "held"

    curator = factories.curator()
    assert not owner.has_perm("initiatives.decide_update", note)
    assert not curator.has_perm("initiatives.decide_update", note)
    with pytest.raises(PermissionDenied):
        services.update_approve(actor=curator, update=note)
    desk = factories.moderator()
    assert desk.has_perm("initiatives.decide_update", note)
    services.update_approve(actor=desk, update=note)
    assert Update.objects.get(pk=note.pk).state == "published"
