"""Public pages: the list of speakers and each speaker's timeline.

Thin views: the querysets come from quotes.selectors (prefetched, so a page
costs a fixed number of queries), and the only work here is shaping a page of
statements into date groups for the template. Long lists are paged by cursor
(quotes.keyset: "Earlier" / "Later" links, ``?cursor=``), never by counting them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3

from quotes import selectors
from quotes.keyset import InvalidCursor, Page, keyset_page
from quotes.models import Role, Speaker, Statement
from quotes.templatetags import quotes_extras

# A timeline longer than this is split into pages. Shaping and rendering entries, not SQL,
# is most of a page's time (at 200 a page, 100 ms of 117), so a page is short and
# "Earlier" / "Later" lead on.
TIMELINE_PAGE_SIZE = 50
SPEAKER_PAGE_SIZE = 100
# The hidden statements are counted up to this; beyond, the page says "more than".
HIDDEN_COUNT_LIMIT = 100
BAD_CURSOR = "This page link is not valid any more: start again from the first page."


class _Labels:
    """Dates as a timeline page prints them, cheaply: a page prints a few hundred.

    Django's date formatting costs 10-20 microseconds a call; "8 February 2025" (its
    "j F Y") and "8 Feb 2025" ("j M Y") are put together here from the month names
    of the active language, looked up once per page.

    >>> _Labels().day(datetime.date(2025, 2, 8), short=True)
    '8 Feb 2025'
    """

    def __init__(self) -> None:
        self._months: dict[bool, list[str]] = {}
        self._zone = timezone.get_current_timezone()

    def moment(self, value: datetime.datetime, *, short: bool = False) -> Moment:
        """``value`` in local time, as the ``date`` filter's "c" would print it, and its day."""
        local = value.astimezone(self._zone)
        return Moment(iso=local.isoformat(), label=self.day(local.date(), short=short))

    def day(self, value: datetime.date, *, short: bool = False) -> str:
        names = self._months.get(short)
        if names is None:
            names = self._months[short] = [
                "", *(str(MONTHS_3[m]).title() if short else str(MONTHS[m]) for m in range(1, 13)),
            ]
        return f"{value.day} {names[value.month]} {value.year}"


@dataclass(frozen=True)
class Moment:
    """A date-time as a ``<time>`` element shows it: ISO 8601 (local time) and a label."""

    iso: str
    label: str


@dataclass(frozen=True)
class Source:
    """An article a statement was reported in: title, link (http(s) only), outlet and date."""

    title: str
    href: str
    outlet: str
    published: Moment
    via: str = ""
    date_evidence: str = ""


@dataclass
class TimelineEntry:
    """One statement as the timeline shows it: with the role held then, its articles and
    the sentence of its first report (reported speech reads as words only beside its cue)."""

    statement: Statement
    role: Role | None
    sources: list[Source]
    context: str = ""
    first_reported: Moment | None = None


@dataclass
class DateGroup:
    """Statements sharing a date at the same precision; ``said_on`` None means unknown.

    ``label`` is the heading ("week of 3 February 2025"), ``precision_label`` how
    precisely it is known ("within the week"), both printed for every entry too.
    """

    said_on: datetime.date | None
    precision: str
    label: str = ""
    precision_label: str = ""
    entries: list[TimelineEntry] = field(default_factory=list)


def _sources(rows: list[selectors.SourceRow], labels: _Labels) -> list[Source]:
    """The distinct articles a statement appears in, first report first."""
    seen: dict[int, Source] = {}
    for row in rows:
        if row.article_id not in seen:
            seen[row.article_id] = Source(
                title=row.title, href=quotes_extras.http_url(row.url), outlet=row.outlet or "",
                published=labels.moment(row.published_at, short=True),
                via=row.reported_via, date_evidence=row.date_evidence,
            )
    return list(seen.values())


