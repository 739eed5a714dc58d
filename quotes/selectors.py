"""Reads: the querysets every interface (API, pages, admin) starts from.

Each prefetches what its callers render, so a page of statements costs a fixed
number of queries however many statements, speakers and articles it shows.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.db.models.functions import Cast
from django.utils.text import slugify

from quotes import names, plain
from quotes.keyset import Order, Walk
from quotes.models import (
    Appearance,
    Article,
    DuplicateCandidate,
    Feed,
    Outlet,
    Role,
    Speaker,
    SpeakerAlias,
    SpeakerMonth,
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
FEEDS_BY_URL = Order("url", kind="str")  # the feed URL's unique index
SEARCH_CANDIDATES = 500
# One speaker's: each candidate is found through their links (a walk of their own entries in
# statement_speaker_newest_search, then a look-up of the statement's review state, then its rank
# from the link): 500 cost a ranked page 10 ms of SQL at 1M statements, 200 cost 4.
SPEAKER_SEARCH_CANDIDATES = 200


def _roles(prefix: str = "") -> Prefetch:
    """Roles newest first, as role_on() reads them; ``prefix`` reaches them through a relation."""
    return Prefetch(f"{prefix}roles", queryset=Role.objects.order_by("-start"))


def _speakers_by_name(prefix: str = "") -> Prefetch:
    return Prefetch(f"{prefix}speakers", queryset=Speaker.objects.order_by("name", "pk"))


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


# What a list row of statement_rows() holds of the statement itself (quotes.api.serializers).
STATEMENT_ROW_FIELDS = (
    "id", "text", "kind", "said_on", "said_on_precision", "said_on_method", "date_conflict", "review_status",
    "confidence", "source_count", "first_reported_at", "part_of",
)
_SOURCE_ROW_FIELDS = (
    "id", "statement_id", "article_id", "article__title", "article__url", "article__outlet__name",
    "article__published_at", "article__published_known", "speaker_as_written", "cue", "start", "end",
    "source_start", "source_end", "cue_start", "cue_end", "context", "said_on", "said_on_precision",
    "said_on_method", "date_evidence", "reported_via", "kind", "confidence", "pieces", "extractor_version",
)


class RoleRow(NamedTuple):
    """A role as statement_rows_related() reads it; role_in() takes these as it takes Role objects."""

    title: str
    organization: str
    start: datetime.date | None
    end: datetime.date | None


class SpeakerRow(NamedTuple):
    """A speaker of a statement row: who, and every role they held (newest first, as _roles())."""

    slug: str
    name: str
    roles: list[RoleRow]


def statement_rows(*, include_rejected: bool = False) -> QuerySet[Statement]:
    """Statements as dicts of STATEMENT_ROW_FIELDS, in statement_list()'s order: the lists' read-only path.

    No model instances and no prefetch: filter it as statement_list() (the annotations a
    filter adds, ``link_said_on``, ``search_rank``, stay in each row for the keyset cursor),
    then complete a page with statement_rows_related().

    Example: ``statement_rows_related(list(statement_rows()[:20]))``
    """
    qs = Statement.objects.all() if include_rejected else Statement.objects.filter(_not_rejected())
    return qs.order_by("said_on", "pk").values(*STATEMENT_ROW_FIELDS)


def statement_rows_related(rows: list[dict]) -> list[dict]:
    """``rows`` of statement_rows(), each given ``speakers`` and ``appearances``, in three queries.

    ``speakers``: SpeakerRow by name, with their roles. ``appearances``: dicts of
    _SOURCE_ROW_FIELDS, oldest report first (as appearances_with_sources() orders them).
    Written out (quotes.plain): every API list page makes these three reads, and the ORM
    spent twice as long building them as the database answering them.
    """
    ids = [row["id"] for row in rows]
    if not ids:
        return rows
    speakers = statement_speakers(statement_ids=ids, with_roles=True)
    sources: dict[int, list[dict]] = {}
    for source in _appearance_rows(ids, _SOURCE_ROW_FIELDS, as_dicts=True):
        sources.setdefault(source["statement_id"], []).append(source)
    for row in rows:
        row["speakers"] = speakers.get(row["id"], [])
        row["appearances"] = sources.get(row["id"], [])
    return rows


def statement_speakers(*, statement_ids: list[int], with_roles: bool = False) -> dict[int, list[SpeakerRow]]:
    """Each statement's speakers (SpeakerRow, by name; a statement with none is left out), with every
    role they held when ``with_roles`` (else ``roles`` is empty). Each speaker is read by key.

    Written out (quotes.plain): the lists, the search page and the home page read these on every
    request; prefetched by the ORM (``speakers`` joined to the links) the planner hashed every
    speaker for a page's few dozen links, and the ORM took four times the read's time.
    One read without the roles (each link's speaker looked up by key in it), two with them.
    """
    if not statement_ids:
        return {}
    found: dict[int, list[SpeakerRow]] = {}
    in_ids = plain.placeholders(statement_ids)
    if not with_roles:
        speaker = f"FROM {plain.table(Speaker)} s WHERE s.id = l.speaker_id"
        for statement_id, slug, name in plain.rows(
            f"SELECT l.statement_id, (SELECT s.slug {speaker}) AS slug, (SELECT s.name {speaker}) AS name "  # noqa: S608
            f"FROM {plain.table(StatementSpeaker)} l WHERE l.statement_id IN ({in_ids}) "
            "ORDER BY name, l.speaker_id", statement_ids,
        ):
            found.setdefault(statement_id, []).append(SpeakerRow(slug, name, []))
        return found
    links: dict[int, list[int]] = {}
    for statement_id, speaker_id in plain.rows(
        f"SELECT statement_id, speaker_id FROM {plain.table(StatementSpeaker)} "  # noqa: S608
        f"WHERE statement_id IN ({in_ids})", statement_ids,
    ):
        links.setdefault(statement_id, []).append(speaker_id)
    # Each speaker once, by primary key, with their roles: named in order (name, id), roles newest first.
    speakers: dict[int, SpeakerRow] = {}
    wanted = sorted({speaker_id for ids in links.values() for speaker_id in ids})
    if wanted:
        for speaker_id, slug, name, *role in plain.typed_rows(
            f"SELECT s.id, s.slug, s.name, r.title, r.organization, r.start, r.{plain.column(Role, 'end')} "  # noqa: S608
            f"FROM {plain.table(Speaker)} s LEFT JOIN {plain.table(Role)} r ON r.speaker_id = s.id "
            f"WHERE s.id IN ({plain.placeholders(wanted)}) ORDER BY s.name, s.id, r.start DESC",
            wanted, _SPEAKER_ROLE_FIELDS,
        ):
            speaker = speakers.setdefault(speaker_id, SpeakerRow(slug, name, []))
            if role[0] is not None:
                speaker.roles.append(RoleRow(*role))
    rank = {speaker_id: n for n, speaker_id in enumerate(speakers)}
    return {statement_id: [speakers[pk] for pk in sorted(ids, key=rank.__getitem__)]
            for statement_id, ids in links.items()}


# statement_rows_related()'s speakers and roles: the roles' dates are the columns to convert.
_SPEAKER_ROLE_FIELDS = (None,) * 5 + (Role._meta.get_field("start"), Role._meta.get_field("end"))


def _appearance_rows(statement_ids: list[int], keys: tuple[str, ...], *, as_dicts: bool = False) -> list:
    """The appearances of these statements, oldest report first (as appearances_with_sources()
    orders them), each the values of ``keys`` (as ``.values_list()`` names them: ``article__title``),
    as lists or dicts: written out, for the lists' and timelines' pages, which read them on every
    request and where the ORM building the query cost more than the database answering it."""
    select, fields = _appearance_select(keys)
    sql = (
        f"SELECT {select} FROM {plain.table(Appearance)} a "  # noqa: S608
        f"JOIN {plain.table(Article)} ar ON ar.id = a.article_id "
        f"LEFT JOIN {plain.table(Outlet)} o ON o.id = ar.outlet_id "
        f"WHERE a.statement_id IN ({plain.placeholders(statement_ids)}) ORDER BY ar.published_at, a.id"
    )
    if as_dicts:
        return plain.dict_rows(sql, statement_ids, list(zip(keys, fields, strict=True)))
    return plain.typed_rows(sql, statement_ids, fields)


@functools.cache  # a few key lists, each the same all the process long
def _appearance_select(keys: tuple[str, ...]) -> tuple[str, list]:
    """_appearance_rows()'s select list for ``keys`` (of the appearance ``a``, its article ``ar``,
    the article's outlet ``o``) and the model field each column reads."""
    aliases = {(): "a", ("article",): "ar", ("article", "outlet"): "o"}
    select, fields = [], []
    for key in keys:
        *path, name = key.split("__")
        model = Appearance
        for step in path:
            model = model._meta.get_field(step).related_model
        field = model._meta.get_field(name)
        select.append(f"{aliases[tuple(path)]}.{plain.column(model, field.name)}")
        fields.append(field)
    return ", ".join(select), fields


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


def speaker_by_slug(*, slug: str) -> Speaker | None:
    """The speaker with this slug, or None: one written-out read (every request naming a speaker
    in a filter makes it; the ORM's get() cost 1 ms of Python for 0.05 ms of database work)."""
    found = _speaker_rows(slug, with_roles=False)
    return _speaker_from(found[0]) if found else None


def speaker_with_roles(*, slug: str) -> Speaker | None:
    """The speaker with this slug and their roles (newest first, as _roles() prefetches them), or None.

    One written-out query for what a timeline page reads first on every request (the ORM's get
    and prefetch cost 1.3 ms, this 0.3): model instances, ``speaker.roles.all()`` answered from
    them as from a prefetch, without a query.
    """
    found = _speaker_rows(slug, with_roles=True)
    if not found:
        return None
    speaker = _speaker_from(found[0])
    split = len(Speaker._meta.concrete_fields)
    role_names = [f.attname for f in Role._meta.concrete_fields]
    db = connection.alias
    roles = [Role.from_db(db, role_names, row[split:]) for row in found if row[split] is not None]
    for role in roles:
        Role.speaker.field.set_cached_value(role, speaker)
    # As prefetch_related() leaves it: the related manager's queryset holding its rows.
    cached = speaker.roles.all()
    cached._result_cache, cached._prefetch_done = roles, True
    speaker._prefetched_objects_cache = {Role.speaker.field.remote_field.cache_name: cached}
    return speaker


def _speaker_rows(slug: str, *, with_roles: bool) -> list:
    """The speaker with ``slug`` as typed rows of every concrete column; ``with_roles``: one row per
    role, its columns after the speaker's (LEFT JOIN: one row of NULLs for none), newest first."""
    sql, fields = _speaker_select(with_roles)
    return plain.typed_rows(sql, [slug], fields)


@functools.cache  # two statements, the same all the process long
def _speaker_select(with_roles: bool) -> tuple[str, list]:
    speaker_fields = list(Speaker._meta.concrete_fields)
    select = [f"s.{plain.column(Speaker, f.name)}" for f in speaker_fields]
    joined, order, fields = "", "", speaker_fields
    if with_roles:
        role_fields = list(Role._meta.concrete_fields)
        select += [f"r.{plain.column(Role, f.name)}" for f in role_fields]
        joined = f" LEFT JOIN {plain.table(Role)} r ON r.speaker_id = s.id"
        order, fields = " ORDER BY r.start DESC, r.id", speaker_fields + role_fields
    sql = f"SELECT {', '.join(select)} FROM {plain.table(Speaker)} s{joined} WHERE s.slug = %s{order}"  # noqa: S608
    return sql, fields


def _speaker_from(row) -> Speaker:
    fields = Speaker._meta.concrete_fields
    return Speaker.from_db(connection.alias, [f.attname for f in fields], row[:len(fields)])


def speaker_refs() -> QuerySet[Speaker]:
    """Every speaker, unannotated: what a slug in a request or filter is looked up in."""
    return Speaker.objects.all()


def speakers_in_bulk(*, slugs: list[str]) -> dict[str, Speaker]:
    """The speakers with these slugs, by slug (missing slugs are simply absent)."""
    return Speaker.objects.in_bulk(slugs, field_name="slug")


# What a timeline entry shows of a statement (quotes/templates/quotes/speaker_timeline.html).
_TIMELINE_FIELDS = (
    "text", "kind", "said_on", "said_on_precision", "said_on_method", "date_conflict", "first_reported_at",
    "source_count", "review_status", "confidence",
)


class SourceRow(NamedTuple):
    """Where a statement was reported, as a timeline entry lists it (statement_sources())."""

    statement_id: int
    article_id: int
    context: str
    title: str
    url: str | None
    published_at: datetime.datetime
    outlet: str | None
    speaker_as_written: str = ""
    cue: str = ""
    reported_via: str = ""  # who relayed the words, and the words that dated them (issue #13)
    date_evidence: str = ""
    published_known: bool = True  # False: published_at is when the article came in (issue #14)


# What statement_sources() reads, in SourceRow's order.
_TIMELINE_SOURCE_FIELDS = (
    "statement_id", "article_id", "context", "article__title", "article__url", "article__published_at",
    "article__outlet__name", "speaker_as_written", "cue", "reported_via", "date_evidence",
    "article__published_known",
)


def statement_sources(*, statement_ids: list[int]) -> dict[int, list[SourceRow]]:
    """The appearances of these statements, oldest report first, by statement id, in one query.

    Only what a timeline entry shows (the sentence around it; the article's title, URL,
    date and outlet), as plain rows: a page of 50 statements reads ~80 of them, and model
    instances (appearance, article, outlet) cost more than the query.
    """
    if not statement_ids:
        return {}
    rows = _appearance_rows(statement_ids, _TIMELINE_SOURCE_FIELDS)
    found: dict[int, list[SourceRow]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(SourceRow(*row))
    return found


def speaker_timeline(*, speaker: Speaker, min_confidence: float = 0) -> QuerySet[Statement]:
    """The speaker's statements in date order, undated ones last, each marked ``above_floor``.

    Every non-rejected statement is here; ``filter(above_floor=True)`` keeps
    what a reader sees by default, ``filter(above_floor=False)`` what is hidden.
    Each has ``first_reported`` and only the columns the timeline shows: its speaker is
    ``speaker``, so no speakers are read; where a page's statements were reported is
    statement_sources()'s to read.
    """
    statements = Statement.objects.filter(_not_rejected()).only(*_TIMELINE_FIELDS)
    return (
        statements_by_speaker(statements, speaker=speaker)
        .annotate(
            first_reported=F("first_reported_at"),
            above_floor=ExpressionWrapper(
                above_floor(min_confidence=min_confidence), output_field=BooleanField(),
            ),
        )
        # The order of the (speaker, said_on, statement) index on the links, so a page is a
        # range of it (SPEAKER_STATEMENTS_BY_DATE). nulls_last: PostgreSQL's default, SQLite
        # puts NULLs first.
        .order_by(F("link_said_on").asc(nulls_last=True), "link_statement_id")
    )


# A timeline row (timeline_rows()): the statement's columns, the floor mark and the link's keys.
TIMELINE_ROW_FIELDS = ("id", *_TIMELINE_FIELDS, "above_floor", "link_said_on", "link_statement_id")


def timeline_rows(queryset: QuerySet[Statement]) -> QuerySet[Statement]:
    """speaker_timeline()'s statements (filtered as the page asks) as dicts of TIMELINE_ROW_FIELDS.

    Plain rows, no model instances: a page of 50 is shaped and rendered from them.
    An annotation a filter added and the page does not show (``search_rank``) is not selected.
    """
    return queryset.values(*TIMELINE_ROW_FIELDS)


def statements_by_speaker(queryset: QuerySet[Statement], *, speaker: Speaker) -> QuerySet[Statement]:
    """``queryset``'s statements by ``speaker``, with ``link_said_on`` and ``link_statement_id``.

    Both are read from the speaker's link (one join, made once here: a later filter on
    ``speaker_links__...`` would join again), so paging by them with
    SPEAKER_STATEMENTS_BY_DATE is a range of the (speaker, said_on, statement) index.
    """
    return queryset.filter(speaker_links__speaker=speaker).annotate(
        link_said_on=F("speaker_links__said_on"), link_statement_id=F("speaker_links__statement_id"),
    ).alias(link_speaker_id=Value(speaker.pk))  # whose links: statement_search() looks their matches up


def speaker_walk_needed(
    queryset: QuerySet[Statement], *, said_after: datetime.date | None = None,
    said_before: datetime.date | None = None, words_only: bool = False,
) -> QuerySet[Statement]:
    """Mark statements_by_speaker()'s ``queryset`` as narrowed by what no index range serves.

    Kind, review state, confidence or words: a page of them walks the speaker's links until it
    is full, a whole leader's record for a rare one. Pages of a marked queryset are bounded
    walks (speaker_walk()). ``said_after`` / ``said_before``: the date range ``queryset`` is
    read in, which the walk keeps to. ``words_only``: narrowed by words alone, which
    statement_search() may have found common at the start of the record (no walk then).
    """
    annotations = queryset.query.annotations
    if "speaker_walk" in annotations:  # marked already (by the filters, then the page)
        if words_only or "speaker_walk_not_words" in annotations:
            return queryset
        return queryset.alias(speaker_walk_not_words=Value(True))
    marks = {"walk_from": Value(said_after)} if said_after else {}
    if said_before:
        marks["walk_to"] = Value(said_before)
    if not words_only:
        marks["speaker_walk_not_words"] = Value(True)
    return queryset.alias(speaker_walk=Value(True), **marks)


def speaker_walk(queryset: QuerySet[Statement], *, limit: int) -> Walk | None:
    """The bounded walk (quotes.keyset.Walk) pages of ``queryset`` are read with, or None for none.

    For a queryset speaker_walk_needed() marked: the positions are the speaker's links in its
    date range (a range of their (speaker, said_on, statement) index, the order the pages are
    in), ``limit`` of them past a cursor at most (SPEAKER_WALK_LIMIT). None when unmarked,
    for words whose few matches statement_search() reads by id, and for words alone that match
    often in the first links of the record (_speaker_matches()): a page fills in a few hundred
    links, which the window's extra query and its reading of every link in it would only slow
    (a leader's timeline with a common word: 13 -> 18 ms).

    Example: ``keyset_page(qs, order=SPEAKER_STATEMENTS_BY_DATE, size=20, walk=speaker_walk(qs, limit=5000))``
    """
    annotations = queryset.query.annotations
    if "speaker_walk" not in annotations or "speaker_matches" in annotations:
        return None
    if "speaker_words_common" in annotations and "speaker_walk_not_words" not in annotations:
        return None
    links = StatementSpeaker.objects.filter(speaker_id=annotations["link_speaker_id"].value)
    if "walk_from" in annotations:
        links = links.filter(said_on__gte=annotations["walk_from"].value)
    if "walk_to" in annotations:
        links = links.filter(said_on__lte=annotations["walk_to"].value)
    return Walk(links.annotate(link_said_on=F("said_on"), link_statement_id=F("statement_id")), limit)


class StoredSearchVector(Expression):
    """A statement's stored search document: the ``search_vector`` column (PostgreSQL only).

    A generated column (migration 0006: ``to_tsvector('english', COALESCE(text, ''))``), so
    not a model field: SQLite has no tsvector, and Django must never write it. Refers to
    the statements table of the query it is compiled in.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search_vector", []


class LinkSearchVector(Expression):
    """The search document a speaker link carries: its statement's, copied (PostgreSQL only).

    ``quotes_statement_speakers.search_vector``, kept equal to the statement's by triggers
    (migration 0014) and GIN-indexed: on a queryset of statements_by_speaker(), the walk of
    the speaker's link index checks the link it reads (no statement read for a link that
    does not match), and a rare word is the index's few links, intersected with the speaker's.
    Refers to the link table joined in the query it is compiled in.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = StatementSpeaker._meta.db_table
        alias = next(
            alias for alias, join in compiler.query.alias_map.items()
            if join.table_name == table and compiler.query.alias_refcount[alias]
        )
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def statement_search(queryset: QuerySet[Statement], *, text: str) -> QuerySet[Statement]:
    """``queryset``'s statements that contain the words of ``text``.

    On PostgreSQL: full-text search (English stemming, websearch syntax: "a phrase",
    -excluded, or) on the stored search document (StoredSearchVector, GIN-indexed), with
    a ``search_rank`` annotation to order by (see statements_top_ranked()); one speaker's
    statements (statements_by_speaker()) through their links' copy (LinkSearchVector), narrowed
    to their matches' ids when those are few (_speaker_matches(): one query more). A query of
    stop words alone ("it's", "we will") has no lexeme to look up: it, and every
    search elsewhere (SQLite, for development), matches each folded word as a
    substring of the folded text (PostgreSQL has a trigram index for that LIKE).

    Example: ``statement_search(statement_list(), text='"cut taxes" -budget')``
    """
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and _has_lexemes(connection, text):
        query = SearchQuery(text, config="english", search_type="websearch")
        # One speaker's statements (statements_by_speaker()): their links' copy of the document,
        # checked on the link rows the timeline's walk reads anyway (or found by its GIN index).
        by_speaker = "link_said_on" in queryset.query.annotations
        document = LinkSearchVector() if by_speaker else StoredSearchVector()
        if by_speaker:
            speaker_id = queryset.query.annotations["link_speaker_id"].value
            found = _speaker_matches(connection, speaker_id=speaker_id, text=text)
            if found is COMMON:  # often in the record's first links: a page fills early
                queryset = queryset.alias(speaker_words_common=Value(True))
            elif found is not None:  # few: the page is read from them, not from a walk of the record
                queryset = queryset.filter(pk__in=found).alias(speaker_matches=Value(len(found)))
        # ts_rank is a float4, which comes back rounded in its text form: as double precision
        # it reads back exactly, so a cursor compares equal to the row it was made from.
        return queryset.alias(search_document=document).filter(search_document=query).annotate(
            search_rank=Cast(SearchRank(document, query), FloatField()),
        )
    # The folded text ignores case, punctuation and curly-vs-straight quote marks.
    for word in normalize_text(text).split():
        queryset = queryset.filter(normalized_text__contains=word)
    return queryset


# A word on one speaker's list (statement_search(), _speaker_matches()): the first SPEAKER_HEAD_LINKS
# links of their record decide whether it is common there (SPEAKER_HEAD_HITS of them match, 1 %);
# if not, their matches are looked up, and read alone when there are fewer than SPEAKER_MATCHES_MAX.
# Measured on a 141,000-link record among 1.5 M: the timeline's walk at 1 % reads ~5,000 links
# (3-7 ms), the look-up costs ~8 ms plus its rows. The API's newest matches (statements_top_ranked())
# are found by a walk of the whole table's links, which needs 500 matches, not 51: it gains from
# the look-up far more, so the bar is 1 %, not the timeline's crossover (about 0.5 %).
SPEAKER_HEAD_LINKS = 1000
SPEAKER_HEAD_HITS = 10
SPEAKER_MATCHES_MAX = 1000

# Both look-ups are fenced (MATERIALIZED): each is planned for all its rows, which the planner
# cannot get wrong (the head is a range of the speaker's link index; the matches, the GIN index
# of the words ANDed with the speaker's links, never a walk of the table or of the record that a
# LIMIT would make look cheap), and read lazily: the matches only for a word the head found rare,
# and then only up to the limit.
_SPEAKER_MATCHES_SQL = """
WITH head AS MATERIALIZED (
    SELECT search_vector @@ websearch_to_tsquery('english', %(text)s) AS hit
    FROM quotes_statement_speakers WHERE speaker_id = %(speaker)s
    ORDER BY said_on, statement_id LIMIT %(head)s
), matches AS MATERIALIZED (
    SELECT statement_id FROM quotes_statement_speakers
    WHERE speaker_id = %(speaker)s AND search_vector @@ websearch_to_tsquery('english', %(text)s)
)
SELECT CASE WHEN (SELECT count(*) FROM head WHERE hit) >= %(hits)s THEN NULL
            ELSE ARRAY(SELECT statement_id FROM matches LIMIT %(most)s) END
"""


COMMON = "common"  # _speaker_matches(): the word matches often in the first links of the record


def _speaker_matches(connection, *, speaker_id: int, text: str) -> list[int] | str | None:
    """The ids of the speaker's statements whose words match ``text`` if they are few, else None (PostgreSQL).

    A page of a word on a timeline walks the speaker's link index in page order, checking
    each link's copy of the words, until the page is full: a few hundred links for a word
    common in the record, but the whole record (100,000 links) for one common in the table
    and rare in the record, which the planner cannot tell apart (it multiplies the word's
    share of the table by the speaker's). This one query tells them apart without reading the
    record's link rows: SPEAKER_HEAD_LINKS of them at most, and for a word rare in that head
    the matches' GIN look-up (index entries only: 7 ms for a 140,000-link record among 1.5 M)
    and SPEAKER_MATCHES_MAX rows at most. It returns
    COMMON when the first links of the record match often enough for the walk to be short;
    else the speaker's matches (the GIN index's), when there are fewer than
    SPEAKER_MATCHES_MAX of them, for the page to be read from; else None (a word rare at the
    start of the record and common later: the walk finds it).
    """
    with connection.cursor() as cursor:
        cursor.execute(_SPEAKER_MATCHES_SQL, {
            "text": text, "speaker": speaker_id, "head": SPEAKER_HEAD_LINKS, "hits": SPEAKER_HEAD_HITS,
            "most": SPEAKER_MATCHES_MAX,
        })
        found = cursor.fetchone()[0]
    if found is None:
        return COMMON
    return None if len(found) >= SPEAKER_MATCHES_MAX else found


def _has_lexemes(connection, text: str) -> bool:
    """Whether PostgreSQL's English search finds a word to look up in ``text`` (not only stop words).

    Asked of the database once per text in each process: the answer is the text's and the
    English configuration's alone, and every search request needs it before its main query
    (a repeated search, the common case, saves a round trip and a plan).
    """
    return _lexemes_found(connection.alias, text)


@functools.lru_cache(maxsize=4096)  # a search is 200 characters at most (quotes.search): under 1 MB
def _lexemes_found(alias: str, text: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s)) > 0", [text])
        return cursor.fetchone()[0]


