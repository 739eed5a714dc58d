"""Statement export: the statement list's filters, every matching row, as CSV or JSON Lines, streamed.

    GET /api/statements/export/?speaker=kim-jong-un                 CSV (the default)
    GET /api/statements/export/?said_after=2025-01-01&format=jsonl  JSON Lines
    GET /api/statements/export.csv?speaker=kim-jong-un              the same, by suffix

Rows come in date order (undated last, ties by id) from quotes.selectors.statements_export,
2,000 per query, and go to the client as they are read: memory stays flat and no query is
long, however many rows. Everything is checked before the first byte, so a bad parameter is
a 400 JSON error like any other (quotes.api.errors), never a broken file. ``?q=`` is refused:
a full-text match in date order would rank every match again for each batch.

Columns (CSV header, JSON keys): id, text, kind, said_on, said_on_precision, speakers,
speaker_slugs (CSV; JSON has ``speakers`` as a list of {"slug", "name"}), review_status,
confidence, source_count, first_reported, url (the statement's API address). CSV is RFC 4180
(UTF-8, CRLF, a header row); a text cell a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, as OWASP advises.

Exports are expensive: anonymous clients have their own throttle scope, ``export``
(API_THROTTLE_EXPORT, 10/hour), and at most ANON_MAX_ROWS rows per export (announced in
the ``X-Export-Row-Limit`` header: a file of exactly that many rows was cut; continue with
``said_after``). Signed-in users have the ordinary user rate and no cap.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from quotes.api.filters import StatementFilter
from quotes.api.throttles import SignedInRateThrottle
from quotes.selectors import EXPORT_BATCH_SIZE, statements_export

ANON_MAX_ROWS = 200_000
BATCH_SIZE = EXPORT_BATCH_SIZE  # rows per query, and per chunk sent
# The file's media type per ?format=.
FORMATS = {
    "csv": "text/csv; charset=utf-8; header=present",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
COLUMNS = (
    "id", "text", "kind", "said_on", "said_on_precision", "speakers", "speaker_slugs", "review_status",
    "confidence", "source_count", "first_reported", "url",
)
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportAnonRateThrottle(AnonRateThrottle):
    """Anonymous exports: the ``export`` rate (API_THROTTLE_EXPORT), apart from other reads."""

    scope = "export"


THROTTLE_CLASSES = [ExportAnonRateThrottle, SignedInRateThrottle]


class JsonNegotiation(BaseContentNegotiation):
    """Always JSON: ``?format=`` names the export's file format, so errors (400, 429) stay JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class StatementExportFilter(StatementFilter):
    """The statement list's filters but the text search (dates read from the link with ``?speaker=``)."""

    q = None
    search = None

    class Meta(StatementFilter.Meta):
        fields = ["speaker", "said_after", "said_before", "kind", "review_status", "min_confidence"]


# What an Accept header may ask the statement list for, by file format.
ACCEPTED = (("text/csv", "csv"), ("application/x-ndjson", "jsonl"), ("application/jsonl", "jsonl"))


def asked_format(request) -> str | None:
    """The export format the statement list is asked for (``?format=csv|jsonl`` or Accept), or None."""
    chosen = request.query_params.get("format")
    if chosen in FORMATS:
        return chosen
    accept = request.META.get("HTTP_ACCEPT", "")
    return next((name for media, name in ACCEPTED if media in accept), None)


def export_format(request: Request, suffix: str | None) -> str:
    """The file format asked for (``.csv`` suffix or ``?format=``, CSV by default); 400 for another."""
    chosen = suffix or request.query_params.get("format") or "csv"
    if chosen not in FORMATS:
        raise ValidationError({"format": [f"Export as one of: {', '.join(FORMATS)}."]})
    for word in ("q", "search"):
        if word in request.query_params:
            raise ValidationError({word: ["Exports do not search text: filter by speaker and dates."]})
    return chosen


def export_response(*, request: Request, queryset, file_format: str) -> StreamingHttpResponse:
    """Stream ``queryset`` (filtered, not yet read) as a ``file_format`` attachment."""
    limit = ANON_MAX_ROWS if not request.user.is_authenticated else None
    batches = statements_export(queryset, batch_size=BATCH_SIZE, limit=limit)
    # Django's reverse: DRF's would carry ?format= over into every statement's address.
    detail = request.build_absolute_uri(reverse("api:statement-detail", kwargs={"pk": 0}))
    head, tail = detail.rsplit("0", 1)  # each row's URL is head + id + tail, no reverse() per row
    lines = _csv(batches, head, tail) if file_format == "csv" else _jsonl(batches, head, tail)
    response = StreamingHttpResponse(lines, content_type=FORMATS[file_format])
    speaker = request.query_params.get("speaker")
    name = f"statements-{speaker + '-' if speaker else ''}{timezone.now():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Accel-Buffering"] = "no"  # a proxy should pass each chunk on, not collect the file
    if limit is not None:
        response["X-Export-Row-Limit"] = str(limit)
    return response


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _when(moment) -> str | None:
    # As the API writes it (DRF's DateTimeField): ISO 8601, UTC as "Z".
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def _csv(batches: Iterable[list[tuple]], head: str, tail: str) -> Iterator[str]:
    """The header, then one chunk of CSV lines per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the excel dialect: RFC 4180's quoting and CRLF
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(
            (pk, _cell(text), kind, said_on, precision,
             _cell("; ".join(name for name, _ in speakers)), _cell("; ".join(slug for _, slug in speakers)),
             review, confidence, sources, _when(first) or "", f"{head}{pk}{tail}")
            for pk, text, kind, said_on, precision, review, confidence, sources, first, speakers in rows
        )
        yield buffer.getvalue()


def _jsonl(batches: Iterable[list[tuple]], head: str, tail: str) -> Iterator[str]:
    """One chunk of JSON lines (one object a line) per batch of rows."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for rows in batches:
        yield "".join(
            encode({
                "id": pk, "text": text, "kind": kind,
                "said_on": said_on.isoformat() if said_on is not None else None,
                "said_on_precision": precision,
                "speakers": [{"slug": slug, "name": name} for name, slug in speakers],
                "review_status": review, "confidence": confidence, "source_count": sources,
                "first_reported": _when(first), "url": f"{head}{pk}{tail}",
            }) + "\n"
            for pk, text, kind, said_on, precision, review, confidence, sources, first, speakers in rows
        )
