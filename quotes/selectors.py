"""Reads: the querysets every interface (API, pages, admin) starts from.

Each prefetches what its callers render, so a page of statements costs a fixed
number of queries however many statements, speakers and articles it shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, FloatField, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.text import slugify

from quotes import names
from quotes.keyset import Order
from quotes.models import (
    Appearance,
    Article,
    DuplicateCandidate,
    Role,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementSpeaker,
)
from quotes.normalize import normalize_name, normalize_text

# The orders lists are paged in (quotes.keyset), each the order of an index (quotes.models).
# Statements by date, undated last: statement_said_on_id; by first report: statement_first_reported_id.
STATEMENTS_BY_DATE = Order("said_on", nullable=True)
STATEMENTS_BY_DATE_DESC = Order("said_on", nullable=True, descending=True)
STATEMENTS_BY_FIRST_REPORT = Order("first_reported_at", kind="datetime", nullable=True)
STATEMENTS_BY_FIRST_REPORT_DESC = Order("first_reported_at", kind="datetime", nullable=True, descending=True)
# One speaker's statements: the link index (speaker, said_on, statement), see statements_by_speaker().
SPEAKER_STATEMENTS_BY_DATE = Order("link_said_on", "link_statement_id", nullable=True)
SPEAKER_STATEMENTS_BY_DATE_DESC = Order("link_said_on", "link_statement_id", nullable=True, descending=True)
# Search results, best first, among at most SEARCH_CANDIDATES rows (statements_top_ranked()).
STATEMENTS_BY_RANK = Order("search_rank", kind="float", descending=True)
SPEAKERS_BY_NAME = Order("name", kind="str")  # speaker_by_name
ARTICLES_NEWEST_FIRST = Order("published_at", kind="datetime", descending=True)  # article_newest_first
DUPLICATES_MOST_SIMILAR = Order("similarity", kind="float", descending=True)  # duplicate_by_similarity
SEARCH_CANDIDATES = 500


def _roles(prefix: str = "") -> Prefetch:
    """Roles newest first, as role_on() reads them; ``prefix`` reaches them through a relation."""
    return Prefetch(f"{prefix}roles", queryset=Role.objects.order_by("-start"))


def _speakers_by_name(prefix: str = "") -> Prefetch:
    return Prefetch(f"{prefix}speakers", queryset=Speaker.objects.order_by("name"))


def appearances_with_sources() -> QuerySet[Appearance]:
    """Appearances with their article (without its text) and outlet, oldest report first."""
    return (
        Appearance.objects.select_related("article__outlet").defer("article__text")
        .order_by("article__published_at", "pk")
    )


def _not_rejected(prefix: str = "") -> Q:
    # A reviewer said it is wrong: no reader sees it, whatever its confidence.
    return ~Q(**{f"{prefix}review_status": Statement.Review.REJECTED})


def above_floor(*, min_confidence: float, prefix: str = "") -> Q:
    """Statements a reader is shown: verified by a person, or found with ``min_confidence`` or more.

    The one place the confidence floor is decided; ``prefix`` reaches it
    through a relation. A floor of 0 lets everything through.

    Example: ``Statement.objects.filter(above_floor(min_confidence=0.5))``
    """
    return Q(**{f"{prefix}review_status": Statement.Review.VERIFIED}) | Q(
        **{f"{prefix}confidence__gte": min_confidence}
    )


def statement_list(*, include_rejected: bool = False, with_roles: bool = False) -> QuerySet[Statement]:
    """Statements with speakers, appearances, source count and first report.

    Rejected statements are hidden unless asked for: a reviewer said they are wrong.
    ``with_roles`` also prefetches each speaker's roles, for the role held on the day.
    The counts and dates are stored columns (quotes.services.counters): no aggregate here.
    """
    qs = Statement.objects.all()
    if not include_rejected:
        qs = qs.filter(_not_rejected())
    qs = (
        qs.annotate(first_reported=F("first_reported_at"))
        .prefetch_related(
            _speakers_by_name(), Prefetch("appearances", queryset=appearances_with_sources()),
        )
        .order_by("said_on", "pk")
    )
    return qs.prefetch_related(_roles("speakers__")) if with_roles else qs


def article_statements(*, article: Article) -> QuerySet[Statement]:
    """The (non-rejected) statements an article reports, as the API shows them."""
    reported = Appearance.objects.filter(article=article).values("statement_id")
    return statement_list(with_roles=True).filter(pk__in=reported)


def statements_in_bulk(*, ids: list[int]) -> dict[int, Statement]:
    """The statements with these ids, by id (missing ids are simply absent)."""
    return Statement.objects.in_bulk(ids)


def speaker_list() -> QuerySet[Speaker]:
    """Speakers with their aliases, roles and ``statement_count``, by name.

    The count is the stored number of statements their timeline shows by default
    (not rejected; verified or at least TIMELINE_MIN_CONFIDENCE sure).
    """
    return Speaker.objects.prefetch_related(
        Prefetch("aliases", queryset=SpeakerAlias.objects.order_by("kind", "name")), _roles(),
    ).order_by("name", "pk")


def speaker_with_roles() -> QuerySet[Speaker]:
    """Speakers with their roles prefetched: ``speaker_with_roles().get(slug=...)`` for one page."""
    return Speaker.objects.prefetch_related(_roles())


def speaker_refs() -> QuerySet[Speaker]:
    """Every speaker, unannotated: what a slug in a request or filter is looked up in."""
    return Speaker.objects.all()


def speakers_in_bulk(*, slugs: list[str]) -> dict[str, Speaker]:
    """The speakers with these slugs, by slug (missing slugs are simply absent)."""
    return Speaker.objects.in_bulk(slugs, field_name="slug")


def speaker_timeline(*, speaker: Speaker, min_confidence: float = 0) -> QuerySet[Statement]:
    """The speaker's statements in date order, undated ones last, each marked ``above_floor``.

    Every non-rejected statement is here; ``filter(above_floor=True)`` keeps
    what a reader sees by default, ``filter(above_floor=False)`` what is hidden.
    """
    return (
        statements_by_speaker(statement_list(), speaker=speaker)
        .annotate(above_floor=ExpressionWrapper(
            above_floor(min_confidence=min_confidence), output_field=BooleanField(),
        ))
        # The order of the (speaker, said_on, statement) index on the links, so a page is a
        # range of it (SPEAKER_STATEMENTS_BY_DATE). nulls_last: PostgreSQL's default, SQLite
        # puts NULLs first.
        .order_by(F("link_said_on").asc(nulls_last=True), "link_statement_id")
    )


def statements_by_speaker(queryset: QuerySet[Statement], *, speaker: Speaker) -> QuerySet[Statement]:
    """``queryset``'s statements by ``speaker``, with ``link_said_on`` and ``link_statement_id``.

    Both are read from the speaker's link (one join, made once here: a later filter on
    ``speaker_links__...`` would join again), so paging by them with
    SPEAKER_STATEMENTS_BY_DATE is a range of the (speaker, said_on, statement) index.
    """
    return queryset.filter(speaker_links__speaker=speaker).annotate(
        link_said_on=F("speaker_links__said_on"), link_statement_id=F("speaker_links__statement_id"),
    )


def statement_search(queryset: QuerySet[Statement], *, text: str) -> QuerySet[Statement]:
    """``queryset``'s statements that contain the words of ``text``.

    On PostgreSQL: full-text search (English stemming, websearch syntax: "a phrase",
    -excluded, or), through the GIN index on ``to_tsvector('english', text)``, with a
    ``search_rank`` annotation to order by (see statements_top_ranked()). A query of
    stop words alone ("it's", "we will") has no lexeme to look up: it, and every
    search elsewhere (SQLite, for development), matches each folded word as a
    substring of the folded text (PostgreSQL has a trigram index for that LIKE).

    Example: ``statement_search(statement_list(), text='"cut taxes" -budget')``
    """
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and _has_lexemes(connection, text):
        # The expression must read exactly as the index's (migration 0004) for the index to be used.
        document = SearchVector("text", config="english")
        query = SearchQuery(text, config="english", search_type="websearch")
        # ts_rank is a float4, which comes back rounded in its text form: as double precision
        # it reads back exactly, so a cursor compares equal to the row it was made from.
        return queryset.alias(search_document=document).filter(search_document=query).annotate(
            search_rank=Cast(SearchRank(document, query), FloatField()),
        )
    # The folded text ignores case, punctuation and curly-vs-straight quote marks.
    for word in normalize_text(text).split():
        queryset = queryset.filter(normalized_text__contains=word)
    return queryset


def _has_lexemes(connection, text: str) -> bool:
    """Whether PostgreSQL's English search finds a word to look up in ``text`` (not only stop words)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s)) > 0", [text])
        return cursor.fetchone()[0]


