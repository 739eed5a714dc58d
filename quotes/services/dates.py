"""Dates of statements: the one rule for a date and its precision, and reconciliation.

A statement's date is a day, week, month or year (``said_on`` is the first day
of that period), or unknown (no date). Every writer, reviewers and the machine,
goes through :func:`said_on_check`; the database's check constraint is the last line.

>>> said_on_check(said_on=datetime.date(2025, 2, 8))
(datetime.date(2025, 2, 8), 'day')
>>> said_on_check(said_on=None)
(None, 'unknown')
>>> said_on_check(said_on=UNCHANGED, said_on_precision="month", current=datetime.date(2025, 2, 1))
(datetime.date(2025, 2, 1), 'month')
"""

from __future__ import annotations

import datetime

from django.db.models import Min

from quotes.errors import InvalidInput
from quotes.models import Appearance, Statement


class _Unchanged:
    """The value of an argument a caller did not send (``None`` means "no date")."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()

# Finer precision first: the most precise supported date wins.
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
PERIOD_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}



def said_on_check(
    *, said_on: datetime.date | None | _Unchanged, said_on_precision: str | None = None,
    current: datetime.date | None = None,
) -> tuple[datetime.date | None, str]:
    """The (date, precision) to store for what a person sent.

    A date sent without a precision is to the day, no date is unknown; a
    precision sent without a date (``said_on=UNCHANGED``) keeps ``current``.
    Raises InvalidInput (with field errors) for an unknown precision or a pair
    that disagrees: a date needs a precision other than unknown, and unknown needs no date.
    """
    if said_on is UNCHANGED:
        said_on = current
    if said_on_precision is None:
        precision = Statement.Precision.UNKNOWN if said_on is None else Statement.Precision.DAY
        said_on_precision = precision.value
    if said_on_precision not in Statement.Precision.values:
        raise _precision_error(f"Unknown precision {said_on_precision!r}.")
    if (said_on is None) != (said_on_precision == Statement.Precision.UNKNOWN):
        raise _precision_error("A date needs a precision other than unknown; no date means unknown.")
    return said_on, said_on_precision


def _precision_error(message: str) -> InvalidInput:
    return InvalidInput(message, errors={"said_on_precision": [message]})


def statement_dates_reconcile(*, statement: Statement) -> Statement:
    """Set the statement's date from its appearances: the most precise wins.

    Dates that cannot both be true (neither period contains the other) mark
    ``date_conflict`` so a reviewer sees the disagreement. Locked statements
    keep their date; ``first_reported_at`` is always refreshed.
    """
    appearances = list(statement.appearances.select_related("article"))
    first = statement.appearances.aggregate(first=Min("article__published_at"))["first"]
    fields = ["first_reported_at", "updated_at"]
    statement.first_reported_at = first
    if not statement.is_locked:
        dated = sorted(
            (a for a in appearances if a.said_on is not None),
            key=lambda a: (PRECISION_RANK[a.said_on_precision], a.said_on),
        )
        if dated:
            best = dated[0]
            statement.said_on, statement.said_on_precision = best.said_on, best.said_on_precision
            statement.said_on_method = Statement.DateMethod.RELATIVE
            statement.date_conflict = any(not _compatible(best, other) for other in dated[1:])
        else:
            statement.said_on, statement.said_on_precision = None, Statement.Precision.UNKNOWN
            statement.said_on_method = Statement.DateMethod.UNKNOWN
            statement.date_conflict = False
        fields += ["said_on", "said_on_precision", "said_on_method", "date_conflict"]
    statement.save(update_fields=fields)
    return statement


def _compatible(precise: Appearance, coarse: Appearance) -> bool:
    """True when the coarser date's period contains the more precise one."""
    span = datetime.timedelta(days=PERIOD_DAYS[coarse.said_on_precision])
    if coarse.said_on_precision == "month":
        return (precise.said_on.year, precise.said_on.month) == (coarse.said_on.year, coarse.said_on.month)
    if coarse.said_on_precision == "year":
        return precise.said_on.year == coarse.said_on.year
    return coarse.said_on <= precise.said_on < coarse.said_on + span
