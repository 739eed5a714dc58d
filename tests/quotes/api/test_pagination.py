"""Cursor pages of every API list: each row once, in order, NULL dates last; bad cursors are 400s."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quotes.models import DuplicateCandidate, Statement
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    RoleFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")
D = datetime.date
T = datetime.datetime


def walk(client, url, params=None):
    """Every row from the first page by the next links, then back by the previous links."""
    forward, pages = [], []
    response = client.get(url, {**(params or {}), "page_size": 3})
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        pages.append(body)
        forward += [row["id"] if "id" in row else row["slug"] for row in body["results"]]
        if body["next"] is None:
            break
        response = client.get(body["next"])
    backward, body = [], pages[-1]
    while body["previous"]:
        body = client.get(body["previous"]).json()
        backward = [row["id"] if "id" in row else row["slug"] for row in body["results"]] + backward
    backward += [row["id"] if "id" in row else row["slug"] for row in pages[-1]["results"]]
    return forward, backward


@pytest.fixture
def statements():
    """Ties on a date, undated ones, ties on a first report, one never reported; a speaker of some."""
    jane = SpeakerFactory(slug="jane-doe")
    made = []
    for i in range(13):
        day = None if i % 5 == 0 else D(2025, 1, 1 + i % 3)
        statement = StatementFactory(said_on=day, said_on_precision="day" if day else "unknown",
                                     speakers=[jane] if i % 2 else [SpeakerFactory()])
        if i != 7:
            AppearanceFactory(statement=statement, article=ArticleFactory(
                published_at=T(2025, 2, 1 + i % 2, tzinfo=datetime.UTC)))
        statement.refresh_from_db()
        made.append(statement)
    return made


def _sorted(rows, key, descending=False):
    dated = sorted((r for r in rows if key(r) is not None), key=lambda r: (key(r), r.pk), reverse=descending)
    undated = sorted((r for r in rows if key(r) is None), key=lambda r: r.pk, reverse=descending)
    return [r.pk for r in dated + undated]


@pytest.mark.parametrize("ordering", ["said_on", "-said_on", "first_reported", "-first_reported"])
@pytest.mark.parametrize("by_speaker", [False, True])
def test_statement_pages_walk_every_row_once_in_order(api_client, statements, ordering, by_speaker):
    rows = [s for s in statements if not by_speaker or s.speakers.filter(slug="jane-doe").exists()]
    field = "said_on" if "said_on" in ordering else "first_reported_at"
    expected = _sorted(rows, lambda s: getattr(s, field), descending=ordering.startswith("-"))
    params = {"ordering": ordering, **({"speaker": "jane-doe"} if by_speaker else {})}
    forward, backward = walk(api_client, "/api/statements/", params)
    assert forward == expected
    assert backward == expected


def test_speaker_article_and_duplicate_pages_walk_every_row_once(api_client, staff_client, db):
    speakers = [SpeakerFactory(name=name) for name in ["Cy", "Al", "Bo", "Al", "Di", "Al", "Ed"]]
    by_name = sorted(speakers, key=lambda s: (s.name, s.pk))
    assert walk(api_client, "/api/speakers/")[0] == [s.slug for s in by_name]
    articles = [ArticleFactory(published_at=T(2025, 1, 1 + i % 3, tzinfo=datetime.UTC)) for i in range(8)]
    newest = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    assert walk(api_client, "/api/articles/") == ([a.pk for a in newest], [a.pk for a in newest])
    pairs = []
    for i in range(7):
        first, second = sorted([StatementFactory(), StatementFactory()], key=lambda s: s.pk)
        pair = DuplicateCandidate.objects.create(first=first, second=second, similarity=0.5 + i % 2 / 4)
        pairs.append(pair)
    similar = sorted(pairs, key=lambda p: (p.similarity, p.pk), reverse=True)
    assert walk(staff_client, "/api/duplicates/") == ([p.pk for p in similar], [p.pk for p in similar])


@pytest.mark.parametrize("url", ["/api/statements/", "/api/speakers/", "/api/articles/"])
@pytest.mark.parametrize("cursor", [
    "nonsense", "e30", "bnVsbA", "eyJvIjoic2FpZF9vbiIsImsiOiJ4IiwidCI6MSwiZiI6dHJ1ZX0",
    "eyJvIjoic2FpZF9vbiIsImsiOm51bGwsInQiOiIxIiwiZiI6dHJ1ZX0", "%%%", "eyJvIjoiLXB1Ymxpc2hlZF9hdCJ9",
])
def test_a_bad_cursor_is_a_400_json(api_client, db, url, cursor):
    response = api_client.get(url, {"cursor": cursor})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "cursor" in body["errors"]


def test_a_cursor_of_another_ordering_is_refused(api_client, statements):
    cursor = api_client.get("/api/statements/", {"page_size": 2}).json()["next"].split("cursor=")[1]
    cursor = cursor.split("&")[0]
    response = api_client.get("/api/statements/", {"cursor": cursor, "ordering": "-said_on"})
    assert response.status_code == 400


def grow(n):
    """``n`` statements with two speakers (roles, aliases) and two reports, some undated."""
    for i in range(n):
        speakers = [SpeakerFactory(), SpeakerFactory()]
        for speaker in speakers:
            RoleFactory(speaker=speaker, start=D(2000, 1, 1))
            SpeakerAliasFactory(speaker=speaker)
        statement = StatementFactory(said_on=None if i % 3 == 0 else D(2025, 1, 1),
                                     said_on_precision="unknown" if i % 3 == 0 else "day",
                                     text=f"Farmers deserve the harvest number {n}-{i}.",
                                     speakers=[*speakers, lead()])
        AppearanceFactory(statement=statement)
        AppearanceFactory(statement=statement, article=ArticleFactory(outlet=None))


def lead():
    from quotes.models import Speaker

    return Speaker.objects.get_or_create(slug="lead", defaults={"name": "Lead"})[0]


def queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


@pytest.mark.parametrize(("url", "params"), [
    ("/api/statements/", {}),
    ("/api/statements/", {"ordering": "-said_on"}),
    ("/api/statements/", {"ordering": "first_reported"}),
    ("/api/statements/", {"speaker": "lead"}),
    ("/api/statements/", {"speaker": "lead", "ordering": "-said_on", "min_confidence": "0.5"}),
    ("/api/statements/", {"q": "harvest farmers"}),
    ("/api/speakers/", {}),
    ("/api/speakers/", {"search": "speaker"}),
    ("/api/articles/", {}),
    ("/api/articles/", {"extraction_status": "done"}),
])
def test_query_count_is_the_same_with_3_rows_as_with_30(api_client, db, url, params):
    grow(3)
    few = queries(api_client, url, {**params, "page_size": 2})
    grow(27)
    many = queries(api_client, url, {**params, "page_size": 2})
    cursor = api_client.get(url, {**params, "page_size": 2}).json()["next"]
    assert cursor
    assert many <= few  # never more; one fewer once dated rows fill the page (no undated segment)
    assert queries(api_client, cursor, {}) <= few
    assert few <= 7


def test_the_undated_rows_are_read_only_when_the_dated_ones_do_not_fill_the_page(api_client, statements):
    def pages_sql(params):
        with CaptureQueriesContext(connection) as captured:
            body = api_client.get("/api/statements/", {"page_size": 3, **params}).json()
        return body, [q["sql"] for q in captured.captured_queries if 'FROM "quotes_statement"' in q["sql"]]

    first, sql = pages_sql({})
    assert len(sql) == 1 and "IS NULL" not in sql[0]  # 10 dated rows: the page is full without the undated
    assert first["next"]
    # The last dated rows and the first undated ones share a page: both segments, once each.
    crossing, sql = pages_sql({"ordering": "-said_on", "cursor": _cursor_after(api_client, 8)})
    assert len(sql) == 2 and "IS NULL" in sql[1]
    assert len(crossing["results"]) == 3


def _cursor_after(client, rows: int) -> str:
    """The cursor after the first ``rows`` statements newest first (by pages of 1)."""
    url = "/api/statements/?ordering=-said_on&page_size=1"
    for _ in range(rows):
        url = client.get(url).json()["next"]
    return url.split("cursor=")[1].split("&")[0]


def test_article_detail_loads_its_statements_in_a_fixed_number_of_queries(api_client, db):
    article = ArticleFactory()

    def add(n):
        for _ in range(n):
            statement = StatementFactory(speakers=[SpeakerFactory()])
            AppearanceFactory(article=article, statement=statement, start=statement.pk * 10,
                              end=statement.pk * 10 + 5)

    add(3)
    few = queries(api_client, f"/api/articles/{article.pk}/", {})
    add(30)
    assert queries(api_client, f"/api/articles/{article.pk}/", {}) == few <= 6


@pytest.mark.parametrize("q", ["x" * 201, " ".join(f"word{i}" for i in range(21))])
def test_a_search_beyond_the_caps_is_a_400(api_client, db, q):
    for name in ("q", "search"):
        response = api_client.get("/api/statements/", {name: q})
        assert response.status_code == 400
        assert name in response.json()["errors"]


@on_postgresql
def test_search_is_full_text_best_match_first(api_client, db):
    once = StatementFactory(text="The harvest was late this year.")
    twice = StatementFactory(text="Harvest after harvest, the farmers harvest more.")
    StatementFactory(text="Nothing about crops.")
    assert [r["id"] for r in api_client.get("/api/statements/", {"q": "harvests"}).json()["results"]] == [
        twice.pk, once.pk,
    ]
    phrase = api_client.get("/api/statements/", {"q": '"harvest was late"'}).json()["results"]
    assert [r["id"] for r in phrase] == [once.pk]
    excluded = api_client.get("/api/statements/", {"q": "harvest -farmers"}).json()["results"]
    assert [r["id"] for r in excluded] == [once.pk]


@on_postgresql
def test_search_takes_websearch_or_and_ranks_a_phrase_match_first(api_client, db):
    pension = StatementFactory(text="The pension fund is safe.")
    budget = StatementFactory(text="The budget is balanced.")
    both = StatementFactory(text="A pension in the budget, a budget for the pension.")
    StatementFactory(text="Nothing about money.")

    def found(q):
        return [r["id"] for r in api_client.get("/api/statements/", {"q": q}).json()["results"]]

    assert found("pension or budget") == [both.pk, *sorted([pension.pk, budget.pk], reverse=True)]
    assert found("budget -pension") == [budget.pk]
    assert found("pension -fund OR balanced") == [both.pk, budget.pk]  # (pension & !fund) | balanced
    assert found('"pension fund" OR balanced') == [pension.pk, budget.pk]  # two words matched rank higher


@on_postgresql
def test_an_edited_text_is_searchable_at_once(staff_client, api_client, db):
    statement = StatementFactory(text="We will build houses.")
    assert api_client.get("/api/statements/", {"q": "bridges"}).json()["results"] == []
    response = staff_client.patch(f"/api/statements/{statement.pk}/", {"text": "We will build bridges."},
                                  format="json")
    assert response.status_code == 200, response.json()
    assert [r["id"] for r in api_client.get("/api/statements/", {"q": "bridges"}).json()["results"]] == [
        statement.pk,
    ]
    assert api_client.get("/api/statements/", {"q": "houses"}).json()["results"] == []


@on_postgresql
def test_search_pages_walk_every_match_once(api_client, db):
    made = [StatementFactory(text=f"Harvest {'harvest ' * (i % 3)}number {i}.") for i in range(8)]
    forward, backward = walk(api_client, "/api/statements/", {"q": "harvest"})
    assert sorted(forward) == sorted(s.pk for s in made) and len(forward) == len(set(forward))
    assert backward == forward


@on_sqlite
def test_search_on_sqlite_is_every_folded_word(api_client, db):
    hit = StatementFactory(text="The harvest was LATE this year.")
    StatementFactory(text="The harvest was early.")
    assert [r["id"] for r in api_client.get("/api/statements/", {"q": "late harvest"}).json()["results"]] == [
        hit.pk,
    ]


# A bounded walk (quotes.keyset.Walk): one speaker narrowed by what no index serves --------------

@pytest.fixture
def sparse(db):
    """30 statements by "sparse" (ties on dates, 3 undated, one rejected), few of them verified partial
    quotes and far apart; other speakers' verified partial quotes in between."""
    who = SpeakerFactory(slug="sparse")
    for i in range(30):
        day = None if i % 10 == 3 else D(2025, 1, 1 + i % 4)
        match = i in (0, 1, 2, 14, 23, 29)
        StatementFactory(
            said_on=day, said_on_precision="day" if day else "unknown", speakers=[who],
            kind="partial" if match or i % 4 == 1 else "direct",
            review_status="rejected" if i == 8 else "verified" if match or i % 4 == 2 else "extracted",
        )
        StatementFactory(kind="partial", review_status="verified", speakers=[SpeakerFactory()])
    return who


