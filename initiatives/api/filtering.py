"""What the initiatives list and the counts share: filters that cost nothing when none is
named, and errors in JSON whatever format was asked for."""

from rest_framework.renderers import JSONRenderer


class CatalogueFilterMixin:
    """For a view with `filterset_class` whose answers may be CSV or a file."""

    def filter_queryset(self, queryset):
        # A FilterSet builds its form and every field's choices before it knows that nothing
        # was asked: more work than the rest of a plain page. Without a filter named, none runs.
        if not self.request.query_params.keys() & self.filterset_class.base_filters.keys():
            return queryset
        return super().filter_queryset(queryset)

    def handle_exception(self, exc):
        # Errors are JSON whatever format was asked for, so clients parse them one way.
        if getattr(self.request, "accepted_renderer", None) is not None:
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
