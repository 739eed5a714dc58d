"""Keyset (cursor) pages: the rows after or before a row, in the order of an index.

A page is ``LIMIT size + 1`` rows whose (key, tie-breaker) lies past the cursor's
row, so the thousandth page costs what the first does and nothing counts the whole
list. A nullable key sorts its NULLs ("unknown") last in both directions: those rows
are a second segment (``key IS NULL``, by the tie-breaker), read by a query of its
own, read only when the segment before it did not fill the page: each kind of request
costs at most the same queries however many rows there are, and each segment is one
range of an index such as (said_on, id).

A cursor is opaque to clients (URL-safe base64 of JSON) and names its order, so a
cursor made for one order is refused by another rather than read wrongly.

A page may also be a bounded walk (``walk=Walk(positions, limit)``): for a filter that no
index range serves, the rows past the cursor are read only among the next ``limit``
positions of ``positions`` (the index the list is paged in, unfiltered), so a filter that
matches one row in ten thousand costs what a common one does. A page that is not full when
the window ends is short (possibly empty) and its next cursor starts where the walk stopped,
at a position that need not be a row of the list: following ``next`` still yields every
row once, in order.

Example::

    page = keyset_page(Statement.objects.all(), order=Order("said_on", "id", nullable=True), size=20)
    page.rows, page.next_cursor, page.previous_cursor   # pass a cursor back to move on
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan


class InvalidCursor(ValueError):
    """The cursor was not made by this order (edited, truncated, or from another list)."""


def _date(value: Any) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _datetime(value: Any) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive datetime")
    return parsed


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    return float(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


PARSERS: dict[str, Callable[[Any], Any]] = {
    "date": _date, "datetime": _datetime, "float": _float, "str": _str,
}


@dataclass(frozen=True)
class Order:
    """Rows by ``key`` then ``tiebreak`` (unique, an integer), both ascending or both descending.

    ``key`` and ``tiebreak`` are fields or annotations of the queryset, read back from
    each row by the same name (an attribute, or a key of a ``.values()`` row). ``kind`` says
    how the key is written in a cursor (date, datetime, float or str). ``nullable``: rows
    without a key come last.
    """

    key: str
    tiebreak: str = "id"
    kind: str = "date"
    descending: bool = False
    nullable: bool = False
    name: str = field(default="")

    @property
    def tag(self) -> str:
        return self.name or f"{'-' if self.descending else ''}{self.key}"


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    # "next" or "previous": the walk (Walk) stopped before the page was full, and that link
    # goes on from where it stopped. A short or empty page then is not the end of the list.
    walk_stopped: str = ""


@dataclass(frozen=True)
class Walk:
    """Read a page among at most ``limit`` positions past the cursor, in each segment of the order.

    ``positions`` is a queryset with the order's key and tie-breaker (by the same names) at
    every position the list's rows can be at, and only cheap conditions (one range of the
    index the list is read in): one extra query finds the position ``limit`` positions past
    the cursor, and the page is read up to it. Without one (no more positions left in the
    segment), the segment is read to its end.
    """

    positions: QuerySet
    limit: int


def _read(row: Any, name: str) -> Any:
    """A key of a row: a model instance's attribute, or a ``.values()`` dict's item."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _encode(order: Order, row: Any, *, forward: bool) -> str:
    value = _read(row, order.key)
    if isinstance(value, datetime.date):  # datetimes too
        value = value.isoformat()
    body = {"o": order.tag, "k": value, "t": _read(row, order.tiebreak), "f": forward}
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(order: Order, cursor: str) -> tuple[Any, int, bool]:
    """The (key, tie-breaker, forward) a cursor holds; InvalidCursor if it is not one of ``order``'s."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body = json.loads(raw)
        if not isinstance(body, dict) or body.get("o") != order.tag or not isinstance(body.get("f"), bool):
            raise ValueError("another order")
        tie = body["t"]
        if isinstance(tie, bool) or not isinstance(tie, int):
            raise TypeError("tie-breaker not an integer")
        key = body["k"]
        if key is None:
            if not order.nullable:
                raise ValueError("no key")
        else:
            key = PARSERS[order.kind](key)
        return key, tie, body["f"]
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidCursor(str(exc)) from exc


def _by(name: str, descending: bool):
    # Plain ASC/DESC: PostgreSQL's defaults (NULLS LAST ascending, FIRST descending) are a
    # forward or backward scan of an ascending index; each segment excludes NULLs or is only NULLs.
    return F(name).desc() if descending else F(name).asc()


def _past(order: Order, position: tuple, *, reading_desc: bool) -> Q:
    """The rows after ``position`` when reading descending (or ascending): an undated position
    (key None, the NULL segment) by its tie-breaker alone."""
    if position[0] is None:
        return Q(**{f"{order.tiebreak}__{'lt' if reading_desc else 'gt'}": position[1]})
    lookup = TupleLessThan if reading_desc else TupleGreaterThan
    return Q(lookup(Tuple(F(order.key), F(order.tiebreak)), position))


def _segments(order: Order, after: tuple | None, before: tuple | None) -> list[tuple[Q, list]]:
    """(condition, ordering) of each segment to read, in reading order."""
    key, tie, desc = order.key, order.tiebreak, order.descending
    dated = Q(**{f"{key}__isnull": False}) if order.nullable else Q()
    undated = Q(**{f"{key}__isnull": True})
    # The undated segment is ordered by the (NULL) key too: PostgreSQL then reads it as the
    # ``key IS NULL`` range of the (key, tie-breaker) index, already in order, instead of
    # walking another index and filtering.
    forward = [_by(key, desc), _by(tie, desc)]
    backward = [_by(key, not desc), _by(tie, not desc)]
    if before is not None:  # read backwards from the cursor, reversed afterwards
        beyond = _past(order, before, reading_desc=not desc)
        if before[0] is None:
            return [(undated & beyond, backward), (dated, backward)]
        return [(dated & beyond, backward)]
    if after is None:
        segments = [(dated, forward)]
    elif after[0] is None:
        return [(undated & _past(order, after, reading_desc=desc), forward)]
    else:
        segments = [(dated & _past(order, after, reading_desc=desc), forward)]
    if order.nullable:
        segments.append((undated, forward))
    return segments


def _key_range(order: Order, cursor: tuple | None, beyond: tuple | None, reading_desc: bool) -> Q:
    """The key's own range from ``cursor`` to ``beyond`` (dated positions): redundant, for the planner.

    PostgreSQL guesses a range between two row comparisons at a fixed share of the index (27,000
    of a leader's links for a window of 2,000) and then reads every statement the filter matches
    in the whole table instead of the window's (40 ms, not 4); the key's range it estimates from
    its statistics.
    """
    earlier, later = ("lte", "gte") if reading_desc else ("gte", "lte")
    bounds = Q()
    if cursor is not None and cursor[0] is not None:
        bounds &= Q(**{f"{order.key}__{earlier}": cursor[0]})
    if beyond is not None and beyond[0] is not None:
        bounds &= Q(**{f"{order.key}__{later}": beyond[0]})
    return bounds


WINDOW_ENDS_SQL = (
    "WITH walk_first AS ({first}) SELECT *, 0 FROM walk_first UNION ALL "
    "SELECT *, 1 FROM ({second}) walk_second WHERE NOT EXISTS (SELECT 1 FROM walk_first)"
)


def _window_end(walk: Walk, order: Order, segments: list[tuple[Q, list]]) -> tuple[int, tuple] | None:
    """Where the walk's window ends: (segment, the first position past it), the position ``walk.limit``
    positions past the cursor in the first segment that has more; None when none has (the end is near).

    One query however many segments: the second is looked into only when the first has too few
    positions left (a CTE, and a one-time NOT EXISTS on it that PostgreSQL evaluates first).
    """
    parts = [
        walk.positions.filter(condition).order_by(*ordering)
        .values_list(order.key, order.tiebreak)[walk.limit: walk.limit + 1]
        for condition, ordering in segments
    ]
    if len(parts) == 1:
        found = list(parts[0])
        return (0, found[0]) if found else None
    (first_sql, first_params), (second_sql, second_params) = (part.query.sql_with_params() for part in parts)
    # Django's own compiled SQL, its values passed as parameters.
    sql = WINDOW_ENDS_SQL.format(first=first_sql, second=second_sql)
    with connections[walk.positions.db].cursor() as cursor:
        cursor.execute(sql, (*first_params, *second_params))
        found = cursor.fetchone()
    if found is None:
        return None
    key, tie, segment = found
    # A raw row: SQLite gives a date as text. The field's own parser reads it back.
    key_field = parts[0].query.resolve_ref(order.key).output_field
    return segment, (None if key is None else key_field.to_python(key), tie)


def _at(order: Order, position: tuple, *, forward: bool) -> str:
    return _encode(order, {order.key: position[0], order.tiebreak: position[1]}, forward=forward)


def _shifted(order: Order, position: tuple, step: int) -> tuple:
    """``position`` moved ``step`` tie-breakers on in the order: one that names no row (an integer between).

    "Before (k, t + 1)" is "before or at (k, t)": the cursor an empty page goes back with.
    """
    return position[0], position[1] + (-step if order.descending else step)


def keyset_page(
    queryset: QuerySet, *, order: Order, size: int, cursor: str | None = None, walk: Walk | None = None,
) -> Page:
    """The ``size`` rows of ``queryset`` after (or before) ``cursor`` in ``order``, prefetched.

    Each segment is one query of at most ``size + 1`` rows, and none once the page is full
    (the undated segment of a list with dates to spare); the queryset's prefetches run once
    over the page. With ``walk`` (Walk) one query more finds where its window ends, and the page
    may be short with a link to go on (``Page.walk_stopped``). Raises InvalidCursor for a cursor
    ``order`` did not make.
    """
    after = before = None
    if cursor:
        key, tie, forward = decode(order, cursor)
        if forward:
            after = (key, tie)
        else:
            before = (key, tie)
    lookups = queryset._prefetch_related_lookups
    plain = queryset.prefetch_related(None)
    reading_desc = order.descending != (before is not None)
    rows: list = []
    segments = _segments(order, after, before)
    window = _window_end(walk, order, segments) if walk else None
    stopped_at = None  # the first position past the walk's window, when it ended before the list
    for segment, (condition, ordering) in enumerate(segments):
        if len(rows) > size:
            break
        beyond = window[1] if window and window[0] == segment else None
        # the rows before the window's end: past it read the other way
        within = condition & _past(order, beyond, reading_desc=not reading_desc) if beyond else condition
        if walk:  # the cursor bounds the first segment only: the one its position is in
            within &= _key_range(order, (after or before) if segment == 0 else None, beyond, reading_desc)
        rows.extend(plain.filter(within).order_by(*ordering)[: size + 1 - len(rows)])
        if beyond is not None:  # nothing past the window is read: not the next segment either
            stopped_at = beyond
            break
    more = len(rows) > size
    rows = rows[:size]
    if before is not None:
        rows.reverse()
    if lookups:
        prefetch_related_objects(rows, *lookups)
    if walk is not None:
        return _walked_page(order, rows, after=after, before=before, more=more,
                            stopped_at=None if more else stopped_at)
    if not rows:
        return Page(rows, None, None)
    has_next = more if before is None else True
    has_previous = more if before is not None else after is not None
    return Page(
        rows,
        _encode(order, rows[-1], forward=True) if has_next else None,
        _encode(order, rows[0], forward=False) if has_previous else None,
    )


def _walked_page(order: Order, rows: list, *, after, before, more: bool, stopped_at) -> Page:
    """A walk's page: its links as an unbounded page's, but a short one goes on from ``stopped_at``.

    ``stopped_at`` is the first position the walk did not read: the link onwards starts there,
    that position included. An empty page's link back starts from its own cursor's position,
    included: nothing between was a row.
    """
    if before is None:
        if more:
            next_cursor = _encode(order, rows[-1], forward=True)
        else:
            next_cursor = None if stopped_at is None else _at(
                order, _shifted(order, stopped_at, -1), forward=True,
            )
        previous_cursor = None
        if after is not None:
            previous_cursor = (_encode(order, rows[0], forward=False) if rows
                               else _at(order, _shifted(order, after, 1), forward=False))
        stopped = "next"
    else:
        if more:
            previous_cursor = _encode(order, rows[0], forward=False)
        else:
            previous_cursor = None if stopped_at is None else _at(
                order, _shifted(order, stopped_at, 1), forward=False,
            )
        next_cursor = (_encode(order, rows[-1], forward=True) if rows
                       else _at(order, _shifted(order, before, -1), forward=True))
        stopped = "previous"
    return Page(rows, next_cursor, previous_cursor, walk_stopped=stopped if stopped_at else "")
