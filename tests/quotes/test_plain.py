"""quotes.plain: written-out SQL finds what the ORM's lookups find, on both databases."""

from __future__ import annotations

import datetime
import functools
import operator

import pytest
from django.db import IntegrityError
from django.db.models import Q

from quotes import plain
from quotes.models import Appearance, Article, Statement
from tests.factories import AppearanceFactory, ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    "the talks will go on",
    "no talks this year",
    "a 100% rise in prices",
    "the snake_case name",
    "prices rose by 100 percent",
    "back\\slash here",
]


@pytest.fixture
def statements() -> None:
    for text in TEXTS:
        StatementFactory(text=text, normalized_text=text)


def _plain(values: list[str]) -> set[str]:
    holding, patterns = plain.contains_any("s.normalized_text", values)
    found = plain.rows(f"SELECT s.normalized_text FROM {plain.table(Statement)} s WHERE {holding}", patterns)  # noqa: S608
    return {text for (text,) in found}


def _orm(values: list[str]) -> set[str]:
    either = functools.reduce(operator.or_, [Q(normalized_text__contains=value) for value in values])
    return set(Statement.objects.filter(either).values_list("normalized_text", flat=True))


@pytest.mark.parametrize("values, expected", [
    (["talks"], {"the talks will go on", "no talks this year"}),
    (["talks", "prices"], {"the talks will go on", "no talks this year", "a 100% rise in prices",
                           "prices rose by 100 percent"}),
    (["100%"], {"a 100% rise in prices"}),  # a LIKE wildcard in the words is a character
    (["e_c"], {"the snake_case name"}),  # so is "_"
    (["0 p", "e_c"], {"prices rose by 100 percent", "the snake_case name"}),
    (["k\\s"], {"back\\slash here"}),  # and the escape character
    (["nothing here"], set()),
])
def test_contains_any_finds_what_the_or_of_contains_finds(statements, values, expected):
    assert _plain(values) == expected
    assert _orm(values) == expected


def test_placeholders_and_table():
    assert plain.placeholders([1, 2, 3]) == "%s, %s, %s"
    assert plain.table(Statement).strip('"`') == Statement._meta.db_table


def test_execute_returns_the_rows_changed(statements):
    changed = plain.execute(
        f"UPDATE {plain.table(Statement)} SET confidence = %s WHERE normalized_text IN (%s, %s)",  # noqa: S608
        [0.5, "no talks this year", "the snake_case name"],
    )
    assert changed == 2
    assert Statement.objects.filter(confidence=0.5).count() == 2


@pytest.mark.parametrize("values, expected", [
    (["the "], {"the talks will go on", "the snake_case name"}),
    (["no", "a 1"], {"no talks this year", "a 100% rise in prices"}),
    (["a 100%"], {"a 100% rise in prices"}),  # a wildcard in the start is a character
    (["the_"], set()),  # so is "_": no text starts "the_"
    (["talks"], set()),  # a start, not a word inside
])
def test_starts_with_any_finds_what_the_or_of_startswith_finds(statements, values, expected):
    holding, patterns = plain.starts_with_any("s.normalized_text", values)
    found = plain.rows(f"SELECT s.normalized_text FROM {plain.table(Statement)} s WHERE {holding}",  # noqa: S608
                       patterns)
    either = functools.reduce(operator.or_, [Q(normalized_text__startswith=value) for value in values])
    assert {text for (text,) in found} == expected
    assert set(Statement.objects.filter(either).values_list("normalized_text", flat=True)) == expected


def test_typed_rows_read_each_column_as_the_orms_values_list_does():
    """JSON decoded, times aware (SQLite stores them naive), dates as dates, booleans as booleans;
    a column named None is left as the driver gives it."""
    appearance = AppearanceFactory(
        pieces=[[0, 4], [9, 15]], said_on=datetime.date(2024, 2, 29),
        article=ArticleFactory(published_at=datetime.datetime(2024, 3, 1, 7, 5, tzinfo=datetime.UTC),
                               published_known=False),
    )
    fields = [Appearance._meta.get_field(name) for name in ("pieces", "said_on")] + [
        Article._meta.get_field(name) for name in ("published_at", "published_known")
    ]

    found = plain.typed_rows(
        f"SELECT a.pieces, a.said_on, ar.published_at, ar.published_known, a.id "  # noqa: S608
        f"FROM {plain.table(Appearance)} a JOIN {plain.table(Article)} ar ON ar.id = a.article_id",
        [], [*fields, None],
    )
    orm = Appearance.objects.values_list(
        "pieces", "said_on", "article__published_at", "article__published_known", "id",
    )

    assert [list(row) for row in found] == [list(row) for row in orm]
    pieces, said_on, published_at, known, pk = found[0]
    assert pieces == [[0, 4], [9, 15]] and said_on == datetime.date(2024, 2, 29) and known is False
    assert published_at == datetime.datetime(2024, 3, 1, 7, 5, tzinfo=datetime.UTC) and published_at.tzinfo
    assert pk == appearance.pk
    assert plain.dict_rows("SELECT %s", [7], [("seven", None)]) == [{"seven": 7}]


