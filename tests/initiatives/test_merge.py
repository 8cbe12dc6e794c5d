"""A curator folds a duplicate into the record that survives: everything moves, nothing is lost."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from initiatives import rules, services
from initiatives.history import link_item, snapshot_of
from initiatives.models import Comment, Initiative, InitiativeEvent, Revision, TopicFollow
from tests import factories


@pytest.fixture
def pair(db):
    """A published record and a later duplicate of it, each with its own relations."""
    factories.StakeholderFactory(slug="kenya-ict-authority", name_en="Kenya ICT Authority")
    survivor = factories.make_initiative(
        state="published",
        title="Digital agriculture extension in Kenya",
        countries=["KE"],
        tags=["agriculture"],
        advocacies=["prosperity"],
        participations=[{"stakeholder": "undp", "role": "lead"}],
        links=[{"url": "https://example.org/shared", "title": "Shared source"}],
    )
    helper = factories.contributor(username="helper")
    duplicate = factories.make_initiative(
        state="published",
        title="Kenya digital agriculture extension",
        countries=["KE", "CN", "ET"],
        tags=["agriculture", "e-extension"],
        advocacies=["security"],
        participations=[
            {"stakeholder": "undp", "role": "funder"},
            {"stakeholder": "kenya-ict-authority", "role": "host"},
        ],
        links=[
            {"url": "https://example.org/shared", "title": "Shared source"},
            {"url": "https://example.org/only-here", "title": "Only on the duplicate"},
        ],
        collaborators=[helper.username],
    )
    reader, both = factories.contributor(username="reader"), factories.contributor(username="both")
    factories.follow(user=reader, initiative=duplicate)
    factories.follow(user=both, initiative=duplicate)
    factories.follow(user=both, initiative=survivor)
    Comment.objects.create(initiative=duplicate, author=reader, body="Is this the same as the other one?")
    services.update_create(
        actor=duplicate.owner, initiative=duplicate, data={"title": "Pilot in Nakuru", "kind": "milestone"}
    )
    return survivor, duplicate


def test_merge_moves_every_relation_to_the_survivor(pair, curator):
    survivor, duplicate = pair

    services.initiative_merge(actor=curator, source=duplicate, target=survivor)

    merged = snapshot_of(survivor)
    assert merged["countries"] == ["CN", "ET", "KE"]
    assert merged["tags"] == ["agriculture", "e-extension"]
    assert merged["advocacies"] == ["prosperity", "security"]
    # The survivor's own role is kept where both name the same stakeholder.
    assert merged["participations"] == [
        {"stakeholder": "kenya-ict-authority", "role": "host"},
        {"stakeholder": "undp", "role": "lead"},
    ]
    assert merged["links"] == [
        link_item({"url": "https://example.org/shared", "title": "Shared source"}),
        link_item({"url": "https://example.org/only-here", "title": "Only on the duplicate"}),
    ]
    assert merged["collaborators"] == ["helper"]
    assert list(survivor.updates.values_list("title", flat=True)) == ["Pilot in Nakuru"]
    assert list(Comment.objects.filter(initiative=survivor).values_list("author__username", flat=True)) == [
        "reader"
    ]
    followers = TopicFollow.objects.filter(initiative=survivor)
    assert sorted(followers.values_list("user__username", flat=True)) == ["both", "reader"]
    assert not TopicFollow.objects.filter(initiative=duplicate).exists()
    # A moved follow names the survivor by its slug too, as the API lists it.
    assert set(followers.values_list("value", flat=True)) == {survivor.slug}
    assert not duplicate.updates.exists()
    assert not Comment.objects.filter(initiative=duplicate).exists()


def test_the_duplicate_is_archived_pointing_at_the_survivor(pair, curator):
    survivor, duplicate = pair

    services.initiative_merge(actor=curator, source=duplicate, target=survivor)

    duplicate.refresh_from_db()
    assert duplicate.moderation_state == "archived"
    assert duplicate.merged_into == survivor
    assert Initiative.objects.get(pk=survivor.pk).moderation_state == "published"
    assert rules.allowed_actions(curator, duplicate) == []
    with pytest.raises(PermissionDenied):
        services.initiative_edit(actor=curator, initiative=duplicate, data={"title": "Revived"})


def test_both_histories_are_kept_and_the_merge_recorded_on_each(pair, curator):
    survivor, duplicate = pair
    before = {
        i.pk: list(Revision.objects.filter(initiative=i).values_list("version", "snapshot")) for i in pair
    }

    services.initiative_merge(actor=curator, source=duplicate, target=survivor)

    for initiative in pair:
        entries = list(Revision.objects.filter(initiative=initiative).order_by("version"))
        assert [(e.version, e.snapshot) for e in entries[:-1]] == sorted(before[initiative.pk])
        assert (entries[-1].action, entries[-1].actor) == ("merge", curator)
        event = InitiativeEvent.objects.filter(initiative=initiative).first()
        assert (event.action, event.actor) == ("merge", curator)
    source_entry = Revision.objects.filter(initiative=duplicate).first()
    assert source_entry.changes["merged_into"] == [None, survivor.slug]
    assert source_entry.changes["moderation_state"] == ["published", "archived"]


def test_the_old_address_redirects_permanently_to_the_survivor(client, pair, curator):
    survivor, duplicate = pair
    services.initiative_merge(actor=curator, source=duplicate, target=survivor)

    response = client.get(duplicate.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_a_chain_of_merges_still_leads_to_the_last_survivor(client, pair, curator):
    survivor, duplicate = pair
    final = factories.make_initiative(state="published", title="Kenya digital agriculture programme")
    services.initiative_merge(actor=curator, source=duplicate, target=survivor)
    services.initiative_merge(actor=curator, source=survivor, target=final)

    response = client.get(duplicate.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == final.get_absolute_url()
    assert list(final.updates.values_list("title", flat=True)) == ["Pilot in Nakuru"]


def test_only_curators_and_admins_merge(pair):
    survivor, duplicate = pair
    for actor in (duplicate.owner, factories.moderator(), factories.contributor()):
        with pytest.raises(PermissionDenied):
            services.initiative_merge(actor=actor, source=duplicate, target=survivor)
    assert Initiative.objects.get(pk=duplicate.pk).merged_into is None
    assert duplicate.updates.count() == 1

    services.initiative_merge(actor=factories.admin(), source=duplicate, target=survivor)
    assert Initiative.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk


def test_a_record_is_not_merged_into_itself_or_into_a_merged_one(pair, curator):
    survivor, duplicate = pair
    with pytest.raises(ValidationError) as error:
        services.initiative_merge(actor=curator, source=survivor, target=survivor)
    assert "target" in error.value.message_dict

    services.initiative_merge(actor=curator, source=duplicate, target=survivor)
    third = factories.make_initiative(state="published")
    with pytest.raises(PermissionDenied):
        services.initiative_merge(actor=curator, source=third, target=Initiative.objects.get(pk=duplicate.pk))


def test_a_proposal_waiting_on_the_duplicate_is_closed_by_the_merge(pair, curator):
    survivor, duplicate = pair
    revision = services.initiative_edit(
        actor=duplicate.owner, initiative=duplicate, data={"title": "Kenya digital agriculture, phase two"}
    )

    services.initiative_merge(actor=curator, source=duplicate, target=survivor)

    revision.refresh_from_db()
    assert (revision.state, revision.decided_by) == ("rejected", curator)
    assert survivor.slug in revision.reason
    with pytest.raises(PermissionDenied):
        services.revision_approve(actor=factories.moderator(), revision=revision)
    assert Initiative.objects.get(pk=duplicate.pk).title == "Kenya digital agriculture extension"
