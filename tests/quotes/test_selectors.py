"""quotes/selectors.py: what each read lists, and that it prefetches what its callers render."""

import datetime
import re
import uuid

import pytest
from django.db import connection

from quotes import selectors
from quotes.keyset import keyset_page
from quotes.models import DuplicateCandidate, Speaker, SpeakerMonth, Statement, StatementSpeaker
from quotes.selectors import (
    above_floor,
    article_list,
    role_on,
    speaker_list,
    speaker_timeline,
    statement_list,
)
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    RoleFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StaffFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def statements_by(speakers, n=3):
    """``n`` statements by ``speakers``, each reported in two articles."""
    for _ in range(n):
        first = AppearanceFactory(statement__speakers=speakers)
        AppearanceFactory(statement=first.statement)


def test_statement_list_prefetches_speakers_and_sources(django_assert_num_queries):
    statements_by([SpeakerFactory(), SpeakerFactory()])
    # the statements, their speakers, their appearances with article and outlet
    with django_assert_num_queries(3):
        rows = [
            (s.source_count, [p.name for p in s.speakers.all()],
             [(a.article.title, a.article.outlet.name) for a in s.appearances.all()])
            for s in statement_list()
        ]
    assert len(rows) == 3
    assert all(count == 2 and len(speakers) == 2 and len(sources) == 2 for count, speakers, sources in rows)


def test_statement_list_hides_rejected_statements_unless_asked():
    kept = AppearanceFactory().statement
    rejected = AppearanceFactory(statement__review_status=Statement.Review.REJECTED).statement
    assert list(statement_list()) == [kept]
    assert set(statement_list(include_rejected=True)) == {kept, rejected}


def test_speaker_list_prefetches_aliases_and_roles_and_counts_what_readers_see(django_assert_num_queries):
    speaker = SpeakerFactory()
    SpeakerAliasFactory(speaker=speaker)
    RoleFactory(speaker=speaker)
    AppearanceFactory(statement__speakers=[speaker], statement__confidence=0.9)
    AppearanceFactory(statement__speakers=[speaker], statement__confidence=0.2)
    AppearanceFactory(statement__speakers=[speaker], statement__confidence=0.2,
                      statement__review_status=Statement.Review.VERIFIED)
    with django_assert_num_queries(3):  # speakers, aliases, roles
        listed = [(s.statement_count, len(s.aliases.all()), len(s.roles.all()))
                  for s in speaker_list()]
    assert listed == [(2, 1, 1)]  # the unverified 0.2 is below the floor (0.5 by default)


def test_speaker_timeline_puts_undated_statements_last_and_marks_the_floor():
    speaker = SpeakerFactory()
    undated = AppearanceFactory(statement__speakers=[speaker], statement__said_on=None,
                                statement__said_on_precision=Statement.Precision.UNKNOWN,
                                statement__said_on_method=Statement.DateMethod.UNKNOWN).statement
    later = AppearanceFactory(statement__speakers=[speaker], statement__said_on=datetime.date(2025, 3, 1),
                              statement__confidence=0.2).statement
    earlier = AppearanceFactory(statement__speakers=[speaker],
                                statement__said_on=datetime.date(2025, 1, 1)).statement
    timeline = list(speaker_timeline(speaker=speaker, min_confidence=0.5))
    assert timeline == [earlier, later, undated]
    assert [s.above_floor for s in timeline] == [True, False, True]


def test_statement_sources_are_plain_rows_oldest_report_first_in_one_query(django_assert_num_queries):
    utc = datetime.UTC
    statement, other, unreported = StatementFactory(), StatementFactory(), StatementFactory()
    late = AppearanceFactory(statement=statement, context="Later.",
                             article=ArticleFactory(published_at=datetime.datetime(2025, 3, 1, tzinfo=utc)))
    early = AppearanceFactory(statement=statement, context="First.", article=ArticleFactory(
        outlet=None, published_at=datetime.datetime(2025, 1, 1, tzinfo=utc)))
    AppearanceFactory(statement=other)
    with django_assert_num_queries(1):
        sources = selectors.statement_sources(statement_ids=[statement.pk, unreported.pk])
    assert list(sources) == [statement.pk]
    rows = sources[statement.pk]
    assert [(r.article_id, r.context, r.outlet) for r in rows] == [
        (early.article_id, "First.", None), (late.article_id, "Later.", late.article.outlet.name),
    ]
    assert rows[0].title == early.article.title and rows[0].published_at == early.article.published_at


