"""Digests carry what is published under the topics a subscriber follows."""

import pytest
from django.core import mail
from django.test.signals import template_rendered

from digests.choices import DeliveryStatus
from digests.models import DigestDelivery
from initiatives import services as initiative_services
from tests import factories

from .conftest import run_digests, subscriber

pytestmark = pytest.mark.django_db


def outbox_for(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_a_digest_carries_a_new_record_under_a_followed_tag_and_followers_share_one_rendering():
    # Subscribed to followed records only: the tag is what brings the record in.
    tag_followers = [subscriber(watch="followed") for _ in range(2)]
    stakeholder_follower = subscriber(watch="followed")
    nobody = subscriber(watch="followed")
    for user in tag_followers:
        factories.make_initiative(state="published", title="Seed", tags=["undersea cables"])
        initiative_services.topic_follow_create(actor=user, kind="tag", value="undersea-cables")
    initiative_services.topic_follow_create(actor=stakeholder_follower, kind="stakeholder", value="undp")
    mail.outbox.clear()
    run_digests(period="2030-01-01")  # the seeds go out in this period
    mail.outbox.clear()

    cables = factories.make_initiative(
        state="published",
        title="Cable landing station security",
        tags=["Undersea cables"],
        participations=[],
    )
    factories.make_initiative(title="Draft about undersea cables", tags=["undersea cables"])
    factories.make_initiative(
        state="published", title="Unrelated record", tags=["elections"], participations=[]
    )

    rendered = []

    def count(sender, template, **kwargs):
        if template.name == "emails/digest.txt":
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        run, _results = run_digests(period="2030-01-02")
    finally:
        template_rendered.disconnect(count)

    for user in tag_followers:
        (message,) = outbox_for(user.email)
        assert "Cable landing station security" in message.body
        assert f"https://concord.example/initiatives/{cables.slug}/" in message.body
        assert "Draft about undersea cables" not in message.body and "Unrelated record" not in message.body
    # The two tag followers get the same records: one rendering for both.
    assert len(rendered) == 1
    assert outbox_for(stakeholder_follower.email) == []
    assert outbox_for(nobody.email) == []
    assert DigestDelivery.objects.get(run=run, recipient=nobody).status == DeliveryStatus.EMPTY


def test_a_followed_country_brings_its_records_into_the_digest():
    follower = subscriber(watch="followed")
    initiative_services.topic_follow_create(actor=follower, kind="country", value="BR")
    factories.make_initiative(state="published", title="Brazilian CERT exchange", countries=["BR"])
    factories.make_initiative(state="published", title="Kenyan CERT exchange", countries=["KE"])
    run_digests()
    (message,) = outbox_for(follower.email)
    assert "Brazilian CERT exchange" in message.body and "Kenyan CERT exchange" not in message.body
