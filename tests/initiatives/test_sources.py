"""Sources a reader can trust: their details travel with every version, and only curators say
whether a source was checked, whichever door the write comes through."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from initiatives import services
from initiatives.exports.columns import export_queryset, export_rows
from initiatives.exports.writers import export_chunks
from initiatives.history import link_item, snapshot_of
from initiatives.imports.pipeline import import_rows
from initiatives.imports.reading import import_file_read
from initiatives.models import Initiative, Revision, SourceLink
from initiatives.selectors.workspace import published_without_checked_source
from tests import factories

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/source"
REPORT = {
    "url": "https://www.itu.int/report",
    "title": "全球网络安全指数",
    "publisher": "ITU",
    "language": "zh-hans",
    "published_on": datetime.date(2024, 5, 1),
    "accessed_on": datetime.date(2024, 6, 2),
}


def links(initiative) -> list[dict]:
    return snapshot_of(initiative)["links"]


def test_the_details_of_a_source_are_kept_in_the_record_and_its_history():
    initiative = factories.make_initiative(links=[REPORT])

    (link,) = links(initiative)
    assert link == {
        "url": "https://www.itu.int/report",
        "title": "全球网络安全指数",
        "publisher": "ITU",
        "language": "zh-hans",
        "published_on": "2024-05-01",
        "accessed_on": "2024-06-02",
        "checked": False,
        "checked_by": None,
        "checked_at": None,
    }
    revision = Revision.objects.get(initiative=initiative, version=initiative.version)
    assert revision.snapshot["links"] == [link]


def test_a_snapshot_from_before_the_details_still_restores():
    curator = factories.curator()
    initiative = factories.make_initiative(state="published", links=[REPORT])
    first = Revision.objects.filter(initiative=initiative).order_by("version").first()
    first.snapshot = {**first.snapshot, "links": [{"url": SOURCE, "title": "Old"}]}
    first.save(update_fields=["snapshot"])

    services.initiative_restore(actor=curator, initiative=initiative, version=first.version)

    initiative.refresh_from_db()
    assert links(initiative) == [link_item({"url": SOURCE, "title": "Old"})]


def test_a_contributor_cannot_check_a_source_and_its_state_is_kept():
    owner = factories.contributor()
    curator = factories.curator(username="cora")
    initiative = factories.make_initiative(owner=owner)
    services.source_check(actor=curator, initiative=initiative, url=SOURCE, checked=True)
    initiative.refresh_from_db()
    checked = links(initiative)[0]

    # The owner says the checked source is not checked, and that a new one is.
    services.initiative_edit(
        actor=owner,
        initiative=initiative,
        data={
            "links": [
                {"url": SOURCE, "title": "Renamed", "checked": False},
                {"url": "https://example.org/new", "checked": True},
            ]
        },
    )

    initiative.refresh_from_db()
    kept, new = links(initiative)
    assert (kept["title"], kept["checked"], kept["checked_by"]) == ("Renamed", True, "cora")
    assert kept["checked_at"] == checked["checked_at"]
    assert (new["checked"], new["checked_by"], new["checked_at"]) == (False, None, None)
    with pytest.raises(PermissionDenied):
        services.source_check(actor=owner, initiative=initiative, url=SOURCE, checked=False)


def test_a_new_record_by_a_contributor_starts_with_unchecked_sources():
    initiative = factories.make_initiative(links=[{"url": SOURCE, "checked": True}])

    assert links(initiative)[0]["checked"] is False


def test_a_curator_checks_a_source_as_a_new_version_named_in_the_history():
    curator = factories.curator(username="cora")
    initiative = factories.make_initiative(state="published")
    version = initiative.version

    services.source_check(
        actor=curator, initiative=initiative, url=SOURCE, checked=True, expected_version=version
    )

    initiative.refresh_from_db()
    assert initiative.version == version + 1
    link = SourceLink.objects.get(initiative=initiative)
    assert (link.checked, link.checked_by, link.checked_at is not None) == (True, curator, True)
    entry = Revision.objects.get(initiative=initiative, version=version + 1)
    assert entry.actor == curator
    assert entry.change_message == f"Marked the source {SOURCE} as checked."
    assert entry.changes["links"][1][0]["checked_by"] == "cora"

    services.source_check(actor=curator, initiative=initiative, url=SOURCE, checked=False)

    initiative.refresh_from_db()
    assert initiative.version == version + 2
    assert links(initiative)[0] == link_item({"url": SOURCE, "title": "Source"})


def test_an_administrator_who_checked_a_source_of_a_submission_may_not_approve_it():
    # Checking a source writes a version of the record's content; four eyes counts it as
    # writing, as it counts any other edit.
    admin = factories.admin()
    initiative = factories.make_initiative(state="submitted")

    services.source_check(actor=admin, initiative=initiative, url=SOURCE, checked=True)

    initiative.refresh_from_db()
    assert not admin.has_perm("initiatives.approve_initiative", initiative)
    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=admin, initiative=initiative)


def test_checking_a_source_twice_writes_one_version():
    curator = factories.curator()
    initiative = factories.make_initiative(state="published")
    services.source_check(actor=curator, initiative=initiative, url=SOURCE, checked=True)
    initiative.refresh_from_db()
    version = initiative.version

    services.source_check(actor=curator, initiative=initiative, url=SOURCE, checked=True)

    initiative.refresh_from_db()
    assert initiative.version == version


def test_checking_an_address_the_record_has_not_is_refused_on_the_field():
    initiative = factories.make_initiative(state="published")

    with pytest.raises(ValidationError) as refused:
        services.source_check(
            actor=factories.curator(), initiative=initiative, url="https://elsewhere.org/", checked=True
        )

    assert set(refused.value.message_dict) == {"url"}


def test_a_stale_check_is_refused():
    curator = factories.curator()
    initiative = factories.make_initiative(state="published")

    with pytest.raises(services.ConcurrentEditError):
        services.source_check(
            actor=curator,
            initiative=initiative,
            url=SOURCE,
            checked=True,
            expected_version=initiative.version - 1,
        )


def test_a_curator_sets_checked_in_an_edit_and_an_edit_saying_nothing_keeps_it():
    curator = factories.curator(username="cora")
    initiative = factories.make_initiative(state="published")

    services.initiative_edit(
        actor=curator, initiative=initiative, data={"links": [{"url": SOURCE, "checked": True}]}
    )
    initiative.refresh_from_db()
    assert links(initiative)[0]["checked_by"] == "cora"

    services.initiative_edit(
        actor=factories.admin(), initiative=initiative, data={"links": [{"url": SOURCE, "title": "Again"}]}
    )
    initiative.refresh_from_db()
    assert (links(initiative)[0]["title"], links(initiative)[0]["checked_by"]) == ("Again", "cora")


def test_a_proposal_approved_later_keeps_the_checks_made_meanwhile():
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, state="published")
    revision = services.initiative_edit(
        actor=owner,
        initiative=initiative,
        data={"links": [{"url": SOURCE, "title": "Source"}, {"url": "https://example.org/more"}]},
    )
    services.source_check(actor=factories.curator(), initiative=initiative, url=SOURCE, checked=True)

    # The proposal, made before the check, does not offer to take it back.
    assert services.revision_diff(revision)["links"][1][0]["checked"] is True
    services.revision_approve(actor=factories.moderator(), revision=revision)

    initiative.refresh_from_db()
    assert [link["checked"] for link in links(initiative)] == [True, False]


def test_a_source_accessed_before_it_was_published_is_refused():
    with pytest.raises(ValidationError) as refused:
        factories.make_initiative(
            links=[
                {
                    **REPORT,
                    "published_on": datetime.date(2024, 6, 2),
                    "accessed_on": datetime.date(2024, 5, 1),
                }
            ]
        )

    assert refused.value.message_dict == {"links": ["A source cannot be accessed before it was published."]}


def test_an_unknown_language_or_a_bad_date_of_a_source_is_refused():
    with pytest.raises(ValidationError) as refused:
        factories.make_initiative(links=[{"url": SOURCE, "language": "fr", "published_on": "1 May"}])

    assert set(refused.value.message_dict) == {"links"}
    assert len(refused.value.message_dict["links"]) == 2


def test_the_flag_lists_exactly_the_published_records_without_a_checked_source():
    curator = factories.curator()
    checked = factories.make_initiative(state="published")
    services.source_check(actor=curator, initiative=checked, url=SOURCE, checked=True)
    unchecked = factories.make_initiative(state="published")
    sourceless = factories.make_initiative(state="published", links=[])
    factories.make_initiative(state="draft")
    unmarked = factories.make_initiative(state="published")
    services.source_check(actor=curator, initiative=unmarked, url=SOURCE, checked=True)
    services.source_check(actor=curator, initiative=unmarked, url=SOURCE, checked=False)

    assert set(published_without_checked_source()) == {unchecked, sourceless, unmarked}
    assert set(Initiative.objects.with_checked_source()) == {checked}


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_an_import_keeps_the_details_and_checks_of_sources_it_names_by_address(file_format):
    curator = factories.curator(username="cora")
    initiative = factories.make_initiative(state="published", links=[REPORT])
    services.source_check(actor=curator, initiative=initiative, url=REPORT["url"], checked=True)
    initiative.refresh_from_db()
    before = links(initiative)
    rows = export_rows(export_queryset(Initiative.objects.filter(pk=initiative.pk)))
    content = b"".join(export_chunks(file_format, rows))

    report = import_rows(
        actor=factories.curator(), file=import_file_read(content, file_format), dry_run=False, language="en"
    )

    assert report["counts"]["unchanged"] == 1
    initiative.refresh_from_db()
    assert links(initiative) == before


def test_a_curator_creating_a_record_may_check_its_sources_and_a_moderator_may_not():
    curator = factories.curator(username="cora")
    created = services.initiative_create(
        actor=curator, data=factories.initiative_data(links=[{"url": SOURCE, "checked": True}])
    )

    (link,) = links(created)
    assert (link["checked"], link["checked_by"]) == (True, "cora")
    with pytest.raises(PermissionDenied):
        services.source_check(actor=factories.moderator(), initiative=created, url=SOURCE, checked=False)
