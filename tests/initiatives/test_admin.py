"""Moderation and curation in the admin panel, under the role matrix."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from initiatives.choices import HistoryAction, ModerationState
from initiatives.models import Initiative
from tests import factories

CHANGELIST = "admin:initiatives_initiative_changelist"
QUEUE = "admin:initiatives_moderationqueueitem_changelist"


def change_url(initiative):
    return reverse("admin:initiatives_initiative_change", args=[initiative.pk])


def post_action(client, url_name, action, initiatives, **extra):
    return client.post(
        reverse(url_name),
        {"action": action, ACTION_CHECKBOX_NAME: [i.pk for i in initiatives], **extra},
        follow=True,
    )


def form_data(initiative, **overrides):
    """The admin change form's fields as a browser would post them."""
    data = {
        "title": initiative.title,
        "summary": initiative.summary,
        "body": initiative.body,
        "language": initiative.language,
        "key_task": initiative.key_task_id,
        "action_line": initiative.action_line_id or "",
        "kind": initiative.kind,
        "status": initiative.status,
        "start_date": "",
        "end_date": "",
        "countries": list(initiative.countries.values_list("code", flat=True)),
        "advocacies": list(initiative.advocacies.values_list("pk", flat=True)),
        "tags": ", ".join(initiative.tags.names()),
        "collaborators": [],
        "expected_version": initiative.version,
    }
    participations = list(initiative.participations.all())
    links = list(initiative.links.all())
    updates = list(initiative.updates.all())
    translations = list(initiative.translations.all())
    for prefix, rows in (
        ("participations", participations),
        ("links", links),
        ("updates", updates),
        ("translations", translations),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
    for index, p in enumerate(participations):
        data.update(
            {
                f"participations-{index}-id": p.pk,
                f"participations-{index}-initiative": initiative.pk,
                f"participations-{index}-stakeholder": p.stakeholder_id,
                f"participations-{index}-role": p.role,
            }
        )
    for index, t in enumerate(translations):
        data.update(
            {
                f"translations-{index}-id": t.pk,
                f"translations-{index}-initiative": initiative.pk,
                f"translations-{index}-language": t.language,
                f"translations-{index}-title": t.title,
                f"translations-{index}-summary": t.summary,
                f"translations-{index}-body": t.body,
                f"translations-{index}-status": t.status,
            }
        )
    for index, link in enumerate(links):
        data.update(
            {
                f"links-{index}-id": link.pk,
                f"links-{index}-initiative": initiative.pk,
                f"links-{index}-url": link.url,
                f"links-{index}-title": link.title,
            }
        )
    for index, update in enumerate(updates):
        data.update(
            {
                f"updates-{index}-id": update.pk,
                f"updates-{index}-initiative": initiative.pk,
                f"updates-{index}-date": update.date.isoformat(),
                f"updates-{index}-kind": update.kind,
                f"updates-{index}-title": update.title,
                f"updates-{index}-text": update.text,
            }
        )
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_queue_lists_submissions_oldest_first_with_their_age(client, moderator):
    factories.make_initiative(state="submitted", title="Newer submission")
    older = factories.make_initiative(state="submitted", title="Older submission")
    factories.make_initiative(state="draft", title="Still a draft")
    Initiative.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(moderator)
    response = client.get(reverse(QUEUE))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("Older submission") < text.index("Newer submission")
    assert "Still a draft" not in text
    assert "3\xa0days" in text


@pytest.mark.django_db
def test_bulk_approve_by_moderator_publishes(client, moderator):
    records = [factories.make_initiative(state="submitted") for _ in range(3)]
    client.force_login(moderator)
    response = post_action(client, QUEUE, "approve_selected", records)
    assert "3 initiatives approved" in response.content.decode()
    states = set(
        Initiative.objects.filter(pk__in=[r.pk for r in records]).values_list("moderation_state", flat=True)
    )
    assert states == {ModerationState.PUBLISHED}


@pytest.mark.django_db
def test_bulk_approve_by_curator_is_refused(client, curator):
    record = factories.make_initiative(state="submitted")
    client.force_login(curator)
    post_action(client, CHANGELIST, "approve_selected", [record])
    record.refresh_from_db()
    assert record.moderation_state == ModerationState.SUBMITTED


@pytest.mark.django_db
def test_moderator_cannot_approve_own_submission_in_bulk(client):
    mod = factories.moderator()
    own = factories.make_initiative(owner=mod, state="submitted")
    client.force_login(mod)
    response = post_action(client, QUEUE, "approve_selected", [own])
    own.refresh_from_db()
    assert own.moderation_state == ModerationState.SUBMITTED
    assert "may not approve" in response.content.decode()


@pytest.mark.django_db
def test_bulk_reject_asks_for_a_reason_then_rejects(client, moderator):
    record = factories.make_initiative(state="submitted")
    client.force_login(moderator)
    response = post_action(client, QUEUE, "reject_selected", [record])
    assert 'name="reason"' in response.content.decode()
    record.refresh_from_db()
    assert record.moderation_state == ModerationState.SUBMITTED
    post_action(client, QUEUE, "reject_selected", [record], reason="Please add a source.")
    record.refresh_from_db()
    assert record.moderation_state == ModerationState.REJECTED
    assert record.events.get(action="reject").reason == "Please add a source."


@pytest.mark.django_db
def test_rejected_record_shows_its_reason(client, curator):
    record = factories.make_initiative(state="rejected")
    client.force_login(curator)
    response = client.get(change_url(record))
    assert "Needs sources." in response.content.decode()


@pytest.mark.django_db
def test_single_approve_button_and_reject_page(client, moderator):
    first = factories.make_initiative(state="submitted")
    second = factories.make_initiative(state="submitted")
    client.force_login(moderator)
    assert "Approve" in client.get(change_url(first)).content.decode()
    client.post(reverse("admin:initiatives_initiative_approve", args=[first.pk]))
    client.post(reverse("admin:initiatives_initiative_reject", args=[second.pk]), {"reason": ""})
    second.refresh_from_db()
    assert second.moderation_state == ModerationState.SUBMITTED
    client.post(reverse("admin:initiatives_initiative_reject", args=[second.pk]), {"reason": "Out of scope."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.moderation_state, second.moderation_state) == ("published", "rejected")


@pytest.mark.django_db
def test_moderator_cannot_edit_content_or_delete(client, moderator):
    record = factories.make_initiative(state="submitted")
    client.force_login(moderator)
    response = client.post(change_url(record), form_data(record, title="Moderator's title"))
    record.refresh_from_db()
    assert record.title != "Moderator's title"
    assert response.status_code in (302, 403)
    response = client.post(reverse("admin:initiatives_initiative_delete", args=[record.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Initiative.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_contributor_has_no_admin_access(client, contributor):
    client.force_login(contributor)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_curator_edit_in_admin_is_recorded_field_by_field(client, curator):
    record = factories.make_initiative(state="published")
    client.force_login(curator)
    response = client.post(
        change_url(record), form_data(record, title="Curated title", tags="curated, cyber")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert record.title == "Curated title"
    assert record.moderation_state == ModerationState.PUBLISHED
    revision = record.revisions.order_by("-version").first()
    assert revision.actor == curator
    assert revision.action == HistoryAction.EDIT
    assert revision.changes["title"][1] == "Curated title"
    assert revision.changes["tags"][1] == ["curated", "cyber"]


@pytest.mark.django_db
def test_curator_adds_a_translation_in_admin_as_a_new_version(client, curator):
    record = factories.make_initiative(state="published")
    client.force_login(curator)
    data = form_data(record)
    data.update(
        {
            "translations-TOTAL_FORMS": 1,
            "translations-0-initiative": record.pk,
            "translations-0-language": "zh-hans",
            "translations-0-title": "网络能力倡议",
            "translations-0-summary": "培训人员。",
            "translations-0-body": "",
            "translations-0-status": "person",
        }
    )
    response = client.post(change_url(record), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = record.revisions.order_by("-version").first()
    assert revision.actor == curator
    assert revision.snapshot["translations"]["zh-hans"]["title"] == "网络能力倡议"
    assert record.translations.get().title == "网络能力倡议"
    # The original language as a translation is refused, and nothing changes.
    data = form_data(record)
    data["translations-0-language"] = "en"
    data["expected_version"] = revision.version
    client.post(change_url(record), data, follow=True)
    assert record.translations.get().language == "zh-hans"


@pytest.mark.django_db
def test_stale_admin_form_gets_conflict_message_and_nothing_is_lost(client, curator):
    record = factories.make_initiative(state="draft")
    stale = form_data(record, title="Stale title")
    client.force_login(curator)
    client.post(change_url(record), form_data(record, title="First title"))
    response = client.post(change_url(record), stale)
    assert response.status_code == 200
    assert "changed by someone else since you opened it" in response.content.decode()
    record.refresh_from_db()
    assert record.title == "First title"


@pytest.mark.django_db
def test_admin_bulk_status_action_leaves_history(client, curator):
    records = [factories.make_initiative(state="published") for _ in range(2)]
    client.force_login(curator)
    post_action(client, CHANGELIST, "mark_completed", records)
    for record in records:
        record.refresh_from_db()
        assert record.status == "completed"
        latest = record.revisions.order_by("-version").first()
        assert latest.action == HistoryAction.BULK
        assert latest.actor == curator
        assert latest.changes["status"] == ["active", "completed"]


@pytest.mark.django_db
def test_history_page_restores_an_earlier_version(client, curator):
    record = factories.make_initiative(state="draft", title="Original title")
    client.force_login(curator)
    client.post(change_url(record), form_data(record, title="Changed title"))
    history = client.get(reverse("admin:initiatives_initiative_history", args=[record.pk]))
    assert "Changed title" in history.content.decode()
    client.post(reverse("admin:initiatives_initiative_restore", args=[record.pk, 1]))
    record.refresh_from_db()
    assert record.title == "Original title"
    assert record.revisions.order_by("-version").first().action == HistoryAction.RESTORE


@pytest.mark.django_db
def test_pending_revision_diff_shown_to_moderator(client, moderator):
    from initiatives import services

    record = factories.make_initiative(state="published")
    revision = services.initiative_edit(
        actor=record.owner, initiative=record, data={"title": "Proposed title", "tags": ["new tag"]}
    )
    client.force_login(moderator)
    response = client.get(reverse("admin:initiatives_pendingrevision_change", args=[revision.pk]))
    text = response.content.decode()
    assert "Proposed title" in text and "new tag" in text


@pytest.mark.django_db
def test_curator_merges_duplicates_into_a_chosen_record(client, curator):
    survivor = factories.make_initiative(state="published", title="Digital Silk Road forum")
    duplicate = factories.make_initiative(
        state="published", title="Digital Silk Road forum (copy)", tags=["silk road"]
    )
    client.force_login(curator)
    response = post_action(client, CHANGELIST, "merge_selected", [duplicate])
    assert 'name="target"' in response.content.decode()
    post_action(client, CHANGELIST, "merge_selected", [duplicate], target=survivor.pk)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert "silk road" in survivor.tags.names()


@pytest.mark.django_db
def test_role_given_in_admin_opens_the_admin_panel(client, admin_user):
    from django.contrib.auth.models import Group

    person = factories.contributor()
    client.force_login(admin_user)
    url = reverse("admin:governance_user_change", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "username": person.username,
        "email": person.email,
        "is_active": "on",
        "groups": [Group.objects.get(name="Moderator").pk],
        "preferred_language": "en",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.is_staff and person.is_moderator


@pytest.mark.django_db
def test_moderator_sees_likely_duplicates_of_a_submission(client, moderator):
    factories.make_initiative(state="published", title="Digital agriculture pilots in the Sahel")
    submitted = factories.make_initiative(state="submitted", title="Digital agriculture pilot in the Sahel")
    client.force_login(moderator)
    text = client.get(change_url(submitted)).content.decode()
    assert "Possible duplicates" in text
    assert "Digital agriculture pilots in the Sahel" in text
