"""The date grammar: find every date expression in a text and resolve it.

A handful of regular expressions, one per shape of phrase ("Feb. 8, 2025",
"on Saturday", "last week", "three weeks ago", ...), each with a resolver that
turns the match into a real date seen from the publication date. Overlapping
matches keep the longest; then the preposition in front ("on", "since",
"until", ...) joins the span and decides the mention's ``relation``.

    >>> import datetime
    >>> [m.value for m in find_dates("He said on Saturday.", published=datetime.date(2025, 2, 9))]
    [datetime.date(2025, 2, 8)]
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..types import DAY, MONTH, UNKNOWN, WEEK, YEAR, Span
from . import calendar as cal

# How a date phrase relates to the event it dates.
AT, SINCE, UNTIL, BEFORE, AFTER, BY, RANGE = "at", "since", "until", "before", "after", "by", "range"


@dataclass(frozen=True)
class DateMention:
    """One date expression: where it is, what it means, and how it dates its event.

    ``value`` is the first day of the period (as in ``DateResolution``) or None
    when it cannot be resolved (a relative phrase with no publication date);
    ``precision`` is then ``UNKNOWN``. ``span`` includes a governing
    preposition ("on Saturday", "since 2018").
    """

    span: Span
    value: datetime.date | None
    precision: str
    relation: str = AT


Resolved = tuple[datetime.date | None, str]
Resolver = Callable[[re.Match[str], datetime.date | None], Resolved | None]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_FULL_SHORT_NAMES = ("may", "june", "july")  # full names as short as an abbreviation
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Full names first so "Jan" never stops short inside "January"; the lookaheads
# keep "Dec" out of "decade" and "Mar" out of "Mark". Only an abbreviation
# takes a dot: after "in March" the dot ends the sentence.
_MONTH = (
    r"(?P<mon>(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december)(?![a-z])|(?:sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)(?![a-z])\.?)"
)
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})\b"
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_WEEKDAY = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?(?:['’]s\b)?"
# A number glued to money, a decimal or another number is not a year or a day.
_NOT_IN_NUMBER = r"(?<![\d$£€/])(?<!\d[.,])"

# Words that make a weekday part of a name ("Super Tuesday", "Good Friday").
_NAMED_DAYS = re.compile(
    r"\b(?:super|black|cyber|good|ash|easter|fat|holy|palm|bloody|giving|shrove|maundy)\s+$", re.I
)


def _month_number(match: re.Match[str]) -> int | None:
    """Return the month a match names; lowercase "may"/"march" are a verb, not a month.

    >>> _month_number(re.match(_MONTH, "Sept.", re.IGNORECASE))
    9
    """
    word = match.group("mon").rstrip(".")
    if word in ("may", "march", "mar"):
        return None
    return _MONTHS[word[:3].lower()]


def _resolve_iso(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"2025-02-08" -> that day."""
    value = cal.safe_date(int(match["year"]), int(match["mnum"]), int(match["day"]))
    return None if value is None else (value, DAY)


