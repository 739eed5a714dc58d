"""Calendar arithmetic behind date resolution: pure functions on ``datetime.date``.

Every function here answers "which real date does this phrase mean, seen from
the day the article was published?". None of them look at text; the grammar in
``dates_grammar`` decides which function a phrase needs.

    >>> weekday_on_or_before(datetime.date(2025, 2, 9), 5)  # Saturday, from a Sunday
    datetime.date(2025, 2, 8)
"""

from __future__ import annotations

import datetime

_ONE_DAY = datetime.timedelta(days=1)


def monday_of(day: datetime.date) -> datetime.date:
    """Return the Monday of ``day``'s week (weeks run Monday to Sunday).

    >>> monday_of(datetime.date(2025, 2, 9))
    datetime.date(2025, 2, 3)
    """
    return day - datetime.timedelta(days=day.weekday())


def weekday_on_or_before(published: datetime.date, weekday: int) -> datetime.date:
    """Return the latest ``weekday`` (0 = Monday) on or before ``published``.

    A bare weekday in news copy means "within the past week", and the day of
    publication itself counts: in PolNeAR, "<X> said <weekday>" names the
    publication's own weekday as often as the day before (40 vs 40 of 118),
    and never 5 or 6 days back, so "Sunday" in a Sunday paper is that Sunday.

    >>> weekday_on_or_before(datetime.date(2025, 2, 9), 6)
    datetime.date(2025, 2, 9)
    """
    return published - datetime.timedelta(days=(published.weekday() - weekday) % 7)


def weekday_strictly_before(published: datetime.date, weekday: int) -> datetime.date:
    """Return the latest ``weekday`` strictly before ``published`` ("last Sunday").

    >>> weekday_strictly_before(datetime.date(2025, 2, 9), 6)
    datetime.date(2025, 2, 2)
    """
    return weekday_on_or_before(published - _ONE_DAY, weekday)


def weekday_after(published: datetime.date, weekday: int) -> datetime.date:
    """Return the first ``weekday`` strictly after ``published`` ("next Sunday").

    >>> weekday_after(datetime.date(2025, 2, 9), 6)
    datetime.date(2025, 2, 16)
    """
    return published + datetime.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the 1st of the month ``months`` away from ``day``'s month.

    >>> add_months(datetime.date(2025, 2, 9), -3)
    datetime.date(2024, 11, 1)
    """
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_on_or_before(published: datetime.date, month: int) -> datetime.date:
    """Return the 1st of the latest ``month`` not after publication ("in February").

    >>> month_on_or_before(datetime.date(2025, 2, 9), 11)
    datetime.date(2024, 11, 1)
    """
    year = published.year if month <= published.month else published.year - 1
    return datetime.date(year, month, 1)


def month_strictly_before(published: datetime.date, month: int) -> datetime.date:
    """Return the 1st of the latest ``month`` before publication's month ("last February").

    >>> month_strictly_before(datetime.date(2025, 2, 9), 2)
    datetime.date(2024, 2, 1)
    """
    return month_on_or_before(add_months(published, -1), month)


def day_on_or_before(published: datetime.date, month: int, day: int) -> datetime.date | None:
    """Return the latest ``month``/``day`` not after publication, or None if it never exists.

    A month-day without a year in a report looks back: "on Dec. 30" in a
    February article is last December. 29 February walks back to a leap year.

    >>> day_on_or_before(datetime.date(2025, 2, 9), 12, 30)
    datetime.date(2024, 12, 30)
    """
    year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
    for candidate in range(year, year - 8, -1):
        try:
            return datetime.date(candidate, month, day)
        except ValueError:
            continue
    return None


def saturday_of_last_weekend(published: datetime.date) -> datetime.date:
    """Return the Saturday of the weekend before publication ("last weekend").

    Counting back from two days before publication makes a Monday paper's
    "last weekend" the one just gone and a Sunday paper's the one before.

    >>> saturday_of_last_weekend(datetime.date(2025, 2, 10))
    datetime.date(2025, 2, 8)
    """
    return weekday_on_or_before(published - 2 * _ONE_DAY, 5)


def safe_date(year: int, month: int, day: int) -> datetime.date | None:
    """Return ``date(year, month, day)``, or None for an impossible date like 30 February.

    >>> safe_date(2025, 2, 30) is None
    True
    """
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