def test_article_list_is_newest_first_with_outlet_and_statement_count(django_assert_num_queries):
    old = ArticleFactory(published_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    new = ArticleFactory(published_at=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC))
    AppearanceFactory(article=new)
    with django_assert_num_queries(1):
        listed = [(a, a.outlet.name, a.statement_count) for a in article_list()]
    assert [(a, count) for a, _, count in listed] == [(new, 1), (old, 0)]


def test_role_on_picks_the_role_held_that_day():
    speaker = SpeakerFactory()
    RoleFactory(speaker=speaker, title="Minister", start=datetime.date(2020, 1, 1),
                end=datetime.date(2022, 12, 31))
    RoleFactory(speaker=speaker, title="Prime Minister", start=datetime.date(2023, 1, 1), end=None)
    assert role_on(speaker=speaker, day=datetime.date(2021, 6, 1)).title == "Minister"
    assert role_on(speaker=speaker, day=datetime.date(2025, 6, 1)).title == "Prime Minister"
    assert role_on(speaker=speaker, day=datetime.date(2019, 6, 1)) is None
    assert role_on(speaker=speaker, day=None) is None


def test_speaker_with_roles_reads_the_speaker_and_their_roles_in_one_query(django_assert_num_queries):
    speaker = SpeakerFactory(name="Ines Varga", description="Mayor of <Tarn>", statement_count=7)
    RoleFactory(speaker=speaker, title="Mayor", start=datetime.date(2021, 1, 1), end=None)
    RoleFactory(speaker=speaker, title="Councillor", start=datetime.date(2015, 5, 1),
                end=datetime.date(2020, 12, 31))
    RoleFactory(speaker=SpeakerFactory(), title="Not hers")
    bare = SpeakerFactory(name="Olle Brun")

    with django_assert_num_queries(1):
        found = selectors.speaker_with_roles(slug=speaker.slug)
        roles = list(found.roles.all())
        assert role_on(speaker=found, day=datetime.date(2018, 3, 3)).title == "Councillor"
        assert roles[0].speaker is found

    orm = Speaker.objects.get(pk=speaker.pk)
    assert [getattr(found, f.attname) for f in Speaker._meta.concrete_fields] == [
        getattr(orm, f.attname) for f in Speaker._meta.concrete_fields
    ]
    assert [(r.pk, r.title, r.start, r.end) for r in roles] == [
        (r.pk, r.title, r.start, r.end) for r in orm.roles.order_by("-start")
    ]
    assert list(selectors.speaker_with_roles(slug=bare.slug).roles.all()) == []
    assert selectors.speaker_with_roles(slug="nobody") is None


def test_speaker_by_slug_reads_the_speaker_as_the_orm_does(django_assert_num_queries):
    speaker = SpeakerFactory(name="Ines Varga", description="Mayor", statement_count=3, reviewed=True)
    SpeakerFactory(name="Ines Vargas")

    with django_assert_num_queries(1):
        found = selectors.speaker_by_slug(slug=speaker.slug)

    orm = Speaker.objects.get(slug=speaker.slug)
    assert found == orm and found._state.db == orm._state.db and not found._state.adding
    assert [getattr(found, f.attname) for f in Speaker._meta.concrete_fields] == [
        getattr(orm, f.attname) for f in Speaker._meta.concrete_fields
    ]
    assert selectors.speaker_by_slug(slug="nobody") is None


