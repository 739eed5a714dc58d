"""What the lists show, kept on write: counts, and the copies a speaker's timeline is read by.

``Statement.source_count`` (articles reporting it) and ``first_reported_at``, ``Article.statement_count``
(statements it reports), ``Speaker.statement_count`` (statements their timeline
shows by default) and each ``StatementSpeaker``'s ``said_on`` and ``shown`` are
derived from other rows. Every service that changes those rows calls
:func:`derived_refresh` in its transaction with the ids it touched; each update
reads only the rows of those ids (through their indexes), never a whole table,
so storing one article costs the same at a million statements as at a hundred.
``manage.py refresh_counters`` recomputes everything, in batches: after changing
``TIMELINE_MIN_CONFIDENCE``, or to repair.

Example: ``derived_refresh(statement_ids=[7, 8], article_ids=[3])``
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from quotes.models import Appearance, Article, Speaker, Statement, StatementSpeaker


def shown_condition(*, min_confidence: float | None = None) -> Q:
    """Statements a timeline shows by default: not rejected, and verified or sure enough."""
    floor = settings.TIMELINE_MIN_CONFIDENCE if min_confidence is None else min_confidence
    return ~Q(review_status=Statement.Review.REJECTED) & (
        Q(review_status=Statement.Review.VERIFIED) | Q(confidence__gte=floor)
    )


def _count(queryset, group: str, counted: str):
    """A correlated ``COUNT(DISTINCT counted)`` of ``queryset`` per ``group`` (0 for none)."""
    counts = queryset.order_by().values(group).annotate(n=Count(counted, distinct=True)).values("n")
    return Coalesce(Subquery(counts), 0)


def statements_refresh(*, statement_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """Recount the statements' sources and copy their date and visibility onto their links.

    Returns the (article ids, speaker ids) they touch, whose counts change with them.
    """
    ids = sorted(set(statement_ids))
    if not ids:
        return set(), set()
    reports = Appearance.objects.filter(statement=OuterRef("pk"))
    first = reports.order_by().values("statement").annotate(at=Min("article__published_at")).values("at")
    Statement.objects.filter(pk__in=ids).update(
        source_count=_count(reports, "statement", "article"), first_reported_at=Subquery(first),
    )
    statement = Statement.objects.filter(pk=OuterRef("statement_id"))
    links = StatementSpeaker.objects.filter(statement_id__in=ids)
    links.update(
        said_on=Subquery(statement.values("said_on")[:1]),
        shown=Exists(statement.filter(shown_condition())),
    )
    return statements_touching(statement_ids=ids)


def articles_refresh(*, article_ids: Iterable[int]) -> None:
    """Recount the statements each article reports."""
    ids = sorted(set(article_ids))
    if ids:
        Article.objects.filter(pk__in=ids).update(
            statement_count=_count(Appearance.objects.filter(article=OuterRef("pk")), "article", "statement"),
        )


def speakers_refresh(*, speaker_ids: Iterable[int]) -> None:
    """Recount the statements each speaker's timeline shows (an index range of their links)."""
    ids = sorted(set(speaker_ids))
    if ids:
        shown = StatementSpeaker.objects.filter(speaker=OuterRef("pk"), shown=True)
        Speaker.objects.filter(pk__in=ids).update(statement_count=_count(shown, "speaker", "statement"))


def derived_refresh(
    *, statement_ids: Iterable[int] = (), article_ids: Iterable[int] = (), speaker_ids: Iterable[int] = (),
) -> None:
    """Bring everything derived from these rows up to date, in a few queries.

    Name the articles and speakers of statements you deleted (they are gone from the
    links and appearances this reads); those of the statements named are found here.
    """
    articles, speakers = statements_refresh(statement_ids=statement_ids)
    articles_refresh(article_ids=articles | set(article_ids))
    speakers_refresh(speaker_ids=speakers | set(speaker_ids))


def statements_touching(*, statement_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """The (article ids, speaker ids) of these statements: read them before deleting the statements.

    One query (a UNION of the two index reads), each row tagged with what it is.
    """
    ids = list(statement_ids)
    if not ids:
        return set(), set()
    articles = Appearance.objects.filter(statement_id__in=ids).order_by()
    links = StatementSpeaker.objects.filter(statement_id__in=ids).order_by()
    rows = articles.values_list(Value("a"), "article_id").union(links.values_list(Value("s"), "speaker_id"))
    found: dict[str, set[int]] = {"a": set(), "s": set()}
    for kind, pk in rows:
        found[kind].add(pk)
    return found["a"], found["s"]


BATCH = 2000


def counters_refresh_all(*, batch: int = BATCH) -> int:
    """Recompute every derived value, ``batch`` statements (and their articles and speakers) at a time.

    For ``manage.py refresh_counters``: after TIMELINE_MIN_CONFIDENCE changes, or to repair.
    Each batch is its own short transaction. Returns how many statements were visited.
    """
    visited, last = 0, 0
    while True:
        ids = list(
            Statement.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        with transaction.atomic():
            derived_refresh(statement_ids=ids)
        visited, last = visited + len(ids), ids[-1]
    # Articles and speakers with no statement at all still need their zero.
    Article.objects.filter(statement_count__gt=0, appearances__isnull=True).update(statement_count=0)
    Speaker.objects.filter(statement_count__gt=0).exclude(statement_links__shown=True).update(statement_count=0)
    return visited


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
        .values_list("pk", "source_count", "actual")
    ):
        if stored != actual:
            wrong.append(f"statement {pk}: source_count {stored}, counted {actual}")
    for link in StatementSpeaker.objects.filter(statement__in=statements).select_related("statement"):
        shown = Statement.objects.filter(pk=link.statement_id).filter(shown_condition()).exists()
        if (link.said_on, link.shown) != (link.statement.said_on, shown):
            wrong.append(f"link {link.statement_id}/{link.speaker_id}: ({link.said_on}, {link.shown})")
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
    return wrong
