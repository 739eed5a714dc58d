"""statement_dates_reconcile: as exact as the sources allow, disagreement visible, first report kept."""

import datetime

import pytest

from quotes.models import Statement
from quotes.services.dates import statement_dates_reconcile
from quotes.services.statements import statement_edit
from tests.builders import article, extract, said
from tests.factories import SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
QUOTE = "We will strengthen our nuclear forces."


@pytest.fixture(autouse=True)
def kim():
    return SpeakerFactory(name="Kim Jong Un")


def report(published, when_words, on, precision):
    """An article reporting QUOTE with the date it gives ("on Saturday" -> ``on``)."""
    text = f'"{QUOTE}" Kim said {when_words}.'
    art = article(text, published=published)
    (statement,) = extract(art, said(text, QUOTE, speakers=("Kim Jong Un",), on=on, precision=precision,
                                     evidence=when_words))
    return statement


def test_on_saturday_and_last_week_agree_and_the_day_wins():
    # Sunday 9 Feb 2025: "on Saturday" is 8 Feb. Wednesday 12 Feb: "last week" is the week of 3 Feb.
    first = report(D(2025, 2, 9), "on Saturday", D(2025, 2, 8), "day")
    second = report(D(2025, 2, 12), "last week", D(2025, 2, 3), "week")
    assert first == second
    statement = Statement.objects.get()
    assert (statement.said_on, statement.said_on_precision) == (D(2025, 2, 8), "day")
    assert statement.said_on_method == Statement.DateMethod.RELATIVE
    assert statement.date_conflict is False
    assert statement.appearances.count() == 2


def test_last_week_that_cannot_contain_saturday_is_a_visible_conflict():
    report(D(2025, 2, 9), "on Saturday", D(2025, 2, 8), "day")
    # Published 20 Feb: "last week" is the week of 10 Feb, which does not contain 8 Feb.
    report(D(2025, 2, 20), "last week", D(2025, 2, 10), "week")
    statement = Statement.objects.get()
    assert (statement.said_on, statement.said_on_precision) == (D(2025, 2, 8), "day")
    assert statement.date_conflict is True
    # Each article's own reading stays on its appearance for the reviewer to compare.
    assert sorted(statement.appearances.values_list("said_on", "said_on_precision")) == [
        (D(2025, 2, 8), "day"), (D(2025, 2, 10), "week"),
    ]


def test_two_different_days_conflict_and_the_earlier_is_shown():
    report(D(2025, 2, 9), "on Saturday", D(2025, 2, 8), "day")
    report(D(2025, 2, 9), "on Friday", D(2025, 2, 7), "day")
    statement = Statement.objects.get()
    assert statement.date_conflict is True
    assert statement.said_on == D(2025, 2, 7)


def test_month_and_year_contain_the_day():
    report(D(2025, 3, 1), "in February", D(2025, 2, 1), "month")
    report(D(2025, 12, 1), "this year", D(2025, 1, 1), "year")
    statement = Statement.objects.get()
    assert (statement.said_on, statement.said_on_precision) == (D(2025, 2, 1), "month")
    report(D(2025, 2, 9), "on Saturday", D(2025, 2, 8), "day")
    statement.refresh_from_db()
    assert (statement.said_on, statement.said_on_precision, statement.date_conflict) == (
        D(2025, 2, 8), "day", False,
    )


def test_no_article_gives_a_date_so_the_date_stays_unknown():
    text = f'"{QUOTE}" Kim said.'
    (statement,) = extract(article(text), said(text, QUOTE, speakers=("Kim Jong Un",)))
    statement.refresh_from_db()
    assert statement.said_on is None
    assert statement.said_on_precision == Statement.Precision.UNKNOWN
    assert statement.said_on_method == Statement.DateMethod.UNKNOWN


def test_first_reported_at_is_the_earliest_publication_whatever_the_order():
    report(D(2025, 2, 12), "last week", D(2025, 2, 3), "week")
    report(D(2025, 2, 9), "on Saturday", D(2025, 2, 8), "day")
    statement = Statement.objects.get()
    assert statement.first_reported_at.date() == D(2025, 2, 9)


def test_a_human_date_is_kept_but_first_reported_at_still_moves():
    statement = report(D(2025, 2, 12), "last week", D(2025, 2, 3), "week")
    statement_edit(statement=statement, user=UserFactory(), said_on=D(2025, 2, 6), said_on_precision="day")
    report(D(2025, 2, 9), "on Saturday", D(2025, 2, 8), "day")
    statement.refresh_from_db()
    assert (statement.said_on, statement.said_on_method) == (D(2025, 2, 6), Statement.DateMethod.MANUAL)
    assert statement.first_reported_at.date() == D(2025, 2, 9)


def test_reconcile_directly_after_an_appearance_is_removed():
    report(D(2025, 2, 9), "on Saturday", D(2025, 2, 8), "day")
    report(D(2025, 2, 20), "last week", D(2025, 2, 10), "week")
    statement = Statement.objects.get()
    statement.appearances.filter(said_on_precision="day").delete()
    statement_dates_reconcile(statement=statement)
    assert (statement.said_on, statement.said_on_precision, statement.date_conflict) == (
        D(2025, 2, 10), "week", False,
    )
    assert statement.first_reported_at.date() == D(2025, 2, 20)