def test_speaker_month_counts_are_the_speakers_months_oldest_first():
    speaker, other = SpeakerFactory(), SpeakerFactory()
    for who, month, count in [(speaker, (2024, 3), 2), (speaker, (2019, 11), 5), (other, (2020, 1), 9),
                              (speaker, (2024, 1), 1)]:
        SpeakerMonth.objects.create(speaker=who, month=datetime.date(*month, 1), statement_count=count)

    assert selectors.speaker_month_counts(speaker=speaker) == [
        (datetime.date(2019, 11, 1), 5), (datetime.date(2024, 1, 1), 1), (datetime.date(2024, 3, 1), 2),
    ]
    assert selectors.speaker_month_counts(speaker=SpeakerFactory()) == []


def _pair(similarity: float, status=DuplicateCandidate.Status.OPEN) -> DuplicateCandidate:
    first, second = StatementFactory(), StatementFactory()
    first.speakers.set([SpeakerFactory(name="Zed Alder"), SpeakerFactory(name="Ann Birch")])
    second.speakers.set([SpeakerFactory()])
    return DuplicateCandidate.objects.create(first=first, second=second, similarity=similarity, status=status)


def test_duplicate_pairs_come_most_similar_first_with_speakers_in_three_queries(django_assert_num_queries):
    low, high = _pair(0.7), _pair(0.95)
    for _ in range(3):
        _pair(0.8)
    with django_assert_num_queries(3):  # pairs with both statements, then each side's speakers
        pairs = list(selectors.duplicate_candidate_list())
        names = [[s.name for s in p.first.speakers.all()] for p in pairs]
    assert [pairs[0].pk, pairs[-1].pk] == [high.pk, low.pk]
    assert names[0] == ["Ann Birch", "Zed Alder"]  # by name


def test_open_pairs_are_counted_for_either_side_of_a_pair():
    pair = _pair(0.9)
    DuplicateCandidate.objects.create(
        first=pair.first, second=StatementFactory(), similarity=0.8,
        status=DuplicateCandidate.Status.DISMISSED,
    )
    assert selectors.duplicate_candidates_open_count(statement_id=pair.first_id) == 1
    assert selectors.duplicate_candidates_open_count(statement_id=pair.second_id) == 1
    assert selectors.duplicate_candidates_open_count(statement_id=StatementFactory().pk) == 0


def test_statements_with_roles_read_each_speakers_role_without_more_queries(django_assert_num_queries):
    article = ArticleFactory()
    for i in range(4):
        speaker = SpeakerFactory()
        RoleFactory(speaker=speaker)
        statement = StatementFactory()
        statement.speakers.set([speaker])
        AppearanceFactory(statement=statement, article=article, start=10 * i, end=10 * i + 5)
    with django_assert_num_queries(4):  # statements, speakers, their roles, appearances with articles
        rows = list(selectors.statement_list(with_roles=True))
        roles = [r for st in rows for sp in st.speakers.all() for r in sp.roles.all()]
    assert len(rows) == 4 and len(roles) == 4


def test_an_articles_statements_are_those_it_reports():
    article, other = ArticleFactory(), ArticleFactory()
    mine = AppearanceFactory(article=article).statement
    AppearanceFactory(article=other)
    assert [s.pk for s in selectors.article_statements(article=article)] == [mine.pk]


def test_bulk_lookups_leave_out_what_does_not_exist():
    statement, speaker = StatementFactory(), SpeakerFactory()
    assert set(selectors.statements_in_bulk(ids=[statement.pk, 10**9])) == {statement.pk}
    assert set(selectors.speakers_in_bulk(slugs=[speaker.slug, "nobody"])) == {speaker.slug}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_search_ranks_only_the_newest_matches():
    # The best matches, but the oldest: beyond a candidate set of 3.
    older = [StatementFactory(text=f"Harvest harvest harvest, {i}.") for i in range(2)]
    newer = [StatementFactory(text=f"The harvest number {i}.") for i in range(3)]
    StatementFactory(text="Nothing to see.")
    searched = selectors.statement_search(statement_list(), text="harvest")
    assert {s.pk for s in searched} == {s.pk for s in older + newer}
    ranked = selectors.statements_top_ranked(searched, limit=3).order_by("-search_rank", "-pk")
    assert [s.pk for s in ranked] == [s.pk for s in reversed(newer)]
    # A filter nothing can match (no ids at all): no rows, not an error.
    assert list(selectors.statements_top_ranked(searched.filter(pk__in=[]), limit=3)) == []


