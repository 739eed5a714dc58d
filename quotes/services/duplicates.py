"""Near-duplicate statements: the same words reported with small differences.

Exact repeats are already one statement (the fingerprint); this finds pairs
that read alike ("We will have relations with North Korea" / "We will have a
relationship with North Korea") and offers them to a reviewer as
DuplicateCandidate rows. It never merges anything itself.

It runs after the article's statements are stored, in its own task
(``quotes.find_duplicates``, job :data:`DUPLICATES_JOB`), never inside the storing
transaction. Each statement is compared only with its neighbours: statements of
the same speaker(s) dated within :data:`WINDOW_DAYS` of it (its date, else its first
report's), or undated among the newest :data:`RECENT_UNDATED`, read through the
speakers' timeline index; a statement with no resolved speaker, with anyone's: the
:data:`UNRESOLVED_NEAREST` statements nearest its day on each side within that window
and as many of the newest undated ones (the date index, read in order). At most
:data:`PER_STATEMENT` pairs per statement, the most similar. So the cost of one
statement does not grow with the table.

On PostgreSQL similarity is pg_trgm's, computed in one query; on SQLite
(development) difflib's ratio stands in, over the same neighbours.

Example: ``duplicates_find(statement_ids=[42])``
1
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, QuerySet

from quotes import plain
from quotes.models import DuplicateCandidate, Statement, StatementSpeaker

DUPLICATES_JOB = "find_duplicates"

# Below this many characters two texts "read alike" by accident ("Yes." / "Yes!").
MIN_CHARS = 12
# Neighbours: dated within this many days of the statement...
WINDOW_DAYS = 30
# ...or undated and among the newest this many statements (ids grow with time).
RECENT_UNDATED = 20_000
# The most similar pairs kept per statement.
PER_STATEMENT = 10
# A statement nobody is resolved for is compared with any speaker's: the statements nearest its
# day in its window, at most this many before it (its own day included), as many after, and as many
# of the newest undated ones (the date index, in order). Without it a dense window (a few
# thousand statements a day, at a million) makes one search cost seconds and hold a worker.
UNRESOLVED_NEAREST = 300
# Statements per query when every statement is searched (duplicates_find()).
BATCH = 500
# Below the threshold by this much, the trigram-count ratio still lets a pair through (_pairs_postgresql).
SIZE_SLACK = 1e-6


def statement_day(said_on: datetime.date | None, first_reported_at: datetime.datetime | None):
    """Where a statement sits in time: its date, else the day it was first reported (UTC)."""
    if said_on is not None:
        return said_on
    return first_reported_at.astimezone(datetime.UTC).date() if first_reported_at else None


def undated_floor() -> int:
    """Undated neighbours are the statements with an id above this (one read of the primary key)."""
    return (plain.rows(f"SELECT MAX(id) FROM {plain.table(Statement)}")[0][0] or 0) - RECENT_UNDATED  # noqa: S608


def _windows(days: Iterable[datetime.date | None]) -> list[tuple[datetime.date, datetime.date]]:
    """The WINDOW_DAYS windows around ``days``, overlapping ones merged, in order."""
    window = datetime.timedelta(days=WINDOW_DAYS)
    ranges: list[list[datetime.date]] = []
    for day in sorted({d for d in days if d is not None}):
        if ranges and day - window <= ranges[-1][1]:
            ranges[-1][1] = day + window
        else:
            ranges.append([day - window, day + window])
    return [(low, high) for low, high in ranges]


def _near(days: Iterable[datetime.date | None], floor: int, date: str, pk: str) -> Q:
    """Dated within WINDOW_DAYS of one of ``days`` (merged ranges), or undated with ``pk`` above ``floor``."""
    near = Q(**{f"{date}__isnull": True, f"{pk}__gt": floor})
    for low, high in _windows(days):
        near |= Q(**{f"{date}__range": (low, high)})
    return near


def neighbour_links(
    *, speaker_ids: Iterable[int], days: Iterable[datetime.date | None], floor: int,
) -> QuerySet[StatementSpeaker]:
    """Links of these speakers to their statements near ``days``: ranges of the timeline index.

    What partial quotes and near-duplicates are looked for in (``floor``: :func:`undated_floor`).
    """
    return StatementSpeaker.objects.filter(
        Q(speaker_id__in=list(speaker_ids)) & _near(days, floor, "said_on", "statement_id"),
    )


def neighbour_rows(
    *, speaker_ids: Iterable[int], days: Iterable[datetime.date | None], floor: int, column: str,
    where: str = "", params: Iterable = (),
) -> list[tuple[int, int, str]]:
    """(statement id, speaker id, the statement's ``column``) for :func:`neighbour_links`' links whose
    statement (``s``) also satisfies ``where`` (SQL with ``params``).

    The reads storing every article makes of its speakers' neighbours, written out (quotes.plain):
    the same index ranges of the links, each statement read by its key.
    """
    speakers = sorted(set(speaker_ids))
    if not speakers:
        return []
    windows = _windows(days)
    dated = ["l.said_on BETWEEN %s AND %s"] * len(windows)
    near = " OR ".join(["(l.said_on IS NULL AND l.statement_id > %s)", *dated])
    sql = (f"SELECT l.statement_id, l.speaker_id, s.{connection.ops.quote_name(column)} "  # noqa: S608
           f"FROM {plain.table(StatementSpeaker)} l JOIN {plain.table(Statement)} s ON s.id = l.statement_id "
           f"WHERE l.speaker_id IN ({plain.placeholders(speakers)}) AND ({near})")
    if where:
        sql += f" AND {where}"
    return plain.rows(sql, [*speakers, floor, *[d for window in windows for d in window], *params])


_PAIRS_SQL = """
WITH src AS (
    SELECT s.id, s.normalized_text AS t,
           COALESCE(s.said_on, (s.first_reported_at AT TIME ZONE 'UTC')::date) AS day
    FROM {statements} s
    WHERE s.id = ANY(%(ids)s) AND length(s.normalized_text) >= %(min_chars)s
), candidates AS (
    SELECT src.id AS a, l.statement_id AS b
    FROM src
    JOIN {links} own ON own.statement_id = src.id
    JOIN {links} l ON l.speaker_id = own.speaker_id AND (
        l.said_on BETWEEN src.day - %(days)s AND src.day + %(days)s
        OR (l.said_on IS NULL AND l.statement_id > %(floor)s))
    UNION
    SELECT src.id, near.id
    FROM src
    CROSS JOIN LATERAL (
        (SELECT x.id FROM {statements} x WHERE x.said_on BETWEEN src.day - %(days)s AND src.day
         AND x.id <> src.id ORDER BY x.said_on DESC, x.id DESC LIMIT %(nearest)s)
        UNION ALL
        (SELECT x.id FROM {statements} x WHERE x.said_on > src.day AND x.said_on <= src.day + %(days)s
         ORDER BY x.said_on, x.id LIMIT %(nearest)s)
        UNION ALL
        (SELECT x.id FROM {statements} x WHERE x.said_on IS NULL AND x.id > %(floor)s AND x.id <> src.id
         ORDER BY x.id DESC LIMIT %(nearest)s)
    ) near
    WHERE NOT EXISTS (SELECT 1 FROM {links} own WHERE own.statement_id = src.id)
), sized AS MATERIALIZED (
    SELECT src.id, src.t, cardinality(show_trgm(src.t)) AS n FROM src
), others AS MATERIALIZED (
    SELECT x.id, x.normalized_text AS t, cardinality(show_trgm(x.normalized_text)) AS n
    FROM {statements} x
    WHERE x.id IN (SELECT b FROM candidates) AND length(x.normalized_text) >= %(min_chars)s
), alike_in_size AS MATERIALIZED (
    SELECT c.a, c.b, s.t AS st, x.t AS xt
    FROM candidates c JOIN sized s ON s.id = c.a JOIN others x ON x.id = c.b
    WHERE c.b <> c.a AND x.n >= s.n * %(size_ratio)s::float8 AND s.n >= x.n * %(size_ratio)s::float8
), scored AS (
    SELECT a, b, similarity(st, xt) AS sim FROM alike_in_size
), ranked AS (
    SELECT a, b, sim, row_number() OVER (PARTITION BY a ORDER BY sim DESC, b) AS n
    FROM scored WHERE sim >= %(threshold)s
)
SELECT a, b, sim FROM ranked WHERE n <= %(per)s
"""


def _pairs_postgresql(ids: list[int], threshold: float) -> dict[tuple[int, int], float]:
    """Similar pairs by pg_trgm's similarity, each statement against its neighbours only (one query).

    The candidates come from index ranges (the speakers' timeline, or the date index
    for a statement nobody is resolved for); similarity is computed for them alone,
    never through the trigram index over the whole table. And only for pairs alike in
    size: a similarity (shared trigrams over all trigrams of both) of at least t needs
    the smaller trigram set to hold at least t times the larger's, so the pairs that
    fail this are the ones similarity() would have refused (it costs a fiftieth of it:
    each text's trigrams are counted once, not once per pair). SIZE_SLACK covers
    pg_trgm's single-precision division; the CTEs are MATERIALIZED so that the planner
    counts once and filters before calling similarity().
    """
    sql = _PAIRS_SQL.format(
        statements=Statement._meta.db_table, links=StatementSpeaker._meta.db_table,
    )
    params = {
        "ids": ids, "min_chars": MIN_CHARS, "days": WINDOW_DAYS, "floor": undated_floor(),
        "threshold": threshold, "per": PER_STATEMENT, "size_ratio": threshold - SIZE_SLACK,
        "nearest": UNRESOLVED_NEAREST,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(min(a, b), max(a, b)): float(sim) for a, b, sim in rows}


def _pairs_difflib(ids: list[int], threshold: float) -> dict[tuple[int, int], float]:
    """Similar pairs by difflib's ratio, over the same neighbours as on PostgreSQL."""
    floor = undated_floor()
    sources = Statement.objects.filter(pk__in=ids).values_list("pk", "normalized_text", "said_on",
                                                                 "first_reported_at")
    own: dict[int, set[int]] = {}
    for statement_id, speaker_id in StatementSpeaker.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "speaker_id",
    ):
        own.setdefault(statement_id, set()).add(speaker_id)
    pairs: dict[tuple[int, int], float] = {}
    for a, text, said_on, first in sources:
        if len(text) < MIN_CHARS:
            continue
        day = statement_day(said_on, first)
        if own.get(a):
            near = neighbour_links(speaker_ids=own[a], days=[day], floor=floor).values("statement_id")
            texts = Statement.objects.filter(pk__in=near)
        else:
            texts = Statement.objects.filter(pk__in=_nearest(a, day, floor))
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(text)
        found = []
        for b, other in texts.exclude(pk=a).values_list("pk", "normalized_text"):
            if len(other) < MIN_CHARS:
                continue
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    found.append((-ratio, b))
        for ratio, b in sorted(found)[:PER_STATEMENT]:
            pairs[(min(a, b), max(a, b))] = -ratio
    return pairs


def _nearest(pk: int, day: datetime.date | None, floor: int) -> list[int]:
    """The statements (``pk`` aside) nearest ``day`` on each side in the window, and the newest undated.

    The neighbours of a statement nobody is resolved for, as _PAIRS_SQL reads them: at most
    UNRESOLVED_NEAREST of each, through the date index in order.
    """
    window = datetime.timedelta(days=WINDOW_DAYS)
    ids = Statement.objects.exclude(pk=pk).values_list("pk", flat=True)
    sides = [ids.filter(said_on__isnull=True, pk__gt=floor).order_by("-pk")]
    if day is not None:
        sides += [ids.filter(said_on__range=(day - window, day)).order_by("-said_on", "-pk"),
                  ids.filter(said_on__gt=day, said_on__lte=day + window).order_by("said_on", "pk")]
    return [pk for side in sides for pk in side[:UNRESOLVED_NEAREST]]


def _worth_review(pairs: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Keep pairs a reviewer could merge: not rejected, not a part of the other, speakers compatible.

    Speakers are compatible when they share someone or one side has nobody
    resolved (the same words with an unresolved speaker are the classic duplicate).
    """
    ids = {i for pair in pairs for i in pair}
    rows = Statement.objects.filter(pk__in=ids).values_list("pk", "review_status", "part_of_id")
    info = {pk: (status, part_of) for pk, status, part_of in rows}
    speakers: dict[int, set[int]] = {pk: set() for pk in info}
    for pk, speaker_id in Statement.speakers.through.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "speaker_id",
    ):
        speakers[pk].add(speaker_id)
    kept = {}
    for (a, b), similarity in pairs.items():
        if a not in info or b not in info:
            continue
        if Statement.Review.REJECTED in (info[a][0], info[b][0]):
            continue
        if info[a][1] == b or info[b][1] == a:
            continue
        if speakers[a] and speakers[b] and not speakers[a] & speakers[b]:
            continue
        kept[(a, b)] = similarity
    return kept


def duplicates_find(*, statement_ids: Iterable[int] | None = None, threshold: float = 0.6) -> int:
    """Offer statements that read alike as DuplicateCandidate pairs; returns how many are new.

    ``statement_ids`` limits the search to pairs involving those statements (every
    statement, batch by batch, when None: a repair run); each is compared with its
    neighbours only (see the module's docstring). Existing pairs, whatever their
    status, are left as they are: a dismissed pair is not offered again. Concurrent
    runs are settled by the pair's unique constraint, so running it twice is harmless.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    if statement_ids is None:
        new, last = 0, 0
        while ids := list(
            Statement.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
        ):
            new, last = new + duplicates_find(statement_ids=ids, threshold=threshold), ids[-1]
        return new
    ids = sorted(set(statement_ids))
    if not ids:
        return 0
    finder = _pairs_postgresql if connection.vendor == "postgresql" else _pairs_difflib
    pairs = _worth_review(finder(ids, threshold))
    if not pairs:
        return 0
    involved = {i for pair in pairs for i in pair}
    existing = set(
        DuplicateCandidate.objects.filter(first__in=involved, second__in=involved)
        .values_list("first", "second")
    )
    new = [
        DuplicateCandidate(first_id=a, second_id=b, similarity=round(sim, 4))
        for (a, b), sim in sorted(pairs.items()) if (a, b) not in existing
    ]
    DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
