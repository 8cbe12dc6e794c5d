import datetime
import email
from email import policy

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests import selectors, services
from digests.choices import DeliveryStatus, Frequency, RunKind
from digests.models import DigestDelivery, DigestRun, Subscription
from initiatives import services as initiative_services
from initiatives.models import Initiative
from tests import factories

from .conftest import run_digests, subscriber

pytestmark = pytest.mark.django_db


def publish(**overrides):
    return factories.make_initiative(state="published", **overrides)


def outbox_for(address):
    return [m for m in mail.outbox if m.to == [address]]


# Subscriptions ---------------------------------------------------------------------------


def test_subscription_update_keeps_topics_and_starts_from_now():
    user = factories.UserFactory()
    before = timezone.now()
    subscription = services.subscription_update(
        user=user,
        frequency="weekly",
        key_tasks=["global-south"],
        countries=["ke", "CN"],
        tags=["CERT", "cert", " "],
    )
    assert subscription.frequency == Frequency.WEEKLY
    assert {k.slug for k in subscription.key_tasks.all()} == {"global-south"}
    assert {c.code for c in subscription.countries.all()} == {"KE", "CN"}
    assert subscription.tags == ["CERT"]
    assert subscription.cursor >= before
    again = services.subscription_update(user=user, frequency="daily")
    assert again.pk == subscription.pk
    assert Subscription.objects.filter(user=user).count() == 1


def test_subscription_update_refuses_unknown_values_per_field():
    user = factories.UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.subscription_update(user=user, frequency="hourly", key_tasks=["nope"], countries=["XX"])
    assert set(caught.value.message_dict) == {"frequency", "key_tasks", "countries"}
    assert not Subscription.objects.filter(user=user).exists()


def test_saved_search_requires_a_query_and_an_owner(contributor):
    with pytest.raises(ValidationError) as caught:
        services.saved_search_create(user=contributor, query="", frequency="daily")
    assert "query" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.saved_search_create(user=contributor, query="key_task=not-a-task", frequency="daily")
    assert "query" in caught.value.message_dict
    search = services.saved_search_create(user=contributor, query="?key_task=global-south", frequency="daily")
    assert search.query == "key_task=global-south"
    with pytest.raises(PermissionDenied):
        services.saved_search_update(user=factories.UserFactory(), subscription=search, frequency="off")


# The digest ------------------------------------------------------------------------------


def test_digest_holds_what_matches_each_subscriber_grouped_by_key_task():
    by_task = subscriber(key_tasks=["global-south"])
    by_country = subscriber(countries=["BR"])
    by_tag = subscriber(tags=["Undersea cables"])
    follower = subscriber(watch="followed")
    unrelated = subscriber(key_tasks=["major-power-cooperation"])
    south = publish(
        title="South-South smart city pilot", key_task="global-south", action_line="", countries=["KE"]
    )
    norms = publish(
        title="Norms consultation in Brasília",
        key_task="multilateral-mechanisms",
        action_line="",
        countries=["BR"],
        tags=["undersea cables"],
    )
    factories.follow(user=follower, initiative=norms)

    run, _results = run_digests()

    (message,) = outbox_for(by_task.email)
    assert "South-South smart city pilot" in message.body and "Norms consultation" not in message.body
    assert f"https://concord.example/initiatives/{south.slug}/" in message.body
    (message,) = outbox_for(by_country.email)
    assert "Norms consultation in Brasília" in message.body and "smart city" not in message.body
    (message,) = outbox_for(by_tag.email)
    assert "Norms consultation" in message.body
    (message,) = outbox_for(follower.email)
    assert "Norms consultation" in message.body and "smart city" not in message.body
    assert outbox_for(unrelated.email) == []
    assert DigestDelivery.objects.get(run=run, recipient=unrelated).status == DeliveryStatus.EMPTY

    everything = subscriber()
    publish(title="Second multilateral record", key_task="multilateral-mechanisms", action_line="")
    publish(title="A Global South record", key_task="global-south", action_line="")
    mail.outbox.clear()
    run_digests(period="2030-01-02")
    (message,) = outbox_for(everything.email)
    html = message.alternatives[0][0]
    # Sections follow the article's order of key tasks.
    assert message.body.index("Second multilateral record") < message.body.index("A Global South record")
    assert "<h2" in html and "A Global South record" in html


def test_digest_is_written_in_the_subscribers_language():
    chinese = subscriber(language="zh-hans")
    english = subscriber(language="en")
    publish(title="Digital agriculture in Kenya", key_task="global-south", action_line="")
    run_digests()
    (zh,) = outbox_for(chinese.email)
    (en,) = outbox_for(english.email)
    assert zh.subject.startswith("Concord 摘要") and "新增" in zh.body
    assert "发挥" in zh.body or "全球南方" in zh.body  # the key task's Chinese name
    assert en.subject == "Concord digest: 1 new or updated initiative"
    assert "Digital agriculture in Kenya" in zh.body and "Digital agriculture in Kenya" in en.body


