"""Tags in use: a tag counts only through the records that carry it.

A tag that only records hidden from a reader carry is, to them, unknown.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from taggit.models import Tag, TaggedItem

from ..models import Initiative


def tags_visible_to(user):
    """Tags on at least one record this user may see; any other tag is, to them, unknown."""
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative),
        tag_id=OuterRef("pk"),
        object_id__in=Initiative.objects.visible_to(user).values("pk"),
    )
    return Tag.objects.filter(Exists(tagged))
