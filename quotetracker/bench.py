"""Benchmark instruments, not part of the product: mounted only when QUOTETRACKER_BENCH is on.

- ``/bench/bare/``: the floor the API is measured against (scripts/bench_scale.py): the
  first 20 statements the API lists with everything the API shows of them (speakers with
  the role held on the day, every source with its article and outlet), as JSON from four
  plain ``.values()`` queries and JsonResponse, no DRF.
- ``/bench/bare-thin/``: the same 20 statements' id, text and said_on from one query: the
  floor of earlier rounds, kept as a labelled second row (it carries a fifth of the bytes).
- :class:`QueryCountMiddleware`: every response says how many SQL queries it ran,
  in an ``X-Query-Count`` header.

    QUOTETRACKER_BENCH=1 gunicorn quotetracker.wsgi
    curl -i http://127.0.0.1:8000/bench/bare/      # X-Query-Count: 4
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.http import JsonResponse
from django.urls import path

from quotes.models import Appearance, Role, Statement, StatementSpeaker

BARE_ROWS = 20
_STATEMENT = ("id", "text", "kind", "said_on", "said_on_precision", "said_on_method", "date_conflict",
              "review_status", "confidence", "source_count", "first_reported_at", "part_of_id")
_APPEARANCE = ("id", "statement_id", "article_id", "article__title", "article__url", "article__outlet__name",
               "article__published_at", "article__published_known", "speaker_as_written", "cue", "start",
               "end", "source_start", "source_end", "cue_start", "cue_end", "context", "said_on",
               "said_on_precision", "said_on_method", "date_evidence", "reported_via", "kind", "confidence",
               "pieces", "extractor_version")


def _first_page():
    return (
        Statement.objects.exclude(review_status=Statement.Review.REJECTED)
        .order_by(F("said_on").asc(nulls_last=True), "pk")
    )


def bare(request):
    """The API's first page of statements (said_on order, undated last, rejected hidden), bare."""
    statements = list(_first_page().values(*_STATEMENT)[:BARE_ROWS])
    ids = [s["id"] for s in statements]
    links = list(
        StatementSpeaker.objects.filter(statement_id__in=ids).order_by("speaker__name", "speaker_id")
        .values("statement_id", "speaker_id", "speaker__slug", "speaker__name")
    )
    roles: dict[int, list[dict]] = {}
    for role in Role.objects.filter(speaker_id__in={link["speaker_id"] for link in links}).order_by(
        "-start"
    ).values("speaker_id", "title", "organization", "start", "end"):
        roles.setdefault(role.pop("speaker_id"), []).append(role)
    speakers: dict[int, list[dict]] = {}
    days = {s["id"]: s["said_on"] for s in statements}
    for link in links:
        day = days[link["statement_id"]]
        held = day and next((r for r in roles.get(link["speaker_id"], ()) if (r["start"] is None or r["start"]
                             <= day) and (r["end"] is None or r["end"] >= day)), None)
        speakers.setdefault(link["statement_id"], []).append(
            {"slug": link["speaker__slug"], "name": link["speaker__name"], "role": held or None})
    sources: dict[int, list[dict]] = {}
    for a in Appearance.objects.filter(statement_id__in=ids).order_by("article__published_at", "pk").values(
        *_APPEARANCE
    ):
        article = {"id": a.pop("article_id"), "title": a.pop("article__title"), "url": a.pop("article__url"),
                   "outlet": a.pop("article__outlet__name"), "published_at": a.pop("article__published_at"),
                   "published_known": a.pop("article__published_known")}
        sources.setdefault(a.pop("statement_id"), []).append({"id": a.pop("id"), "article": article, **a})
    for s in statements:
        s["first_reported"] = s.pop("first_reported_at")
        s["part_of"] = s.pop("part_of_id")
        s["speakers"] = speakers.get(s["id"], [])
        s["appearances"] = sources.get(s["id"], [])
    return JsonResponse({"results": statements})


def bare_thin(request):
    """Only id, text and said_on of the same 20 statements, from one query (the earlier floor)."""
    return JsonResponse({"results": list(_first_page().values("id", "text", "said_on")[:BARE_ROWS])})


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


urlpatterns = [path("bare/", bare, name="bench-bare"), path("bare-thin/", bare_thin, name="bench-bare-thin")]
