"""quotes.plain: written-out SQL finds what the ORM's lookups find, on both databases."""

from __future__ import annotations

import datetime
import functools
import operator

import pytest
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
