"""Atom feed of published initiatives, narrowed by the same query parameters as the browse page."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from initiatives.models import Initiative

from . import selectors

FEED_SIZE = 50


class InitiativeFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        errors = selectors.query_errors(request.GET.urlencode())
        if errors:
            lines = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request.GET.copy()

    def title(self, params):
        return (
            _("Concord: newly published initiatives") if not params else _("Concord: initiatives (filtered)")
        )

    def subtitle(self, params):
        return _("Cyberspace cooperation initiatives, newest first.")

    def link(self, params):
        query = params.urlencode()
        return reverse("initiatives:list") + (f"?{query}" if query else "")

    def feed_url(self, params):
        query = params.urlencode()
        return reverse("digests:feed") + (f"?{query}" if query else "")

    def items(self, params):
        for name in ("page", "ordering", "cursor", "format"):
            params.pop(name, None)
        queryset = Initiative.objects.published().filter(merged_into__isnull=True)
        queryset = selectors.initiatives_matching_query(query=params.urlencode(), queryset=queryset)
        return (
            queryset.select_related("key_task")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom marks the summary type="html" and readers render it as HTML; the summary is
        # plain text, so it goes in escaped.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.key_task.name, *sorted(tag.name for tag in item.tags.all())]