def statements_top_ranked(
    queryset: QuerySet[Statement], *, limit: int = SEARCH_CANDIDATES,
) -> QuerySet[Statement]:
    """The newest ``limit`` statements of a searched ``queryset``, to be ordered by rank.

    One speaker's statements (statements_by_speaker()): SPEAKER_SEARCH_CANDIDATES at most.

    Ranking is bounded: a common word must not make a request rank a hundred thousand
    rows. The newest matches are one index read: for a common word PostgreSQL walks the
    statement_newest_search index backwards (the id with the review state and stored
    document beside it: no table row read, no parsing), until it has ``limit``; for a rare
    one it takes the GIN index's matches and sorts them. Either costs at most about
    sqrt(limit x statements) entries: the planner takes the cheaper by how common the word is.
    """
    newest_first = F("pk").desc()
    if "link_speaker_id" in queryset.query.annotations:  # one speaker's (statements_by_speaker())
        limit = min(limit, SPEAKER_SEARCH_CANDIDATES)
    few = queryset.query.annotations.get("speaker_matches")
    if few is not None:  # a speaker's few matches (statement_search()), narrowed to by their ids
        if few.value <= limit:
            return queryset  # every one is a candidate
        # Sorted, not looked for by walking every statement id backwards, which the planner
        # would take for them too.
        newest_first = (F("pk") + 0).desc()
    # As SQL, not a Subquery: resolving one copies and relabels the whole filtered query (half of the
    # API's filtering time); compiled alone, its tables are its own (a subquery's scope).
    newest = queryset.order_by(newest_first).values("pk")[:limit].query
    try:
        sql = newest.sql_with_params()
    except EmptyResultSet:  # a filter nothing can match (an empty list of ids): no query at all
        return queryset.none()
    return queryset.filter(pk__in=RawSQL(*sql))  # noqa: S611 - the ORM's own SQL


