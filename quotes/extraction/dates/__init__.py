"""Date resolution: when was a statement said, seen from the article's publication date.

The public face of three small modules:

* ``dates_grammar.find_dates`` finds every date phrase ("on Saturday",
  "Feb. 8, 2025", "last week", "since 2018") and resolves it;
* ``dates_saying.said_on_for`` picks the one the sentence ties to the saying,
  or answers unknown;
* ``format_date`` (here) shows a resolved date to a reader.

Conventions, decided once:

* ``value`` is the first day of its period: the day, the Monday of a week,
  the 1st of a month, 1 January of a year.
* A bare weekday is the latest such day *on or before* publication: news
  copy says "said Sunday" of the publication day itself (see
  ``dates_calendar.weekday_on_or_before``); "last Sunday" is strictly before.
* A month or month-day without a year is the latest one not after
  publication ("in November" in February 2025 is November 2024).
* ``published=None`` leaves every relative phrase unresolved.

    >>> import datetime
    >>> from quotes.extraction.types import Span
    >>> t = "In a speech on Saturday, Kim criticized the alliance."
    >>> r = said_on_for(t, sentence=Span(0, len(t)), cue=Span(29, 39), content=Span(40, 52),
    ...                 published=datetime.date(2025, 2, 9))
    >>> format_date(r.value, r.precision), r.evidence.of(t)
    ('8 February 2025', 'on Saturday')
"""

from __future__ import annotations

import datetime

from ..types import DAY, MONTH, WEEK, YEAR
from .grammar import AFTER, AT, BEFORE, BY, RANGE, SINCE, UNTIL, DateMention, find_dates
from .saying import said_on_for

__all__ = [
    "AFTER", "AT", "BEFORE", "BY", "RANGE", "SINCE", "UNTIL",
    "DateMention", "find_dates", "format_date", "said_on_for",
]  # fmt: skip


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(value: datetime.date | None, precision: str) -> str:
    """A date as a reader should see it, no more precise than the text was.

    >>> format_date(datetime.date(2025, 2, 3), "week")
    'week of 3 February 2025'
    >>> format_date(None, "unknown")
    'date unknown'
    """
    if value is None:
        return "date unknown"
    month_year = f"{_MONTH_NAMES[value.month - 1]} {value.year}"  # not %B: that follows the locale
    day_month_year = f"{value.day} {month_year}"
    if precision == DAY:
        return day_month_year
    if precision == WEEK:
        return f"week of {day_month_year}"
    if precision == MONTH:
        return month_year
    if precision == YEAR:
        return str(value.year)
    return "date unknown"

