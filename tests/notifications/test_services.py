"""Who is told what, once, in their language, by the channel they chose, and never about what
they may not see."""

import pytest
from django.core import mail

from initiatives import services as records
from initiatives.announcements import member_event_announce
from initiatives.choices import MemberEvent, TopicKind
from initiatives.models import Comment
from notifications import services
from notifications.models import Notification
from tests import factories

from .conftest import told

pytestmark = pytest.mark.django_db


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_submission_tells_the_moderators_but_not_the_owner(events):
    owner = factories.contributor()
    moderator = factories.moderator()
    draft = factories.make_initiative(owner=owner)
    with events.collect():
        records.initiative_submit(actor=owner, initiative=draft)
    events.deliver()
    assert told(moderator) == {"submission_waiting": 1}
    assert told(owner) == {}
    # Waiting submissions go to the digest by default: nothing is mailed at once.
    assert mails_to(moderator) == []


def test_approval_and_rejection_reach_owner_and_collaborators_by_email_once(events):
    owner, partner = factories.contributor(), factories.contributor()
    moderator = factories.moderator()
    draft = factories.make_initiative(owner=owner, partners=[partner])
    records.initiative_submit(actor=owner, initiative=draft)
    with events.collect():
        records.initiative_reject(actor=moderator, initiative=draft, reason="Name your sources.")
    events.deliver(times=2)
    assert told(owner) == told(partner) == {"submission_rejected": 1}
    assert told(moderator) == {}
    [message] = mails_to(owner)
    assert "Name your sources." in message.body
    assert len(mails_to(partner)) == 1

    draft.refresh_from_db()
    records.initiative_submit(actor=owner, initiative=draft)
    with events.collect():
        records.initiative_approve(actor=moderator, initiative=draft)
    events.deliver(times=2)
    assert told(owner) == {"submission_rejected": 1, "submission_approved": 1}
    assert len(mails_to(owner)) == 2


def test_a_chinese_speaker_is_mailed_in_chinese(events):
    owner = factories.contributor(preferred_language="zh-hans")
    draft = factories.make_initiative(owner=owner, state="submitted")
    with events.collect():
        records.initiative_reject(actor=factories.moderator(), initiative=draft, reason="缺少来源")
    events.deliver()
    [message] = mails_to(owner)
    assert "被退回" in message.body and "缺少来源" in message.body
    assert "投稿被退回" in message.subject
    assert "was rejected" not in message.body


def test_proposals_tell_moderators_and_their_decision_tells_the_authors(events):
    owner, partner = factories.contributor(), factories.contributor()
    moderator = factories.moderator()
    record = factories.make_initiative(owner=owner, partners=[partner], state="published")
    with events.collect():
        revision = records.initiative_edit(
            actor=partner, initiative=record, data={"summary": "Better summary."}
        )
    events.deliver()
    assert told(moderator) == {"submission_waiting": 1}
    with events.collect():
        records.revision_approve(actor=moderator, revision=revision)
    events.deliver(times=2)
    assert told(partner) == {"revision_approved": 1}
    record.refresh_from_db()
    with events.collect():
        second = records.initiative_edit(actor=partner, initiative=record, data={"summary": "Worse summary."})
        records.revision_reject(actor=moderator, revision=second, reason="Keep it as it was.")
    events.deliver()
    assert told(partner) == {"revision_approved": 1, "revision_rejected": 1}
    assert "Keep it as it was." in mails_to(partner)[-1].body


def test_a_comment_tells_each_person_once_mention_before_reply_before_comment(events):
    owner, follower, asker, answerer = (factories.contributor() for _ in range(4))
    record = factories.make_initiative(owner=owner, state="published")
    records.follow_create(actor=follower, initiative=record)
    question = records.comment_create(actor=asker, initiative=record, body="When does it start?")
    with events.collect():
        records.comment_create(
            actor=answerer,
            initiative=record,
            body=f"@{asker.username} @{owner.username} in May.",
            parent=question,
        )
    events.deliver(times=2)
    assert told(asker) == {"mention": 1}
    assert told(owner) == {"mention": 1}
    assert told(follower) == {"comment": 1}
    assert told(answerer) == {}
    with events.collect():
        records.comment_create(actor=owner, initiative=record, body="Thanks.", parent=question)
    events.deliver()
    assert told(asker) == {"mention": 1, "reply": 1}
    assert told(owner) == {"mention": 1}