# What statements_export() reads of each statement, in this order; each row then ends with its speakers.
EXPORT_FIELDS = (
    "id", "text", "kind", "said_on", "said_on_precision", "review_status", "confidence",
    "source_count", "first_reported_at",
)
EXPORT_BATCH_SIZE = 2000


def statements_export(
    queryset: QuerySet[Statement], *, batch_size: int = EXPORT_BATCH_SIZE, limit: int | None = None,
) -> Iterator[list[tuple]]:
    """``queryset``'s statements in date order (undated last, ties by id), in lists of ``batch_size``.

    Each row is a tuple of EXPORT_FIELDS' values and then the statement's speakers,
    ``((name, slug), ...)`` by name. A list costs two short queries: the next ``batch_size``
    rows after the last one read (a range of the (said_on, id) index, or after
    statements_by_speaker() of the speaker's (speaker, said_on, statement) link index),
    and their speakers. Nothing counts the whole set and only one list is held at a
    time, so 150,000 rows take the memory of 2,000. ``limit`` stops after that many rows.
    Reads are not one snapshot: a statement re-dated while it runs may be missed or read twice.

    Example: ``for rows in statements_export(statement_list(), batch_size=500): ...``
    """
    by_speaker = "link_said_on" in queryset.query.annotations
    key, tie = ("link_said_on", "link_statement_id") if by_speaker else ("said_on", "id")
    columns = (*EXPORT_FIELDS, key) if by_speaker else EXPORT_FIELDS
    at = columns.index(key)
    rows_of = queryset.prefetch_related(None).order_by(key, tie).values_list(*columns)
    left = limit
    for dated in (True, False):
        segment = rows_of.filter(**{f"{key}__isnull": not dated})
        after = Q()
        while left is None or left > 0:
            size = batch_size if left is None else min(batch_size, left)
            rows = list(segment.filter(after)[:size])
            if rows:
                yield _export_with_speakers(rows, width=len(EXPORT_FIELDS))
            if left is not None:
                left -= len(rows)
            if len(rows) < size:
                break
            last = rows[-1]
            # The statement's id is its link's statement_id: the tie-breaker either way.
            after = Q(TupleGreaterThan(Tuple(F(key), F(tie)), (last[at], last[0]))) if dated else Q(
                **{f"{tie}__gt": last[0]}
            )