def _walked(client, url, params, *, page_size=2):
    """(ids forwards, ids backwards, result counts of the pages forwards, query counts of the pages)."""
    forward, sizes, costs, pages = [], [], [], []
    link, query = url, {**params, "page_size": page_size}
    while link:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(link, query)
        assert response.status_code == 200, response.json()
        body, query = response.json(), None
        pages.append(body)
        costs.append(len(captured.captured_queries))
        sizes.append(len(body["results"]))
        forward += [row["id"] for row in body["results"]]
        link = body["next"]
    backward, body = [row["id"] for row in pages[-1]["results"]], pages[-1]
    while body["previous"]:
        body = client.get(body["previous"]).json()
        backward = [row["id"] for row in body["results"]] + backward
    return forward, backward, sizes, costs


def _record(speaker, descending=False, **wanted):
    rows = [s for s in Statement.objects.filter(speakers=speaker, **wanted) if s.review_status != "rejected"]
    return _sorted(rows, lambda s: s.said_on, descending=descending)


@pytest.mark.parametrize("ordering", ["said_on", "-said_on"])
@pytest.mark.parametrize("page_size", [1, 2, 4])
def test_a_walked_speaker_list_gives_every_match_once_in_order_both_ways(
    api_client, sparse, settings, ordering, page_size,
):
    settings.SPEAKER_WALK_LIMIT = 3
    expected = _record(sparse, ordering.startswith("-"), kind="partial", review_status="verified")
    params = {"speaker": "sparse", "kind": "partial", "review_status": "verified", "ordering": ordering}
    forward, backward, sizes, costs = _walked(api_client, "/api/statements/", params, page_size=page_size)
    assert forward == expected
    assert backward == expected
    # Turning back anywhere: each page's previous link gives the matches just before it (a walk
    # back may stop short too), and that page's next link the ones from it on.
    link, query, seen = "/api/statements/", {**params, "page_size": page_size}, 0
    while link:
        body, query = api_client.get(link, query).json(), None
        if body["previous"]:
            back = api_client.get(body["previous"]).json()
            ids = [row["id"] for row in back["results"]]
            assert ids == expected[seen - len(ids):seen]
            again = [row["id"] for row in api_client.get(back["next"]).json()["results"]]
            assert again == expected[seen:seen + len(again)]
        seen += len(body["results"])
        link = body["next"]
    # Pages stopped by the walk: short ones, empty ones, each with a next link (the last has none).
    assert 0 in sizes[:-1]
    assert len(sizes) >= 27 // 3  # the 27 dated links 3 at a time; the 3 undated ones with the last
    # The speaker, the window's end, the dated rows and the undated ones, their speakers, roles and
    # sources (none for an empty page): as many however long the record (below).
    assert max(costs) <= 7


