"""Pagination of every API list: cursors on the order the list is shown in, never page numbers.

A page is read from an index after the row the cursor names (quotes.keyset), so the
thousandth page costs what the first does and no request counts the whole list:
there is no ``count``. Follow ``next`` and ``previous`` as they are; ``?page=N`` is a
400 that says so, since an offset costs as many rows as it skips.

    GET /api/statements/?page_size=50
    {"next": "http://.../api/statements/?cursor=eyJvIjoi...&page_size=50", "previous": null, "results": [...]}

Each view says its order: ``keyset_order(queryset)`` returns a quotes.keyset.Order, and
``keyset_walk(queryset)`` a quotes.keyset.Walk or None. A walked page (one speaker's statements
narrowed by kind, review state, confidence or words) reads a bounded window of the speaker's
record: it may hold fewer than ``page_size`` results, even none, and still have a ``next`` (or,
going back, a ``previous``) link. Without a walk such a short page has no link onwards, so
fewer results *and* a link means the walk stopped there: follow the link to go on.
The class keeps its name, StandardPagination, which settings name as the default.
"""

from __future__ import annotations

from django.utils.encoding import force_str
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from quotes.keyset import InvalidCursor, keyset_page

CURSOR_HELP = "Where a page starts: copy it from the next or previous link of the page before."
NEXT_HELP = (
    "The next page, or null at the end of the list. A page may hold fewer than page_size results, "
    "even none, and still have a next link: one speaker's statements narrowed by kind, review_status, "
    "min_confidence or words are read a bounded part of their record at a time (SPEAKER_WALK_LIMIT "
    "statements), so a short page with a next link is where that stopped, not the end. Follow next "
    "until it is null."
)
PAGE_REFUSED = (
    "Pages are not numbered: follow the next and previous links (?cursor=...) of each page."
)


class StandardPagination(BasePagination):
    """``?cursor=...&page_size=M``: 20 items by default, at most 100; next/previous links, no count."""

    page_size = 20
    max_page_size = 100
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        if "page" in request.query_params:
            raise ValidationError({"page": [PAGE_REFUSED]})
        self.request = request
        size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param) or None
        try:
            page = keyset_page(queryset, order=view.keyset_order(queryset), size=size, cursor=cursor,
                               walk=view.keyset_walk(queryset))
        except InvalidCursor:
            raise ValidationError(
                {"cursor": ["Invalid cursor: use the next and previous links unchanged."]},
            ) from None
        self.next_cursor, self.previous_cursor = page.next_cursor, page.previous_cursor
        return page.rows

    def get_page_size(self, request) -> int:
        # Missing: the default. Anything but a whole number from 1 to max_page_size is a 400,
        # as the schema says (DRF's paginators ignore or cap it, which the schema cannot state).
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not (asked.isascii() and asked.isdigit() and 1 <= int(asked) <= self.max_page_size):
            message = f"page_size must be a whole number from 1 to {self.max_page_size}."
            raise ValidationError({self.page_size_query_param: [message]})
        return int(asked)

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, "page"), self.cursor_query_param, cursor)

    def get_paginated_response(self, data) -> Response:
        return Response({
            "next": self._link(self.next_cursor),
            "previous": self._link(self.previous_cursor),
            "results": data,
        })

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    **link, "example": "http://api.example.org/accounts/?cursor=eyJvIjoi",
                    "description": NEXT_HELP,
                },
                "previous": {**link, "example": None},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param, "required": False, "in": "query",
                "description": force_str(CURSOR_HELP), "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param, "required": False, "in": "query",
                "description": f"Rows per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
