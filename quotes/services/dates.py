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
from collections.abc import Iterable

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

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
    reports = [_report(*row) for row in statement.appearances.values_list(*_REPORT_FIELDS)]
    fields = statement_dates_set(statement=statement, reports=reports)
    statement.save(update_fields=[*fields, "updated_at"])
    return statement


def statements_dates_reconcile(*, statement_ids: Iterable[int]) -> int:
    """:func:`statement_dates_reconcile` for many statements: two reads, one update of those that change.

    Reads the statements and their appearances' dates by id (indexes), writes only
    the rows whose date, precision, method, conflict or first report changes (with
    their history). Returns how many changed.
    """
    ids = sorted(set(statement_ids))
    if not ids:
        return 0
    reports: dict[int, list] = {pk: [] for pk in ids}
    for statement_id, *row in Appearance.objects.filter(statement_id__in=ids).values_list(
        "statement_id", *_REPORT_FIELDS,
    ):
        reports[statement_id].append(_report(*row))
    changed = []
    now = timezone.now()
    for statement in Statement.objects.filter(pk__in=ids):
        before = [getattr(statement, field) for field in _DATE_FIELDS]
        statement_dates_set(statement=statement, reports=reports[statement.pk])
        if [getattr(statement, field) for field in _DATE_FIELDS] != before:
            statement.updated_at = now
            changed.append(statement)
    if changed:
        bulk_update_with_history(changed, Statement, [*_DATE_FIELDS, "updated_at"], default_date=now)
    return len(changed)


_DATE_FIELDS = ["first_reported_at", "said_on", "said_on_precision", "said_on_method", "date_conflict"]
# What a report of a statement is read from: its appearance and the article's date.
_REPORT_FIELDS = (
    "said_on", "said_on_precision", "article__published_at", "said_on_method", "article__published_known",
)


def _report(said_on, precision, published_at, method, published_known) -> tuple:
    """(said_on, precision, published_at, method): no publication date where the article's was not found.

    Its ``published_at`` is then when it was submitted or fetched, which says nothing of when
    the words were first reported.
    """
    return said_on, precision, published_at if published_known else None, method


def statement_dates_set(*, statement: Statement, reports: list) -> list[str]:
    """Set (not save) the statement's date fields from its reports.

    A report is (said_on, precision, published_at[, method]).

    The method is the best report's (relative when a report does not say).

    Returns the fields it may have changed (the date ones only when not locked). A new
    statement gets its dates this way before its insert (quotes.services.statements).
    """
    published = [report[2] for report in reports if report[2] is not None]
    statement.first_reported_at = min(published) if published else None
    if statement.is_locked:
        return ["first_reported_at"]
    dated = sorted(
        ((report[0], report[1], _method(report)) for report in reports if report[0] is not None),
        key=lambda d: (PRECISION_RANK[d[1]], d[0], _METHOD_RANK[d[2]]),
    )
    if dated:
        best = dated[0][:2]
        statement.said_on, statement.said_on_precision = best
        statement.said_on_method = dated[0][2]
        statement.date_conflict = any(not _compatible(best, other[:2]) for other in dated[1:])
    else:
        statement.said_on, statement.said_on_precision = None, Statement.Precision.UNKNOWN
        statement.said_on_method = Statement.DateMethod.UNKNOWN
        statement.date_conflict = False
    return _DATE_FIELDS


# Of two reports giving the same date, the more direct evidence names the method.
_METHOD_RANK = {"manual": 0, "explicit": 1, "relative": 2, "context": 3}


def _method(report: tuple) -> str:
    """A report's date method; RELATIVE for a report that does not say (or an older row's unknown)."""
    method = report[3] if len(report) > 3 else None
    return method if method in _METHOD_RANK else Statement.DateMethod.RELATIVE


def _compatible(precise: tuple[datetime.date, str], coarse: tuple[datetime.date, str]) -> bool:
    """True when the coarser (date, precision)'s period contains the more precise one."""
    (day, _), (start, precision) = precise, coarse
    if precision == "month":
        return (day.year, day.month) == (start.year, start.month)
    if precision == "year":
        return day.year == start.year
    return start <= day < start + datetime.timedelta(days=PERIOD_DAYS[precision])