def test_a_walk_with_no_match_ends_with_no_next_link(api_client, sparse, settings):
    settings.SPEAKER_WALK_LIMIT = 4
    params = {"speaker": "sparse", "kind": "indirect"}
    forward, backward, sizes, _ = _walked(api_client, "/api/statements/", params)
    assert forward == backward == []
    assert sizes == [0] * len(sizes) and 30 // 4 <= len(sizes) <= 30 // 4 + 2


def test_a_walk_keeps_to_the_date_range(api_client, sparse, settings):
    settings.SPEAKER_WALK_LIMIT = 2
    params = {"speaker": "sparse", "kind": "partial", "said_after": "2025-01-02", "said_before": "2025-01-03"}
    forward, backward, sizes, _ = _walked(api_client, "/api/statements/", params)
    expected = _record(sparse, kind="partial", said_on__range=(D(2025, 1, 2), D(2025, 1, 3)))
    assert forward == backward == expected
    assert len(sizes) <= 14 // 2 + 1  # the range's 14 links, 2 at a time: none outside it walked


def test_a_long_enough_walk_reads_pages_as_before(api_client, sparse, settings):
    settings.SPEAKER_WALK_LIMIT = 1000
    params = {"speaker": "sparse", "kind": "partial", "review_status": "verified"}
    forward, backward, sizes, _ = _walked(api_client, "/api/statements/", params)
    assert forward == backward == _record(sparse, kind="partial", review_status="verified")
    assert sizes == [2, 2, 2]


