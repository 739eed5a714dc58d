"""contains_any (quotes.lookups): the rows an OR of __contains lookups finds, in one lookup."""

from __future__ import annotations

import functools
import operator

import pytest
from django.db.models import Q

from quotes.models import Statement
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    "the talks will go on",
    "no talks this year",
    "a 100% rise in prices",
    "the snake_case name",
    "prices rose by 100 percent",
    "Talks In Capitals",
]


@pytest.fixture
def statements() -> dict[str, int]:
    return {text: StatementFactory(text=text, normalized_text=text).pk for text in TEXTS}


def _found(**lookup) -> set[str]:
    return set(Statement.objects.filter(**lookup).values_list("normalized_text", flat=True))


def _or(name: str, values: list[str]) -> set[str]:
    either = functools.reduce(operator.or_, [Q(**{name: value}) for value in values])
    return set(Statement.objects.filter(either).values_list("normalized_text", flat=True))


@pytest.mark.parametrize("values", [
    ["talks"],
    ["talks", "prices"],
    ["100%"],  # a LIKE wildcard in the words is a character, not a wildcard
    ["e_c"],  # neither is "_"
    ["nothing here", "snake_case"],
    ["%"],
])
def test_contains_any_finds_what_the_or_of_contains_finds(statements, values):
    found = _found(normalized_text__contains_any=values)
    assert found == _or("normalized_text__contains", values)
    assert found  # each case matches something
    # (SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not: as __contains)
    assert all(any(value.lower() in text.lower() for value in values) for text in found)


def test_contains_any_escapes_wildcards(statements):
    assert _found(normalized_text__contains_any=["100%"]) == {"a 100% rise in prices"}
    assert _found(normalized_text__contains_any=["e_c"]) == {"the snake_case name"}
    assert _found(normalized_text__contains_any=["0 p", "e_c"]) == {"prices rose by 100 percent",
                                                                     "the snake_case name"}


def test_an_empty_list_matches_nothing_and_negates_to_everything(statements):
    assert _found(normalized_text__contains_any=[]) == set()
    assert set(Statement.objects.exclude(normalized_text__contains_any=[])
               .values_list("normalized_text", flat=True)) == set(TEXTS)
    either = Q(normalized_text__contains_any=[]) | Q(normalized_text="no talks this year")
    found = set(Statement.objects.filter(either).values_list("normalized_text", flat=True))
    assert found == {"no talks this year"}


def test_exclude_keeps_the_rest(statements):
    kept = set(Statement.objects.exclude(normalized_text__contains_any=["talks", "prices"])
               .values_list("normalized_text", flat=True))
    assert kept == {"the snake_case name", "Talks In Capitals"} - _or("normalized_text__contains", ["talks"])


def test_the_sql_is_one_like_per_value():
    sql = str(Statement.objects.filter(normalized_text__contains_any=["a", "b", "c"]).query)
    assert sql.count("LIKE") == 3
    assert " OR " in sql