def _resolve_day(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"Feb. 8, 2025", "8 February", "Jan 20th" -> that day; no year looks back from publication."""
    month = _month_number(match)
    day = int(match["day"])
    if month is None or not 1 <= day <= 31:
        return None
    if match["year"]:
        value = cal.safe_date(int(match["year"]), month, day)
        return None if value is None else (value, DAY)
    if cal.safe_date(2024, month, day) is None:  # 2024 is a leap year: only 30 Feb etc. fail
        return None
    if published is None:
        return (None, UNKNOWN)
    return (cal.day_on_or_before(published, month, day), DAY)


def _resolve_month_year(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"February 2025", "Feb. of 2025" -> 1 February 2025, month precision."""
    month = _month_number(match)
    if month is None:
        return None
    return (datetime.date(int(match["year"]), month, 1), MONTH)


def _resolve_bare_month(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"in February", "last February", "mid-February" -> the month, seen from publication.

    An abbreviation needs its dot here: a bare "Jan" is more often a name.
    """
    month = _month_number(match)
    word = match["mon"].lower()
    undotted_abbreviation = not word.endswith(".") and len(word) <= 4 and word not in _FULL_SHORT_NAMES
    if month is None or undotted_abbreviation:
        return None
    if published is None:
        return (None, UNKNOWN)
    mod = (match.groupdict().get("mod") or "").lower()
    if mod == "last":
        return (cal.month_strictly_before(published, month), MONTH)
    if mod == "this":
        return (datetime.date(published.year, month, 1), MONTH)
    if mod == "next":
        return (datetime.date(published.year + (month <= published.month), month, 1), MONTH)
    return (cal.month_on_or_before(published, month), MONTH)


def _resolve_year_range(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"2018-2019", "2018–19" -> 1 January 2018, year precision (relation range)."""
    first, second = match["year"], match["year2"]
    last = int(second if len(second) == 4 else first[:2] + second)
    if last <= int(first):
        return None
    return (datetime.date(int(first), 1, 1), YEAR)


def _resolve_year(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"in 2018", "the 2016 election" -> 1 January of that year."""
    return (datetime.date(int(match["year"]), 1, 1), YEAR)


def _resolve_weekday(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"on Saturday", "Saturday's", "last Saturday", "Tuesday night" -> that day.

    A bare weekday is the latest such day on or before publication (see
    ``dates_calendar.weekday_on_or_before`` for why the day itself counts).
    """
    if _NAMED_DAYS.search(match.string, max(0, match.start() - 12), match.start()):
        return None
    if published is None:
        return (None, UNKNOWN)
    weekday = _WEEKDAYS.index(match["wd"].lower())
    mod = " ".join((match["mod"] or "").lower().split())
    if mod in ("last", "this past", "past"):
        return (cal.weekday_strictly_before(published, weekday), DAY)
    if mod == "next":
        return (cal.weekday_after(published, weekday), DAY)
    return (cal.weekday_on_or_before(published, weekday), DAY)


_DAY_OFFSETS = {
    "the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0,
    "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tomorrow": 1,
}  # fmt: skip


def _resolve_day_word(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"yesterday", "last night", "this morning" -> a day counted from publication."""
    if re.search(r"\busa\s+$", match.string[max(0, match.start() - 5) : match.start()], re.IGNORECASE):
        return None  # the newspaper USA Today
    if published is None:
        return (None, UNKNOWN)
    offset = _DAY_OFFSETS[" ".join(match["rel"].lower().split())]
    return (published + datetime.timedelta(days=offset), DAY)


def _resolve_period(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"last week", "earlier this month", "late last year" -> that week, month or year."""
    if published is None:
        return (None, UNKNOWN)
    which = " ".join(match["which"].lower().split())
    step = {"last": -1, "this past": -1, "this": 0, "next": 1}[which]
    unit = match["unit"].lower()
    if unit == "week":
        return (cal.monday_of(published) + datetime.timedelta(weeks=step), WEEK)
    if unit == "weekend":
        return _resolve_weekend(published, step)
    if unit == "month":
        return (cal.add_months(published, step), MONTH)
    return (datetime.date(published.year + step, 1, 1), YEAR)


def _resolve_weekend(published: datetime.date, step: int) -> Resolved:
    """The week (Monday) holding the weekend meant; "this weekend" on a weekday is unknown."""
    if step < 0:
        return (cal.monday_of(cal.saturday_of_last_weekend(published)), WEEK)
    if step > 0:
        return (cal.monday_of(published) + datetime.timedelta(weeks=1), WEEK)
    if published.weekday() >= 5:
        return (cal.monday_of(published), WEEK)
    # Past or coming weekend? The text does not say, so neither do we.
    return (None, UNKNOWN)


def _resolve_over_weekend(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"over the weekend" -> the week of the latest weekend before publication."""
    if published is None:
        return (None, UNKNOWN)
    saturday = cal.weekday_on_or_before(published - datetime.timedelta(days=1), 5)
    return (cal.monday_of(saturday), WEEK)


def _resolve_ago(match: re.Match[str], published: datetime.date | None) -> Resolved | None:
    """"two days ago" (day), "three weeks ago" (week), "a month ago", "five years ago"."""
    if published is None:
        return (None, UNKNOWN)
    word = match["n"].lower()
    count = int(word) if word.isdigit() else _NUMBERS[word]
    unit = match["unit"].lower()
    if unit == "day":
        return (published - datetime.timedelta(days=count), DAY)
    if unit == "week":
        return (cal.monday_of(published - datetime.timedelta(weeks=count)), WEEK)
    if unit == "month":
        return (cal.add_months(published, -count), MONTH)
    return (datetime.date(published.year - count, 1, 1), YEAR)


@dataclass(frozen=True)
class _Shape:
    """One shape of date phrase: its pattern, its resolver, and whether it needs a preposition.

    ``needs_lead`` shapes ("February", "2018") are dates only after a
    preposition or a determiner ("in February", "the 2018 race"): alone they are
    too often a name or a count.
    """

    pattern: re.Pattern[str]
    resolve: Resolver
    needs_lead: bool = False
    is_range: bool = False


def _shape(pattern: str, resolve: Resolver, *, needs_lead: bool = False, is_range: bool = False) -> _Shape:
    return _Shape(re.compile(pattern, re.IGNORECASE), resolve, needs_lead, is_range)


_SHAPES = (
    _shape(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b", _resolve_iso),
    _shape(rf"\b{_MONTH}\s+{_DAYNUM}(?!:)(?:,?\s+{_YEAR})?", _resolve_day),
    _shape(rf"\b{_MONTH}\s+{_DAYNUM}\s*[-–]\s*[0-3]?\d\b(?:,?\s+{_YEAR})?", _resolve_day, is_range=True),
    _shape(rf"{_NOT_IN_NUMBER}\b{_DAYNUM}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?", _resolve_day),
    _shape(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}", _resolve_month_year),
    _shape(rf"\b(?P<mod>last|this|next|early|mid|late)[\s-]+{_MONTH}(?!\s*\d)", _resolve_bare_month),
    _shape(rf"\b{_MONTH}(?!\s*\d)", _resolve_bare_month, needs_lead=True),
    _shape(rf"{_NOT_IN_NUMBER}\b{_YEAR}\s*[-–—]\s*(?P<year2>(?:1[89]|20)?\d{{2}})\b(?![-–]\d)",
           _resolve_year_range, is_range=True),
    _shape(rf"{_NOT_IN_NUMBER}\b{_YEAR}(?!%|[.,]\d|-\d)", _resolve_year, needs_lead=True),
    _shape(rf"\b(?:(?P<mod>last|this\s+past|this|next|past|earlier|later|early|late)\s+)?{_WEEKDAY}{_PART}",
           _resolve_weekday),
    _shape(r"\b(?P<rel>the\s+day\s+before\s+yesterday|yesterday|tomorrow|today|tonight|last\s+night"
           rf"|this\s+(?:morning|afternoon|evening)){_PART}", _resolve_day_word),
    _shape(r"\b(?:(?:early|late|earlier|later|mid)[\s-]+)?(?P<which>last|this\s+past|this|next)"
           r"\s+(?P<unit>week|weekend|month|year)\b(?:['’]s\b)?", _resolve_period),
    _shape(r"\bover\s+the\s+weekend\b", _resolve_over_weekend),
    _shape(r"\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
           r"\s+(?P<unit>day|week|month|year)s?\s+ago\b", _resolve_ago),
)

# What may stand right before a date: a preposition (joins the span, sets the
# relation), optionally "the end of"; or a determiner ("the 2016 election").
_LEAD = re.compile(
    r"(?:\b(?P<prep>on|in|at|during|since|until|till|through|before|after|by|from|between"
    r"|prior\s+to|ahead\s+of|following|as\s+of|starting|beginning|as\s+recently\s+as)\s+"
    r"(?:(?:the\s+)?(?:end|start|beginning|middle|close|first\s+half|second\s+half|spring"
    r"|summer|fall|autumn|winter|course)\s+of\s+)?"
    r"|\b(?P<det>the|a|an|his|her|their|its|our|your|my|this|that)\s+)$",
    re.IGNORECASE,
)
_RELATIONS = {
    "since": SINCE, "from": SINCE, "starting": SINCE, "beginning": SINCE,
    "until": UNTIL, "till": UNTIL, "through": UNTIL,
    "before": BEFORE, "prior to": BEFORE, "ahead of": BEFORE,
    "after": AFTER, "following": AFTER, "by": BY, "between": RANGE,
}  # fmt: skip
_RANGE_LINK = {
    "from": re.compile(r"\s*(?:to|until|till|through|[-–—])\s*", re.IGNORECASE),
    "between": re.compile(r"\s+and\s+", re.IGNORECASE),
}


@dataclass(frozen=True)
class _Hit:
    """A resolved match before its preposition is attached."""

    start: int
    end: int
    value: datetime.date | None
    precision: str
    needs_lead: bool
    range_: bool


@dataclass(frozen=True)
class _Found:
    """A mention with the preposition that led it and where the date words proper begin."""

    mention: DateMention
    prep: str
    core_start: int


def _hits(text: str, published: datetime.date | None, start: int, end: int) -> list[_Hit]:
    """Every match of every shape in ``text[start:end]``, resolved; overlaps not yet settled."""
    hits = []
    for shape in _SHAPES:
        for match in shape.pattern.finditer(text, start, end):
            try:
                resolved = shape.resolve(match, published)
            except (OverflowError, ValueError):
                # Counting from a publication date at the calendar's edge ("on Saturday" seen
                # from 0001-01-01, "next year" from 9999-12-31) leaves datetime's range: the
                # phrase is still a date mention, its date is unknown.
                resolved = (None, UNKNOWN)
            if resolved is not None:
                value, precision = resolved
                hits.append(_Hit(match.start(), match.end(), value, precision, shape.needs_lead,
                                 shape.is_range))
    return hits


def _longest_first(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest of overlapping hits ("Feb. 8, 2025" over "2025"), in text order."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _attach_lead(text: str, hit: _Hit, floor: int, *, closes_range: bool) -> _Found | None:
    """Join the preposition before ``hit`` to its span; keep that preposition beside it.

    None when the hit needs a lead ("in 2018") and has none ("sent 2000 troops");
    the far end of a range ("from 2018 to 2019") has its lead in the near end.
    """
    lead = _LEAD.search(text, max(floor, hit.start - 60), hit.start)
    prep = " ".join(lead["prep"].lower().split()) if lead and lead["prep"] else ""
    if hit.needs_lead and lead is None and not closes_range:
        return None
    start = lead.start() if prep else hit.start
    relation = RANGE if hit.range_ else _RELATIONS.get(prep, AT)
    value = hit.value
    precision = hit.precision if value is not None else UNKNOWN
    return _Found(DateMention(Span(start, hit.end), value, precision, relation), prep, hit.start)


def _links(text: str, near: _Found, far_core: int) -> bool:
    """Whether the words from ``near`` to a later date join them into a range ("from X to")."""
    link = _RANGE_LINK.get(near.prep)
    return bool(link and link.fullmatch(text, near.mention.span.end, far_core))


def _mark_ranges(text: str, found: list[_Found]) -> list[DateMention]:
    """"from 2018 to 2019", "between May 1 and May 3": both ends get relation ``range``."""
    mentions = [item.mention for item in found]
    for i in range(len(found) - 1):
        if _links(text, found[i], found[i + 1].core_start):
            mentions[i] = replace(mentions[i], relation=RANGE)
            mentions[i + 1] = replace(mentions[i + 1], relation=RANGE)
    return mentions


def find_dates(
    text: str, *, published: datetime.date | None, start: int = 0, end: int | None = None
) -> tuple[DateMention, ...]:
    """Every date expression in ``text[start:end]``, in text order, offsets into ``text``.

    Relative phrases ("Saturday", "last week", "in February") resolve against
    ``published``; without it only phrases with a year get a value.

    >>> t = "since Jan. 20"
    >>> [(m.span.of(t), m.value, m.relation) for m in find_dates(t, published=datetime.date(2025, 2, 9))]
    [('since Jan. 20', datetime.date(2025, 1, 20), 'since')]
    """
    end = len(text) if end is None else end
    found: list[_Found] = []
    floor = start
    for hit in _longest_first(_hits(text, published, start, end)):
        closes_range = bool(found) and _links(text, found[-1], hit.start)
        attached = _attach_lead(text, hit, floor, closes_range=closes_range)
        if attached is not None:
            found.append(attached)
            floor = hit.end
    return tuple(_mark_ranges(text, found))
