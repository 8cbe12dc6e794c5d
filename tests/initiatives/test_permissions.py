"""The role matrix of DESIGN section 3, case by case, through the services.

Every actor x every moderation state x every action: the service either does it (and the
record shows it) or refuses with PermissionDenied (and the record is untouched), and
`rules.allowed_actions` (what the API and the pages offer) says the same. The expected
table below is written out from the design, not computed from the code under test.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from initiatives import rules, services
from initiatives.models import Initiative, PendingRevision, Revision
from tests import factories

ACTORS = (
    "anonymous",
    "owner",  # a Contributor who created it
    "other",  # a Contributor with no part in it
    "collaborator",  # a Contributor the owner added
    "curator",
    "moderator",
    "mod_submitter",  # a Moderator who collaborates on it and sent it for review
    "admin",  # a superuser with no part in it
)
STATES = ("draft", "submitted", "published", "rejected", "archived")
ACTIONS = ("view", "edit", "submit", "approve", "reject", "archive", "merge", "restore", "delete")

Y, N = "yes", "no"
D, R = "direct", "revision"  # edit: straight to the live record / held for a moderator

# fmt: off
MATRIX = {
    # Read: published for all; the rest for its members and the staff roles.
    #                  anon owner other collab curator moder modsub admin
    "view": {
        "draft":      (N,   Y,    N,    Y,     Y,      Y,    Y,     Y),
        "submitted":  (N,   Y,    N,    Y,     Y,      Y,    Y,     Y),
        "published":  (Y,   Y,    Y,    Y,     Y,      Y,    Y,     Y),
        "rejected":   (N,   Y,    N,    Y,     Y,      Y,    Y,     Y),
        "archived":   (N,   Y,    N,    Y,     Y,      Y,    Y,     Y),
    },
    # Members edit drafts and rejected records directly and propose revisions of published
    # ones; curators and admins edit any record directly; moderators do not edit content
    # (mod_submitter edits as the collaborator it also is). Under review or archived, only
    # curators and admins edit.
    "edit": {
        "draft":      (N,   D,    N,    D,     D,      N,    D,     D),
        "submitted":  (N,   N,    N,    N,     D,      N,    N,     D),
        "published":  (N,   R,    N,    R,     D,      N,    R,     D),
        "rejected":   (N,   D,    N,    D,     D,      N,    D,     D),
        "archived":   (N,   N,    N,    N,     D,      N,    N,     D),
    },
    # A draft or rejected record goes to review by its members, or by a curator or admin.
    "submit": {
        "draft":      (N,   Y,    N,    Y,     Y,      N,    Y,     Y),
        "submitted":  (N,   N,    N,    N,     N,      N,    N,     N),
        "published":  (N,   N,    N,    N,     N,      N,    N,     N),
        "rejected":   (N,   Y,    N,    Y,     Y,      N,    Y,     Y),
        "archived":   (N,   N,    N,    N,     N,      N,    N,     N),
    },
    # Moderators and admins decide on submissions, never on one they sent (four eyes).
    "approve": {
        "draft":      (N,   N,    N,    N,     N,      N,    N,     N),
        "submitted":  (N,   N,    N,    N,     N,      Y,    N,     Y),
        "published":  (N,   N,    N,    N,     N,      N,    N,     N),
        "rejected":   (N,   N,    N,    N,     N,      N,    N,     N),
        "archived":   (N,   N,    N,    N,     N,      N,    N,     N),
    },
    "reject": {
        "draft":      (N,   N,    N,    N,     N,      N,    N,     N),
        "submitted":  (N,   N,    N,    N,     N,      Y,    N,     Y),
        "published":  (N,   N,    N,    N,     N,      N,    N,     N),
        "rejected":   (N,   N,    N,    N,     N,      N,    N,     N),
        "archived":   (N,   N,    N,    N,     N,      N,    N,     N),
    },
    # Curators and admins archive published records, and merge and restore any record.
    "archive": {
        "draft":      (N,   N,    N,    N,     N,      N,    N,     N),
        "submitted":  (N,   N,    N,    N,     N,      N,    N,     N),
        "published":  (N,   N,    N,    N,     Y,      N,    N,     Y),
        "rejected":   (N,   N,    N,    N,     N,      N,    N,     N),
        "archived":   (N,   N,    N,    N,     N,      N,    N,     N),
    },
    "merge": {
        "draft":      (N,   N,    N,    N,     Y,      N,    N,     Y),
        "submitted":  (N,   N,    N,    N,     Y,      N,    N,     Y),
        "published":  (N,   N,    N,    N,     Y,      N,    N,     Y),
        "rejected":   (N,   N,    N,    N,     Y,      N,    N,     Y),
        "archived":   (N,   N,    N,    N,     Y,      N,    N,     Y),
    },
    "restore": {
        "draft":      (N,   N,    N,    N,     Y,      N,    N,     Y),
        "submitted":  (N,   N,    N,    N,     Y,      N,    N,     Y),
        "published":  (N,   N,    N,    N,     Y,      N,    N,     Y),
        "rejected":   (N,   N,    N,    N,     Y,      N,    N,     Y),
        "archived":   (N,   N,    N,    N,     Y,      N,    N,     Y),
    },
    # Admins delete anything; an owner may withdraw a draft that never went anywhere.
    "delete": {
        "draft":      (N,   Y,    N,    N,     N,      N,    N,     Y),
        "submitted":  (N,   N,    N,    N,     N,      N,    N,     Y),
        "published":  (N,   N,    N,    N,     N,      N,    N,     Y),
        "rejected":   (N,   N,    N,    N,     N,      N,    N,     Y),
        "archived":   (N,   N,    N,    N,     N,      N,    N,     Y),
    },
}
# fmt: on

EXPECTED = {
    (actor, state, action): MATRIX[action][state][column]
    for action in ACTIONS
    for state in STATES
    for column, actor in enumerate(ACTORS)
}
CASES = sorted(EXPECTED, key=lambda case: (ACTIONS.index(case[2]), STATES.index(case[1]), case[0]))

# The names rules.allowed_actions uses for each action of the matrix.
OFFERED_AS = {"edit": {D: "edit", R: "propose_revision"}}


def test_the_table_covers_every_actor_state_and_action():
    assert all(len(row) == len(ACTORS) for table in MATRIX.values() for row in table.values())
    assert set(MATRIX) == set(ACTIONS)
    assert all(set(table) == set(STATES) for table in MATRIX.values())
    assert len(CASES) == len(ACTORS) * len(STATES) * len(ACTIONS) == 360
    print(f"\npermission matrix: {len(CASES)} cases")


def build_world() -> tuple[dict, dict]:
    """The eight actors, and one initiative per moderation state brought there through the services."""
    owner = factories.contributor(username="owner")
    actors = {
        "anonymous": AnonymousUser(),
        "owner": owner,
        "other": factories.contributor(username="other"),
        "collaborator": factories.contributor(username="collaborator"),
        "curator": factories.curator(username="curator"),
        "moderator": factories.moderator(username="moderator"),
        "mod_submitter": factories.moderator(username="mod_submitter"),
        "admin": factories.admin(username="admin"),
    }
    desk, archivist = factories.moderator(username="desk"), factories.curator(username="archivist")
    records = {}
    for state in STATES:
        initiative = services.initiative_create(
            actor=owner,
            data=factories.initiative_data(
                title=f"Digital agriculture pilot ({state})", collaborators=["collaborator", "mod_submitter"]
            ),
        )
        if state != "draft":
            services.initiative_submit(actor=actors["mod_submitter"], initiative=initiative)
        if state in ("published", "archived"):
            services.initiative_approve(actor=desk, initiative=initiative)
        if state == "rejected":
            services.initiative_reject(actor=desk, initiative=initiative, reason="Name a lead partner.")
        if state == "archived":
            services.initiative_archive(actor=archivist, initiative=initiative)
        records[state] = (initiative.pk, Initiative.objects.get(pk=initiative.pk).version)
    return actors, records


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; every case runs in a savepoint inside it and is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def perform(action: str, actor, initiative: Initiative):
    """Do the action through the door the web, the API and the admin all use."""
    if action == "view":
        if not Initiative.objects.visible_to(actor).filter(pk=initiative.pk).exists():
            raise PermissionDenied("not visible")
        return None
    if action == "edit":
        return services.initiative_edit(
            actor=actor,
            initiative=initiative,
            data={"title": "Digital agriculture pilot, phase two", "tags": ["agriculture"]},
            expected_version=initiative.version,
        )
    if action == "submit":
        return services.initiative_submit(actor=actor, initiative=initiative)
    if action == "approve":
        return services.initiative_approve(actor=actor, initiative=initiative)
    if action == "reject":
        return services.initiative_reject(actor=actor, initiative=initiative, reason="Sources missing.")
    if action == "archive":
        return services.initiative_archive(actor=actor, initiative=initiative)
    if action == "merge":
        survivor = factories.make_initiative(state="published", title="Digital agriculture programme")
        return services.initiative_merge(actor=actor, source=initiative, target=survivor)
    if action == "restore":
        return services.initiative_restore(actor=actor, initiative=initiative, version=1)
    if action == "delete":
        return services.initiative_delete(actor=actor, initiative=initiative)
    raise AssertionError(action)


def assert_done(action: str, expected: str, before: Initiative, result) -> None:
    """What a user would see after the action went through."""
    if action == "view":
        return
    if action == "delete":
        assert not Initiative.objects.filter(pk=before.pk).exists()
        return
    after = Initiative.objects.get(pk=before.pk)
    if action == "edit" and expected == R:
        assert isinstance(result, PendingRevision)
        assert result.snapshot["title"] == "Digital agriculture pilot, phase two"
        assert after.title == before.title
        assert after.version == before.version
        return
    assert after.version > before.version
    if action == "edit":
        assert after.title == "Digital agriculture pilot, phase two"
        # DESIGN: an edit takes a rejected record back to draft; other states stay.
        expected_state = "draft" if before.moderation_state == "rejected" else before.moderation_state
        assert after.moderation_state == expected_state
    elif action == "merge":
        assert after.merged_into_id is not None
        assert after.moderation_state == "archived"
    elif action == "restore":
        assert Revision.objects.get(initiative=after, version=after.version).action == "restore"
    else:
        to_state = {
            "submit": "submitted",
            "approve": "published",
            "reject": "rejected",
            "archive": "archived",
        }
        assert after.moderation_state == to_state[action]


@pytest.mark.parametrize(("actor", "state", "action"), CASES, ids=["-".join(case) for case in CASES])
def test_matrix(world, db, actor, state, action):
    actors, records = world
    user = actors[actor]
    pk, version = records[state]
    initiative = Initiative.objects.get(pk=pk)
    # Untouched by the cases before: each ran in its own savepoint.
    assert (initiative.moderation_state, initiative.version, initiative.merged_into_id) == (
        state,
        version,
        None,
    )
    assert not PendingRevision.objects.filter(initiative=initiative).exists()
    expected = EXPECTED[(actor, state, action)]

    offered = rules.allowed_actions(user, Initiative.objects.get(pk=initiative.pk))
    if action == "view":
        assert rules.can_view(user, initiative) is (expected == Y)
    elif action == "edit":
        assert [name for name in offered if name in ("edit", "propose_revision")] == (
            [OFFERED_AS["edit"][expected]] if expected != N else []
        )
    else:
        assert (action in offered) is (expected == Y)

    before = Initiative.objects.get(pk=initiative.pk)
    if expected == N:
        with pytest.raises(PermissionDenied):
            perform(action, user, before)
        after = Initiative.objects.get(pk=initiative.pk)
        assert (after.version, after.moderation_state, after.title, after.merged_into_id) == (
            before.version,
            before.moderation_state,
            before.title,
            None,
        )
        assert not PendingRevision.objects.filter(initiative=before).exists()
    else:
        result = perform(action, user, Initiative.objects.get(pk=initiative.pk))
        assert_done(action, expected, before, result)
