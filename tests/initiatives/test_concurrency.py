"""Two people saving the same version: one wins, the other is told, and nothing is lost."""

import threading

import pytest
from django.db import connection, connections

from initiatives import services
from initiatives.history import snapshot_of
from initiatives.models import Initiative, PendingRevision, Revision
from initiatives.services import ConcurrentEditError
from tests import factories

CHANGED_SINCE = "changed by someone else since you opened it"


def opened(initiative) -> Initiative:
    """The record as an editor's form loaded it."""
    return Initiative.objects.get(pk=initiative.pk)


def test_the_second_save_from_the_same_version_is_refused_and_the_first_survives(contributor, curator):
    initiative = factories.make_initiative(owner=contributor, title="Draft title")
    mine, theirs = opened(initiative), opened(initiative)

    services.initiative_edit(
        actor=contributor, initiative=mine, data={"title": "Owner's title"}, expected_version=mine.version
    )
    with pytest.raises(ConcurrentEditError) as error:
        services.initiative_edit(
            actor=curator,
            initiative=theirs,
            data={"title": "Curator's title", "tags": ["curated"]},
            expected_version=theirs.version,
        )

    assert CHANGED_SINCE in str(error.value)
    assert "version 1" in str(error.value) and "version 2" in str(error.value)
    assert (error.value.expected, error.value.current) == (1, 2)
    saved = opened(initiative)
    assert (saved.title, saved.version) == ("Owner's title", 2)
    assert snapshot_of(saved)["tags"] == ["capacity building"]
    assert [r.version for r in Revision.objects.filter(initiative=initiative)] == [2, 1]


def test_after_reloading_the_second_editor_saves(contributor, curator):
    initiative = factories.make_initiative(owner=contributor)
    stale = opened(initiative)
    services.initiative_edit(actor=contributor, initiative=opened(initiative), data={"summary": "First."})
    with pytest.raises(ConcurrentEditError):
        services.initiative_edit(
            actor=curator, initiative=stale, data={"title": "Second"}, expected_version=stale.version
        )

    fresh = opened(initiative)
    services.initiative_edit(
        actor=curator, initiative=fresh, data={"title": "Second"}, expected_version=fresh.version
    )
    saved = opened(initiative)
    assert (saved.title, saved.summary, saved.version) == ("Second", "First.", 3)


def test_a_stale_save_that_would_change_nothing_is_still_told(contributor, curator):
    initiative = factories.make_initiative(owner=contributor, title="Same")
    stale = opened(initiative)
    services.initiative_edit(actor=curator, initiative=opened(initiative), data={"summary": "Moved on."})
    with pytest.raises(ConcurrentEditError):
        services.initiative_edit(
            actor=contributor, initiative=stale, data={"title": "Same"}, expected_version=stale.version
        )


def test_a_stale_transition_is_refused(contributor, moderator):
    initiative = factories.make_initiative(owner=contributor)
    stale_version = opened(initiative).version
    services.initiative_edit(actor=contributor, initiative=opened(initiative), data={"summary": "Changed."})

    with pytest.raises(ConcurrentEditError):
        services.initiative_submit(actor=contributor, initiative=initiative, expected_version=stale_version)
    assert opened(initiative).moderation_state == "draft"


def test_a_stale_proposal_on_a_published_record_is_refused(contributor, curator):
    initiative = factories.make_initiative(owner=contributor, state="published")
    stale = opened(initiative)
    services.initiative_edit(actor=curator, initiative=opened(initiative), data={"summary": "Curated."})

    with pytest.raises(ConcurrentEditError):
        services.initiative_edit(
            actor=contributor, initiative=stale, data={"title": "Proposed"}, expected_version=stale.version
        )
    assert not PendingRevision.objects.filter(initiative=initiative).exists()


def test_approving_an_older_proposal_keeps_a_later_direct_edit_of_other_fields(
    contributor, curator, moderator
):
    initiative = factories.make_initiative(owner=contributor, state="published", tags=["e-commerce"])
    revision = services.initiative_edit(
        actor=contributor, initiative=opened(initiative), data={"title": "Cross-border e-commerce pilot"}
    )
    services.initiative_edit(
        actor=curator,
        initiative=opened(initiative),
        data={"summary": "Corrected summary.", "tags": ["trade"]},
    )

    assert services.revision_diff(revision) == {
        "title": [initiative.title, "Cross-border e-commerce pilot"],
    }
    services.revision_approve(actor=moderator, revision=revision)

    saved = opened(initiative)
    assert saved.title == "Cross-border e-commerce pilot"
    assert saved.summary == "Corrected summary."
    assert snapshot_of(saved)["tags"] == ["trade"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need a server database: PostgreSQL, not SQLite in memory",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_saving_the_same_version_one_wins():
    owner, curator = factories.contributor(), factories.curator()
    initiative = factories.make_initiative(owner=owner, title="Original")
    version = initiative.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(name, actor):
        try:
            record = Initiative.objects.get(pk=initiative.pk)
            barrier.wait(timeout=10)
            services.initiative_edit(
                actor=actor, initiative=record, data={"title": f"{name}'s title"}, expected_version=version
            )
            outcomes[name] = "saved"
        except ConcurrentEditError as error:
            outcomes[name] = str(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("owner", owner)),
        threading.Thread(target=save, args=("curator", curator)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["curator", "owner"]
    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    assert len(winners) == 1
    (loser,) = set(outcomes) - set(winners)
    assert CHANGED_SINCE in outcomes[loser]
    saved = Initiative.objects.get(pk=initiative.pk)
    assert saved.title == f"{winners[0]}'s title"
    assert saved.version == version + 1
    assert Revision.objects.filter(initiative=initiative).count() == 2
