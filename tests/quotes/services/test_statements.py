"""quotes/services/statements.py: the text a statement keeps, and review decisions on record.

Storing what the engine found is test_replace_auto.py and test_dates_reconcile.py.
"""

import datetime

import pytest

from quotes.models import Statement
from quotes.services.statements import statement_edit, statement_text, statements_reject, statements_verify
from tests.builders import TEXT, article, attributions, extract
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "content, shown",
    [
        ("We will win the vote,", "We will win the vote"),
        ('that the plan "works" \u2014', 'the plan "works"'),
        ("Whether to run is my choice.", "to run is my choice."),
        ("thatcher's legacy", "thatcher's legacy"),
        ("that it poses a \u201cgrave challenge,\u201d", "it poses a \u201cgrave challenge\u201d"),
        ('the plan "works," she said', 'the plan "works," she said'),
    ],
)
def test_statement_text_drops_the_reporting_sentence_joints(content, shown):
    assert statement_text(content) == shown


def test_review_decisions_leave_an_audit_trail():
    extract(article(TEXT), *attributions())
    reviewer = StaffFactory(username="reviewer")
    quote = Statement.objects.get(kind=Statement.Kind.DIRECT)
    statements_verify(statement_ids=[quote.pk], user=reviewer)
    statement_edit(statement=quote, user=reviewer, said_on=datetime.date(2025, 2, 7), said_on_precision="day")
    statements_reject(statement_ids=[quote.pk], user=reviewer)

    history = list(quote.history.order_by("history_date"))
    assert [h.review_status for h in history[-3:]] == ["verified", "verified", "rejected"]
    assert history[-2].said_on == datetime.date(2025, 2, 7)
    assert {h.history_user for h in history[-3:]} == {reviewer}
