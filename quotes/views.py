"""Public pages: home, search, a statement, an article, the speakers and each speaker's timeline.

Thin views: the querysets come from quotes.selectors (prefetched, so a page
costs a fixed number of queries), and the only work here is shaping a page of
statements into date groups for the template. Long lists are paged by cursor
(quotes.keyset: "Earlier" / "Later" links, ``?cursor=``), never by counting them.
"""

from __future__ import annotations

import datetime
import functools
import html
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import conditional_escape, escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from quotes import selectors
from quotes.keyset import InvalidCursor, Order, Page, Walk, keyset_page
from quotes.models import Speaker, Statement
from quotes.services.statements import statements_reject, statements_verify
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
        self._months = {short: _month_names(translation.get_language(), short) for short in (False, True)}
        self._moments: dict[tuple[datetime.datetime, bool], Moment] = {}
        self._zone = timezone.get_current_timezone()

    def moment(self, value: datetime.datetime, *, short: bool = False) -> Moment:
        """``value`` in local time, as the ``date`` filter's "c" would print it, and its day (once
        per value: an article's date is printed beside each statement it reports)."""
        found = self._moments.get((value, short))
        if found is None:
            local = value.astimezone(self._zone)
            found = Moment(iso=local.isoformat(), label=self.day(local.date(), short=short))
            self._moments[value, short] = found
        return found

    def day(self, value: datetime.date, *, short: bool = False) -> str:
        return f"{value.day} {self._months[short][value.month]} {value.year}"


@functools.lru_cache(maxsize=64)
def _month_names(language: str | None, short: bool) -> tuple[str, ...]:
    """The month names of ``language`` ("" first, then January...): translated once per language."""
    with translation.override(language):
        return ("", *(str(MONTHS_3[m]).title() if short else str(MONTHS[m]) for m in range(1, 13)))


class Moment(NamedTuple):  # a tuple: a timeline page makes hundreds (a frozen dataclass is slower to make)
    """A date-time as a ``<time>`` element shows it: ISO 8601 (local time) and a label."""

    iso: str
    label: str


class Source(NamedTuple):
    """An article a statement was reported in: title, link (http(s) only), outlet and date."""

    title: str
    href: str
    outlet: str
    published: Moment | None  # None: the article's publication date was not found
    via: str = ""
    date_evidence: str = ""


class _Paths:
    """A page's links to one URL pattern with an id, from a single reverse(): a page links
    dozens of statements, and ``{% url %}`` (or reverse()) costs tens of microseconds each.

    >>> _Paths("quotes:statement")(42)
    '/statements/42/'
    """

    _MARKER = 987654321

    def __init__(self, name: str) -> None:
        self._before, self._after = reverse(name, args=[self._MARKER]).split(str(self._MARKER))

    def __call__(self, pk: int) -> str:
        return f"{self._before}{pk}{self._after}"


def _plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an s unless one (as ``|pluralize``). ``_plural(2, "source")``: '2 sources'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class TimelineEntry:
    """One statement as the timeline shows it, every value ready to print: the statement's row
    (selectors.timeline_rows()), its kind's name and link, the role held then, its articles and
    the sentence of its first report (reported speech reads as words only beside its cue)."""

    statement: dict
    kind_label: str
    href: str
    sources_label: str
    role: str
    date_method: str  # how the date was found ("carried over from context")
    sources: list[Source]
    low_confidence: str = ""  # the badge's title when the statement is below the floor (_low_confidence())
    context: str = ""
    first_reported: Moment | None = None
    sentence: str = ""  # reported speech: speaker as written + cue + content


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
    html: str = ""  # the entries as HTML (_entry_html()), escaped

    @property
    def iso(self) -> str:
        return self.said_on.isoformat() if self.said_on else ""


def _sources(rows: list[selectors.SourceRow], labels: _Labels) -> list[Source]:
    """The distinct articles a statement appears in, first report first."""
    seen: dict[int, Source] = {}
    for row in rows:
        if row.article_id not in seen:
            seen[row.article_id] = Source(
                title=row.title, href=quotes_extras.http_url(row.url), outlet=row.outlet or "",
                published=labels.moment(row.published_at, short=True) if row.published_known else None,
                via=row.reported_via, date_evidence=row.date_evidence,
            )
    return list(seen.values())