def test_digest_carries_one_click_unsubscribe_headers_and_a_deterministic_message_id():
    user = subscriber()
    publish()
    run, _ = run_digests()
    (message,) = outbox_for(user.email)
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    delivery = DigestDelivery.objects.get(run=run, recipient=user)
    assert parsed["List-Unsubscribe"].strip().startswith("<https://concord.example/digests/unsubscribe/")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        parsed["Message-ID"]
        == delivery.message_id
        == f"<daily.{delivery.pk}.daily.{run.period_key[6:]}@concord.example>"
    )


def test_nothing_new_sends_nothing_but_records_the_delivery():
    user = subscriber()
    run, _ = run_digests()
    assert mail.outbox == []
    delivery = DigestDelivery.objects.get(run=run, recipient=user)
    assert delivery.status == DeliveryStatus.EMPTY


def test_window_is_each_subscribers_own_since_their_last_digest():
    early = subscriber()
    old = publish(title="Published before the late subscriber joined")
    late = subscriber()
    new = publish(title="Published after both joined")
    run_digests()
    (early_mail,) = outbox_for(early.email)
    (late_mail,) = outbox_for(late.email)
    assert old.title in early_mail.body and new.title in early_mail.body
    assert old.title not in late_mail.body and new.title in late_mail.body


def test_updates_and_edits_since_the_last_digest_appear_and_old_news_does_not_repeat():
    user = subscriber()
    initiative = publish(title="Capacity building hub")
    run_digests(period="2030-01-01")
    assert "[New] Capacity building hub" in outbox_for(user.email)[0].body
    note = initiative_services.update_create(
        actor=initiative.owner,
        initiative=initiative,
        data={"title": "Second cohort trained", "kind": "milestone"},
    )
    # The owner's note waits for a moderator; it is news once it goes live.
    initiative_services.update_approve(actor=factories.moderator(), update=note)
    mail.outbox.clear()
    run_digests(period="2030-01-02")
    (message,) = outbox_for(user.email)
    assert "[Updated] Capacity building hub" in message.body and "Second cohort trained" in message.body
    mail.outbox.clear()
    run_digests(period="2030-01-03")
    assert mail.outbox == []


def test_records_still_committing_wait_for_the_next_digest(settings):
    settings.DIGESTS_SETTLE_SECONDS = 60
    user = subscriber()
    Subscription.objects.filter(user=user).update(cursor=timezone.now() - datetime.timedelta(hours=1))
    publish(title="Just now")
    run_digests(period="2030-01-01")
    assert mail.outbox == []
    assert Subscription.objects.get(user=user).cursor < timezone.now() - datetime.timedelta(seconds=59)
    later = timezone.now() + datetime.timedelta(minutes=2)
    run = services.digest_run_start(kind="daily", period="2030-01-02", now=later)
    for ids in services.due_batches(run=run):
        services.digest_batch_send(run_id=run.pk, ids=ids)
    assert "Just now" in outbox_for(user.email)[0].body


def test_saved_search_is_its_own_digest():
    user = factories.UserFactory()
    search = services.saved_search_create(
        user=user,
        query="key_task=multilateral-mechanisms&country=BR",
        name="Norms in Brazil",
        frequency="daily",
    )
    publish(
        title="Brazil norms workshop", key_task="multilateral-mechanisms", action_line="", countries=["BR"]
    )
    publish(
        title="Kenya norms workshop", key_task="multilateral-mechanisms", action_line="", countries=["KE"]
    )
    run, _ = run_digests()
    (message,) = outbox_for(user.email)
    assert "Norms in Brazil" in message.subject
    assert "Brazil norms workshop" in message.body and "Kenya" not in message.body
    assert DigestDelivery.objects.get(run=run).subscription == search


def test_saved_search_matches_are_those_of_the_browse_filters():
    records = [
        publish(title="Smart grid pilot", key_task="global-south", countries=["KE"], tags=["energy"]),
        publish(
            title="Smart city compact", key_task="global-south", countries=["BR"], tags=["energy", "cities"]
        ),
        publish(title="Norms dialogue", key_task="multilateral-mechanisms", action_line="", countries=["BR"]),
    ]
    queries = [
        "q=smart",
        "q=smart&country=KE",
        "country=KE&country=BR",
        "tag=energy&tag=cities",
        "key_task=global-south&q=smart&country=BR",
        "country=XX",
        "q=smart&status=unknown",
        "ordering=title",
    ]
    published = Initiative.objects.published()
    expected = {
        query: set(
            selectors.initiatives_matching_query(query=query, queryset=published).values_list("pk", flat=True)
        )
        for query in queries
    }
    ids = [r.pk for r in records]
    assert selectors.search_matches(queries=queries, initiative_ids=ids) == expected
    assert expected["q=smart&country=KE"] == {records[0].pk} and expected["country=XX"] == set()


