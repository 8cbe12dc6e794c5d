"""Four eyes: whoever wrote what is under review does not decide on it, through any door.

Two ways round the rule that used to work: a moderator who collaborates on a draft edits
it and lets the owner submit it, then approves it; and a moderator proposes a change to a
published record, the owner touches the same proposal, and the moderator approves their
own text. Each is tried through the services, the admin and the API.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from initiatives import rules, services
from initiatives.models import Initiative, PendingRevision
from tests import factories


def fresh(initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


@pytest.fixture
def edited_by_moderator(db):
    """A draft a collaborating moderator edited, submitted by its owner."""
    moderator = factories.moderator(username="mod_collaborator")
    owner = factories.contributor(username="owner")
    initiative = factories.make_initiative(owner=owner, collaborators=[moderator.username])
    services.initiative_edit(
        actor=moderator, initiative=fresh(initiative), data={"body": "Text the moderator wrote."}
    )
    services.initiative_submit(actor=owner, initiative=fresh(initiative))
    return moderator, fresh(initiative)


@pytest.fixture
def touched_proposal(db):
    """A moderator's proposal for a published record, then changed by the owner."""
    moderator = factories.moderator(username="mod_collaborator")
    owner = factories.contributor(username="owner")
    initiative = factories.make_initiative(owner=owner, state="published", collaborators=[moderator.username])
    first = services.initiative_edit(
        actor=moderator, initiative=fresh(initiative), data={"title": "The moderator's title"}
    )
    second = services.initiative_edit(actor=owner, initiative=fresh(initiative), data={"tags": ["urban"]})
    assert isinstance(second, PendingRevision) and second.pk == first.pk
    return moderator, owner, second


# --- services --------------------------------------------------------------------------


def test_a_moderator_who_edited_the_draft_may_not_decide_on_it(edited_by_moderator):
    moderator, initiative = edited_by_moderator

    assert not rules.can_approve(moderator, initiative)
    assert "approve" not in rules.allowed_actions(moderator, initiative)
    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=moderator, initiative=initiative)
    with pytest.raises(PermissionDenied):
        services.initiative_reject(actor=moderator, initiative=initiative, reason="Not mine to judge.")
    assert fresh(initiative).moderation_state == "submitted"

    services.initiative_approve(actor=factories.moderator(), initiative=initiative)
    assert fresh(initiative).moderation_state == "published"


def test_writing_before_a_rejection_still_counts(edited_by_moderator):
    """The rejected text comes back for review with its changes: its authors stay authors."""
    moderator, initiative = edited_by_moderator
    services.initiative_reject(actor=factories.moderator(), initiative=initiative, reason="Add a source.")
    services.initiative_edit(
        actor=initiative.owner, initiative=fresh(initiative), data={"summary": "With a source now."}
    )
    services.initiative_submit(actor=initiative.owner, initiative=fresh(initiative))

    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=moderator, initiative=fresh(initiative))


@pytest.mark.parametrize("how", ["restore", "bulk status"])
def test_an_admin_who_changed_the_content_may_not_decide_on_it(db, how):
    admin = factories.admin()
    initiative = factories.make_initiative(state="submitted")
    if how == "restore":
        services.initiative_restore(actor=admin, initiative=initiative, version=1)
    else:
        services.initiatives_set_status(actor=admin, initiatives=[initiative], status="completed")

    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=admin, initiative=fresh(initiative))
    services.initiative_approve(actor=factories.admin(), initiative=fresh(initiative))


def test_a_moderator_who_only_rejected_it_before_may_approve_the_fixed_version(db):
    moderator = factories.moderator()
    initiative = factories.make_initiative(state="rejected", moderator_user=moderator)
    services.initiative_edit(actor=initiative.owner, initiative=initiative, data={"summary": "Fixed."})
    services.initiative_submit(actor=initiative.owner, initiative=fresh(initiative))

    services.initiative_approve(actor=moderator, initiative=fresh(initiative))
    assert fresh(initiative).moderation_state == "published"


def test_a_proposal_keeps_every_author_and_none_of_them_decides_it(touched_proposal):
    moderator, owner, revision = touched_proposal

    for author in (moderator, owner):
        assert not rules.can_decide_revision(author, revision)
        with pytest.raises(PermissionDenied):
            services.revision_approve(actor=author, revision=revision)
        with pytest.raises(PermissionDenied):
            services.revision_reject(actor=author, revision=revision, reason="Mine.")
    assert PendingRevision.objects.get(pk=revision.pk).state == "open"
    assert fresh(revision.initiative).title != "The moderator's title"
    assert set(revision.authors.all()) == {moderator, owner}

    services.revision_approve(actor=factories.moderator(), revision=revision)
    assert fresh(revision.initiative).title == "The moderator's title"


def test_the_same_author_twice_is_one_author(db):
    initiative = factories.make_initiative(state="published")
    services.initiative_edit(actor=initiative.owner, initiative=initiative, data={"title": "One"})
    revision = services.initiative_edit(
        actor=initiative.owner, initiative=fresh(initiative), data={"title": "Two"}
    )
    assert list(revision.authors.all()) == [initiative.owner]


# --- the admin ---------------------------------------------------------------------------


def test_the_admin_queue_refuses_the_moderator_who_edited_the_draft(client, edited_by_moderator):
    moderator, initiative = edited_by_moderator
    client.force_login(moderator)

    response = client.post(
        reverse("admin:initiatives_moderationqueueitem_changelist"),
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [initiative.pk]},
        follow=True,
    )
    assert "may not approve" in response.content.decode()
    page = client.get(reverse("admin:initiatives_initiative_change", args=[initiative.pk])).content.decode()
    assert reverse("admin:initiatives_initiative_approve", args=[initiative.pk]) not in page
    client.post(reverse("admin:initiatives_initiative_approve", args=[initiative.pk]))
    assert fresh(initiative).moderation_state == "submitted"


def test_the_admin_refuses_a_revision_to_each_of_its_authors(client, touched_proposal):
    moderator, _owner, revision = touched_proposal
    client.force_login(moderator)

    response = client.post(
        reverse("admin:initiatives_pendingrevision_changelist"),
        {"action": "approve_revisions", ACTION_CHECKBOX_NAME: [revision.pk]},
        follow=True,
    )
    assert "You may not decide on this revision" in response.content.decode()
    assert PendingRevision.objects.get(pk=revision.pk).state == "open"


# --- the migration -----------------------------------------------------------------------

AUTHORS_MIGRATION = ("initiatives", "0012_pendingrevision_authors")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_the_author_of_each_existing_proposal():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    (before,) = [
        p for p in executor.loader.graph.node_map[AUTHORS_MIGRATION].parents if p.key[0] == "initiatives"
    ]
    executor.migrate([before.key])
    old = MigrationExecutor(connection).loader.project_state([before.key]).apps
    user = old.get_model("governance", "User").objects.create(username="proposer")
    owner = old.get_model("governance", "User").objects.create(username="record-owner")
    key_task = old.get_model("governance", "KeyTask").objects.get(slug="global-south")
    initiative = old.get_model("initiatives", "Initiative").objects.create(
        slug="old-record", title="Old record", summary="s", key_task=key_task, kind="project", owner=owner
    )
    old.get_model("initiatives", "PendingRevision").objects.create(
        initiative=initiative, author=user, base_version=1, snapshot={"title": "Proposed"}
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    revision = PendingRevision.objects.get(initiative__slug="old-record")
    assert [author.username for author in revision.authors.all()] == ["proposer"]
