"""The workflow services: validation, the moderation steps, four eyes and pending revisions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from initiatives import services
from initiatives.history import link_item, snapshot_of
from initiatives.models import Initiative, InitiativeEvent, PendingRevision, Revision
from tests import factories


def row_counts() -> tuple[int, int, int, int]:
    return (
        Initiative.objects.count(),
        Revision.objects.count(),
        InitiativeEvent.objects.count(),
        PendingRevision.objects.count(),
    )


def refused(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


# --- validation: a clear message per field, and nothing saved ---------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "2025-06-01", "end_date": "2025-05-31"}, "end_date", "cannot be before the start"),
        ({"action_line": "bilateral-frameworks"}, "action_line", "belongs to another key task"),
        ({"title": ""}, "title", "required"),
        ({"title": "   "}, "title", "required"),
        ({"title": "x" * 301}, "title", "under 300"),
        ({"summary": ""}, "summary", "required"),
        ({"kind": "party"}, "kind", "not a valid choice"),
        ({"countries": ["KE", "XX"]}, "countries", "XX"),
        ({"participations": [{"stakeholder": "undp", "role": "sponsor"}]}, "participations", "sponsor"),
        ({"key_task": "no-such-task"}, "key_task", "no-such-task"),
    ],
)
def test_create_refuses_bad_content_naming_the_field(contributor, overrides, field, message):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        services.initiative_create(actor=contributor, data=factories.initiative_data(**overrides))

    errors = refused(error)
    assert field in errors
    assert message in " ".join(errors[field])
    assert row_counts() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start_date": "2025-06-01", "end_date": "2025-05-31"}, "end_date"),
        ({"end_date": "2020-01-01"}, "end_date"),  # before the start date already stored
        ({"action_line": "confidence-building-measures"}, "action_line"),
        ({"key_task": "multi-stakeholder"}, "action_line"),  # leaves the stored action line behind
        ({"title": ""}, "title"),
    ],
)
def test_edit_refuses_bad_content_and_leaves_the_record_as_it_was(contributor, data, field):
    initiative = factories.make_initiative(owner=contributor, start_date="2024-03-01")
    snapshot, before = snapshot_of(initiative), row_counts()

    with pytest.raises(ValidationError) as error:
        services.initiative_edit(actor=contributor, initiative=initiative, data=data)

    assert field in refused(error)
    assert snapshot_of(initiative) == snapshot
    assert Initiative.objects.get(pk=initiative.pk).version == 1
    assert row_counts() == before


def test_same_title_twice_is_not_an_error_but_a_second_slug(contributor):
    first = services.initiative_create(
        actor=contributor, data=factories.initiative_data(title="ASEAN CERT drill")
    )
    second = services.initiative_create(
        actor=contributor, data=factories.initiative_data(title="ASEAN CERT drill")
    )
    assert first.slug != second.slug
    assert first.slug.startswith("asean-cert-drill-") and second.slug.startswith("asean-cert-drill-")


# --- the steps, each recorded with actor, time, from, to, reason ------------------------


def events(initiative) -> list[tuple]:
    return list(
        InitiativeEvent.objects.filter(initiative=initiative)
        .order_by("created_at", "id")
        .values_list("action", "actor__username", "from_state", "to_state", "reason")
    )


def test_from_draft_to_archived_every_step_is_recorded(db):
    owner = factories.contributor(username="owner")
    moderator = factories.moderator(username="mod")
    curator = factories.curator(username="cur")

    initiative = services.initiative_create(actor=owner, data=factories.initiative_data())
    assert (initiative.owner, initiative.moderation_state, initiative.version) == (owner, "draft", 1)
    services.initiative_submit(actor=owner, initiative=initiative)
    services.initiative_approve(actor=moderator, initiative=initiative)
    services.initiative_archive(actor=curator, initiative=initiative, reason="Ended in 2024.")

    initiative.refresh_from_db()
    assert initiative.moderation_state == "archived"
    assert initiative.submitted_at and initiative.published_at
    assert events(initiative) == [
        ("create", "owner", "", "draft", ""),
        ("submit", "owner", "draft", "submitted", ""),
        ("approve", "mod", "submitted", "published", ""),
        ("archive", "cur", "published", "archived", "Ended in 2024."),
    ]
    assert all(e.created_at for e in InitiativeEvent.objects.filter(initiative=initiative))
    assert list(
        Revision.objects.filter(initiative=initiative).order_by("version").values_list("version", "action")
    ) == [
        (1, "create"),
        (2, "transition"),
        (3, "transition"),
        (4, "transition"),
    ]


def test_reject_needs_a_reason_and_the_owner_sees_it(db):
    owner = factories.contributor()
    moderator = factories.moderator(username="mod")
    initiative = factories.make_initiative(owner=owner, state="submitted")

    with pytest.raises(ValidationError) as error:
        services.initiative_reject(actor=moderator, initiative=initiative, reason="  ")
    assert "reason" in refused(error)
    assert Initiative.objects.get(pk=initiative.pk).moderation_state == "submitted"

    services.initiative_reject(actor=moderator, initiative=initiative, reason="Please add a source link.")
    initiative.refresh_from_db()
    assert initiative.moderation_state == "rejected"
    last = InitiativeEvent.objects.filter(initiative=initiative).first()
    assert (last.action, last.actor, last.reason) == ("reject", moderator, "Please add a source link.")


def test_a_rejected_record_is_fixed_and_sent_again(db):
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, state="rejected")

    services.initiative_edit(
        actor=owner, initiative=initiative, data={"links": [{"url": "https://itu.int/p2c"}]}
    )
    services.initiative_submit(actor=owner, initiative=initiative)
    services.initiative_approve(actor=factories.moderator(), initiative=initiative)

    initiative.refresh_from_db()
    assert initiative.moderation_state == "published"
    assert snapshot_of(initiative)["links"] == [link_item({"url": "https://itu.int/p2c"})]


def test_only_a_submitted_record_can_be_approved(db):
    initiative = factories.make_initiative(state="draft")
    with pytest.raises(PermissionDenied, match="Only a submitted initiative"):
        services.initiative_approve(actor=factories.moderator(), initiative=initiative)


def test_anonymous_and_roleless_people_create_nothing(db):
    roleless = factories.UserFactory()
    for actor in (AnonymousUser(), roleless):
        with pytest.raises(PermissionDenied):
            services.initiative_create(actor=actor, data=factories.initiative_data())
    assert Initiative.objects.count() == 0


def test_progress_updates_come_from_those_who_may_edit(db):
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, state="published")

    update = services.update_create(
        actor=owner, initiative=initiative, data={"title": "Second cohort trained", "kind": "milestone"}
    )
    assert (update.author, update.kind, update.title) == (owner, "milestone", "Second cohort trained")

    with pytest.raises(ValidationError) as error:
        services.update_create(actor=owner, initiative=initiative, data={"title": " "})
    assert "title" in refused(error)
    with pytest.raises(PermissionDenied):
        services.update_create(actor=factories.contributor(), initiative=initiative, data={"title": "Spam"})
    assert initiative.updates.count() == 1


# --- four eyes: nobody approves their own submission, admins included ----------------


def test_a_moderator_does_not_approve_what_they_submitted(db):
    moderator = factories.moderator()
    initiative = factories.make_initiative(owner=factories.contributor(), collaborators=[moderator.username])
    services.initiative_submit(actor=moderator, initiative=initiative)

    for decide in (services.initiative_approve, services.initiative_reject):
        kwargs = {"reason": "No."} if decide is services.initiative_reject else {}
        with pytest.raises(PermissionDenied, match="never your own submission"):
            decide(actor=moderator, initiative=initiative, **kwargs)
    assert Initiative.objects.get(pk=initiative.pk).moderation_state == "submitted"

    services.initiative_approve(actor=factories.moderator(), initiative=initiative)
    assert Initiative.objects.get(pk=initiative.pk).moderation_state == "published"


def test_a_moderator_does_not_approve_what_they_own(db):
    moderator = factories.moderator()
    initiative = factories.make_initiative(owner=moderator)
    services.initiative_submit(actor=factories.admin(), initiative=initiative)
    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=moderator, initiative=initiative)


@pytest.mark.parametrize("part", ["submitted", "owns"])
def test_an_admin_does_not_approve_their_own_submission_either(db, part):
    admin = factories.admin()
    if part == "owns":
        initiative = factories.make_initiative(owner=admin, state="submitted")
    else:
        initiative = factories.make_initiative(owner=factories.contributor())
        services.initiative_submit(actor=admin, initiative=initiative)

    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=admin, initiative=initiative)
    with pytest.raises(PermissionDenied):
        services.initiative_reject(actor=admin, initiative=initiative, reason="No.")

    services.initiative_approve(actor=factories.admin(), initiative=initiative)
    assert Initiative.objects.get(pk=initiative.pk).moderation_state == "published"


def test_nobody_approves_their_own_pending_revision(db):
    moderator = factories.moderator()
    initiative = factories.make_initiative(owner=factories.contributor(), collaborators=[moderator.username])
    services.initiative_submit(actor=initiative.owner, initiative=initiative)
    services.initiative_approve(actor=factories.moderator(), initiative=initiative)
    revision = services.initiative_edit(
        actor=moderator, initiative=Initiative.objects.get(pk=initiative.pk), data={"title": "My own change"}
    )
    assert isinstance(revision, PendingRevision)

    with pytest.raises(PermissionDenied):
        services.revision_approve(actor=moderator, revision=revision)
    with pytest.raises(PermissionDenied):
        services.revision_approve(actor=initiative.owner, revision=revision)
    assert Initiative.objects.get(pk=initiative.pk).title != "My own change"

    services.revision_approve(actor=factories.admin(), revision=revision)
    assert Initiative.objects.get(pk=initiative.pk).title == "My own change"


# --- pending revisions of published records ------------------------------------------


@pytest.fixture
def published(db):
    owner = factories.contributor(username="owner")
    factories.StakeholderFactory(slug="au-commission", name_en="African Union Commission")
    initiative = factories.make_initiative(
        owner=owner,
        state="published",
        title="Smart city platform for Addis Ababa",
        body="Phase one: traffic sensors.",
        countries=["ET", "CN"],
        tags=["smart city"],
        participations=[{"stakeholder": "undp", "role": "lead"}],
    )
    return initiative


PROPOSAL = {
    "title": "Smart city platform for Addis Ababa and Nairobi",
    "body": "Phase two: sensors and open data.",
    "countries": ["ET", "CN", "KE"],
    "tags": ["smart city", "open data"],
    "participations": [
        {"stakeholder": "undp", "role": "funder"},
        {"stakeholder": "au-commission", "role": "lead"},
    ],
    "links": [{"url": "https://example.org/phase-two", "title": "Phase two plan"}],
}


def live(initiative) -> dict:
    return snapshot_of(initiative)


def test_a_contributors_edit_of_a_published_record_waits_and_the_live_text_stays(published):
    owner = published.owner
    before = live(published)

    revision = services.initiative_edit(
        actor=owner, initiative=published, data=PROPOSAL, expected_version=published.version
    )

    assert isinstance(revision, PendingRevision)
    assert (revision.state, list(revision.authors.all()), revision.base_version) == (
        "open",
        [owner],
        published.version,
    )
    assert live(published) == before
    public = Initiative.objects.visible_to(AnonymousUser()).get(pk=published.pk)
    assert public.title == "Smart city platform for Addis Ababa"
    assert public.version == published.version
    assert InitiativeEvent.objects.filter(initiative=published).first().action == "propose"


def test_the_moderator_sees_a_field_by_field_diff_with_tags_and_relations(published):
    revision = services.initiative_edit(actor=published.owner, initiative=published, data=PROPOSAL)

    diff = services.revision_diff(revision)

    assert set(diff) == {"title", "body", "countries", "tags", "participations", "links"}
    assert diff["title"] == ["Smart city platform for Addis Ababa", PROPOSAL["title"]]
    assert diff["tags"] == [["smart city"], ["open data", "smart city"]]
    assert diff["countries"] == [["CN", "ET"], ["CN", "ET", "KE"]]
    assert diff["participations"] == [
        [{"stakeholder": "undp", "role": "lead"}],
        [{"stakeholder": "au-commission", "role": "lead"}, {"stakeholder": "undp", "role": "funder"}],
    ]
    assert diff["links"][1] == [
        link_item({"url": "https://example.org/phase-two", "title": "Phase two plan"})
    ]


def test_after_approval_the_live_record_is_the_revision(published):
    revision = services.initiative_edit(actor=published.owner, initiative=published, data=PROPOSAL)
    moderator = factories.moderator(username="mod")

    services.revision_approve(actor=moderator, revision=revision)

    revision.refresh_from_db()
    assert (revision.state, revision.decided_by) == ("approved", moderator)
    assert live(published) == revision.snapshot
    initiative = Initiative.objects.get(pk=published.pk)
    assert initiative.title == PROPOSAL["title"]
    assert initiative.moderation_state == "published"
    assert initiative.version == revision.base_version + 1
    entry = Revision.objects.get(initiative=published, version=initiative.version)
    assert (entry.action, entry.actor) == ("revision", moderator)
    assert set(entry.changes) == {"title", "body", "countries", "tags", "participations", "links"}
    assert services.revision_diff(revision) == {}


def test_after_rejection_the_live_record_is_unchanged_and_the_reason_is_kept(published):
    before = live(published)
    revision = services.initiative_edit(actor=published.owner, initiative=published, data=PROPOSAL)
    moderator = factories.moderator(username="mod")

    with pytest.raises(ValidationError) as error:
        services.revision_reject(actor=moderator, revision=revision, reason="")
    assert "reason" in refused(error)

    services.revision_reject(actor=moderator, revision=revision, reason="Nairobi is a separate project.")

    revision.refresh_from_db()
    assert (revision.state, revision.decided_by, revision.reason) == (
        "rejected",
        moderator,
        "Nairobi is a separate project.",
    )
    assert revision.decided_at is not None
    assert live(published) == before
    assert Initiative.objects.get(pk=published.pk).version == published.version
    last = InitiativeEvent.objects.filter(initiative=published).first()
    assert (last.action, last.reason) == ("reject-revision", "Nairobi is a separate project.")
    with pytest.raises(PermissionDenied):
        services.revision_approve(actor=factories.moderator(), revision=revision)


def test_a_second_proposal_extends_the_open_revision(published):
    first = services.initiative_edit(actor=published.owner, initiative=published, data={"title": "New title"})
    second = services.initiative_edit(actor=published.owner, initiative=published, data={"tags": ["urban"]})

    assert second.pk == first.pk
    assert PendingRevision.objects.filter(initiative=published, state="open").count() == 1
    assert services.revision_diff(second) == {
        "title": ["Smart city platform for Addis Ababa", "New title"],
        "tags": [["smart city"], ["urban"]],
    }


def test_curators_and_moderators_cannot_decide_revisions_alike(published):
    revision = services.initiative_edit(
        actor=published.owner, initiative=published, data={"title": "Changed"}
    )
    with pytest.raises(PermissionDenied):
        services.revision_approve(actor=factories.curator(), revision=revision)
    with pytest.raises(PermissionDenied):
        services.revision_reject(actor=factories.contributor(), revision=revision, reason="No.")
    assert PendingRevision.objects.get(pk=revision.pk).state == "open"
