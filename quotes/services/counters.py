"""What the lists show, kept on write: counts, and the copies a speaker's timeline is read by.

``Statement.source_count`` (articles reporting it) and ``first_reported_at``, ``Article.statement_count``
(statements it reports), ``Speaker.statement_count`` (statements their timeline
shows by default), ``SpeakerMonth`` (the same per month of ``said_on``) and each
``StatementSpeaker``'s ``said_on`` and ``shown`` are
derived from other rows. Every service that changes those rows calls
:func:`derived_refresh` in its transaction with the ids it touched; each update
reads only the rows of those ids (through their indexes), never a whole table,
so storing one article costs the same at a million statements as at a hundred.
``manage.py refresh_counters`` recomputes everything, in batches: after changing
``TIMELINE_MIN_CONFIDENCE``, or to repair.

Example: ``derived_refresh(statement_ids=[7, 8], article_ids=[3])``
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth

from quotes import plain
from quotes.models import Appearance, Article, Speaker, SpeakerMonth, Statement, StatementSpeaker


def shown_condition(*, min_confidence: float | None = None) -> Q:
    """Statements a timeline shows by default: not rejected, and verified or sure enough."""
    floor = settings.TIMELINE_MIN_CONFIDENCE if min_confidence is None else min_confidence
    return ~Q(review_status=Statement.Review.REJECTED) & (
        Q(review_status=Statement.Review.VERIFIED) | Q(confidence__gte=floor)
    )


def statement_shown(statement: Statement) -> bool:
    """Whether a timeline shows ``statement`` by default: :func:`shown_condition`, read off the row.

    >>> statement_shown(Statement(review_status=Statement.Review.EXTRACTED, confidence=1.0))
    True
    >>> statement_shown(Statement(review_status=Statement.Review.REJECTED, confidence=1.0))
    False
    """
    if statement.review_status == Statement.Review.REJECTED:
        return False
    return statement.review_status == Statement.Review.VERIFIED or (
        statement.confidence >= settings.TIMELINE_MIN_CONFIDENCE
    )


def _count(queryset, group: str, counted: str):
    """A correlated ``COUNT(DISTINCT counted)`` of ``queryset`` per ``group`` (0 for none)."""
    counts = queryset.order_by().values(group).annotate(n=Count(counted, distinct=True)).values("n")
    return Coalesce(Subquery(counts), 0)


def statements_refresh(*, statement_ids: Iterable[int]) -> tuple[set[int], MonthsTouched]:
    """Recount the statements' sources and copy their date and visibility onto their links.

    Returns the (article ids, speaker ids) they touch, whose counts change with them.
    """
    ids = sorted(set(statement_ids))
    if not ids:
        return set(), MonthsTouched()
    reports = Appearance.objects.filter(statement=OuterRef("pk"))
    # Articles whose publication date was not found say nothing of when the words were first reported.
    published = Min("article__published_at", filter=Q(article__published_known=True))
    first = reports.order_by().values("statement").annotate(at=published).values("at")
    Statement.objects.filter(pk__in=ids).update(
        source_count=_count(reports, "statement", "article"), first_reported_at=Subquery(first),
    )
    statement = Statement.objects.filter(pk=OuterRef("statement_id"))
    links = StatementSpeaker.objects.filter(statement_id__in=ids)
    months = _link_months(links)  # the months they were counted in, before the copies change
    links.update(
        said_on=Subquery(statement.values("said_on")[:1]),
        shown=Exists(statement.filter(shown_condition())),
    )
    months |= _link_months(links)
    articles = set(Appearance.objects.filter(statement_id__in=ids).values_list("article_id", flat=True))
    return articles, MonthsTouched(months, ids=links.values_list("speaker_id", flat=True))


class MonthsTouched(set):
    """Speaker ids that carry the (speaker id, first day of month) pairs of their links too.

    statements_touching() and statements_refresh() return these, read from the links
    before a write deletes or re-dates them, so derived_refresh() recounts those months of
    SpeakerMonth only; the speakers of a plain set of ids have every month recounted.
    """

    def __init__(self, months: Iterable[tuple[int, datetime.date]] = (), *, ids: Iterable[int] = ()) -> None:
        self.months = set(months)
        super().__init__({speaker for speaker, _ in self.months} | set(ids))


def _link_months(links) -> set[tuple[int, datetime.date]]:
    """The (speaker id, month) pairs of these links' dates (undated ones have no month)."""
    return set(
        links.filter(said_on__isnull=False).annotate(month=TruncMonth("said_on"))
        .values_list("speaker_id", "month").distinct()
    )