def _timeline_found(speaker, words: str) -> list[int]:
    found = selectors.statement_search(speaker_timeline(speaker=speaker), text=words)
    return [s.pk for s in found.order_by("link_said_on", "link_statement_id")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_a_timeline_searches_its_links_copy_of_the_words_kept_through_edits_and_merges():
    from quotes.services.review import statements_merge
    from quotes.services.statements import statement_edit

    jane, ann = SpeakerFactory(), SpeakerFactory()
    harvest = StatementFactory(text="The harvest will be late.", speakers=[jane])
    steel = StatementFactory(text="Steel mills will close.", speakers=[jane, ann])
    with connection.cursor() as cursor:  # the timeline's look-up reads the links' copy (migration 0014)
        cursor.execute("SELECT count(*) FROM quotes_statement_speakers WHERE search_vector IS NOT NULL")
        assert cursor.fetchone()[0] == 3
    assert _timeline_found(jane, "harvest") == [harvest.pk]
    staff = StaffFactory()
    statement_edit(statement=steel, user=staff, text="Steel mills and the harvest will close.")
    assert _timeline_found(jane, "harvest") == [harvest.pk, steel.pk]
    assert _timeline_found(ann, "harvest -mills") == []
    statement_edit(statement=harvest, user=staff, speakers=[ann])
    assert _timeline_found(jane, "harvest") == [steel.pk]
    assert _timeline_found(ann, "late") == [harvest.pk]
    other = StatementFactory(text="Grain is late too.", speakers=[jane])
    statements_merge(target=harvest, others=[other], user=staff)
    assert _timeline_found(jane, "late") == [harvest.pk]  # the target's words, with the merged speaker


def _timeline_pages(speaker, words: str) -> tuple[list[list[int]], list[list[int]]]:
    """The timeline's pages of ``words``, two statements each: forwards by the next cursors, then back."""
    rows = selectors.timeline_rows(selectors.statement_search(speaker_timeline(speaker=speaker), text=words))
    pages, cursor = [], None
    while True:
        page = keyset_page(rows, order=selectors.SPEAKER_STATEMENTS_BY_DATE, size=2, cursor=cursor)
        pages.append([row["id"] for row in page.rows])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    back, cursor = [pages[-1]], page.previous_cursor
    while cursor is not None:
        page = keyset_page(rows, order=selectors.SPEAKER_STATEMENTS_BY_DATE, size=2, cursor=cursor)
        back.insert(0, [row["id"] for row in page.rows])
        cursor = page.previous_cursor
    return pages, back


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
@pytest.mark.parametrize("days, read_from_matches", [
    ((), True),  # absent from the record (in the table: another speaker's)
    ((8, None), True),  # rare in the record, after its head: its few matches are the page's rows
    ((7, 9, None), True),  # the same, more than the newest two the ranking below reads
    ((1, 2, 5, 9), False),  # common in the head: the walk in page order
    ((6, 7, 8, 9, None), False),  # rare in the head, then more than the look-up's limit: the walk
])
def test_a_word_on_a_timeline_pages_the_same_walked_or_looked_up(monkeypatch, days, read_from_matches):
    monkeypatch.setattr(selectors, "SPEAKER_HEAD_LINKS", 4)
    monkeypatch.setattr(selectors, "SPEAKER_HEAD_HITS", 2)
    monkeypatch.setattr(selectors, "SPEAKER_MATCHES_MAX", 4)
    jane, ann = SpeakerFactory(), SpeakerFactory()
    made = {}
    for day in [*range(1, 11), None]:
        words = f"The harvest is late, {day}." if day in days else f"The mills are closed, {day}."
        made[day] = StatementFactory(
            text=words, speakers=[jane], said_on=datetime.date(2025, 3, day) if day else None,
            said_on_precision="day" if day else "unknown",
        ).pk
    anns = [  # common in the table
        StatementFactory(text=f"The harvest is early, {day}.", speakers=[ann],
                         said_on=datetime.date(2025, 3, day), said_on_precision="day").pk
        for day in (1, 2, 3)
    ]

    searched = selectors.statement_search(speaker_timeline(speaker=jane), text="harvest")
    if days:  # else no match at all: a query Django knows is empty and does not send
        assert ('"quotes_statement"."id" IN (' in str(searched.query)) is read_from_matches
    expected = [made[day] for day in days]
    pages, back = _timeline_pages(jane, "harvest")
    assert pages == back == ([expected[i:i + 2] for i in range(0, len(expected), 2)] or [[]])
    assert _timeline_pages(ann, "harvest")[0] == [anns[:2], anns[2:]]
    # the API's and search page's candidates: the newest two matches, whichever way they were found
    assert {s.pk for s in selectors.statements_top_ranked(searched, limit=2)} == set(sorted(expected)[-2:])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
@pytest.mark.parametrize("matches", [4, 12])  # few: read by their ids; common at the record's start: walked
def test_one_speakers_ranked_search_ranks_their_newest_speaker_search_candidates(monkeypatch, matches):
    monkeypatch.setattr(selectors, "SPEAKER_SEARCH_CANDIDATES", 3)
    jane, ann = SpeakerFactory(), SpeakerFactory()
    hers = [StatementFactory(text=f"The harvest is early, {i}.", speakers=[jane]).pk for i in range(matches)]
    anns = [StatementFactory(text=f"The harvest is late, day {i}.", speakers=[ann]).pk for i in range(6)]

    by_jane = selectors.statement_search(selectors.statements_by_speaker(statement_list(), speaker=jane),
                                         text="harvest")
    everyone = selectors.statement_search(statement_list(), text="harvest")

    assert {s.pk for s in selectors.statements_top_ranked(by_jane, limit=5)} == set(hers[-3:])
    assert {s.pk for s in selectors.statements_top_ranked(everyone, limit=5)} == set(sorted(hers + anns)[-5:])


def _index_columns(name: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indexrelid = %s::regclass", [name],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_the_words_lookups_read_only_what_their_indexes_hold():
    jane = SpeakerFactory()
    StatementFactory(text="The harvest is in.", speakers=[jane])
    # the newest matches to rank read the id, review state and document alone: an index-only
    # walk of statement_newest_search (the planner's choice for a common word)
    searched = selectors.statement_search(statement_list(), text="harvest")
    newest = str(searched.order_by("-pk").values("pk")[:selectors.SEARCH_CANDIDATES].query)
    read = set(re.findall(r'"quotes_statement"\."?(\w+)"?', newest))
    assert read == {"id", "review_status", "search_vector"}
    assert read <= _index_columns("statement_newest_search")
    # a speaker's matches: their links' copy, which a GIN index holds
    on_timeline = selectors.statement_search(speaker_timeline(speaker=jane), text="harvest")
    assert '"quotes_statement_speakers".search_vector @@' in str(on_timeline.query)
    assert _index_columns("statement_speaker_search") == {"search_vector"}
    # a speaker's newest matches to rank (the API's ?speaker=&q=): their links' statement id and
    # copy of the document, and the statement's id and review state: two index-only reads
    by_speaker = selectors.statement_search(selectors.statements_by_speaker(statement_list(), speaker=jane),
                                            text="harvest")
    newest = by_speaker.order_by("-pk").values("pk")[:selectors.SEARCH_CANDIDATES]
    sql, params = newest.query.sql_with_params()
    links = set(re.findall(r'"quotes_statement_speakers"\."?(\w+)"?', sql))
    assert links == {"speaker_id", "statement_id", "search_vector"}
    assert links <= _index_columns("statement_speaker_newest_search")
    assert set(re.findall(r'"quotes_statement"\."?(\w+)"?', sql)) <= _index_columns("statement_newest_search")
    with connection.cursor() as cursor:  # tables this small would be read whole, or through a bitmap
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(r"Index Only Scan (Backward )?using statement_speaker_newest_search", plan), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_statement_headlines_mark_the_words_as_search_headline_does():
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    texts = ["The harvest is in & <early>.", "Harvests, harvesting: \"harvest\" everywhere.", "No match."]
    ids = [StatementFactory(text=text).pk for text in texts]
    query = SearchQuery('harvest -drought', config="english", search_type="websearch")
    headline = SearchHeadline("text", query, config="english", start_sel=selectors.HEADLINE_START,
                              stop_sel=selectors.HEADLINE_STOP, highlight_all=True)
    orm = dict(Statement.objects.filter(pk__in=ids).annotate(h=headline).values_list("pk", "h"))

    found = selectors.statement_headlines(statement_ids=ids, text="harvest -drought")

    assert found == orm
    assert found[ids[0]] == f"The {selectors.HEADLINE_START}harvest{selectors.HEADLINE_STOP} is in & <early>."
    assert selectors.statement_headlines(statement_ids=[], text="harvest") == {}


def test_statements_export_reads_in_date_order_by_batches_with_speakers(django_assert_num_queries):
    zoe, adam = SpeakerFactory(name="Zoe", slug="zoe"), SpeakerFactory(name="Adam", slug="adam")
    days = [3, None, 1, 2, None]
    made = [StatementFactory(speakers=[zoe, adam], said_on=datetime.date(2025, 1, d) if d else None,
                             said_on_precision="day" if d else "unknown") for d in days]
    order = [made[i].pk for i in (2, 3, 0, 1, 4)]

    # dated: a full batch and its speakers, the one left and its; undated: a full batch and
    # its speakers, then the empty read that ends it
    with django_assert_num_queries(7):
        batches = list(selectors.statements_export(statement_list(), batch_size=2))
    assert [[row[0] for row in rows] for rows in batches] == [order[:2], order[2:3], order[3:]]
    first = batches[0][0]
    assert first[:len(selectors.EXPORT_FIELDS)] == tuple(
        Statement.objects.filter(pk=order[0]).values_list(*selectors.EXPORT_FIELDS).get()
    )
    assert first[-1] == (("Adam", "adam"), ("Zoe", "zoe"))

    by_speaker = selectors.statements_by_speaker(statement_list(), speaker=zoe)
    assert [row[0] for rows in selectors.statements_export(by_speaker, batch_size=2) for row in rows] == order
    limited = selectors.statements_export(statement_list(), batch_size=2, limit=3)
    assert [row[0] for rows in limited for row in rows] == order[:3]


@pytest.mark.parametrize("floor", [0.5, 0.2])
def test_a_timelines_hidden_count_counts_what_above_floor_hides(floor):
    """The written-out count agrees with above_floor(), the rule itself, up to its limit."""
    jane, other = SpeakerFactory(), SpeakerFactory()
    review = Statement.Review
    for confidence, status, kind in [
        (0.1, review.EXTRACTED, "direct"), (0.1, review.VERIFIED, "direct"),
        (0.1, review.REJECTED, "direct"), (0.3, review.EXTRACTED, "partial"),
        (0.5, review.EXTRACTED, "direct"), (0.49, review.EXTRACTED, "indirect"),
        (0.9, review.EXTRACTED, "indirect"), (0.19, review.EXTRACTED, "indirect"),
    ]:
        StatementFactory(confidence=confidence, review_status=status, kind=kind, speakers=[jane])
    StatementFactory(confidence=0.1, speakers=[other])

    def orm(kinds=None):
        links = (StatementSpeaker.objects.filter(speaker=jane, shown=False)
                 .exclude(statement__review_status=review.REJECTED)
                 .exclude(above_floor(min_confidence=floor, prefix="statement__")))
        return (links.filter(statement__kind__in=kinds) if kinds else links).count()

    counts = {
        kinds: selectors.speaker_hidden_count(speaker=jane, min_confidence=floor, kinds=kinds)
        for kinds in (None, ("direct", "partial"), ("indirect",))
    }
    assert counts == {kinds: orm(kinds) for kinds in counts}
    assert counts[None] == (4 if floor == 0.5 else 2)  # 0.1 (pending), 0.3, 0.49, 0.19 at 0.5
    # it counts no further than limit + 1
    assert selectors.speaker_hidden_count(speaker=jane, min_confidence=floor, limit=0) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_a_timelines_hidden_count_reads_the_hidden_links_index_alone():
    jane = SpeakerFactory()
    StatementFactory(text="A guess.", confidence=0.1, speakers=[jane])
    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        assert selectors.speaker_hidden_count(speaker=jane, min_confidence=0.5) == 1
    (sql, params), = captured
    with connection.cursor() as cursor:  # the link rows are wide (the search copy): their index only
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be read whole
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # ... or through a bitmap: the rows again
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using statement_speaker_hidden_ids on quotes_statement_speakers" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_whether_a_search_has_words_to_look_up_is_asked_once_per_text(django_assert_num_queries):
    jane = SpeakerFactory()
    harvest = StatementFactory(text="The harvest is in.", speakers=[jane])
    also = StatementFactory(text="It is what it is.", speakers=[jane])
    text = f"harvest -{uuid.uuid4().hex}"  # a text no earlier search in this process asked about
    with django_assert_num_queries(2):  # the stop-word check, then the search
        assert list(selectors.statement_search(statement_list(), text=text).values_list("pk", flat=True)) \
            == [harvest.pk]
    with django_assert_num_queries(1):  # the same text again: the search alone
        assert list(selectors.statement_search(statement_list(), text=text).values_list("pk", flat=True)) \
            == [harvest.pk]
    for _ in range(2):  # stop words only: no lexeme, so the folded words are matched, asked or known
        found = selectors.statement_search(statement_list(), text="it is")
        assert set(found.values_list("pk", flat=True)) == {also.pk}


def test_statement_speakers_are_each_statements_speakers_by_name_then_id_as_the_orm_orders_them():
    same_a, same_b = SpeakerFactory(name="Ana Twin"), SpeakerFactory(name="Ana Twin")  # one name, two people
    odd = SpeakerFactory(name='<b>Odd</b> "Ö" & co')
    zed = RoleFactory(title="Mayor", start=datetime.date(2020, 1, 1)).speaker
    RoleFactory(speaker=zed, title="Senator", start=datetime.date(2024, 1, 1))
    made = [StatementFactory(speakers=[zed, same_b, odd, same_a]), StatementFactory(speakers=[odd]),
            StatementFactory(speakers=[])]
    ids = [s.pk for s in made]

    plain_rows = selectors.statement_speakers(statement_ids=ids)
    with_roles = selectors.statement_speakers(statement_ids=ids, with_roles=True)

    for statement in made[:2]:
        orm = list(statement.speakers.order_by("name", "pk"))
        expected = [(p.slug, p.name, []) for p in orm]
        assert [(s.slug, s.name, s.roles) for s in plain_rows[statement.pk]] == expected
        assert [(s.slug, s.name) for s in with_roles[statement.pk]] == [(p.slug, p.name) for p in orm]
    assert made[2].pk not in plain_rows and made[2].pk not in with_roles
    assert [r.title for r in with_roles[made[0].pk][-1].roles] == ["Senator", "Mayor"]  # newest first
    assert selectors.statement_speakers(statement_ids=[]) == {}
