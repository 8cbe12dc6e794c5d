"""Finding a tag by any of its names: its name or slug, either label, or a synonym, in any case.

One lookup serves every door: record writes (history.snapshot_values and snapshot_resolve
store the canonical name), the `tag` filter of the browse page and the API, and the search
document (the words of a record's tags in both languages). A name that is none of these is
a new tag, which gets its labels as every tag does (`tag_label_ensure`).
"""

from django.db.models import Q
from django.db.models.functions import Lower
from taggit.models import Tag

from .models import TagLabel, TagSynonym
from .search import has_chinese


def tag_labels_initial(name: str) -> dict:
    """A new tag's labels: its name is the Chinese label if it holds Chinese, else the English."""
    name = (name or "").strip()
    if has_chinese(name):
        return {"label_en": "", "label_zh": name}
    return {"label_en": name, "label_zh": ""}


def tag_label_ensure(sender, instance, created=False, **kwargs) -> None:
    """Every tag has its label row, from the moment it is saved (connected in apps.py)."""
    TagLabel.objects.get_or_create(tag_id=instance.pk, defaults=tag_labels_initial(instance.name))


def tags_canonical(names) -> list[str]:
    """Each name as the name of the tag it names (by name, label or synonym, any case), in
    order and without repeats; a name that names no tag stays as given (a new tag)."""
    names = [str(name).strip() for name in names or [] if str(name).strip()]
    if not names:
        return []
    lowered = {name.lower() for name in names}
    by_name = dict(
        Tag.objects.annotate(lowered=Lower("name")).filter(lowered__in=lowered).values_list("lowered", "name")
    )
    by_label = {}
    for label_en, label_zh, name in (
        TagLabel.objects.annotate(en=Lower("label_en"), zh=Lower("label_zh"))
        .filter(Q(en__in=lowered) | Q(zh__in=lowered))
        .values_list("label_en", "label_zh", "tag__name")
    ):
        for label in (label_en, label_zh):
            if label:
                by_label.setdefault(label.lower(), name)
    by_synonym = dict(
        TagSynonym.objects.annotate(lowered=Lower("name"))
        .filter(lowered__in=lowered)
        .values_list("lowered", "tag__name")
    )
    canonical, seen = [], set()
    for name in names:
        key = name.lower()
        found = by_name.get(key) or by_label.get(key) or by_synonym.get(key) or name
        # Tag names are unique in any case (TAGGIT_CASE_INSENSITIVE): "Cert" and "cert" are one.
        if found.lower() not in seen:
            seen.add(found.lower())
            canonical.append(found)
    return canonical


def tag_matching(queryset, value: str):
    """The tag of `queryset` that `value` names (name, slug, either label or a synonym, any
    case), or None; its own name or slug wins over another tag's label or synonym."""
    value = str(value).strip()
    if not value:
        return None
    return (
        queryset.filter(Q(name__iexact=value) | Q(slug=value)).first()
        or queryset.filter(Q(label__label_en__iexact=value) | Q(label__label_zh__iexact=value)).first()
        or queryset.filter(synonyms__name__iexact=value).first()
    )


def tag_search_words(tags) -> str:
    """The words a search for any of these tags' names, labels or synonyms finds them by."""
    tags = list(tags)
    ids = [tag.pk for tag in tags]
    words = [tag.name for tag in tags]
    for label_en, label_zh in TagLabel.objects.filter(tag_id__in=ids).values_list("label_en", "label_zh"):
        words += [label_en, label_zh]
    words += TagSynonym.objects.filter(tag_id__in=ids).values_list("name", flat=True)
    seen = []
    for word in words:
        if word and word.lower() not in {w.lower() for w in seen}:
            seen.append(word)
    return " ".join(seen)