def speaker_months_refresh(
    *, months: Iterable[tuple[int, datetime.date]] = (), speaker_ids: Iterable[int] = (),
) -> None:
    """Recount these (speaker id, month) SpeakerMonth rows, and every month of ``speaker_ids``.

    A month is a range of the (speaker, said_on, statement) link index, so a write that
    names its months costs what they hold, not the speaker's whole record; a speaker named
    alone (a repair, or a write that did not say which months it moved) is recounted whole.
    """
    whole = set(speaker_ids)
    pairs = {(speaker, month) for speaker, month in months if speaker not in whole}
    if not whole and not pairs:
        return
    scope = Q(speaker_id__in=sorted(whole))
    for speaker, month in sorted(pairs):
        scope |= Q(speaker_id=speaker, said_on__gte=month, said_on__lt=_next_month(month))
    counted = {
        (speaker, month): n for speaker, month, n in
        StatementSpeaker.objects.filter(scope, shown=True, said_on__isnull=False)
        .annotate(month=TruncMonth("said_on")).order_by().values("speaker_id", "month")
        .annotate(n=Count("pk")).values_list("speaker_id", "month", "n")
    }
    gone = Q(speaker_id__in=sorted(whole))
    for speaker, month in sorted(pairs - set(counted)):
        gone |= Q(speaker_id=speaker, month=month)
    SpeakerMonth.objects.filter(gone).delete()
    if counted:
        SpeakerMonth.objects.bulk_create(
            [SpeakerMonth(speaker_id=s, month=m, statement_count=n) for (s, m), n in sorted(counted.items())],
            update_conflicts=True, unique_fields=["speaker", "month"], update_fields=["statement_count"],
        )


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def articles_refresh(*, article_ids: Iterable[int]) -> None:
    """Recount the statements each article reports (a range of the appearances' (article, ...) index each).

    Written out: every stored article makes it, and the ORM took 0.8 ms to build it.
    """
    ids = sorted(set(article_ids))
    if ids:
        articles = plain.table(Article)
        plain.execute(
            f"UPDATE {articles} SET statement_count = (SELECT COUNT(DISTINCT a.statement_id) "  # noqa: S608
            f"FROM {plain.table(Appearance)} a WHERE a.article_id = {articles}.id) "
            f"WHERE id IN ({plain.placeholders(ids)})", ids,
        )


def speakers_refresh(*, speaker_ids: Iterable[int]) -> None:
    """Recount the statements each speaker's timeline shows (an index range of their links)."""
    ids = sorted(set(speaker_ids))
    if ids:
        shown = StatementSpeaker.objects.filter(speaker=OuterRef("pk"), shown=True)
        Speaker.objects.filter(pk__in=ids).update(statement_count=_count(shown, "speaker", "statement"))


def derived_refresh(
    *, statement_ids: Iterable[int] = (), article_ids: Iterable[int] = (), speaker_ids: Iterable[int] = (),
    inserted: Iterable[tuple[Statement, Iterable[int]]] = (),
) -> None:
    """Bring everything derived from these rows up to date, in a few queries.

    Name the articles and speakers of statements you deleted (they are gone from the
    links and appearances this reads); those of the statements named are found here.

    ``inserted`` are statements this transaction inserted with their derived values
    already right (``source_count`` 1, the links' ``said_on`` and ``shown`` copied: see
    :func:`statement_shown`), with their speakers' ids: they are not read again, and their
    speakers and months are counted up by what they add, unless recounted anyway (the
    speakers and months of ``statement_ids`` and ``speaker_ids``). Their articles are the
    caller's to name in ``article_ids``.
    """
    articles, speakers = statements_refresh(statement_ids=statement_ids)
    articles_refresh(article_ids=articles | set(article_ids))
    recounted = speakers | set(speaker_ids)
    speakers_refresh(speaker_ids=recounted)
    # Speakers as statements_touching() read them come with their months; others are recounted whole.
    exact = isinstance(speaker_ids, MonthsTouched)
    months = speakers.months | (speaker_ids.months if exact else set())
    whole = set() if exact else set(speaker_ids)
    speaker_months_refresh(months=months, speaker_ids=whole)
    _inserted_count(inserted, speakers_recounted=recounted, months_recounted=months, whole=whole)


def _inserted_count(
    inserted: Iterable[tuple[Statement, Iterable[int]]], *, speakers_recounted: set[int],
    months_recounted: set[tuple[int, datetime.date]], whole: set[int],
) -> None:
    """Count up the speakers and months that statements just inserted add to (two writes at most).

    Only where derived_refresh() did not recount: a recount read the new links already.
    Each write adds to the row under its lock, so two workers adding to one leader both count.
    """
    per_speaker: dict[int, int] = {}
    per_month: dict[tuple[int, datetime.date], int] = {}
    for statement, speaker_ids in inserted:
        if not statement_shown(statement):
            continue
        month = statement.said_on.replace(day=1) if statement.said_on else None
        for speaker in set(speaker_ids):
            if speaker not in speakers_recounted:
                per_speaker[speaker] = per_speaker.get(speaker, 0) + 1
            if month and speaker not in whole and (speaker, month) not in months_recounted:
                per_month[(speaker, month)] = per_month.get((speaker, month), 0) + 1
    if per_speaker:
        rows = sorted(per_speaker.items())
        cases = " ".join(["WHEN %s THEN %s"] * len(rows))
        plain.execute(
            f"UPDATE {plain.table(Speaker)} SET statement_count = statement_count + "  # noqa: S608
            f"CASE id {cases} ELSE 0 END WHERE id IN ({plain.placeholders(rows)})",
            [value for row in rows for value in row] + [pk for pk, _ in rows],
        )
    if per_month:
        table = plain.table(SpeakerMonth)
        rows = sorted(per_month.items())
        values = ", ".join(["(%s, %s, %s)"] * len(rows))
        plain.execute(
            f"INSERT INTO {table} (speaker_id, month, statement_count) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (speaker_id, month) DO UPDATE "
            f"SET statement_count = {table}.statement_count + EXCLUDED.statement_count",
            [value for (speaker, month), n in rows for value in (speaker, month, n)],
        )


