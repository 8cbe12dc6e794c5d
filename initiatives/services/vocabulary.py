"""The tag vocabulary: a tag's labels and synonyms, merging one tag into another, and
deleting a tag no record carries.

Curators keep it (`initiatives.curate_tags`). Each change runs in one transaction, leaves a
TagChange naming who made it, rewrites the search documents of the records that carry the
tag (they hold its labels and synonyms), and retires the kept answers. A merge rewrites each
record that carried the merged tag as a new version with its history entry, exactly as a
curator's bulk change does; the merged tag's names live on as synonyms of the survivor, so
writes, filters and searches that name it still find the survivor (unless only unpublished
records carried it: its names stay as private as they are).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from ..announcements import public_event_announce, tag_merged_announce
from ..catalogue import catalogue_changed
from ..choices import EventAction, HistoryAction, PublicEvent, TopicKind
from ..models import Initiative, TagChange, TagLabel, TagSynonym, TopicFollow
from ..models.vocabulary import LABEL_MAX_LENGTH, SYNONYMS_LIMIT
from ..selectors.tags import tag_deletion_refusal
from ..vocabulary import tag_labels_initial, tag_matching
from .records import content_write, deny, event_record, initiative_locked, searches_refresh


def _tagged_ids(tag: Tag) -> list[int]:
    content_type = ContentType.objects.get_for_model(Initiative)
    return list(
        TaggedItem.objects.filter(tag=tag, content_type=content_type)
        .order_by("object_id")
        .values_list("object_id", flat=True)
    )


def _label_of(tag: Tag) -> TagLabel:
    label, _created = TagLabel.objects.get_or_create(tag=tag, defaults=tag_labels_initial(tag.name))
    return label


def _synonyms_clean(tag: Tag, label_en: str, label_zh: str, synonyms) -> tuple[list[str], list[str]]:
    """The synonyms, stripped and without repeats, and what is wrong with them."""
    own = {name.lower() for name in (tag.name, label_en, label_zh) if name}
    others = Tag.objects.exclude(pk=tag.pk)
    cleaned, errors, seen = [], [], set()
    for raw in synonyms or []:
        name = str(raw).strip()
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        if len(name) > LABEL_MAX_LENGTH:
            errors.append(
                _("Keep each synonym under %(limit)d characters: “%(name)s”.")
                % {"limit": LABEL_MAX_LENGTH + 1, "name": name[:40]}
            )
        elif name.lower() in own:
            errors.append(_("“%(name)s” is already this tag's name or label.") % {"name": name})
        elif (other := tag_matching(others, name)) is not None:
            errors.append(
                _("“%(name)s” already names the tag “%(tag)s”.") % {"name": name, "tag": other.name}
            )
        else:
            cleaned.append(name)
    return cleaned, errors


@transaction.atomic
def tag_labels_set(*, actor, tag: Tag, label_en: str, label_zh: str, synonyms) -> Tag:
    """Set a tag's two labels and its synonyms (replacing the ones it had). No label or
    synonym may name another tag, and no synonym may repeat the tag's own name or labels."""
    if not actor.has_perm("initiatives.curate_tags", tag):
        deny(_("Only curators change the labels and synonyms of tags."))
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    label_en, label_zh = (label_en or "").strip(), (label_zh or "").strip()
    errors = {}
    others = Tag.objects.exclude(pk=tag.pk)
    for field, value in (("label_en", label_en), ("label_zh", label_zh)):
        if len(value) > LABEL_MAX_LENGTH:
            errors[field] = [_("Keep a label under %(limit)d characters.") % {"limit": LABEL_MAX_LENGTH + 1}]
        elif value and (other := tag_matching(others, value)) is not None:
            errors[field] = [
                _("“%(name)s” already names the tag “%(tag)s”.") % {"name": value, "tag": other.name}
            ]
    cleaned, synonym_errors = _synonyms_clean(tag, label_en, label_zh, synonyms)
    if len(cleaned) > SYNONYMS_LIMIT:
        synonym_errors.append(_("Give at most %(limit)d synonyms.") % {"limit": SYNONYMS_LIMIT})
    if synonym_errors:
        errors["synonyms"] = synonym_errors
    if errors:
        raise ValidationError(errors)
    label = _label_of(tag)
    before = {
        "label_en": label.label_en,
        "label_zh": label.label_zh,
        "synonyms": sorted(tag.synonyms.values_list("name", flat=True)),
    }
    label.label_en, label.label_zh = label_en, label_zh
    label.save()
    TagSynonym.objects.filter(tag=tag).delete()
    TagSynonym.objects.bulk_create(TagSynonym(tag=tag, name=name) for name in cleaned)
    after = {"label_en": label_en, "label_zh": label_zh, "synonyms": sorted(cleaned)}
    TagChange.objects.create(
        tag=tag,
        tag_name=tag.name,
        actor=actor,
        action=TagChange.Action.LABELS,
        changes={field: [before[field], after[field]] for field in after if before[field] != after[field]},
    )
    searches_refresh(initiative_ids=_tagged_ids(tag))
    catalogue_changed()
    return tag