def statements_top_ranked(
    queryset: QuerySet[Statement], *, limit: int = SEARCH_CANDIDATES,
) -> QuerySet[Statement]:
    """The newest ``limit`` statements of a searched ``queryset``, to be ordered by rank.

    Ranking reads each match's text, so it is bounded: a common word must not make a
    request rank a hundred thousand rows. The newest are taken from the GIN index's
    matches: ``pk + 0`` keeps PostgreSQL from walking the primary key backwards instead,
    computing to_tsvector for every row it passes (seconds for a rare pair of words).
    """
    newest = queryset.order_by((F("pk") + 0).desc()).values("pk")[:limit]
    return queryset.filter(pk__in=Subquery(newest))


def speaker_hidden_count(
    *, speaker: Speaker, min_confidence: float, kinds: list[str] | None = None, limit: int = 100,
) -> int:
    """How many of the speaker's statements the floor hides, counting no further than ``limit + 1``.

    Reads the links the stored ``shown`` flag marks (the partial index
    statement_speaker_hidden), so a speaker with 100,000 statements and a handful hidden
    costs a handful of rows; after changing the floor, ``manage.py refresh_counters``
    updates the flags. ``kinds`` keeps only statements of those kinds.
    """
    links = (
        StatementSpeaker.objects.filter(speaker=speaker, shown=False)
        .exclude(statement__review_status=Statement.Review.REJECTED)
        .exclude(above_floor(min_confidence=min_confidence, prefix="statement__"))
    )
    if kinds is not None:
        links = links.filter(statement__kind__in=kinds)
    return links.values("pk")[: limit + 1].count()


