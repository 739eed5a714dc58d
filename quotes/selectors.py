"""Reads: the querysets every interface (API, pages, admin) starts from.

Each prefetches what its callers render, so a page of statements costs a fixed
number of queries however many statements, speakers and articles it shows.
"""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Prefetch, Q, QuerySet

from quotes.models import Appearance, Article, Role, Speaker, SpeakerAlias, Statement


def appearances_with_sources() -> QuerySet[Appearance]:
    """Appearances with their article and outlet, oldest report first."""
    return Appearance.objects.select_related("article__outlet").order_by("article__published_at", "pk")


def _not_rejected(prefix: str = "") -> Q:
    # A reviewer said it is wrong: no reader sees it, whatever its confidence.
    return ~Q(**{f"{prefix}review_status": Statement.Review.REJECTED})


def above_floor(*, min_confidence: float, prefix: str = "") -> Q:
    """Statements a reader is shown: verified by a person, or found with ``min_confidence`` or more.

    The one place the confidence floor is decided; ``prefix`` reaches it
    through a relation. A floor of 0 lets everything through.

    >>> Statement.objects.filter(above_floor(min_confidence=0.5))  # doctest: +SKIP
    """
    return Q(**{f"{prefix}review_status": Statement.Review.VERIFIED}) | Q(
        **{f"{prefix}confidence__gte": min_confidence}
    )


def statement_list(*, include_rejected: bool = False) -> QuerySet[Statement]:
    """Statements with speakers, appearances, source count and first report.

    Rejected statements are hidden unless asked for: a reviewer said they are wrong.
    """
    qs = Statement.objects.all()
    if not include_rejected:
        qs = qs.filter(_not_rejected())
    return (
        qs.annotate(
            source_count=Count("appearances__article", distinct=True),
            first_reported=Min("appearances__article__published_at"),
        )
        .prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("name")),
            Prefetch("appearances", queryset=appearances_with_sources()),
        )
        .order_by("said_on", "pk")
    )


def speaker_list(*, min_confidence: float = 0) -> QuerySet[Speaker]:
    """Speakers with their aliases, roles and the number of visible statements.

    The count is what speaker_timeline() lists with the same ``min_confidence``.
    """
    prefix = "statements__"
    visible = _not_rejected(prefix) & above_floor(min_confidence=min_confidence, prefix=prefix)
    return Speaker.objects.annotate(
        statement_count=Count("statements", filter=visible, distinct=True)
    ).prefetch_related(
        Prefetch("aliases", queryset=SpeakerAlias.objects.order_by("kind", "name")),
        Prefetch("roles", queryset=Role.objects.order_by("-start")),
    ).order_by("name")


def speaker_timeline(*, speaker: Speaker, min_confidence: float = 0) -> QuerySet[Statement]:
    """The speaker's statements in date order, undated ones last, each marked ``above_floor``.

    Every non-rejected statement is here; ``filter(above_floor=True)`` keeps
    what a reader sees by default, ``filter(above_floor=False)`` what is hidden.
    """
    return (
        statement_list()
        .filter(speakers=speaker)
        .annotate(above_floor=ExpressionWrapper(
            above_floor(min_confidence=min_confidence), output_field=BooleanField(),
        ))
        # nulls_last: PostgreSQL does this by default, SQLite puts NULLs first.
        .order_by(F("said_on").asc(nulls_last=True), "first_reported", "pk")
    )


def article_list() -> QuerySet[Article]:
    """Articles with outlet and statement count, newest first."""
    return (
        Article.objects.select_related("outlet")
        .annotate(statement_count=Count("appearances__statement", distinct=True))
        .order_by("-published_at", "-pk")
    )


def role_on(*, speaker: Speaker, day) -> Role | None:
    """The role ``speaker`` held on ``day``, from already prefetched roles when present."""
    if day is None:
        return None
    for role in speaker.roles.all():
        if (role.start is None or role.start <= day) and (role.end is None or role.end >= day):
            return role
    return None