def test_a_hidden_comment_tells_nobody(events):
    owner, commenter = factories.contributor(), factories.contributor()
    record = factories.make_initiative(owner=owner, state="published")
    with events.collect():
        comment = records.comment_create(actor=commenter, initiative=record, body="Spam")
    records.comment_hide(actor=factories.moderator(), comment=comment, reason="Spam")
    events.deliver()
    assert Notification.objects.count() == 0


def test_nobody_is_told_of_a_record_they_may_not_see(events):
    owner, outsider, topic_follower = (factories.contributor() for _ in range(3))
    records.topic_follow_create(actor=topic_follower, kind=TopicKind.KEY_TASK, value="global-south")
    draft = factories.make_initiative(owner=owner)
    comment = Comment.objects.create(initiative=draft, author=outsider, body=f"@{topic_follower.username}")
    with events.collect():
        member_event_announce(
            kind=MemberEvent.COMMENT_POSTED,
            initiative=draft,
            actor=outsider,
            key=f"comment:{comment.pk}",
            comment=comment,
            mentioned=[topic_follower],
        )
    events.deliver()
    assert told(owner) == {"comment": 1}
    assert told(topic_follower) == {}


def test_a_follower_hears_of_notes_and_new_versions_unless_the_record_is_gone_from_view(events):
    owner, follower, topic_follower = (factories.contributor() for _ in range(3))
    curator = factories.curator()
    records.topic_follow_create(actor=topic_follower, kind=TopicKind.COUNTRY, value="KE")
    draft = factories.make_initiative(owner=owner, state="submitted")
    with events.collect():
        records.initiative_approve(actor=factories.moderator(), initiative=draft)
    events.deliver()
    assert told(topic_follower) == {"followed_update": 1}
    assert told(owner) == {"submission_approved": 1}
    draft.refresh_from_db()
    records.follow_create(actor=follower, initiative=draft)
    with events.collect():
        records.update_create(actor=curator, initiative=draft, data={"title": "Kick-off held"})
    records.initiative_archive(actor=curator, initiative=draft)
    events.deliver()
    # Archived before the task ran: the followers may no longer see it, so they are not told.
    assert told(follower) == {}
    assert told(topic_follower) == {"followed_update": 1}


def test_a_held_note_waits_for_moderators_and_its_approval_tells_followers(events):
    owner, follower = factories.contributor(), factories.contributor()
    moderator = factories.moderator()
    record = factories.make_initiative(owner=owner, state="published")
    records.follow_create(actor=follower, initiative=record)
    with events.collect():
        note = records.update_create(actor=owner, initiative=record, data={"title": "Workshop in Nairobi"})
    events.deliver()
    assert told(moderator) == {"submission_waiting": 1}
    assert told(follower) == {}
    with events.collect():
        records.update_approve(actor=moderator, update=note)
    events.deliver()
    [notification] = Notification.objects.filter(recipient=follower)
    assert notification.kind == "followed_update"
    assert notification.details["title"] == "Workshop in Nairobi"


def test_an_invitation_by_username_is_told_and_one_by_address_is_not(events):
    owner, invitee, other = (factories.contributor() for _ in range(3))
    draft = factories.make_initiative(owner=owner)
    with events.collect():
        records.collaborator_invite(actor=owner, initiative=draft, identifier=invitee.username)
        records.collaborator_invite(actor=owner, initiative=draft, identifier=other.email)
    events.deliver()
    assert told(invitee) == {"invitation": 1}
    assert told(other) == {}


def test_each_persons_channel_is_respected(events):
    owner = factories.contributor()
    services.notification_settings_update(actor=owner, channels={"submission_rejected": "site"})
    draft = factories.make_initiative(owner=owner, state="submitted")
    with events.collect():
        records.initiative_reject(actor=factories.moderator(), initiative=draft, reason="No.")
    events.deliver()
    [notification] = Notification.objects.filter(recipient=owner)
    assert notification.channel == "site"
    assert mails_to(owner) == []


def test_settings_refuse_unknown_kinds_and_channels_per_field():
    user = factories.contributor()
    with pytest.raises(Exception) as refused:
        services.notification_settings_update(actor=user, channels={"comment": "pigeon", "gossip": "email"})
    assert set(refused.value.message_dict) == {"comment", "gossip"}
