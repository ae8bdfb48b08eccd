"""Pages of at most 100 rows, found by key, with counts that stay cheap.

``page_size`` picks the size (default 25). ``next`` and ``previous`` are
links carrying the sort key of the row to continue from (``after`` /
``before``, see ``core.paging``), so a page deep in a million records
costs what the first one does. ``count`` is exact up to
``ARCHIVE_EXACT_COUNT_LIMIT`` rows (``count_is_exact``: true); past it, it is
PostgreSQL's estimate, or the limit itself where there is none.
"""

from __future__ import annotations

from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param
from rest_framework.utils.urls import replace_query_param

from core.paging import keyset_page


class KeysetPagination(BasePagination):
    page_size = 25
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        try:
            size = int(request.query_params.get("page_size", self.page_size))
        except ValueError:
            size = self.page_size
        size = min(max(size, 1), self.max_page_size)
        self.request = request
        self.page = keyset_page(
            queryset,
            per_page=size,
            after_cursor=request.query_params.get("after", ""),
            before_cursor=request.query_params.get("before", ""),
            count=True,
            # A view may read a page's rows its own way, given their ids.
            rows=getattr(view, "rows_by_id", None),
        )
        return list(self.page)

    def _link(self, name: str, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        for param in ("after", "before"):
            url = remove_query_param(url, param)
        return replace_query_param(url, name, cursor)

    def get_paginated_response(self, data):
        count = self.page.count
        return Response(
            {
                "count": count.value,
                "count_is_exact": count.exact,
                "next": self._link("after", self.page.next_cursor),
                "previous": self._link("before", self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_exact", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "count_is_exact": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": "Rows per page, 1 to 100 (default 25).",
                "schema": {"type": "integer"},
            },
            *(
                {
                    "name": name,
                    "required": False,
                    "in": "query",
                    "description": f"The cursor of the {side} page, from a link.",
                    "schema": {"type": "string"},
                }
                for name, side in (("after", "next"), ("before", "previous"))
            ),
        ]