def statements_touching(*, statement_ids: Iterable[int]) -> tuple[set[int], MonthsTouched]:
    """The (article ids, speaker ids) of these statements: read them before deleting the statements."""
    ids = list(statement_ids)
    links = StatementSpeaker.objects.filter(statement_id__in=ids)
    return (
        set(Appearance.objects.filter(statement_id__in=ids).values_list("article_id", flat=True)),
        MonthsTouched(_link_months(links), ids=links.values_list("speaker_id", flat=True)),
    )


BATCH = 2000


def counters_refresh_all(*, batch: int = BATCH) -> int:
    """Recompute every derived value: ``batch`` statements (and their articles) at a time, then
    ``batch`` speakers (and all their months) at a time.

    For ``manage.py refresh_counters``: after TIMELINE_MIN_CONFIDENCE changes, or to repair.
    Each batch is its own short transaction. Returns how many statements were visited.
    """
    visited, last = 0, 0
    while True:  # statements, their links' copies and their articles
        ids = list(
            Statement.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        with transaction.atomic():
            articles, _ = statements_refresh(statement_ids=ids)
            articles_refresh(article_ids=articles)
        visited, last = visited + len(ids), ids[-1]
    # Articles with no statement at all still need their zero.
    Article.objects.filter(statement_count__gt=0, appearances__isnull=True).update(statement_count=0)
    last = 0
    # Then every speaker once, with every month (a stray month row nothing links to goes too): not
    # with each batch of statements, as derived_refresh() would, for a leader is in most batches and
    # their whole record was recounted each time (at a million statements: not done after 6 min 40 s).
    while True:
        ids = list(Speaker.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            speakers_refresh(speaker_ids=ids)
            speaker_months_refresh(speaker_ids=ids)
        last = ids[-1]
    return visited


AUDIT_CHUNK = 10_000  # rows counters_audit() holds at a time from each of its long reads


def counters_audit(*, statement_ids: Iterable[int] | None = None) -> list[str]:
    """What differs from a fresh count, as readable lines (empty when all is right).

    Reads the rows named (or every row, for ``statement_ids=None``, in a repair run).
    """
    statements = Statement.objects.all() if statement_ids is None else Statement.objects.filter(
        pk__in=list(statement_ids),
    )
    wrong = []
    for pk, stored, actual in (
        statements.annotate(actual=Count("appearances__article", distinct=True))
        .values_list("pk", "source_count", "actual").iterator(chunk_size=AUDIT_CHUNK)
    ):
        if stored != actual:
            wrong.append(f"statement {pk}: source_count {stored}, counted {actual}")
    # Each link beside its statement's date and shown state, in one read (not a query per link:
    # at a million statements that was 1.5 M queries and most of a nine-minute audit).
    shown = Exists(Statement.objects.filter(shown_condition(), pk=OuterRef("statement_id")))
    for statement_id, speaker_id, said_on, is_shown, expected_on, expected_shown in (
        StatementSpeaker.objects.filter(statement__in=statements)
        .annotate(expected_on=F("statement__said_on"), expected_shown=shown)
        .values_list("statement_id", "speaker_id", "said_on", "shown", "expected_on", "expected_shown")
        .iterator(chunk_size=AUDIT_CHUNK)
    ):
        if (said_on, is_shown) != (expected_on, expected_shown):
            wrong.append(f"link {statement_id}/{speaker_id}: ({said_on}, {is_shown})")
    for pk, stored, actual in (
        Article.objects.annotate(actual=Count("appearances__statement", distinct=True))
        .values_list("pk", "statement_count", "actual")
    ):
        if stored != actual:
            wrong.append(f"article {pk}: statement_count {stored}, counted {actual}")
    shown_links = Count("statement_links", filter=Q(statement_links__shown=True))
    for pk, stored, actual in Speaker.objects.annotate(actual=shown_links).values_list(
        "pk", "statement_count", "actual",
    ):
        if stored != actual:
            wrong.append(f"speaker {pk}: statement_count {stored}, counted {actual}")
    stored_months = set(SpeakerMonth.objects.values_list("speaker_id", "month", "statement_count"))
    counted_months = set(
        StatementSpeaker.objects.filter(shown=True, said_on__isnull=False)
        .annotate(month=TruncMonth("said_on")).order_by().values("speaker_id", "month")
        .annotate(n=Count("pk")).values_list("speaker_id", "month", "n")
    )
    for speaker, month, n in sorted(stored_months ^ counted_months):
        side = "stored" if (speaker, month, n) in stored_months else "counted"
        wrong.append(f"speaker {speaker} month {month:%Y-%m}: {side} {n}")
    return wrong