def _export_with_speakers(rows: list[tuple], *, width: int) -> list[tuple]:
    """``rows`` cut to ``width`` columns, each followed by its speakers' (name, slug) pairs: one query."""
    speakers: dict[int, list[tuple[str, str]]] = {}
    links = (
        StatementSpeaker.objects.filter(statement_id__in=[row[0] for row in rows])
        .order_by("speaker__name", "speaker__slug")
        .values_list("statement_id", "speaker__name", "speaker__slug")
    )
    for statement_id, name, slug in links:
        speakers.setdefault(statement_id, []).append((name, slug))
    return [(*row[:width], tuple(speakers.get(row[0], ()))) for row in rows]


def speaker_hidden_count(
    *, speaker: Speaker, min_confidence: float, kinds: list[str] | None = None, limit: int = 100,
) -> int:
    """How many of the speaker's statements the floor hides, counting no further than ``limit + 1``.

    Reads the links the stored ``shown`` flag marks (the partial index
    statement_speaker_hidden_ids, which holds their statement ids: the wide link rows are
    not read), so a speaker with 100,000 statements and a handful hidden costs a handful
    of index entries; after changing the floor, ``manage.py refresh_counters``
    updates the flags. ``kinds`` keeps only statements of those kinds.
    """
    # Written out (quotes.plain): every unfiltered timeline page counts, and the ORM spent 1.5 ms
    # building what the database answers in 0.3. Hidden: neither verified nor above the floor
    # (above_floor(), negated), and not rejected.
    kind = f"AND s.kind IN ({plain.placeholders(kinds)}) " if kinds is not None else ""
    found = plain.rows(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {plain.table(StatementSpeaker)} l "  # noqa: S608
        f"JOIN {plain.table(Statement)} s ON s.id = l.statement_id "
        "WHERE l.speaker_id = %s AND NOT l.shown AND s.review_status NOT IN (%s, %s) "
        f"AND s.confidence < %s {kind}LIMIT %s) hidden",
        [speaker.pk, Statement.Review.REJECTED, Statement.Review.VERIFIED, min_confidence, *(kinds or ()),
         limit + 1],
    )
    return found[0][0]


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