def test_recipients_of_the_same_digest_share_one_rendering():
    english = [subscriber(key_tasks=["global-south"]) for _ in range(4)]
    chinese = [subscriber(key_tasks=["global-south"], language="zh-hans") for _ in range(3)]
    other = subscriber(key_tasks=["multilateral-mechanisms"])
    publish(title="Digital corridor", key_task="global-south")
    publish(title="Norms dialogue", key_task="multilateral-mechanisms", action_line="")
    rendered = []

    def count(sender, template, **kwargs):
        if template.name == "emails/digest.txt":
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        run_digests()
    finally:
        template_rendered.disconnect(count)
    assert len(rendered) == 3  # English, Chinese, and the other key task's digest
    bodies = {}
    for user in english + chinese + [other]:
        (message,) = outbox_for(user.email)
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
        text = parsed.get_body(("plain",)).get_content()
        html = parsed.get_body(("html",)).get_content()
        unsubscribe = parsed["List-Unsubscribe"].strip("<>")
        assert parsed["To"] == user.email and message.to == [user.email]
        assert user.username in text and user.username in html
        assert unsubscribe in text and unsubscribe in message.body
        assert services.subscription_unsubscribe(token=unsubscribe.rstrip("/").rsplit("/", 1)[1]) == (
            Subscription.objects.get(user=user)
        )
        personal = (user.username, unsubscribe)
        shared = text
        for part in personal:
            shared = shared.replace(part, "")
        bodies.setdefault(user.preferred_language if user != other else "other", set()).add(shared)
    assert {language: len(texts) for language, texts in bodies.items()} == {"en": 1, "zh-hans": 1, "other": 1}
    assert "Digital corridor" in bodies["en"].pop() and "Norms dialogue" in bodies["other"].pop()


def test_a_subject_says_the_name_as_written_on_one_line():
    user = factories.UserFactory()
    services.saved_search_create(
        user=user,
        query="key_task=multilateral-mechanisms",
        name='R&D "cyber"\r\n<policy>\u2028Bcc: x@example.org',
        frequency="daily",
    )
    publish(title="Norms workshop", key_task="multilateral-mechanisms", action_line="")
    run_digests()
    (message,) = outbox_for(user.email)
    assert message.subject == (
        'Concord: 1 new or updated initiative for “R&D "cyber" <policy> Bcc: x@example.org”'
    )
    # As a mail client reads it: one Subject header, decoded, and no header smuggled in.
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed["Subject"].strip() == message.subject
    assert parsed.get_all("Bcc") is None


def test_a_period_is_sent_once_however_often_it_is_run():
    user = subscriber()
    publish()
    run_digests()
    run_digests()
    run, _ = run_digests()
    assert len(outbox_for(user.email)) == 1
    assert DigestRun.objects.filter(kind="daily").count() == 1
    assert DigestDelivery.objects.filter(recipient=user).count() == 1


def test_a_second_worker_cannot_claim_a_batch_already_claimed():
    user = subscriber()
    publish()
    run = services.digest_run_start(kind="daily")
    ids = list(Subscription.objects.filter(user=user).values_list("pk", flat=True))
    _token, first = services._claim(run=run, ids=ids, now=timezone.now())
    _token, second = services._claim(run=run, ids=ids, now=timezone.now())
    assert len(first) == 1 and second == []
    # The claimed subscription is not due for anyone else while its lease runs.
    assert services.due_batches(run=run) == []


def test_a_delivery_abandoned_by_a_killed_worker_is_sent_by_the_next_run(settings):
    user = subscriber()
    publish(title="Sent after a crash")
    run = services.digest_run_start(kind="daily")
    ids = list(Subscription.objects.filter(user=user).values_list("pk", flat=True))
    services._claim(run=run, ids=ids, now=timezone.now())  # a worker claimed it, then died
    assert services.due_batches(run=run) == []
    DigestDelivery.objects.update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    (batch,) = services.due_batches(run=run)
    result = services.digest_batch_send(run_id=run.pk, ids=batch)
    assert result.sent == [user.email]
    delivery = DigestDelivery.objects.get()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.SENT
    assert "Sent after a crash" in outbox_for(user.email)[0].body