def speaker_cards() -> QuerySet[Speaker]:
    """Speakers with what the speaker list page shows (name, description, stored count), by name."""
    return Speaker.objects.only("name", "slug", "description", "statement_count").order_by("name", "pk")


def article_list() -> QuerySet[Article]:
    """Articles with outlet and (stored) statement count, newest first, without their text."""
    return Article.objects.select_related("outlet").defer("text").order_by("-published_at", "-pk")


def article_brief(*, article_id: int) -> Article | None:
    """An article's id, title and text alone (to name it in a message), or None."""
    return Article.objects.filter(pk=article_id).only("pk", "title", "text").first()


def article_id_with_text(*, digest: str, other_than: int | None = None) -> int | None:
    """The id of the article stored with this text hash (other than ``other_than``), or None."""
    articles = Article.objects.exclude(pk=other_than) if other_than is not None else Article.objects
    return articles.filter(content_hash=digest).values_list("pk", flat=True).first()


def duplicate_candidate_list() -> QuerySet[DuplicateCandidate]:
    """Near-duplicate pairs with both statements and their speakers, most similar first."""
    return (
        DuplicateCandidate.objects.select_related("first", "second")
        .prefetch_related(_speakers_by_name("first__"), _speakers_by_name("second__"))
        .order_by("-similarity", "-pk")
    )


def duplicate_candidates_open_count(*, statement_id: int) -> int:
    """How many open near-duplicate pairs a statement is part of."""
    return DuplicateCandidate.objects.filter(
        Q(first_id=statement_id) | Q(second_id=statement_id), status=DuplicateCandidate.Status.OPEN,
    ).count()


def role_on(*, speaker: Speaker, day) -> Role | None:
    """The role ``speaker`` held on ``day``, from already prefetched roles when present."""
    if day is None:
        return None
    for role in speaker.roles.all():
        if (role.start is None or role.start <= day) and (role.end is None or role.end >= day):
            return role
    return None


# Speakers by name ----------------------------------------------------------------------