def _sentence(kind: str, text: str, first, name: str) -> str:
    """Reported speech as a sentence (from its first report's speaker and cue); "" for quotes.

    ``first`` is the first report: an Appearance or a selectors.SourceRow.
    """
    if kind != Statement.Kind.INDIRECT:
        return ""
    return quotes_extras.reported_sentence(
        text=text, speaker_as_written=first.speaker_as_written if first else "",
        cue=first.cue if first else "", fallback=name,
    )


def _low_confidence(confidence: float, floor: float) -> str:
    """The low-confidence badge's title: our words and two numbers (safe in an attribute as they are)."""
    return (f"The extractor's confidence is {floatformat(confidence, 2)}, below the "
            f"{floatformat(floor, 2)} shown by default")


def _entry_html(entry: TimelineEntry, group: DateGroup) -> str:
    """One timeline entry's ``<article>``, every stored string escaped.

    Written here rather than by a template loop: a page has 50 entries of some 40 values each,
    and Django's template engine spends microseconds on each value it resolves and prints
    (the page rendered 3 times faster this way; BENCHMARKS.md, "Pages, third round").
    """
    row, e = entry.statement, html.escape
    kind, text = row["kind"], row["text"]
    out = [f'<article class="statement statement--{e(kind)}">\n']
    if kind == Statement.Kind.INDIRECT:
        out.append(f'    <p class="statement-text">{e(entry.sentence or text)}</p>\n')
        if entry.context and entry.context != text:
            out.append('    <p class="statement-context"><span class="context-label">As reported:</span> '
                       f"{e(entry.context)}</p>\n")
    else:
        out.append(f'    <blockquote class="statement-text"><p>{e(text)}</p></blockquote>\n')
    out.append(f'    <p class="tags">\n      <span class="tag">{e(entry.kind_label)}</span>\n'
               f'      <span class="tag source-count">{e(entry.sources_label)}</span>\n')
    review = row["review_status"]
    if review == Statement.Review.EXTRACTED:
        out.append('      <span class="badge badge--unreviewed" title="Found by the extractor; not yet '
                   'checked by a person">unreviewed</span>\n')
    elif review == Statement.Review.VERIFIED:
        out.append('      <span class="badge badge--verified">verified</span>\n')
    if entry.low_confidence:
        out.append(f'      <span class="badge badge--low-confidence" title="{entry.low_confidence}">'
                   "low confidence</span>\n")
    if row["date_conflict"]:
        out.append('      <span class="badge badge--conflict">sources disagree on the date</span>\n')
    out.append(f'    </p>\n    <p class="more"><a href="{e(entry.href)}">Statement page'
               f'<span class="visually-hidden"> for statement {row["id"]}</span></a></p>\n')
    precision = (
        f' <span class="precision">({e(group.precision_label)})</span> '
        f'<span class="date-method">{e(entry.date_method)}</span>' if group.said_on else ""
    )
    out.append(f'    <dl class="facts">\n      <div><dt>Said</dt><dd>{e(group.label)}{precision}</dd></div>\n'
               f"      <div><dt>Role then</dt><dd>{e(entry.role or 'not recorded')}</dd></div>\n")
    if entry.first_reported:
        out.append('      <div><dt>First reported</dt><dd class="first-reported"><time datetime="'
                   f'{e(entry.first_reported.iso)}">{e(entry.first_reported.label)}</time></dd></div>\n')
    out.append("    </dl>\n")
    if entry.sources:
        out.append('    <ul class="sources" aria-label="Reported in">\n')
        for source in entry.sources:
            title = e(source.title)
            link = (f'<a class="article-link" href="{e(source.href)}" rel="noopener noreferrer">{title}</a>'
                    if source.href else f'<span class="article-title">{title}</span>')
            when = (f'<time class="published" datetime="{e(source.published.iso)}">'
                    f"{e(source.published.label)}</time>" if source.published
                    else '<span class="published date-unknown">publication date not found</span>')
            out.append(f'      <li>\n        <span class="source-meta"><span class="outlet">'
                       f'{e(source.outlet or "Unknown outlet")}</span> {when}'
                       + (f' <span class="via">via {e(source.via)}</span>' if source.via else "")
                       + (f' <span class="date-evidence">dated by &ldquo;{e(source.date_evidence)}'
                          "&rdquo;</span>" if source.date_evidence else "")
                       + "</span>\n"
                       f"        {link}\n      </li>\n")
        out.append("    </ul>\n")
    out.append("  </article>\n")
    return "".join(out)


