"""The invariants the database itself holds, and slugs that are made once and always work."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from governance import services as governance_services
from governance.models import ActionLine, KeyTask
from governance.slugs import slug_unique
from initiatives import services
from initiatives.models import Initiative
from tests import factories

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture
def initiative(contributor):
    return factories.make_initiative(owner=contributor)


def refused_by_database(initiative, **columns):
    """Write the columns straight to the row, past the services, and report the database's answer."""
    before = Initiative.objects.filter(pk=initiative.pk).values().get()
    with pytest.raises(IntegrityError) as error:
        with transaction.atomic():
            Initiative.objects.filter(pk=initiative.pk).update(**columns)
    assert Initiative.objects.filter(pk=initiative.pk).values().get() == before
    return str(error.value)


def test_database_refuses_an_action_line_of_another_key_task(initiative):
    assert initiative.key_task.slug == "global-south"
    other_line = ActionLine.objects.get(slug="bilateral-frameworks")

    message = refused_by_database(initiative, action_line=other_line)

    assert "initiative_action_line_in_key_task" in message


def test_database_refuses_a_key_task_that_leaves_the_action_line_behind(initiative):
    refused_by_database(initiative, key_task=KeyTask.objects.get(slug="multi-stakeholder"))


def test_database_accepts_an_action_line_of_the_same_key_task(initiative):
    line = ActionLine.objects.get(slug="poverty-reduction-education")
    Initiative.objects.filter(pk=initiative.pk).update(action_line=line)
    initiative.refresh_from_db()
    assert initiative.action_line == line


def test_database_refuses_an_end_before_the_start(initiative):
    message = refused_by_database(
        initiative, start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 4, 30)
    )
    assert "initiative_end_not_before_start" in message


def test_database_refuses_an_empty_title(initiative):
    message = refused_by_database(initiative, title="")
    assert "initiative_title_not_empty" in message


def test_database_refuses_a_duplicate_slug(initiative, contributor):
    other = factories.make_initiative(owner=contributor)
    refused_by_database(other, slug=initiative.slug)


def test_database_refuses_a_new_row_with_a_taken_slug(initiative):
    count = Initiative.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(
            slug=initiative.slug,
            title="Another title",
            summary="x",
            key_task=initiative.key_task,
            kind="project",
            owner=initiative.owner,
        )
    assert Initiative.objects.count() == count


def test_model_validation_names_the_broken_rules_for_forms(initiative):
    candidate = Initiative(
        slug=initiative.slug,
        title="",
        summary="x",
        key_task=initiative.key_task,
        kind="project",
        owner=initiative.owner,
        start_date=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        candidate.validate_constraints()
    messages = " ".join(error.value.messages)
    assert "The end date cannot be before the start date." in messages
    assert "The title cannot be empty." in messages
    assert "slug" in messages.lower()


def test_a_chinese_only_title_gets_an_ascii_slug_that_resolves(client, contributor):
    initiative = factories.make_initiative(
        owner=contributor, title="数字丝绸之路网络安全合作", state="published"
    )

    assert SLUG.match(initiative.slug), initiative.slug
    assert initiative.slug.startswith("shu-zi-si-chou-zhi-lu")
    url = reverse("initiatives:detail", kwargs={"slug": initiative.slug})
    assert url == initiative.get_absolute_url() == f"/initiatives/{initiative.slug}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "数字丝绸之路网络安全合作" in response.text


def test_punctuation_only_titles_still_get_a_slug(contributor):
    initiative = factories.make_initiative(owner=contributor, title="《！？》")
    assert SLUG.match(initiative.slug)


def test_two_initiatives_with_the_same_title_get_two_slugs(contributor):
    first = factories.make_initiative(owner=contributor, title="中非数字创新伙伴计划")
    second = factories.make_initiative(owner=factories.contributor(), title="中非数字创新伙伴计划")
    third = factories.make_initiative(owner=contributor, title="中非数字创新伙伴计划")

    slugs = [first.slug, second.slug, third.slug]
    assert len(set(slugs)) == 3
    assert all(SLUG.match(slug) for slug in slugs)
    # Each is the title's slug and a random suffix: none tells of the others.
    assert all(re.fullmatch(r"zhong-fei-shu-zi-chuang-xin-huo-ban-ji-hua-[a-z0-9]{6}", s) for s in slugs)


def test_the_slug_never_changes_when_the_title_does(contributor):
    initiative = factories.make_initiative(owner=contributor, title="Smart city pilot in Nairobi")
    slug = initiative.slug

    services.initiative_edit(actor=contributor, initiative=initiative, data={"title": "智慧城市试点"})

    initiative.refresh_from_db()
    assert initiative.title == "智慧城市试点"
    assert initiative.slug == slug
    assert slug.startswith("smart-city-pilot-in-nairobi-")


def test_a_slug_is_not_content_an_editor_can_set(contributor):
    initiative = factories.make_initiative(owner=contributor)
    slug = initiative.slug
    services.initiative_edit(
        actor=contributor, initiative=initiative, data={"slug": "hijacked", "summary": "New summary."}
    )
    initiative.refresh_from_db()
    assert initiative.slug == slug
    assert initiative.summary == "New summary."


def test_public_namespaces_count_up_from_the_readable_slug():
    """Organisations and tags share the one unique-slug helper, counting instead of drawing."""
    taken = {"kenya-ict-authority", "kenya-ict-authority-2"}
    assert slug_unique("kenya-ict-authority", taken.__contains__, counted=True) == "kenya-ict-authority-3"
    assert slug_unique("fresh", taken.__contains__, counted=True) == "fresh"
    assert slug_unique("a" * 20, {"a" * 20}.__contains__, counted=True, max_length=20) == "a" * 18 + "-2"


def test_a_new_organisation_gets_a_counted_slug(curator):
    organisation = {"name_en": "Kenya ICT Authority", "name_zh": "肯尼亚信通局", "kind": "government"}
    first = governance_services.stakeholder_create(actor=curator, data=organisation)
    second = governance_services.stakeholder_create(actor=curator, data=organisation)
    assert (first.slug, second.slug) == ("kenya-ict-authority", "kenya-ict-authority-2")
