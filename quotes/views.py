"""Public pages: the list of speakers and each speaker's timeline.

Thin views: the querysets come from quotes.selectors (prefetched, so a page
costs a fixed number of queries), and the only work here is shaping a page of
statements into date groups for the template.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from quotes import selectors
from quotes.models import Article, Role, Speaker, Statement

# A timeline longer than this is split into pages.
TIMELINE_PAGE_SIZE = 200


@dataclass
class TimelineEntry:
    """One statement as the timeline shows it: with the role held then, its articles and
    the sentence of its first report (reported speech reads as words only beside its cue)."""

    statement: Statement
    role: Role | None
    articles: list[Article]
    context: str = ""


@dataclass
class DateGroup:
    """Statements sharing a date at the same precision; ``said_on`` None means unknown."""

    said_on: datetime.date | None
    precision: str
    entries: list[TimelineEntry] = field(default_factory=list)


def _articles(statement: Statement) -> list[Article]:
    """The distinct articles a statement appears in, first report first (from the prefetch)."""
    seen: dict[int, Article] = {}
    for appearance in statement.appearances.all():
        seen.setdefault(appearance.article_id, appearance.article)
    return list(seen.values())


def _first_context(statement: Statement) -> str:
    """The sentence the statement was first reported in, from the prefetch ('' when none)."""
    return next((a.context for a in statement.appearances.all() if a.context), "")


def group_by_date(statements, speaker: Speaker) -> list[DateGroup]:
    """Group date-ordered statements under one heading per (date, precision).

    Undated statements form one group, always last.

    Example: ``[g.precision for g in group_by_date(statements, speaker)]``
    ['day', 'month', 'unknown']
    """
    groups: dict[tuple, DateGroup] = {}
    for statement in statements:
        key = (statement.said_on, statement.said_on_precision if statement.said_on else "unknown")
        group = groups.get(key)
        if group is None:
            group = groups[key] = DateGroup(said_on=key[0], precision=key[1])
        group.entries.append(TimelineEntry(
            statement=statement,
            role=selectors.role_on(speaker=speaker, day=statement.said_on),
            articles=_articles(statement),
            context=_first_context(statement),
        ))
    return sorted(groups.values(), key=lambda g: g.said_on is None)  # stable: keeps date order


def home(request):
    """The front page: what QuoteTracker is, and the way in (the speakers)."""
    return render(request, "quotes/home.html")


def speaker_list(request):
    """Every speaker with a description and the number of statements their timeline shows."""
    speakers = selectors.speaker_list()
    return render(request, "quotes/speaker_list.html", {"speakers": speakers})


def speaker_timeline(request, slug: str):
    """One speaker's statements in date order, grouped by date; 404 for an unknown slug.

    By default a statement is shown when a person verified it or the extractor
    was at least TIMELINE_MIN_CONFIDENCE sure; the page says how many others
    there are. ``?show=all`` shows those too, marked; ``?show=quotes`` keeps
    only direct and partial quotes (the speaker's own words) above the floor.
    """
    speaker = get_object_or_404(selectors.speaker_with_roles(), slug=slug)
    statements = selectors.speaker_timeline(speaker=speaker, min_confidence=settings.TIMELINE_MIN_CONFIDENCE)
    show = request.GET.get("show")
    if show not in ("all", "quotes"):
        show = ""
    if show == "quotes":
        statements = statements.filter(kind__in=[Statement.Kind.DIRECT, Statement.Kind.PARTIAL])
    hidden_count = 0
    if show != "all":
        hidden_count = statements.filter(above_floor=False).count()
        statements = statements.filter(above_floor=True)
    paginator = Paginator(statements, TIMELINE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "quotes/speaker_timeline.html", {
        "speaker": speaker,
        "page": page,
        "show": show,
        "hidden_count": hidden_count,
        "min_confidence": settings.TIMELINE_MIN_CONFIDENCE,
        "groups": group_by_date(page.object_list, speaker),
        "current_role": selectors.role_on(speaker=speaker, day=timezone.localdate()),
    })
