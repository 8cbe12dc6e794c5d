"""The tag vocabulary: labels and synonyms name a tag wherever a name is taken, and a merge
keeps every record it touches, with its history."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from taggit.models import Tag

from initiatives import services
from initiatives.filtersets import InitiativeFilterSet
from initiatives.imports.pipeline import import_rows
from initiatives.imports.reading import import_file_read
from initiatives.models import Initiative, Revision, TagChange, TagLabel, TagSynonym
from initiatives.selectors import initiative_search
from initiatives.vocabulary import tag_labels_initial
from tests import factories

pytestmark = pytest.mark.django_db


def _open_source(curator):
    record = factories.make_initiative(state="published", tags=["open source"], title="Shared code for CERTs")
    tag = Tag.objects.get(name="open source")
    services.tag_labels_set(
        actor=curator, tag=tag, label_en="Open source", label_zh="开源", synonyms=["OSS", "开放源代码"]
    )
    return record, tag


def _filtered(value, user=None):
    filterset = InitiativeFilterSet(
        data={"tag": [value]}, queryset=Initiative.objects.all(), request=type("R", (), {"user": user})()
    )
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def test_every_new_tag_gets_its_label_in_the_language_of_its_name():
    factories.make_initiative(tags=["incident response", "网络安全"])
    labels = {
        label.tag.name: (label.label_en, label.label_zh) for label in TagLabel.objects.select_related("tag")
    }
    assert labels == {"incident response": ("incident response", ""), "网络安全": ("", "网络安全")}
    assert tag_labels_initial("数据 governance") == {"label_en": "", "label_zh": "数据 governance"}


def test_the_migration_labels_the_tags_it_finds():
    Tag.objects.bulk_create(
        [Tag(name="cyber norms", slug="cyber-norms"), Tag(name="数字丝路", slug="数字丝路")]
    )
    assert not TagLabel.objects.exists()
    migration = importlib.import_module("initiatives.migrations.0026_tag_vocabulary")
    migration.label_existing_tags(apps, None)
    assert dict(TagLabel.objects.values_list("tag__name", "label_en")) == {
        "cyber norms": "cyber norms",
        "数字丝路": "",
    }
    assert TagLabel.objects.get(tag__name="数字丝路").label_zh == "数字丝路"


def test_a_write_by_label_or_synonym_stores_the_tags_name(curator):
    record, _tag = _open_source(curator)
    owner = record.owner
    draft = factories.make_initiative(owner=owner, tags=["开源"])
    assert list(draft.tags.names()) == ["open source"]
    services.initiative_edit(
        actor=curator, initiative=draft, data={"tags": ["oss", "OPEN SOURCE", "training"]}
    )
    assert sorted(draft.tags.names()) == ["open source", "training"]
    assert Revision.objects.filter(initiative=draft).order_by("-version").first().snapshot["tags"] == [
        "open source",
        "training",
    ]
    assert not Tag.objects.filter(name__in=["开源", "oss"]).exists()


def test_both_labels_and_synonyms_find_the_same_records_by_filter_and_search(curator):
    record, tag = _open_source(curator)
    factories.make_initiative(state="published", tags=["training"])
    for value in ("open source", "Open Source", tag.slug, "开源", "oss", "开放源代码"):
        assert _filtered(value) == {record.pk}, value
    for words in ("open source", "开源", "OSS", "开放源代码"):
        assert list(initiative_search(Initiative.objects.all(), words).values_list("pk", flat=True)) == [
            record.pk
        ], words


def test_a_label_changed_later_is_found_at_once(curator):
    record, tag = _open_source(curator)
    services.tag_labels_set(actor=curator, tag=tag, label_en="Open source", label_zh="开放源码", synonyms=[])
    assert list(initiative_search(Initiative.objects.all(), "开放源码").values_list("pk", flat=True)) == [
        record.pk
    ]
    assert not initiative_search(Initiative.objects.all(), "OSS").exists()
    change = TagChange.objects.filter(tag=tag).first()
    assert change.actor == curator and change.changes["label_zh"] == ["开源", "开放源码"]


def test_labels_and_synonyms_may_not_name_another_tag(curator):
    _record, tag = _open_source(curator)
    factories.make_initiative(tags=["training"])
    training = Tag.objects.get(name="training")
    with pytest.raises(ValidationError) as refused:
        services.tag_labels_set(
            actor=curator,
            tag=training,
            label_en="Training",
            label_zh="开源",
            synonyms=["OSS", "Training", "x" * 101],
        )
    assert set(refused.value.message_dict) == {"label_zh", "synonyms"}
    assert len(refused.value.message_dict["synonyms"]) == 3
    assert TagSynonym.objects.filter(tag=tag).count() == 2


def test_only_curators_keep_the_vocabulary(curator, contributor, moderator):
    _record, tag = _open_source(curator)
    for user in (contributor, moderator):
        with pytest.raises(PermissionDenied):
            services.tag_labels_set(actor=user, tag=tag, label_en="x", label_zh="", synonyms=[])
        with pytest.raises(PermissionDenied):
            services.tag_merge(actor=user, source=tag, target="training")
    assert TagLabel.objects.get(tag=tag).label_en == "Open source"


def test_a_merge_keeps_every_record_under_the_surviving_tag_with_its_history(curator):
    record, open_source = _open_source(curator)
    draft = factories.make_initiative(tags=["FOSS", "training"])
    both = factories.make_initiative(state="published", tags=["FOSS", "open source"])
    foss = Tag.objects.get(name="FOSS")
    services.tag_labels_set(
        actor=curator, tag=foss, label_en="Free software", label_zh="自由软件", synonyms=["libre"]
    )
    versions = {i.pk: Initiative.objects.get(pk=i.pk).version for i in (record, draft, both)}

    survivor = services.tag_merge(actor=curator, source=foss, target="开源")

    assert survivor == open_source
    assert not Tag.objects.filter(name="FOSS").exists()
    assert _filtered("open source") == {record.pk, draft.pk, both.pk}
    for touched in (draft, both):
        touched = Initiative.objects.get(pk=touched.pk)
        assert touched.version == versions[touched.pk] + 1
        entry = Revision.objects.filter(initiative=touched).order_by("-version").first()
        assert entry.actor == curator and "FOSS" in entry.change_message
        assert "FOSS" in entry.changes["tags"][0] and "FOSS" not in entry.changes["tags"][1]
        assert "open source" in entry.snapshot["tags"]
    assert Initiative.objects.get(pk=record.pk).version == versions[record.pk]
    assert sorted(open_source.synonyms.values_list("name", flat=True)) == sorted(
        ["OSS", "开放源代码", "FOSS", "Free software", "自由软件", "libre"]
    )
    # The merged tag's names still find the records, and a write with one stores the survivor.
    assert _filtered("自由软件") == {record.pk, draft.pk, both.pk}
    assert set(initiative_search(Initiative.objects.all(), "libre").values_list("pk", flat=True)) == {
        record.pk,
        draft.pk,
        both.pk,
    }
    later = factories.make_initiative(tags=["foss"])
    assert list(later.tags.names()) == ["open source"]
    assert TagChange.objects.filter(action="merge", tag_name="FOSS", actor=curator).exists()


def test_a_tag_only_unpublished_records_carry_passes_none_of_its_names_to_the_survivor(curator):
    # The survivor's synonyms are public (its page, the API, the search of its records): a
    # name that only drafts carried would tell every reader what those drafts say.
    record, open_source = _open_source(curator)
    draft = factories.make_initiative(tags=["Project Nightjar"])
    nightjar = Tag.objects.get(name="Project Nightjar")
    services.tag_labels_set(
        actor=curator, tag=nightjar, label_en="Nightjar", label_zh="夜鹰", synonyms=["nightjar plan"]
    )

    services.tag_merge(actor=curator, source=nightjar, target=open_source)

    assert sorted(open_source.synonyms.values_list("name", flat=True)) == sorted(["OSS", "开放源代码"])
    assert list(Initiative.objects.get(pk=draft.pk).tags.names()) == ["open source"]
    public = Initiative.objects.published()
    assert not initiative_search(public, "Nightjar").exists()
    assert list(initiative_search(public, "OSS").values_list("pk", flat=True)) == [record.pk]


def test_a_merge_into_itself_or_an_unknown_tag_is_refused(curator):
    _record, tag = _open_source(curator)
    for target in ("open source", "开源", "no such tag"):
        with pytest.raises(ValidationError) as refused:
            services.tag_merge(actor=curator, source=tag, target=target)
        assert "target" in refused.value.message_dict
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_an_import_naming_a_tag_by_its_chinese_label_stores_the_tags_name(curator):
    _open_source(curator)
    jsonl = (
        '{"title": "导入的记录", "summary": "S", "key_task": "global-south", "kind": "project", '
        '"tags": ["开源", "oss"]}'
    ).encode()
    report = import_rows(actor=curator, file=import_file_read(jsonl, "jsonl"), dry_run=False, language="en")
    assert [row["action"] for row in report["rows"]] == ["create"], report
    assert list(Initiative.objects.get(title="导入的记录").tags.names()) == ["open source"]
