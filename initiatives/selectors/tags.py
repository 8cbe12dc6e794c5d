"""Tags in use: a tag exists, for a page, only through the records that carry it.

Every list of tags (the browse page's filter, the tags page, the autocomplete, the API)
starts from `tags_in_use` over the records that page may show; where the reader's own
visibility decides (a tag filter, a tag's page, the API), from `tags_visible_to`: a tag that
only records hidden from a reader carry is, to them, unknown.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import ngettext
from taggit.models import Tag, TaggedItem

from ..models import Initiative


def tags_in_use(initiatives, *, count_as: str | None = None):
    """Tags on at least one of `initiatives` (a queryset of records).

    With `count_as`, each tag carries, under that name, how many of them carry it.
    """
    content_type = ContentType.objects.get_for_model(Initiative)
    if count_as:
        # A join rather than EXISTS: the count needs the tagged rows anyway.
        return (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type=content_type,
                taggit_taggeditem_items__object_id__in=initiatives.values("pk"),
            )
            .annotate(**{count_as: Count("taggit_taggeditem_items")})
            .order_by()
        )
    tagged = TaggedItem.objects.filter(
        content_type=content_type, tag_id=OuterRef("pk"), object_id__in=initiatives.values("pk")
    )
    return Tag.objects.filter(Exists(tagged))


def tags_visible_to(user, *, count_as: str | None = None):
    """Tags on at least one record this user may see; any other tag is, to them, unknown."""
    return tags_in_use(Initiative.objects.visible_to(user), count_as=count_as)


def tag_deletion_refusal(tag: Tag) -> str:
    """Why this tag may not be deleted (it is on records, whatever their state), or "" when
    it may: deleting it would take it off them silently, so it is merged instead."""
    carried = TaggedItem.objects.filter(tag_id=tag.pk).values("object_id").distinct().count()
    if not carried:
        return ""
    return ngettext(
        "“%(tag)s” is on %(count)d record and cannot be deleted: merge it into another tag.",
        "“%(tag)s” is on %(count)d records and cannot be deleted: merge it into another tag.",
        carried,
    ) % {"tag": tag.name, "count": carried}