def group_by_date(
    rows: list[dict], speaker: Speaker, sources: dict[int, list[selectors.SourceRow]], *, floor: float,
) -> list[DateGroup]:
    """Group date-ordered rows (of selectors.timeline_rows()) under one heading per (date, precision).

    ``sources`` are where each was reported (selectors.statement_sources()); ``floor`` the
    confidence below which a shown statement is marked. Undated statements form one group,
    always last.

    Example: ``[g.precision for g in group_by_date(rows, speaker, sources, floor=0.5)]``
    ['day', 'month', 'unknown']
    """
    labels = _Labels()
    link = _Paths("quotes:statement")
    kinds = dict(Statement.Kind.choices)
    methods = dict(Statement.DateMethod.choices)
    roles = list(speaker.roles.all())  # prefetched; read once, not once per statement
    language = translation.get_language()  # once, not once per date
    groups: dict[tuple, DateGroup] = {}
    for row in rows:
        said_on = row["said_on"]
        key = (said_on, row["said_on_precision"] if said_on else "unknown")
        group = groups.get(key)
        if group is None:
            group = groups[key] = DateGroup(
                said_on=key[0], precision=key[1], label=quotes_extras.said_on_label(*key, language),
                precision_label=quotes_extras.precision_label(key[1]),
            )
        first = row["first_reported_at"]
        reported = sources.get(row["id"], [])
        role = selectors.role_in(roles, day=said_on)
        group.entries.append(TimelineEntry(
            statement=row,
            kind_label=kinds.get(row["kind"], row["kind"]),
            href=link(row["id"]),
            sources_label=_plural(row["source_count"], "source"),
            role=str(role) if role else "",
            date_method=methods.get(row["said_on_method"], row["said_on_method"]),
            sources=_sources(reported, labels),
            low_confidence="" if row["above_floor"] else _low_confidence(row["confidence"], floor),
            # The sentence of its first report: reported speech reads as words only beside its cue.
            context=next((source.context for source in reported if source.context), ""),
            first_reported=labels.moment(first) if first else None,
            sentence=_sentence(row["kind"], row["text"], reported[0] if reported else None, speaker.name),
        ))
    for group in groups.values():
        group.html = mark_safe("".join(_entry_html(entry, group) for entry in group.entries))  # noqa: S308
    return sorted(groups.values(), key=lambda g: g.said_on is None)  # stable: keeps date order


def groups_html(groups: list[DateGroup]) -> str:
    """The timeline's date groups as HTML: a section per group, its heading, its entries (escaped).

    Written here, not looped over in the template: a page of a word spans up to 50 dates, and the
    template's loop cost 40-60 µs a group (the counter localized twice, the heading's lookups).
    """
    out = []
    for number, group in enumerate(groups, 1):
        label = escape(group.label)
        heading = f'<time datetime="{group.iso}">{label}</time>' if group.said_on else label
        out.append(f'<section class="date-group" aria-labelledby="date-{number}">\n'
                   f'  <h2 class="date-heading" id="date-{number}">{heading}</h2>\n'
                   f"  {group.html}\n</section>\n")
    return mark_safe("".join(out))  # noqa: S308 - every stored string above is escaped


