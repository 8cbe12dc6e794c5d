"""Every change leaves a history entry (who, when, what, field by field); restore is exact."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from initiatives import services
from initiatives.history import snapshot_of
from initiatives.models import Initiative, InitiativeEvent, Revision
from tests import factories

# Text a careless round trip would change: CRLF, tabs, trailing spaces, Chinese, emoji.
TRICKY_BODY = "## 背景\r\n\r\n  Indented line with trailing spaces   \n\tTabbed — “quoted” 🌐\n\n"


def revisions(initiative) -> list[Revision]:
    return list(Revision.objects.filter(initiative=initiative).order_by("version"))


def test_creation_is_version_one_with_the_full_snapshot(contributor):
    initiative = factories.make_initiative(owner=contributor, title="中国—东盟网络安全交流培训中心")

    (first,) = revisions(initiative)
    assert (first.version, first.action, first.actor) == (1, "create", contributor)
    assert first.snapshot == snapshot_of(initiative)
    assert first.snapshot["key_task"] == "global-south"
    assert first.snapshot["countries"] == ["CN", "KE"]
    assert first.changes["title"] == [None, "中国—东盟网络安全交流培训中心"]


def test_a_service_edit_records_who_when_and_each_changed_field(contributor):
    initiative = factories.make_initiative(owner=contributor)
    started = timezone.now()

    services.initiative_edit(
        actor=contributor,
        initiative=initiative,
        data={"summary": "Now also for Ethiopia.", "countries": ["KE", "CN", "ET"], "status": "completed"},
        change_message="Added Ethiopia",
    )

    latest = revisions(initiative)[-1]
    assert latest.version == 2
    assert (latest.action, latest.actor, latest.change_message) == ("edit", contributor, "Added Ethiopia")
    assert latest.created_at >= started
    assert latest.changes == {
        "summary": ["Training national CERT staff in incident response.", "Now also for Ethiopia."],
        "countries": [["CN", "KE"], ["CN", "ET", "KE"]],
        "status": ["active", "completed"],
    }
    assert latest.snapshot == snapshot_of(initiative)


def test_an_edit_that_changes_nothing_leaves_no_entry(contributor):
    initiative = factories.make_initiative(owner=contributor, tags=["b", "a"])
    services.initiative_edit(
        actor=contributor, initiative=initiative, data={"tags": ["a", "b"], "title": initiative.title}
    )
    assert len(revisions(initiative)) == 1
    assert Initiative.objects.get(pk=initiative.pk).version == 1


def test_a_queryset_update_is_djangos_own_and_records_nothing(contributor):
    """Versions and history are the services' to write; the data layer hides no write."""
    initiative = factories.make_initiative(owner=contributor)

    assert Initiative.objects.filter(pk=initiative.pk).update(status="completed") == 1

    assert Initiative.objects.get(pk=initiative.pk).version == 1
    assert len(revisions(initiative)) == 1


def test_a_bulk_change_leaves_an_entry_per_row(contributor, curator):
    first = factories.make_initiative(owner=contributor)
    second = factories.make_initiative(owner=contributor)
    untouched = factories.make_initiative(owner=contributor, status="planned")

    rows = services.initiatives_set_status(
        actor=curator, initiatives=Initiative.objects.filter(pk__in=[first.pk, second.pk]), status="completed"
    )

    assert rows == 2
    for initiative in (first, second):
        latest = revisions(initiative)[-1]
        assert latest.version == 2 == Initiative.objects.get(pk=initiative.pk).version
        assert latest.action == "bulk"
        assert latest.changes == {"status": ["active", "completed"]}
        assert latest.snapshot["status"] == "completed"
        assert latest.created_at is not None
    assert len(revisions(untouched)) == 1


def test_a_bulk_update_names_the_person_behind_it(contributor, curator):
    initiative = factories.make_initiative(owner=contributor)

    services.initiatives_set_status(
        actor=curator, initiatives=Initiative.objects.filter(pk=initiative.pk), status="suspended"
    )

    latest = revisions(initiative)[-1]
    assert (latest.action, latest.actor, latest.changes) == (
        "bulk",
        curator,
        {"status": ["active", "suspended"]},
    )