def _appearances(article: Article, statement: Statement, count: int) -> list[Appearance]:
    return [
        Appearance(statement=statement, article=article, start=10 * i, end=10 * i + 5, cue="said",
                   context=f"sentence {i}", pieces=[[10 * i, 10 * i + 2], [10 * i + 3, 10 * i + 5]],
                   said_on=datetime.date(2024, 2, 29) if i % 2 else None,
                   said_on_precision=Statement.Precision.DAY if i % 2 else Statement.Precision.UNKNOWN,
                   kind=Statement.Kind.PARTIAL, confidence=0.25 + i / 1000,
                   reported_via="" if i else "the paper")
        for i in range(count)
    ]


_COMPARED = ("article_id", "statement_id", "start", "end", "cue", "context", "pieces", "said_on",
             "said_on_precision", "kind", "confidence", "reported_via", "origin", "speaker_as_written")


def test_insert_stores_what_bulk_create_stores_and_gives_each_row_its_key():
    """Each value prepared by its field (JSON, dates, choices), auto_now times set, every
    instance given its new key in order; over SQLite's 999 parameters it is split in batches."""
    article, statement = ArticleFactory(), StatementFactory()
    other = ArticleFactory()
    ours, theirs = _appearances(article, statement, 60), _appearances(other, statement, 60)  # 60 x 22 values

    plain.insert(ours)
    Appearance.objects.bulk_create(theirs)

    assert all(a.pk is not None and not a._state.adding for a in ours)
    stored = {a.pk: a for a in Appearance.objects.filter(article=article)}
    assert [stored[a.pk].start for a in ours] == [a.start for a in ours]  # each key is its own row's
    assert all(a.created_at is not None for a in stored.values())
    mine = list(Appearance.objects.filter(article=article).order_by("start").values_list(*_COMPARED))
    bulk = list(Appearance.objects.filter(article=other).order_by("start").values_list(*_COMPARED))
    assert [row[1:] for row in mine] == [row[1:] for row in bulk]
    assert mine[1][_COMPARED.index("pieces")] == [[10, 12], [13, 15]]
    assert mine[1][_COMPARED.index("said_on")] == datetime.date(2024, 2, 29)


def test_insert_skipping_conflicts_leaves_the_refused_rows_out():
    article, statement = ArticleFactory(), StatementFactory()
    plain.insert(_appearances(article, statement, 2))
    again = _appearances(article, statement, 3)  # the first two spans are taken (appearance_unique_span)
    again[0].cue = "told"

    assert plain.insert(again, skip_conflicts=True) == 1

    assert all(a.pk is None for a in again)  # which row went in is not known from the keys
    assert Appearance.objects.filter(article=article).count() == 3
    assert not Appearance.objects.filter(article=article, cue="told").exists()
    fresh = _appearances(ArticleFactory(), statement, 2)
    assert plain.insert(fresh, skip_conflicts=True) == 2 and all(a.pk for a in fresh)  # none refused: keys
    with pytest.raises(IntegrityError):  # not skipping: the constraint refuses the whole insert
        plain.insert(_appearances(article, statement, 1))


def test_insert_of_nothing_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        plain.insert([])


def test_instances_are_what_the_orm_reads():
    """Each concrete field's value as the ORM converts it (JSON, dates, aware times), from the database."""
    appearance = AppearanceFactory(pieces=[[0, 4]], said_on=datetime.date(2024, 2, 29))
    other = AppearanceFactory()

    found = plain.instances(Appearance, f"t.id IN ({plain.placeholders([appearance.pk])})", [appearance.pk])
    statements = plain.instances(Statement, "t.id = %s", [other.statement_id])

    for mine, orm in [(found, [Appearance.objects.get(pk=appearance.pk)]),
                      (statements, [Statement.objects.get(pk=other.statement_id)])]:
        assert len(mine) == 1 and type(mine[0]) is type(orm[0])
        fields = [f.attname for f in type(orm[0])._meta.concrete_fields]
        assert [getattr(mine[0], f) for f in fields] == [getattr(orm[0], f) for f in fields]
        assert not mine[0]._state.adding and mine[0]._state.db == "default"
    assert found[0].pieces == [[0, 4]] and found[0].created_at.tzinfo is not None
    assert plain.instances(Statement, "t.id = %s", [-1]) == []