def statement_cards_html(statements, texts: list[str] | None = None) -> str:
    """The search page's and home page's statement cards (``<li>``), every stored string escaped.

    ``texts`` are the words to show (search: marked-up matches, already escaped), one per
    statement; by default each statement's text. Written here, not by an include per card
    (the include and its url tags were most of the search page's rendering). The speakers
    are read here, for all the cards at once (selectors.statement_speakers()).
    """
    e = html.escape
    statement_link, speaker_link = _Paths("quotes:statement"), _SlugPaths("quotes:speaker-timeline")
    kinds = dict(Statement.Kind.choices)
    people = selectors.statement_speakers(statement_ids=[statement.pk for statement in statements])
    out = []
    for i, statement in enumerate(statements):
        text = e(statement.text) if texts is None else conditional_escape(texts[i])
        kind = e(statement.kind)
        words = (f'<p class="statement-text">{text}</p>' if statement.kind == Statement.Kind.INDIRECT
                 else f'<blockquote class="statement-text"><p>{text}</p></blockquote>')
        speakers = "".join(
            f'<a class="tag" href="{e(speaker_link(speaker.slug))}">{e(speaker.name)}</a>'
            for speaker in people.get(statement.pk, ())
        )
        review = {
            Statement.Review.VERIFIED: '<span class="badge badge--verified">verified</span>',
            Statement.Review.EXTRACTED: '<span class="badge badge--unreviewed">unreviewed</span>',
        }.get(statement.review_status, "")
        when = e(quotes_extras.said_on(statement.said_on, statement.said_on_precision))
        out.append(
            f'<li class="card statement statement--{kind}">\n  {words}\n  <p class="tags">\n'
            f'    <span class="tag tag--{kind}">{e(kinds.get(statement.kind, statement.kind))}</span>\n'
            f"    {speakers}\n    <span class=\"tag\">{when}</span>\n    {review}\n"
            f'    <a class="more" href="{statement_link(statement.pk)}">Statement page'
            f'<span class="visually-hidden"> for statement {statement.pk}</span></a>\n  </p>\n</li>'
        )
    return mark_safe("".join(out))  # noqa: S308 - escaped above


class _SlugPaths(_Paths):
    """_Paths for a URL with a slug: ``_SlugPaths("quotes:speaker-timeline")("jane-doe")``."""

    _MARKER = "qt-marker-slug"

    def __init__(self, name: str) -> None:
        self._before, self._after = reverse(name, args=[self._MARKER]).split(self._MARKER)


HOME_LIST_SIZE = 8
SEARCH_PAGE_SIZE = 20


def home(request):
    """The front page: a search box, the latest statements (verified first), the most quoted
    speakers this month (or the latest month anyone was; from the month table, never a count)
    and the newest articles."""
    month, most_quoted = selectors.speakers_most_quoted(
        month=timezone.localdate().replace(day=1), limit=HOME_LIST_SIZE,
    )
    floor = settings.TIMELINE_MIN_CONFIDENCE
    latest = selectors.statements_latest(min_confidence=floor, limit=HOME_LIST_SIZE)
    return render(request, "quotes/home.html", {
        "latest": latest,
        "latest_cards": statement_cards_html(latest),
        "most_quoted": most_quoted,
        "month": month,
        "articles": selectors.articles_recent(limit=HOME_LIST_SIZE),
    })


def _page(request, queryset, *, order, size: int, walk: Walk | None = None) -> Page | None:
    """The page ``?cursor=`` asks for, or None when the cursor is not one of ``order``'s."""
    try:
        return keyset_page(queryset, order=order, size=size, cursor=request.GET.get("cursor"), walk=walk)
    except InvalidCursor:
        return None


def speaker_list(request):
    """The speakers by name, a page at a time, with the number of statements their timeline shows."""
    page = _page(request, selectors.speaker_cards(), order=selectors.SPEAKERS_BY_NAME, size=SPEAKER_PAGE_SIZE)
    if page is None:
        return HttpResponseBadRequest(BAD_CURSOR)
    return render(request, "quotes/speaker_list.html", {"speakers": page.rows, "page": page})


TIMELINE_FILTERS = ("said_after", "said_before", "kind", "q")
CHART_BAR, CHART_GAP, CHART_HEIGHT = 8, 2, 120


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    month: datetime.date
    count: int
    label: str  # "February 2025"


@dataclass(frozen=True)
class MonthChart:
    """Statements per month as an SVG bar chart: bars, year ticks, the scale, and a summary."""

    bars: list[Bar]
    years: list[tuple[int, int]]  # (x, year) at each January shown, and at the first month
    width: int
    height: int
    top: int
    total: int
    summary: str
    svg_bars: str = ""  # the bars as SVG ``<rect>`` elements, each titled "February 2025: 3"
    table_rows: str = ""  # the months with statements as table rows: the chart's text alternative


