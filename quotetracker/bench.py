"""Benchmark instruments, not part of the product: mounted only when QUOTETRACKER_BENCH is on.

- ``/bench/bare/``: the floor the API is measured against (scripts/bench_scale.py):
  the first 20 statements the API lists, as JSON, from one plain query, no DRF.
- :class:`QueryCountMiddleware`: every response says how many SQL queries it ran,
  in an ``X-Query-Count`` header.

    QUOTETRACKER_BENCH=1 gunicorn quotetracker.wsgi
    curl -i http://127.0.0.1:8000/bench/bare/      # X-Query-Count: 1
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.http import JsonResponse
from django.urls import path

from quotes.models import Statement

BARE_ROWS = 20


def bare(request):
    """The API's first page of statements (said_on order, undated last, rejected hidden), bare."""
    rows = (
        Statement.objects.exclude(review_status=Statement.Review.REJECTED)
        .order_by(F("said_on").asc(nulls_last=True), "pk")
        .values("id", "text", "said_on")[:BARE_ROWS]
    )
    return JsonResponse({"results": list(rows)})


class QueryCountMiddleware:
    """Count the queries each request runs on the default database (X-Query-Count)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


urlpatterns = [path("bare/", bare, name="bench-bare")]