def test_cursor_moves_only_when_the_mail_server_accepted(smtp_server):
    accepted = subscriber()
    refused = subscriber()
    smtp_server.refuse[refused.email] = "550 5.1.1 No such mailbox"
    publish(title="Seen by one")
    refused_cursor = Subscription.objects.get(user=refused).cursor
    run, (result,) = run_digests()
    assert result.sent == [accepted.email] and result.failed == [refused.email]
    assert [rcpt for rcpt, _ in smtp_server.messages] == [[accepted.email]]
    assert Subscription.objects.get(user=refused).cursor == refused_cursor
    assert Subscription.objects.get(user=accepted).cursor == run.window_end
    failed = DigestDelivery.objects.get(recipient=refused)
    assert failed.status == DeliveryStatus.FAILED and "550" in failed.last_error
    # Nothing is skipped: the failed subscriber's next digest still holds the record.
    del smtp_server.refuse[refused.email]
    run_digests(period="2030-01-01")
    received = [content for rcpt, content in smtp_server.messages if rcpt == [refused.email]]
    assert len(received) == 1 and b"Seen by one" in received[0]


def test_transient_smtp_failure_releases_the_batch_for_a_retry_then_fails_it(settings):
    user = subscriber()
    publish()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    run = services.digest_run_start(kind="daily")
    (ids,) = services.due_batches(run=run)
    with pytest.raises(OSError):
        services.digest_batch_send(run_id=run.pk, ids=ids)
    delivery = DigestDelivery.objects.get(recipient=user)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    result = services.digest_batch_send(run_id=run.pk, ids=ids, final_attempt=True)
    delivery.refresh_from_db()
    assert result.failed == [user.email]
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    assert Subscription.objects.get(user=user).last_sent_at is None


def test_unsubscribed_between_dispatch_and_send_gets_nothing():
    user = subscriber()
    publish()
    run = services.digest_run_start(kind="daily")
    (ids,) = services.due_batches(run=run)
    services.subscription_update(user=user, frequency="off")
    services.digest_batch_send(run_id=run.pk, ids=ids)
    assert mail.outbox == []


def test_queries_per_batch_do_not_grow_with_the_number_of_initiatives():
    def count_queries(period):
        run = services.digest_run_start(kind="daily", period=period)
        (ids,) = services.due_batches(run=run)
        with CaptureQueriesContext(connection) as queries:
            services.digest_batch_send(run_id=run.pk, ids=ids)
        return len(queries)

    users = [subscriber(), subscriber(countries=["KE"]), subscriber(tags=["capacity building"])]
    factories.follow(user=users[0], initiative=publish())
    few = count_queries("2030-01-01")
    for _ in range(6):
        publish()
    many = count_queries("2030-01-02")
    assert len(mail.outbox) == 6
    assert many == few


def test_period_names_are_checked():
    assert services.period_key(kind="weekly", period="2026-w48") == "weekly:2026-W48"
    assert services.period_key(kind="daily", period="2026-11-27") == "daily:2026-11-27"
    with pytest.raises(ValidationError):
        services.period_key(kind="daily", period="2026-W48")
    with pytest.raises(ValidationError):
        services.period_key(kind="weekly", period="2026-W60")


# Reminders and nudges --------------------------------------------------------------------


def test_moderators_are_reminded_of_submissions_waiting_over_48_hours(moderator):
    waiting = factories.make_initiative(state="submitted", title="Waiting three days")
    fresh = factories.make_initiative(state="submitted", title="Submitted today")
    Initiative.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=72)
    )
    run_digests(kind=RunKind.REMINDER)
    (message,) = outbox_for(moderator.email)
    assert "Waiting three days" in message.body and fresh.title not in message.body
    run_digests(kind=RunKind.REMINDER)
    assert len(outbox_for(moderator.email)) == 1


def test_owners_of_silent_active_initiatives_are_nudged():
    owner = factories.contributor(preferred_language="zh-hans")
    silent = publish(owner=owner, title="Silent project", status="active")
    busy = publish(owner=owner, title="Busy project", status="active")
    long_ago = timezone.now() - datetime.timedelta(days=120)
    Initiative.objects.filter(pk__in=[silent.pk, busy.pk]).update(published_at=long_ago)
    initiative_services.update_create(actor=owner, initiative=busy, data={"title": "Still going"})
    run_digests(kind=RunKind.NUDGE)
    (message,) = outbox_for(owner.email)
    assert "Silent project" in message.body and "Busy project" not in message.body
    assert "90 天" in message.subject


def test_a_slow_batch_renews_its_lease_and_skips_what_another_worker_took_over():
    users = [subscriber(), subscriber()]
    publish()
    run = services.digest_run_start(kind="daily")
    ids = list(Subscription.objects.filter(user__in=users).values_list("pk", flat=True))
    token, claimed = services._claim(run=run, ids=ids, now=timezone.now())
    taken = claimed[1]
    DigestDelivery.objects.filter(pk=taken.pk).update(claim_token=None)  # another worker's claim now
    lost: set[int] = set()
    lease_ends = services._renew_lease(deliveries=claimed, token=token, lost=lost)
    assert lost == {taken.pk}
    assert DigestDelivery.objects.get(pk=claimed[0].pk).lease_until == lease_ends