def month_chart(counts: list[tuple[datetime.date, int]]) -> MonthChart | None:
    """Every month from the first with a statement to the last (empty ones too), scaled to the busiest.

    The same counts in the same language make the same chart: a leader's record of ten years
    is 120 bars, a millisecond and more to draw, for a page read far more often than its
    counts change. The last MONTH_CHARTS_KEPT drawn are kept in each process (frozen: shared).

    >>> chart = month_chart([(datetime.date(2024, 11, 1), 2), (datetime.date(2025, 1, 1), 4)])
    >>> [(b.month.isoformat(), b.count, b.height) for b in chart.bars]
    [('2024-11-01', 2, 50), ('2024-12-01', 0, 0), ('2025-01-01', 4, 100)]
    >>> chart.summary
    '6 statements from November 2024 to January 2025; the most, 4, in January 2025.'
    """
    return _month_chart_drawn(tuple(counts), translation.get_language())


MONTH_CHARTS_KEPT = 128  # some 40 kB each


@functools.lru_cache(maxsize=MONTH_CHARTS_KEPT)
def _month_chart_drawn(
    counts: tuple[tuple[datetime.date, int], ...], language: str | None,
) -> MonthChart | None:
    """month_chart() for these counts, the month names in ``language`` (the active one: part of the key)."""
    if not counts:
        return None
    by_month = dict(counts)
    first, last = counts[0][0], counts[-1][0]
    top = max(n for _, n in counts)
    labels = _Labels()
    bars, years, month = [], [], first
    plot = CHART_HEIGHT - 20
    name = lambda day: labels.day(day)[len(str(day.day)) + 1:]  # noqa: E731 - "November 2024"
    while month <= last:
        x = len(bars) * (CHART_BAR + CHART_GAP)
        n = by_month.get(month, 0)
        height = round(plot * n / top)
        if month.month == 1 or (not bars and month.month < 11):  # the first year too, unless it ends at once
            years.append((x, month.year))
        bars.append(Bar(x=x, y=plot - height, height=height, month=month, count=n, label=name(month)))
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if len(years) > 12:  # a long record: every few years labelled, so the labels never overlap
        step = -(-len(years) // 12)
        years = years[::step]
    busiest = max(counts, key=lambda c: c[1])
    # Hundreds of bars over a long record: written here, not by a template loop (each printed
    # number costs a template a localisation call). Numbers and our own month names only.
    svg_bars = mark_safe("".join(  # noqa: S308 - integers and escaped month names
        f'<rect class="bar" x="{b.x}" y="{b.y}" width="{CHART_BAR}" height="{b.height}">'
        f"<title>{escape(b.label)}: {b.count}</title></rect>" for b in bars
    ))
    table_rows = mark_safe("".join(  # noqa: S308 - integers and escaped month names
        f"<tr><td>{escape(b.label)}</td><td>{b.count}</td></tr>" for b in bars if b.count
    ))
    total = sum(n for _, n in counts)
    summary = (
        f"{total} statement{'s' if total != 1 else ''} from {name(first)} to {name(last)}; "
        f"the most, {busiest[1]}, in {name(busiest[0])}."
    )
    return MonthChart(bars=bars, years=years, width=max(len(bars) * (CHART_BAR + CHART_GAP), 40),
                      height=CHART_HEIGHT, top=top, total=total, summary=summary,
                      svg_bars=svg_bars, table_rows=table_rows)


def speaker_timeline(request, slug: str):
    """One speaker's statements in date order, grouped by date; 404 for an unknown slug.

    By default a statement is shown when a person verified it or the extractor
    was at least TIMELINE_MIN_CONFIDENCE sure; the page says how many others
    there are (counted up to HIDDEN_COUNT_LIMIT, in the whole record: not on a page narrowed by
    dates, kind or words, as the total is not). ``?show=all`` shows those too,
    marked; ``?show=quotes`` keeps only direct and partial quotes (the speaker's own
    words) above the floor. The number of statements is the speaker's stored count
    (none is given for quotes only); pages go by cursor, in the link index's order.
    Narrowed by kind or words (or quotes only), a page is a bounded walk of the record
    (SPEAKER_WALK_LIMIT links, quotes.keyset.Walk): it may stop short, even empty, and says so
    beside the link that goes on.
    """
    speaker = selectors.speaker_with_roles(slug=slug)
    if speaker is None:
        raise Http404("No such speaker.")
    floor = settings.TIMELINE_MIN_CONFIDENCE
    statements = selectors.speaker_timeline(speaker=speaker, min_confidence=floor)
    # Dates, kind and words: the statement list's own filters (not its speaker: the page is one's).
    found = _reader_filter(request, statements, without=("speaker", "review_status", "min_confidence"))
    chart = month_chart(selectors.speaker_month_counts(speaker=speaker))
    if not found.is_valid():
        return render(request, "quotes/speaker_timeline.html", {
            "speaker": speaker, "form": found.form, "chart": chart, "groups": [], "invalid": True,
            "kinds": Statement.Kind.choices,
        }, status=400)
    filtered = any(request.GET.get(name) for name in TIMELINE_FILTERS)
    statements = found.qs
    show = request.GET.get("show")
    if show not in ("all", "quotes"):
        show = ""
    kinds = None
    if show == "quotes":
        kinds = [Statement.Kind.DIRECT, Statement.Kind.PARTIAL]
        dates = found.form.cleaned_data
        statements = selectors.speaker_walk_needed(
            statements.filter(kind__in=kinds),
            said_after=dates.get("said_after"), said_before=dates.get("said_before"),
        )
    # The hidden statements are counted in the whole record, as the total is: a page narrowed by
    # dates, kind or words gives neither (its "show all" link would drop the filters too).
    hidden = 0 if filtered else selectors.speaker_hidden_count(
        speaker=speaker, min_confidence=floor, kinds=kinds, limit=HIDDEN_COUNT_LIMIT,
    )
    if show != "all":
        statements = statements.filter(above_floor=True)
    # Narrowed by kind or words: a bounded walk of the record, which may stop before the page is full.
    walk = selectors.speaker_walk(statements, limit=settings.SPEAKER_WALK_LIMIT)
    page = _page(request, selectors.timeline_rows(statements), order=selectors.SPEAKER_STATEMENTS_BY_DATE,
                 size=TIMELINE_PAGE_SIZE, walk=walk)
    if page is None:
        return HttpResponseBadRequest(BAD_CURSOR)
    ids = [row["id"] for row in page.rows]
    groups = group_by_date(page.rows, speaker, selectors.statement_sources(statement_ids=ids), floor=floor)
    hidden_more = hidden > HIDDEN_COUNT_LIMIT
    total = None  # quotes only: no stored count to give
    if show == "":
        total = speaker.statement_count
    elif show == "all" and not hidden_more:
        total = speaker.statement_count + hidden
    if filtered:
        total = None  # the stored counts are of the whole record
    return render(request, "quotes/speaker_timeline.html", {
        "speaker": speaker,
        "form": found.form,
        "kinds": Statement.Kind.choices,
        "chart": chart,
        "filtered": filtered,
        "pager": _params(request),
        "export": _params(request, without=("cursor", "show", "q")),
        "page": page,
        "show": show,
        "total": total,
        "hidden_count": 0 if show == "all" else min(hidden, HIDDEN_COUNT_LIMIT),
        "hidden_more": hidden_more and show != "all",
        "min_confidence": floor,
        "walk_limit": f"{walk.limit:,}" if walk else "",
        "groups": groups,
        "groups_html": groups_html(groups),
        "current_role": selectors.role_on(speaker=speaker, day=timezone.localdate()),
    })


# Search ---------------------------------------------------------------------------------

def _reader_filter(request, queryset, *, without: tuple[str, ...] = ()):
    """The statement list's filters (quotes.api.filters.StatementFilter) on a page's query string."""
    from quotes.api.filters import StatementFilter  # the one definition of every filter and its checks

    data = request.GET.copy()
    for name in without:
        data.pop(name, None)
    return StatementFilter(data, queryset=queryset, request=request)


def _marked(text: str, headline: str | None) -> str:
    """``text`` escaped, with ts_headline's matches (between its two markers) in ``<mark>``."""
    if not headline:
        return escape(text)
    marked = escape(headline)
    return mark_safe(  # noqa: S308 - escaped above; only our own <mark> is added
        marked.replace(selectors.HEADLINE_START, "<mark>").replace(selectors.HEADLINE_STOP, "</mark>")
    )


def _search_order(queryset) -> Order:
    annotations = queryset.query.annotations
    if "search_rank" in annotations:
        return selectors.STATEMENTS_BY_RANK
    if "link_said_on" in annotations:
        return selectors.SPEAKER_STATEMENTS_BY_DATE_DESC
    return selectors.STATEMENTS_BY_DATE_DESC


def search(request):
    """``/search/?q=``: statements by words (websearch syntax on PostgreSQL), speaker, dates, kind
    and review state; best match first for words (among the newest matches), else newest first."""
    found = _reader_filter(request, selectors.statement_cards())
    query = request.GET.get("q", "").strip()
    context = {
        "filter": found, "form": found.form, "query": query, "params": _params(request),
        "kinds": Statement.Kind.choices,
    }
    if not found.is_valid():
        return render(request, "quotes/search.html", context, status=400)
    statements = found.qs
    if "search_rank" in statements.query.annotations:
        statements = selectors.statements_top_ranked(statements)
    asked = any(request.GET.get(name) for name in found.form.fields)
    page = None
    order = _search_order(statements)
    # One speaker's statements newest first, narrowed by kind, review state or words: a bounded walk.
    walk = (selectors.speaker_walk(statements, limit=settings.SPEAKER_WALK_LIMIT)
            if order is selectors.SPEAKER_STATEMENTS_BY_DATE_DESC else None)
    if asked:
        page = _page(request, statements, order=order, size=SEARCH_PAGE_SIZE, walk=walk)
    if asked and page is None:
        return HttpResponseBadRequest(BAD_CURSOR)
    rows = page.rows if page else []
    headlines = selectors.statement_headlines(statement_ids=[s.pk for s in rows], text=query) if query else {}
    context.update({
        "asked": asked, "page": page, "walk_limit": f"{walk.limit:,}" if walk else "",
        "results": rows,
        "cards": statement_cards_html(rows, [_marked(s.text, headlines.get(s.pk)) for s in rows]),
    })
    return render(request, "quotes/search.html", context)


def _params(request, *, without=("cursor",)) -> str:
    """The request's query string without ``without`` and empty values: for page, export and feed links."""
    params = request.GET.copy()
    for name in [*without, *(name for name, value in request.GET.items() if not value)]:
        params.pop(name, None)
    return params.urlencode()


# One statement ----------------------------------------------------------------------------

def statement_detail(request, pk: int):
    """A statement: its words, speakers (role then), date and evidence, every report, its review and
    a citation. Rejected: 404 to the public; merged away: a redirect to what it became."""
    statement = selectors.statement_page(pk=pk)
    if statement is None:
        target = selectors.statement_merged_into(pk=pk)
        if target is not None:
            return redirect("quotes:statement", pk=target, permanent=True)
        raise Http404("No such statement.")
    if statement.review_status == Statement.Review.REJECTED and not request.user.is_staff:
        raise Http404("No such statement.")
    reports = list(statement.appearances.all())
    url = request.build_absolute_uri()
    return render(request, "quotes/statement.html", {
        "statement": statement,
        "speakers": [
            (speaker, selectors.role_on(speaker=speaker, day=statement.said_on))
            for speaker in statement.speakers.all()
        ],
        "date_label": quotes_extras.said_on(statement.said_on, statement.said_on_precision),
        "sentence": _sentence(statement.kind, statement.text, reports[0] if reports else None, ""),
        "reports": [(a, quotes_extras.http_url(a.article.url)) for a in reports],
        "citation": citation(statement, reports, url=url, today=timezone.localdate()),
        "json_ld": quotation_json_ld(statement, reports, url=url),
    })


def citation(statement: Statement, reports, *, url: str, today: datetime.date) -> str:
    """A plain-text citation: who, the words, when, the first report, and this page.

    >>> import types; s = types.SimpleNamespace(text="We will win.", kind="direct", said_on=None,
    ...     said_on_precision="unknown", speakers=types.SimpleNamespace(all=lambda: []))
    >>> citation(s, [], url="https://q.example/s/1/", today=datetime.date(2025, 2, 10))
    'Unknown speaker, "We will win." (date unknown). QuoteTracker, https://q.example/s/1/, 10 February 2025.'
    """
    labels = _Labels()
    who = " and ".join(s.name for s in statement.speakers.all()) or "Unknown speaker"
    words = statement.text if statement.kind == Statement.Kind.INDIRECT else f'"{statement.text}"'
    when = quotes_extras.said_on(statement.said_on, statement.said_on_precision) if statement.said_on else (
        "date unknown"
    )
    source = ""
    if reports:
        first = reports[0].article
        outlet = f"{first.outlet.name}, " if first.outlet else ""
        day = f", {labels.day(first.published_at.date())}" if first.published_known else ""
        source = f' Reported in {outlet}"{first.title}"{day}.'
    return f"{who}, {words} ({when}).{source} QuoteTracker, {url}, {labels.day(today)}."


def quotation_json_ld(statement: Statement, reports, *, url: str) -> dict:
    """schema.org ``Quotation`` for the page: the words, who said them, when, where reported."""
    data = {
        "@context": "https://schema.org", "@type": "Quotation", "text": statement.text, "url": url,
        "creator": [
            {"@type": "Organization" if s.is_organization else "Person", "name": s.name}
            for s in statement.speakers.all()
        ],
    }
    if statement.said_on and statement.said_on_precision == Statement.Precision.DAY:
        data["dateCreated"] = statement.said_on.isoformat()
    sources = []
    for appearance in reports:
        article = appearance.article
        source = {"@type": "NewsArticle", "headline": article.title}
        if article.published_known:  # else published_at is when it was submitted, not published
            source["datePublished"] = article.published_at.isoformat()
        if quotes_extras.http_url(article.url):
            source["url"] = quotes_extras.http_url(article.url)
        sources.append(source)
    if sources:
        data["isPartOf"] = sources
    return data


# An article, with what was found in it --------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """A run of article text; ``appearance`` set when it is a statement's words."""

    text: str
    appearance: object = None


def highlight_pieces(text: str, appearances) -> list[Piece]:
    """The text cut into plain runs and statement runs, in order (an overlapping span is skipped).

    >>> class A: start, end = 4, 9
    >>> [(p.text, p.appearance is not None) for p in highlight_pieces("She said hello.", [A])]
    [('She ', False), ('said ', True), ('hello.', False)]
    """
    pieces, at = [], 0
    for appearance in sorted(appearances, key=lambda a: (a.start, -a.end)):
        if appearance.start < at or appearance.end > len(text):
            continue  # inside one already marked (a partial quote of a longer one)
        if appearance.start > at:
            pieces.append(Piece(text[at:appearance.start]))
        pieces.append(Piece(text[appearance.start:appearance.end], appearance))
        at = appearance.end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces


def article_detail(request, pk: int):
    """The article's text with every statement found in it marked in place (kind by colour and by
    a label), linked to its page; staff get verify and reject buttons and an admin link."""
    article = selectors.article_page(pk=pk)
    if article is None:
        raise Http404("No such article.")
    staff = request.user.is_staff
    appearances = selectors.article_appearances(article=article, include_rejected=staff)
    return render(request, "quotes/article.html", {
        "article": article, "href": quotes_extras.http_url(article.url), "staff": staff,
        "pieces": highlight_pieces(article.text, appearances), "appearances": appearances,
        "review_choices": [("verify", "Verify"), ("reject", "Reject")],
    })


@require_POST
@staff_member_required
def statement_review(request, pk: int):
    """Verify or reject one statement (staff, from the article page), then go back to it."""
    decision = request.POST.get("decision")
    if decision not in ("verify", "reject"):
        return HttpResponseBadRequest("Say verify or reject.")
    review = statements_verify if decision == "verify" else statements_reject
    if not review(statement_ids=[pk], user=request.user):
        raise Http404("No such statement.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("quotes:home")
    return redirect(back)