def article_id_with_url(*, url: str, other_than: int | None = None) -> int | None:
    """The id of the article known by this (normalised) URL, as canonical or as given, or None."""
    articles = Article.objects.exclude(pk=other_than) if other_than is not None else Article.objects
    found = articles.filter(url=url).values_list("pk", flat=True).first()
    if found is None:
        found = articles.filter(source_url=url).values_list("pk", flat=True).first()
    return found


def article_urls_known(*, urls: list[str]) -> set[str]:
    """Which of these (normalised) URLs an article is known by already: two index look-ups."""
    known = set(Article.objects.filter(url__in=urls).values_list("url", flat=True))
    return known | set(Article.objects.filter(source_url__in=urls).values_list("source_url", flat=True))


def feed_list() -> QuerySet[Feed]:
    """Feeds with their outlet, by URL."""
    return Feed.objects.select_related("outlet").order_by("url")


def feed_ids_due(*, now, limit: int) -> list[int]:
    """Up to ``limit`` active feeds whose next poll is due (or never set), the longest due first.

    ``now=None``: every active feed.
    """
    due = Feed.objects.filter(active=True)
    if now is not None:
        due = due.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    due = due.order_by(F("next_poll_at").asc(nulls_first=True), "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def outlet_with_domain(*, domain: str) -> Outlet | None:
    """The outlet known by this domain, or None."""
    return Outlet.objects.filter(domain=domain).first()


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
    return role_in(speaker.roles.all(), day=day) if day is not None else None


def role_in(roles: Iterable[Role], *, day) -> Role | None:
    """The first of ``roles`` (newest first, as _roles() reads them) held on ``day``; None for no day."""
    if day is None:
        return None
    return next((role for role in roles if _valid(day, role.start, role.end)), None)


# Speakers by name ----------------------------------------------------------------------

_NAME_KINDS = (SpeakerAlias.Kind.FULL_NAME, SpeakerAlias.Kind.SHORT_NAME, SpeakerAlias.Kind.VARIANT)


@dataclass(frozen=True)
class SpeakerMatch:
    """The speaker a name resolves to, or the candidates when it is ambiguous."""

    speaker: Speaker | None
    candidates: tuple[Speaker, ...] = ()


NameOnDate = tuple[str, "datetime.date | None"]


def _valid(day: datetime.date | None, start: datetime.date | None, end: datetime.date | None) -> bool:
    """A row valid from ``start`` to ``end`` (NULL: open-ended) holds on ``day`` (None: any day)."""
    return day is None or ((start is None or start <= day) and (end is None or end >= day))


def _span(days: list[datetime.date | None]) -> tuple[datetime.date, datetime.date] | None:
    """The first and last of ``days``; None (every row may be valid) when there are none or one is None."""
    if not days or None in days:
        return None
    return min(days), max(days)


def _valid_within(span: tuple[datetime.date, datetime.date] | None, start: str, end: str) -> tuple[str, list]:
    """SQL (and its parameters) for rows whose ``start``-``end`` validity may hold within ``span``."""
    if span is None:
        return "", []
    quote = connection.ops.quote_name
    return (f" AND ({quote(start)} IS NULL OR {quote(start)} <= %s)"
            f" AND ({quote(end)} IS NULL OR {quote(end)} >= %s)", [span[1], span[0]])


def _plain_rows(model, columns: list[str], where: str, params: list) -> list[tuple]:
    """``columns`` of ``model``'s rows ``where`` says (quotes.plain: reads storing makes per article)."""
    quote = connection.ops.quote_name
    select = ", ".join(c if "(" in c else quote(c) for c in columns)
    return plain.rows(f"SELECT {select} FROM {plain.table(model)} WHERE {where}", params)  # noqa: S608


def _lookup_keys(key: str) -> tuple[set[str], set[str]]:
    """The folded phrases a name may be stored as (whole, and each title/name split), and its words."""
    keys = set(names.key_variants(key))
    words = key.split()
    for i in range(1, len(words)):
        keys.add(" ".join(words[i:]))
        keys |= names.key_variants(" ".join(words[:i]))
    return keys, set(words)


def _title_starts(words: set[str]) -> set[str]:
    """First words of the titles whose role phrases could use these words ("pm": "prime")."""
    starts = set(words)
    for title, synonyms in names.TITLE_SYNONYMS.items():
        if any(set(synonym.split()) <= words for synonym in synonyms):
            starts.add(title.split()[0])
    return {w for w in starts if w not in names.NAME_QUALIFIERS}


class _Directory:
    """Everything the names asked about could match, read in at most three queries (and the speakers matched).

    Aliases by their folded phrases, speakers by their own name, and only the roles
    whose title starts with a word of the names (served by an index on lower(title)):
    no read grows with the number of speakers or roles stored. Matching then
    applies speaker_match's rules in memory, per name and date.
    """

    def __init__(self, requests: list[NameOnDate]) -> None:
        keys: set[str] = set()
        words: set[str] = set()
        lowered: set[str] = set()
        for name, _ in requests:
            key = normalize_name(name)
            if key and key not in names.PRONOUNS:
                more_keys, more_words = _lookup_keys(key)
                keys |= more_keys
                words |= more_words
                lowered.add(name.strip().lower())
        days = [day for _, day in requests]
        self.aliases: dict[str, list[tuple[int, str, datetime.date | None, datetime.date | None]]] = {}
        self.by_name: dict[str, set[int]] = {}
        self.roles: list[tuple[int, str, str, datetime.date | None, datetime.date | None]] = []
        self.known: dict[int, Speaker] = {}  # the speakers matched (read) or created so far
        if not keys:
            return
        span = _span(days)
        keys_in, lowered_in = sorted(keys), sorted(lowered)
        dated, dates = _valid_within(span, "valid_from", "valid_to")
        for normalized, speaker_id, kind, start, end in _plain_rows(
            SpeakerAlias, ["normalized", "speaker_id", "kind", "valid_from", "valid_to"],
            f'"normalized" IN ({plain.placeholders(keys_in)}){dated}', [*keys_in, *dates],
        ):
            self.aliases.setdefault(normalized, []).append((speaker_id, kind, start, end))
        named = f'LOWER("name") IN ({plain.placeholders(lowered_in)})'
        for lower_name, pk in _plain_rows(Speaker, ['LOWER("name")', "id"], named, lowered_in):
            self.by_name.setdefault(lower_name, set()).add(pk)
        starts = sorted(_title_starts(words))
        if starts:  # each a range of the lower(title) index
            titled, patterns = plain.starts_with_any('LOWER("title")', starts)
            dated, dates = _valid_within(span, "start", "end")
            self.roles = _plain_rows(
                Role, ["speaker_id", "title", "organization", "start", "end"], titled + dated,
                [*patterns, *dates],
            )

    def alias_ids(self, keys: set[str], day: datetime.date | None, kinds=None) -> dict[str, set[int]]:
        """Speaker ids per folded alias among ``keys`` that is valid on ``day``."""
        found: dict[str, set[int]] = {}
        for key in keys:
            for speaker_id, kind, start, end in self.aliases.get(key, ()):
                if (kinds is None or kind in kinds) and _valid(day, start, end):
                    found.setdefault(key, set()).add(speaker_id)
        return found

    def role_holder_ids(self, keys: set[str], day: datetime.date | None) -> set[int]:
        """Speakers whose roles valid on ``day`` derive one of ``keys``."""
        bare = {names.strip_determiner(k) for k in keys}
        return {
            sid for sid, title, org, start, end in self.roles
            if _valid(day, start, end) and bare & names.role_phrases(title, org)
        }

    def match_whole(self, name: str, key: str, day: datetime.date | None) -> set[int]:
        """Speakers the whole phrase names: an alias, their own name, or a role valid on the date."""
        keys = names.key_variants(key)
        ids = set().union(*self.alias_ids(keys, day).values())
        ids |= self.by_name.get(name.strip().lower(), set())
        return ids | self.role_holder_ids(keys, day)

    def match_titled(self, words: list[str], day: datetime.date | None) -> set[int]:
        """Speakers named after a title: "Japanese Prime Minister Shigeru Ishiba", "Mr Kim".

        The longest known name at the end wins, and only when every word before it
        reads as a title. If that name is ambiguous ("leader Kim"), a role phrase in
        front that names one of the candidates on the date settles it.
        """
        suffixes = {" ".join(words[i:]): i for i in range(1, len(words))}
        found = self.alias_ids(set(suffixes), day, kinds=_NAME_KINDS)
        for suffix in sorted(found, key=lambda s: suffixes[s]):
            prefix = words[: suffixes[suffix]]
            prefix_keys = names.key_variants(" ".join(prefix))
            holders = self.role_holder_ids(prefix_keys, day) | set().union(
                *self.alias_ids(prefix_keys, day, kinds=[SpeakerAlias.Kind.ROLE_PHRASE]).values()
            )
            if not holders and not names.is_title_like(prefix):
                continue
            ids = found[suffix]
            return (ids & holders) or ids
        return set()

    def match_ids(self, name: str, day: datetime.date | None) -> set[int]:
        key = normalize_name(name)
        if not key or key in names.PRONOUNS:
            return set()
        ids = self.match_whole(name, key, day)
        if not ids:
            words = key.split()
            ids = self.match_titled(words, day) if len(words) > 1 else set()
        return ids

    def add_created(self, speakers: Iterable[Speaker]) -> None:
        """Know speakers created since the reads (unreviewed: their name, its one full-name alias).

        What reading the directory again would find, without the reads
        (quotes.services.speakers creates people, then matches more names).
        """
        for speaker in speakers:
            self.known[speaker.pk] = speaker
            self.aliases.setdefault(normalize_name(speaker.name), []).append(
                (speaker.pk, SpeakerAlias.Kind.FULL_NAME, None, None),
            )
            self.by_name.setdefault(speaker.name.lower(), set()).add(speaker.pk)

    def match(self, requests: Iterable[NameOnDate]) -> dict[NameOnDate, SpeakerMatch]:
        """speaker_match's answer for each request (those read for, or a subset): one read of the speakers."""
        ids = {request: self.match_ids(*request) for request in dict.fromkeys(requests)}
        every = set().union(*ids.values()) if ids else set()
        missing = sorted(every - set(self.known))
        if missing:
            where = f"t.id IN ({plain.placeholders(missing)})"
            self.known.update((speaker.pk, speaker) for speaker in plain.instances(Speaker, where, missing))
        matches = {}
        for request, found in ids.items():
            people = tuple(self.known[pk] for pk in sorted(found) if pk in self.known)
            one = len(people) == 1
            matches[request] = SpeakerMatch(people[0]) if one else SpeakerMatch(None, candidates=people)
        return matches


def speaker_directory(*, requests: Iterable[NameOnDate]) -> _Directory:
    """What the (name, date) requests could match, read once; ``.match(requests)`` answers them.

    For a caller that matches in steps (quotes.services.speakers: names, then the
    bare names of unknown ones, then sources) with the reads of one step: build it
    with every request of every step.
    """
    return _Directory(list(dict.fromkeys(requests)))


def speakers_match(*, requests: Iterable[NameOnDate]) -> dict[NameOnDate, SpeakerMatch]:
    """Find who each (name, date) means, without creating anyone: speaker_match for many at once.

    A fixed number of queries however many names (an article's all at once).

    Example: ``speakers_match(requests=[("Kim Jong Un", None), ("Trump", date(2025, 2, 9))])``
    """
    wanted = list(dict.fromkeys(requests))
    return speaker_directory(requests=wanted).match(wanted)


def speaker_match(*, name: str, on_date: datetime.date | None = None) -> SpeakerMatch:
    """Find who ``name`` means on ``on_date`` without creating anyone.

    An alias or name wins; a role phrase counts only while valid on the date;
    a title in front of a known name is set aside. Two or more matches are
    returned as candidates, never guessed between.
    """
    return speakers_match(requests=[(name, on_date)])[(name, on_date)]


def speaker_slug_free(*, name: str) -> str:
    """A slug for ``name`` that no speaker has yet: ``kim-jong-un``, else ``kim-jong-un-2``..."""
    return speaker_slugs_free(names=[name])[0]


def speaker_slugs_free(*, names: list[str]) -> list[str]:
    """A slug per name that no speaker (nor another of the names) has yet, in one query.

    Reads only the slugs that start with the names' own (the slug's index serves the prefix).
    """
    bases = [slugify(name)[:180] or "speaker" for name in names]
    distinct = sorted(set(bases))
    taken: set[str] = set()
    if distinct:
        numbered, patterns = plain.starts_with_any('"slug"', [f"{base}-" for base in distinct])
        rows = _plain_rows(
            Speaker, ["slug"], f'"slug" IN ({plain.placeholders(distinct)}) OR {numbered}',
            [*distinct, *patterns],
        )
        taken = {slug for (slug,) in rows}
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


# Reader pages (quotes.views, quotes.feeds) -------------------------------------------------

# What a statement card (search, home) and a feed entry show of a statement.
_CARD_FIELDS = (
    "text", "kind", "said_on", "said_on_precision", "review_status", "confidence", "first_reported_at",
    "updated_at",
)


def statement_cards() -> QuerySet[Statement]:
    """Statements as the search page's cards and the Atom feeds show them: a few columns, not
    rejected, in statement_list()'s order; filter it as statement_list(). Their speakers are
    read for the page's rows (statement_speakers()).

    No sources, roles or counts are read: a card shows none (its statement page does).
    """
    return Statement.objects.filter(_not_rejected()).only(*_CARD_FIELDS).order_by("said_on", "pk")


def statements_latest(*, min_confidence: float, limit: int) -> list[Statement]:
    """The newest dated statements a reader is shown, verified ones first.

    ``limit`` in all, in two short reads: the verified newest by date (the (review_status,
    said_on) index) and the other shown ones newest by date (the (said_on, id) index walked
    backwards). Their speakers: statement_speakers().
    """
    dated = Statement.objects.filter(said_on__isnull=False).order_by("-said_on", "-pk")
    rows = list(dated.filter(review_status=Statement.Review.VERIFIED)[:limit])
    rows += list(
        dated.filter(review_status=Statement.Review.EXTRACTED, confidence__gte=min_confidence)[:limit]
    )
    return rows[:limit]


def speakers_most_quoted(*, month: datetime.date, limit: int) -> tuple[datetime.date, list[SpeakerMonth]]:
    """The speakers with the most shown statements dated in ``month`` (its first day), most first.

    When nobody is quoted in ``month`` yet, the latest earlier month anyone was: returned with
    the rows. Read from the SpeakerMonth table the services keep: ranges of its (month, count)
    index, never a count of statements.
    """
    rows = SpeakerMonth.objects.select_related("speaker").only(
        "month", "statement_count", "speaker__name", "speaker__slug",
    ).order_by("-statement_count", "speaker_id")
    found = list(rows.filter(month=month)[:limit])
    if not found:
        earlier = SpeakerMonth.objects.filter(month__lt=month).order_by("-month")
        month = earlier.values_list("month", flat=True).first() or month
        found = list(rows.filter(month=month)[:limit])
    return month, found


def speaker_month_counts(*, speaker: Speaker) -> list[tuple[datetime.date, int]]:
    """(first day of month, statements shown) for each month of the speaker's record, oldest first.

    Written out (quotes.plain): every timeline page reads it, and the ORM cost 1 ms to build
    what the database answers in 0.05.
    """
    found = plain.typed_rows(
        f"SELECT month, statement_count FROM {plain.table(SpeakerMonth)} "  # noqa: S608
        "WHERE speaker_id = %s ORDER BY month", [speaker.pk], _MONTH_FIELDS,
    )
    return [tuple(row) for row in found]


_MONTH_FIELDS = (SpeakerMonth._meta.get_field("month"), None)


def articles_recent(*, limit: int) -> list[Article]:
    """The newest articles with outlet and extraction state, without their text."""
    return list(article_list()[:limit])


def statement_page(*, pk: int) -> Statement | None:
    """One statement with what its page shows (speakers with roles, every report, the reviewer), or None.

    Rejected ones are returned too: the page decides what a reader may see.
    """
    return (
        statement_list(include_rejected=True, with_roles=True).select_related("reviewed_by")
        .filter(pk=pk).first()
    )


def statement_merged_into(*, pk: int) -> int | None:
    """The statement a deleted statement ``pk`` was merged into (from its history), or None."""
    reason = (
        Statement.history.filter(id=pk, history_type="-").order_by("-history_date")
        .values_list("history_change_reason", flat=True).first()
    )
    prefix = "merged into statement "
    if reason and reason.startswith(prefix) and reason[len(prefix):].isdigit():
        return int(reason[len(prefix):])
    return None


def article_page(*, pk: int) -> Article | None:
    """An article with its outlet and text, or None."""
    return Article.objects.select_related("outlet").filter(pk=pk).first()


def article_appearances(*, article: Article, include_rejected: bool = False) -> list[Appearance]:
    """Where the article reports statements, in text order, each with its statement and speakers.

    Rejected statements only with ``include_rejected`` (for staff, who may undo a decision).
    """
    appearances = Appearance.objects.filter(article=article)
    if not include_rejected:
        appearances = appearances.filter(_not_rejected("statement__"))
    return list(
        appearances.select_related("statement").prefetch_related(_speakers_by_name("statement__"))
        .order_by("start", "end")
    )


HEADLINE_START, HEADLINE_STOP = "\x02", "\x03"


def statement_headlines(*, statement_ids: list[int], text: str) -> dict[int, str]:
    """PostgreSQL's ``ts_headline`` of these statements for ``text``, by id ({} elsewhere).

    The matching words are wrapped in HEADLINE_START / HEADLINE_STOP (control characters no
    statement text holds), not in markup: the caller escapes the text, then marks them.
    """
    connection = connections[Statement.objects.db]
    if not statement_ids or connection.vendor != "postgresql" or not _has_lexemes(connection, text):
        return {}
    # Written out (quotes.plain), as SearchHeadline writes it: every search page with words asks.
    options = ", ".join(
        connection.ops.compose_sql(f"{name}=%s", [value])
        for name, value in (("StartSel", HEADLINE_START), ("StopSel", HEADLINE_STOP), ("HighlightAll", True))
    )
    return dict(plain.rows(
        "SELECT id, ts_headline('english'::regconfig, text, "  # noqa: S608
        f"websearch_to_tsquery('english'::regconfig, %s), %s) FROM {plain.table(Statement)} "
        f"WHERE id IN ({plain.placeholders(statement_ids)})",
        [text, options, *statement_ids],
    ))


# What a feed entry shows of a statement (quotes.feeds); feed_rows() adds its speakers' names.
FEED_ROW_FIELDS = ("id", "text", "kind", "said_on", "said_on_precision", "first_reported_at", "updated_at")


def feed_rows(queryset: QuerySet[Statement], *, limit: int) -> list[dict]:
    """``queryset``'s first ``limit`` statements as dicts of FEED_ROW_FIELDS, each with ``speakers``.

    ``speakers``: the names, by name. Two queries, no model instances: a feed of 30
    entries is read and written in a few milliseconds.
    """
    rows = list(queryset.prefetch_related(None).values(*FEED_ROW_FIELDS)[:limit])
    names: dict[int, list[str]] = {}
    ids = [row["id"] for row in rows]
    # Written out (quotes.plain), each name looked up by the speaker's primary key: joined, the
    # planner hashed every speaker for a page's few dozen links.
    for statement_id, name in plain.rows(
        f"SELECT l.statement_id, (SELECT s.name FROM {plain.table(Speaker)} s WHERE s.id = l.speaker_id) "  # noqa: S608
        f"AS name FROM {plain.table(StatementSpeaker)} l WHERE l.statement_id IN ({plain.placeholders(ids)}) "
        "ORDER BY name, l.speaker_id", ids,
    ) if ids else ():
        names.setdefault(statement_id, []).append(name)
    for row in rows:
        row["speakers"] = names.get(row["id"], [])
    return rows


def speaker_feed(*, speaker: Speaker, min_confidence: float, limit: int) -> list[dict]:
    """The speaker's newest dated statements a reader is shown, for a feed (feed_rows()): a range of their
    link index."""
    statements = statements_by_speaker(statement_cards(), speaker=speaker).filter(
        above_floor(min_confidence=min_confidence), link_said_on__isnull=False,
    )
    return feed_rows(statements.order_by("-link_said_on", "-link_statement_id"), limit=limit)


def _newest_links_only(queryset: QuerySet[Statement], *, limit: int) -> QuerySet[Statement]:
    """One speaker's dated statements narrowed by what no index serves (speaker_walk()): among the
    newest ``limit`` of their dated links only, found in one query, so a feed of a filter rare in
    a leader's record reads a bounded range of it, not all of it. Others as they are.
    """
    walk = speaker_walk(queryset, limit=limit)
    if walk is None:
        return queryset
    edge = list(
        walk.positions.filter(link_said_on__isnull=False).order_by("-link_said_on", "-link_statement_id")
        .values_list("link_said_on", "link_statement_id")[walk.limit - 1: walk.limit]
    )
    if not edge:  # fewer dated links than the limit: the whole record is the window
        return queryset
    day, statement_id = edge[0]
    return queryset.filter(Q(link_said_on__gt=day) | Q(link_said_on=day, link_statement_id__gte=statement_id))


def statements_found(queryset: QuerySet[Statement], *, limit: int, walk_limit: int) -> list[dict]:
    """A filtered statement list's first ``limit`` as feed_rows(): best match first for words, else newest.

    One speaker's list narrowed by what no index serves: among their newest ``walk_limit`` links
    (SPEAKER_WALK_LIMIT), as a page of it would be.
    """
    annotations = queryset.query.annotations
    if "search_rank" in annotations:
        found = statements_top_ranked(queryset).order_by("-search_rank", "-pk")
    elif "link_said_on" in annotations:
        dated = _newest_links_only(queryset.filter(link_said_on__isnull=False), limit=walk_limit)
        found = dated.order_by("-link_said_on", "-pk")
    else:
        found = queryset.filter(said_on__isnull=False).order_by("-said_on", "-pk")
    return feed_rows(found, limit=limit)
