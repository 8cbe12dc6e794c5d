"""Pages of initiatives, by number or, for mirroring, by a cursor over (updated_at, id).

A cursor walk is bounded by the time it started (`sync_until`, a few seconds back so that
writes still committing are not skipped): records changed during the walk are left for the
next pass, which starts from `updated_since=<sync_until>`. So one pass never returns a
record twice, and pass after pass misses none.
"""

import base64
import binascii
import datetime
import json

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.pagination import PagePagination

from ..selectors.counting import bounded_count


def _encode(until, updated_at, pk) -> str:
    payload = json.dumps([until.isoformat(), updated_at.isoformat() if updated_at else None, pk])
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(cursor: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        until, updated_at, pk = json.loads(raw)
        until = datetime.datetime.fromisoformat(until)
        updated_at = datetime.datetime.fromisoformat(updated_at) if updated_at else None
        if pk is not None and not isinstance(pk, int):
            raise ValueError
        if timezone.is_naive(until) or (updated_at is not None and timezone.is_naive(updated_at)):
            raise ValueError
        # In UTC, as the cursors this API writes are: a moment outside the years 1 to 9999
        # in UTC (OverflowError) or an offset PostgreSQL refuses cannot come from a real walk.
        until = until.astimezone(datetime.UTC)
        updated_at = updated_at.astimezone(datetime.UTC) if updated_at else None
        return until, updated_at, pk
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            {"cursor": [_("This cursor is not valid; start again with mode=cursor.")]}
        ) from None


class InitiativePagination(PagePagination):
    """`page`/`page_size`, or `mode=cursor` then `cursor=…` for a whole-set walk in update order."""

    cursor_query_param = "cursor"
    mode_query_param = "mode"

    def count_rows(self, queryset) -> tuple[int, bool]:
        """Exact up to API_EXACT_COUNT_UP_TO matches, the planner's estimate past them; kept per
        catalogue generation, so the pages after the first and other readers count nothing."""
        count = bounded_count(queryset, exact_up_to=settings.API_EXACT_COUNT_UP_TO)
        return count.value, count.is_estimate

    def check_parameters(self, request) -> None:
        super().check_parameters(request)
        if request.query_params.get(self.mode_query_param, "") not in ("", "page", "cursor"):
            raise ValidationError({"mode": [_("Choose “page” or “cursor”.")]})
        if request.query_params.get(self.cursor_query_param):
            _decode(request.query_params[self.cursor_query_param])

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.check_parameters(request)
        mode = request.query_params.get(self.mode_query_param, "")
        cursor = request.query_params.get(self.cursor_query_param)
        self.cursor_mode = mode == "cursor" or cursor is not None
        if not self.cursor_mode:
            return self._paginate_by_ids(queryset, request, view)
        if cursor:
            until, after_time, after_pk = _decode(cursor)
        else:
            settle = datetime.timedelta(seconds=getattr(settings, "API_SYNC_SETTLE_SECONDS", 5))
            until, after_time, after_pk = timezone.now() - settle, None, None
        queryset = queryset.filter(updated_at__lte=until)
        if after_time is not None:
            # The redundant `>=` lets the index on (…, updated_at, id) start at the cursor
            # instead of reading and discarding every row before it.
            queryset = queryset.filter(
                Q(updated_at__gte=after_time),
                Q(updated_at__gt=after_time) | Q(updated_at=after_time, pk__gt=after_pk or 0),
            )
        size = self.get_page_size(request)
        rows = list(queryset.order_by("updated_at", "pk")[: size + 1])
        self.until = until
        self.next_cursor = (
            _encode(until, rows[size - 1].updated_at, rows[size - 1].pk) if len(rows) > size else None
        )
        return rows[:size]

    def _paginate_by_ids(self, queryset, request, view):
        """Count and order narrow rows of ids; read the whole rows of the one page only.

        A search orders its matches by computed scores: sorting whole rows (bodies included)
        to keep 50 of them spilled to disk, sorting ids does not.
        """
        if not hasattr(queryset, "values_list") or queryset.query.values_select:
            # Already narrow rows (the ETag check's ids and versions): nothing to read after.
            return super().paginate_queryset(queryset, request, view)
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if not ids:
            return ids
        rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows]

    def get_next_link(self):
        if not getattr(self, "cursor_mode", False):
            return super().get_next_link()
        if self.next_cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.mode_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        if not self.cursor_mode:
            return super().get_paginated_response(data)
        return Response(
            {
                "next": self.get_next_link(),
                "previous": None,
                "sync_until": self.until.isoformat(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        response["properties"]["sync_until"] = {
            "type": "string",
            "format": "date-time",
            "description": "Cursor mode: start the next pass with updated_since set to this.",
        }
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.mode_query_param,
                "required": False,
                "in": "query",
                "description": "“cursor” starts a walk over the whole set in (updated_at, id) order.",
                "schema": {"type": "string", "enum": ["page", "cursor", ""]},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The cursor from the previous page's `next` link.",
                "schema": {"type": "string"},
            },
        ]
