"""What the digests hear from the records: a merged tag's subscriptions follow the survivor."""

from .services import subscriptions_tag_rename


def subscriptions_follow_tag_merge(sender, *, names, target, **kwargs) -> None:
    """Inside the merge's transaction: subscriptions and saved searches naming the merged tag
    name the tag it was merged into."""
    subscriptions_tag_rename(names=names, target=target)