def _target_of(target) -> Tag:
    """The tag a merge goes into: a Tag, or any of a tag's names (its slug too)."""
    if isinstance(target, Tag):
        found = Tag.objects.filter(pk=target.pk).first()
    else:
        found = tag_matching(Tag.objects.all(), str(target or ""))
    if found is None:
        raise ValidationError({"target": [_("No tag has this name or slug.")]})
    return found


@transaction.atomic
def tag_merge(*, actor, source: Tag, target) -> Tag:
    """Fold `source` into `target` (a Tag, or a tag's name or slug): every record tagged with
    source is tagged with target instead, each as a new version in its history; source's
    name, labels and synonyms become target's synonyms; follows, digest subscriptions and saved
    searches that name source name target; source is deleted. Returns target."""
    if not actor.has_perm("initiatives.curate_tags", source):
        deny(_("Only curators merge tags."))
    target = _target_of(target)
    if target.pk == source.pk:
        raise ValidationError({"target": [_("A tag cannot be merged into itself.")]})
    locked = {
        tag.pk: tag
        for tag in Tag.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
    }
    if source.pk not in locked:
        raise ValidationError({"source": [_("This tag no longer exists.")]})
    if target.pk not in locked:
        raise ValidationError({"target": [_("No tag has this name or slug.")]})
    source, target = locked[source.pk], locked[target.pk]

    # The vocabulary first, so the rewritten records' search documents hold it.
    source_label, target_label = _label_of(source), _label_of(target)
    touched = _tagged_ids(source)
    # The survivor's synonyms are public (its page, the API, its records' search words); the
    # names of a tag that only unpublished records carry stay as private as those records.
    moved = (
        [
            source.name,
            source_label.label_en,
            source_label.label_zh,
            *source.synonyms.values_list("name", flat=True),
        ]
        if Initiative.objects.published().filter(pk__in=touched).exists()
        else []
    )
    TagSynonym.objects.filter(tag=source).delete()
    taken = {name.lower() for name in (target.name, target_label.label_en, target_label.label_zh) if name}
    # A name another tag already has as a synonym stays that tag's.
    taken |= set(
        TagSynonym.objects.annotate(lowered=Lower("name"))
        .filter(lowered__in=[name.lower() for name in moved if name])
        .values_list("lowered", flat=True)
    )
    added = []
    for name in moved:
        if name and name.lower() not in taken:
            taken.add(name.lower())
            added.append(name)
    TagSynonym.objects.bulk_create(TagSynonym(tag=target, name=name) for name in added)

    message = _("Tag “%(source)s” merged into “%(target)s”") % {"source": source.name, "target": target.name}
    for initiative in Initiative.objects.filter(pk__in=touched).order_by("pk"):
        initiative = initiative_locked(initiative)
        names = {name for name in initiative.tags.names() if name.lower() != source.name.lower()}
        content_write(
            initiative=initiative,
            actor=actor,
            resolved={"tags": sorted(names | {target.name})},
            expected_version=None,
            action=HistoryAction.BULK,
            change_message=message,
        )
        # Four eyes reads events: whoever merged the tag changed the record.
        event_record(initiative=initiative, actor=actor, action=EventAction.BULK, reason=message)
        public_event_announce(event=PublicEvent.UPDATED, initiative=initiative)

    # Followers of the merged tag follow the survivor.
    following = TopicFollow.objects.filter(kind=TopicKind.TAG, value=target.slug).values_list("user_id")
    TopicFollow.objects.filter(kind=TopicKind.TAG, value=source.slug).exclude(user_id__in=following).update(
        value=target.slug
    )
    TopicFollow.objects.filter(kind=TopicKind.TAG, value=source.slug).delete()
    # Digest subscriptions and saved searches that name the merged tag name the survivor.
    tag_merged_announce(names=[*moved, source.slug], target=target.name)

    TagChange.objects.create(
        tag=target,
        tag_name=source.name,
        actor=actor,
        action=TagChange.Action.MERGE,
        changes={"merged_into": [source.name, target.name], "synonyms_added": added, "records": touched},
    )
    source.delete()
    # Records that carried the target already now match its new synonyms too.
    searches_refresh(initiative_ids=_tagged_ids(target))
    catalogue_changed()
    return target


@transaction.atomic
def tag_delete(*, actor, tag: Tag) -> None:
    """Delete a tag that no record carries, with the follows of it. A tag on records is not
    deleted (the records would silently lose it): it is merged into another instead."""
    if not actor.has_perm("initiatives.curate_tags", tag):
        deny(_("Only curators delete tags."))
    tag = Tag.objects.select_for_update().filter(pk=tag.pk).first()
    if tag is None:
        raise ValidationError(_("This tag no longer exists."))
    refusal = tag_deletion_refusal(tag)
    if refusal:
        raise ValidationError(refusal, code="tag_in_use")
    TopicFollow.objects.filter(kind=TopicKind.TAG, value=tag.slug).delete()
    TagChange.objects.create(
        tag=None,
        tag_name=tag.name,
        actor=actor,
        action=TagChange.Action.DELETE,
        changes={"deleted": [tag.name, None], "slug": tag.slug},
    )
    tag.delete()
    catalogue_changed()