def test_the_bulk_status_service_is_for_curators_and_records_them(contributor, curator):
    records = [factories.make_initiative(owner=contributor) for _ in range(3)]

    with pytest.raises(PermissionDenied):
        services.initiatives_set_status(actor=contributor, initiatives=records, status="completed")
    with pytest.raises(ValidationError):
        services.initiatives_set_status(actor=curator, initiatives=records, status="finished")
    assert all(len(revisions(r)) == 1 for r in records)

    assert services.initiatives_set_status(actor=curator, initiatives=records, status="completed") == 3
    for record in records:
        latest = revisions(record)[-1]
        assert (latest.actor, latest.changes) == (curator, {"status": ["active", "completed"]})


def test_transitions_are_in_the_history_too(contributor, moderator):
    initiative = factories.make_initiative(owner=contributor, state="submitted")
    services.initiative_reject(actor=moderator, initiative=initiative, reason="Missing dates.")

    latest = revisions(initiative)[-1]
    assert (latest.action, latest.actor, latest.change_message) == ("transition", moderator, "Missing dates.")
    assert latest.changes == {"moderation_state": ["submitted", "rejected"]}


def test_restore_gives_back_the_old_version_byte_for_byte(contributor, curator):
    initiative = factories.make_initiative(
        owner=contributor,
        title="  Digital Silk Road: 数字丝绸之路  ",
        body=TRICKY_BODY,
        start_date="2023-09-01",
        end_date="2026-08-31",
        participations=[{"stakeholder": "undp", "role": "lead"}, {"stakeholder": "itu", "role": "partner"}],
        links=[{"url": "https://example.org/b", "title": "B"}, {"url": "https://example.org/a", "title": ""}],
        collaborators=[factories.contributor(username="zhang").username],
        advocacies=["prosperity", "inclusiveness"],
    )
    original = revisions(initiative)[0]
    services.initiative_edit(
        actor=curator,
        initiative=initiative,
        data={
            "title": "Renamed",
            "body": "Flattened.",
            "action_line": None,
            "end_date": None,
            "countries": ["BR"],
            "tags": ["replaced"],
            "participations": [{"stakeholder": "world-bank", "role": "funder"}],
            "links": [],
            "collaborators": [],
            "advocacies": [],
            "kind": "programme",
        },
    )
    assert snapshot_of(initiative) != original.snapshot

    services.initiative_restore(actor=curator, initiative=initiative, version=1)

    restored = Initiative.objects.get(pk=initiative.pk)
    assert snapshot_of(restored) == original.snapshot
    assert restored.title == "  Digital Silk Road: 数字丝绸之路  "
    assert restored.body.encode() == TRICKY_BODY.encode()
    assert restored.start_date == datetime.date(2023, 9, 1)
    assert [link.url for link in restored.links.all()] == ["https://example.org/b", "https://example.org/a"]
    assert restored.slug == initiative.slug


def test_a_restore_is_itself_recorded_and_can_be_undone(contributor, curator):
    initiative = factories.make_initiative(owner=contributor, title="Original title")
    services.initiative_edit(actor=contributor, initiative=initiative, data={"title": "Second title"})
    second = revisions(initiative)[-1]

    services.initiative_restore(actor=curator, initiative=initiative, version=1)

    entry = revisions(initiative)[-1]
    assert (entry.version, entry.action, entry.actor) == (3, "restore", curator)
    assert entry.change_message == "Restored version 1"
    assert entry.changes == {"title": ["Second title", "Original title"]}
    event = InitiativeEvent.objects.filter(initiative=initiative).first()
    assert (event.action, event.actor) == ("restore", curator)
    assert [r.version for r in revisions(initiative)] == [1, 2, 3]

    services.initiative_restore(actor=curator, initiative=initiative, version=2)
    assert snapshot_of(initiative) == second.snapshot
    assert revisions(initiative)[-1].action == "restore"


def test_restoring_a_version_that_does_not_exist_names_the_version(contributor, curator):
    initiative = factories.make_initiative(owner=contributor)
    with pytest.raises(ValidationError) as error:
        services.initiative_restore(actor=curator, initiative=initiative, version=9)
    assert "version" in error.value.message_dict
    assert len(revisions(initiative)) == 1


def test_restore_keeps_the_moderation_state(contributor, curator):
    initiative = factories.make_initiative(owner=contributor, state="published")
    services.initiative_edit(actor=curator, initiative=initiative, data={"title": "Curated"})
    services.initiative_restore(actor=curator, initiative=initiative, version=1)
    restored = Initiative.objects.get(pk=initiative.pk)
    assert restored.moderation_state == "published"
    assert restored.title == revisions(initiative)[0].snapshot["title"]