_NAME_KINDS = (SpeakerAlias.Kind.FULL_NAME, SpeakerAlias.Kind.SHORT_NAME, SpeakerAlias.Kind.VARIANT)


@dataclass(frozen=True)
class SpeakerMatch:
    """The speaker a name resolves to, or the candidates when it is ambiguous."""

    speaker: Speaker | None
    candidates: tuple[Speaker, ...] = ()


def _valid_on(day: datetime.date | None, start: str = "valid_from", end: str = "valid_to") -> Q:
    if day is None:
        return Q()
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    )


def _role_holder_ids(keys: set[str], on_date: datetime.date | None) -> set[int]:
    """Speakers whose Role rows valid on ``on_date`` derive one of ``keys``."""
    bare = {names.strip_determiner(k) for k in keys}
    roles = Role.objects.filter(_valid_on(on_date, "start", "end")).values_list(
        "speaker_id", "title", "organization",
    )
    return {sid for sid, title, org in roles if bare & names.role_phrases(title, org)}


def _alias_ids(keys: set[str], on_date: datetime.date | None, kinds=None) -> dict[str, set[int]]:
    """Speaker ids per folded alias among ``keys`` that is valid on ``on_date``."""
    qs = SpeakerAlias.objects.filter(Q(normalized__in=keys) & _valid_on(on_date))
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    found: dict[str, set[int]] = {}
    for normalized, speaker_id in qs.values_list("normalized", "speaker_id"):
        found.setdefault(normalized, set()).add(speaker_id)
    return found


def _match_whole(name: str, key: str, on_date: datetime.date | None) -> set[int]:
    """Speakers the whole phrase names: an alias, their own name, or a role valid on the date."""
    keys = names.key_variants(key)
    ids = set().union(*_alias_ids(keys, on_date).values())
    ids |= set(Speaker.objects.filter(name__iexact=name.strip()).values_list("pk", flat=True))
    return ids | _role_holder_ids(keys, on_date)


def _match_titled(words: list[str], on_date: datetime.date | None) -> set[int]:
    """Speakers named after a title: "Japanese Prime Minister Shigeru Ishiba", "Mr Kim".

    The longest known name at the end wins, and only when every word before it
    reads as a title. If that name is ambiguous ("leader Kim"), a role phrase in
    front that names one of the candidates on the date settles it.
    """
    suffixes = {" ".join(words[i:]): i for i in range(1, len(words))}
    found = _alias_ids(set(suffixes), on_date, kinds=_NAME_KINDS)
    for suffix in sorted(found, key=lambda s: suffixes[s]):
        prefix = words[: suffixes[suffix]]
        prefix_key = " ".join(prefix)
        prefix_keys = names.key_variants(prefix_key)
        holders = _role_holder_ids(prefix_keys, on_date) | set().union(
            *_alias_ids(prefix_keys, on_date, kinds=[SpeakerAlias.Kind.ROLE_PHRASE]).values()
        )
        if not holders and not names.is_title_like(prefix):
            continue
        ids = found[suffix]
        return (ids & holders) or ids
    return set()


def speaker_match(*, name: str, on_date: datetime.date | None = None) -> SpeakerMatch:
    """Find who ``name`` means on ``on_date`` without creating anyone.

    An alias or name wins; a role phrase counts only while valid on the date;
    a title in front of a known name is set aside. Two or more matches are
    returned as candidates, never guessed between.
    """
    key = normalize_name(name)
    if not key or key in names.PRONOUNS:
        return SpeakerMatch(None)
    ids = _match_whole(name, key, on_date)
    if not ids:
        words = key.split()
        ids = _match_titled(words, on_date) if len(words) > 1 else set()
    speakers = tuple(Speaker.objects.filter(pk__in=ids).order_by("pk"))
    if len(speakers) == 1:
        return SpeakerMatch(speakers[0])
    return SpeakerMatch(None, candidates=speakers)


def speaker_slug_free(*, name: str) -> str:
    """A slug for ``name`` that no speaker has yet: ``kim-jong-un``, else ``kim-jong-un-2``..."""
    base = slugify(name)[:180] or "speaker"
    slug, n = base, 2
    while Speaker.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