def group_by_date(
    statements, speaker: Speaker, sources: dict[int, list[selectors.SourceRow]],
) -> list[DateGroup]:
    """Group date-ordered statements (of selectors.speaker_timeline) under one heading per (date, precision).

    ``sources`` are where each was reported (selectors.statement_sources()). Undated
    statements form one group, always last.

    Example: ``[g.precision for g in group_by_date(statements, speaker, sources)]``
    ['day', 'month', 'unknown']
    """
    labels = _Labels()
    roles = list(speaker.roles.all())  # prefetched; read once, not once per statement
    groups: dict[tuple, DateGroup] = {}
    for statement in statements:
        key = (statement.said_on, statement.said_on_precision if statement.said_on else "unknown")
        group = groups.get(key)
        if group is None:
            group = groups[key] = DateGroup(
                said_on=key[0], precision=key[1], label=quotes_extras.said_on(*key),
                precision_label=quotes_extras.precision_label(key[1]),
            )
        first = statement.first_reported
        reported = sources.get(statement.pk, [])
        group.entries.append(TimelineEntry(
            statement=statement,
            role=selectors.role_in(roles, day=statement.said_on),
            sources=_sources(reported, labels),
            # The sentence of its first report: reported speech reads as words only beside its cue.
            context=next((row.context for row in reported if row.context), ""),
            first_reported=labels.moment(first) if first else None,
        ))
    return sorted(groups.values(), key=lambda g: g.said_on is None)  # stable: keeps date order


def home(request):
    """The front page: what QuoteTracker is, and the way in (the speakers)."""
    return render(request, "quotes/home.html")


def _page(request, queryset, *, order, size: int) -> Page | None:
    """The page ``?cursor=`` asks for, or None when the cursor is not one of ``order``'s."""
    try:
        return keyset_page(queryset, order=order, size=size, cursor=request.GET.get("cursor"))
    except InvalidCursor:
        return None


def speaker_list(request):
    """The speakers by name, a page at a time, with the number of statements their timeline shows."""
    page = _page(request, selectors.speaker_cards(), order=selectors.SPEAKERS_BY_NAME, size=SPEAKER_PAGE_SIZE)
    if page is None:
        return HttpResponseBadRequest(BAD_CURSOR)
    return render(request, "quotes/speaker_list.html", {"speakers": page.rows, "page": page})


def speaker_timeline(request, slug: str):
    """One speaker's statements in date order, grouped by date; 404 for an unknown slug.

    By default a statement is shown when a person verified it or the extractor
    was at least TIMELINE_MIN_CONFIDENCE sure; the page says how many others
    there are (counted up to HIDDEN_COUNT_LIMIT). ``?show=all`` shows those too,
    marked; ``?show=quotes`` keeps only direct and partial quotes (the speaker's own
    words) above the floor. The number of statements is the speaker's stored count
    (none is given for quotes only); pages go by cursor, in the link index's order.
    """
    speaker = get_object_or_404(selectors.speaker_with_roles(), slug=slug)
    floor = settings.TIMELINE_MIN_CONFIDENCE
    statements = selectors.speaker_timeline(speaker=speaker, min_confidence=floor)
    show = request.GET.get("show")
    if show not in ("all", "quotes"):
        show = ""
    kinds = None
    if show == "quotes":
        kinds = [Statement.Kind.DIRECT, Statement.Kind.PARTIAL]
        statements = statements.filter(kind__in=kinds)
    hidden = selectors.speaker_hidden_count(
        speaker=speaker, min_confidence=floor, kinds=kinds, limit=HIDDEN_COUNT_LIMIT,
    )
    if show != "all":
        statements = statements.filter(above_floor=True)
    page = _page(request, statements, order=selectors.SPEAKER_STATEMENTS_BY_DATE, size=TIMELINE_PAGE_SIZE)
    if page is None:
        return HttpResponseBadRequest(BAD_CURSOR)
    ids = [statement.pk for statement in page.rows]
    hidden_more = hidden > HIDDEN_COUNT_LIMIT
    total = None  # quotes only: no stored count to give
    if show == "":
        total = speaker.statement_count
    elif show == "all" and not hidden_more:
        total = speaker.statement_count + hidden
    return render(request, "quotes/speaker_timeline.html", {
        "speaker": speaker,
        "page": page,
        "show": show,
        "total": total,
        "hidden_count": 0 if show == "all" else min(hidden, HIDDEN_COUNT_LIMIT),
        "hidden_more": hidden_more and show != "all",
        "min_confidence": floor,
        "groups": group_by_date(page.rows, speaker, selectors.statement_sources(statement_ids=ids)),
        "current_role": selectors.role_on(speaker=speaker, day=timezone.localdate()),
    })