@pytest.mark.parametrize("params", [
    {}, {"ordering": "-said_on"}, {"said_after": "2025-01-02", "said_before": "2025-01-03"},
])
def test_a_speaker_list_narrowed_by_nothing_or_dates_is_not_walked(api_client, sparse, settings, monkeypatch,
                                                                   params):
    settings.SPEAKER_WALK_LIMIT = 1
    monkeypatch.setattr("quotes.keyset._window_end", lambda *args: pytest.fail("walked"))
    bodies, link, query = [], "/api/statements/", {"speaker": "sparse", "page_size": 2, **params}
    while link:
        bodies.append(api_client.get(link, query).json())
        link, query = bodies[-1]["next"], None
    wanted = {"said_on__range": (D(2025, 1, 2), D(2025, 1, 3))} if "said_after" in params else {}
    assert [row["id"] for body in bodies for row in body["results"]] == _record(
        sparse, "ordering" in params, **wanted,
    )
    assert {len(body["results"]) for body in bodies[:-1]} == {2}  # full pages, as ever


def test_walked_pages_cost_the_same_queries_at_any_size(api_client, sparse, settings):
    settings.SPEAKER_WALK_LIMIT = 3
    params = {"speaker": "sparse", "kind": "partial", "review_status": "verified", "page_size": 2}
    few = queries(api_client, "/api/statements/", params)
    for _ in range(30):
        StatementFactory(kind="partial", review_status="verified", speakers=[sparse], said_on=D(2024, 1, 1))
    many = queries(api_client, "/api/statements/", params)
    unwalked = queries(api_client, "/api/statements/", {"speaker": "sparse", "page_size": 2})
    assert many == few == unwalked + 1  # the end of the window


def test_a_walked_page_states_its_dates_range_for_the_planner(api_client, sparse, settings):
    # Between two row comparisons PostgreSQL guesses a fixed share of the record, and on a leader's
    # took the whole table's matches of the filter instead of the window's links (40 ms, not 4).
    settings.SPEAKER_WALK_LIMIT = 3
    params = {"speaker": "sparse", "kind": "partial", "page_size": 1}
    second = api_client.get("/api/statements/", params).json()["next"]
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(second).status_code == 200
    page = [sql for sql in (q["sql"] for q in captured.captured_queries)
            if sql.startswith('SELECT "quotes_statement"."id"')]
    assert len(page) == 1
    assert '"quotes_statement_speakers"."said_on" >= ' in page[0]
    assert '"quotes_statement_speakers"."said_on" <= ' in page[0]
