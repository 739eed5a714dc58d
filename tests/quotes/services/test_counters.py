"""Counters and timeline copies stay equal to a fresh count through every write service."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quotes.models import Speaker, Statement, StatementSpeaker
from quotes.services.articles import article_delete
from quotes.services.counters import counters_audit, counters_refresh_all, derived_refresh
from quotes.services.review import speakers_merge, statement_split, statements_merge
from quotes.services.statements import statement_delete, statement_edit, statements_reject, statements_verify
from tests.builders import article, extract, said
from tests.factories import AppearanceFactory, SpeakerFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db
SAT = datetime.date(2025, 2, 8)
TEXT = '"We will win," Jane Doe said on Saturday. "We will not," Mark Stone said. Jane Doe said it was fine.'


def _reading(art, low=0.9):
    return extract(
        art,
        said(TEXT, "We will win,", speakers=("Jane Doe",), source="Jane Doe", on=SAT, evidence="on Saturday"),
        said(TEXT, "We will not,", speakers=("Mark Stone",), source="Mark Stone"),
        said(TEXT, "it was fine", speakers=("Jane Doe",), kind="indirect", confidence=low),
    )


@pytest.fixture
def user():
    return UserFactory()


def speaker(name: str) -> Speaker:
    return Speaker.objects.get(name=name)


def test_an_extracted_article_leaves_every_count_right():
    art = article(TEXT)
    win, _, fine = _reading(art, low=0.3)
    assert counters_audit() == []
    art.refresh_from_db()
    assert art.statement_count == 3
    assert speaker("Jane Doe").statement_count == 1  # "it was fine" is under the timeline's floor
    link = StatementSpeaker.objects.get(statement=win)
    assert (link.said_on, link.shown) == (SAT, True)
    assert not StatementSpeaker.objects.get(statement=fine).shown


def test_a_second_report_counts_a_second_source_and_a_rerun_counts_nothing_twice():
    first, second = article(TEXT), article(TEXT + " ", published=datetime.date(2025, 2, 10))
    _reading(first)
    _reading(second)
    _reading(second)  # idempotent
    assert counters_audit() == []
    assert Statement.objects.get(text="We will win").source_count == 2


def test_review_decisions_move_what_timelines_show(user):
    _, stone, fine = _reading(article(TEXT), low=0.3)
    statements_verify(statement_ids=[fine.pk], user=user)
    statements_reject(statement_ids=[stone.pk], user=user)
    assert counters_audit() == []
    assert (speaker("Jane Doe").statement_count, speaker("Mark Stone").statement_count) == (2, 0)


def test_edits_merges_splits_and_speaker_merges_keep_counts_right(user):
    art = article(TEXT)
    win, stone, fine = _reading(art)
    statement_edit(
        statement=fine, user=user, said_on=datetime.date(2025, 2, 1), speakers=[speaker("Mark Stone")],
    )
    assert counters_audit() == []
    other = article(TEXT + "  ", published=datetime.date(2025, 2, 11))
    again = _reading(other)[0]
    assert again.pk == win.pk  # the same statement, a second source
    split = statement_split(statement=win, appearance_ids=[win.appearances.get(article=other).pk], user=user)
    assert counters_audit() == []
    statements_merge(target=win, others=[split], user=user)
    assert counters_audit() == []
    speakers_merge(target=speaker("Jane Doe"), others=[speaker("Mark Stone")], user=user)
    assert counters_audit() == []
    assert speaker("Jane Doe").statement_count == Statement.objects.filter(speakers__name="Jane Doe").count()


def test_deleting_statements_and_articles_keeps_counts_right(user):
    art = article(TEXT)
    win, stone, _ = _reading(art)
    statement_delete(statement=stone, user=user)
    assert counters_audit() == []
    statements_verify(statement_ids=[win.pk], user=user)
    article_delete(article=art)
    assert counters_audit() == []
    assert speaker("Jane Doe").statement_count == 1  # the verified one stays, with no source
    assert Statement.objects.get(pk=win.pk).source_count == 0


def test_a_new_floor_is_applied_by_refresh_counters(settings):
    _reading(article(TEXT), low=0.6)
    settings.TIMELINE_MIN_CONFIDENCE = 0.8
    assert counters_audit()  # stored under the old floor
    with pytest.raises(CommandError, match="differ"):
        call_command("refresh_counters", "--check", stdout=StringIO())
    call_command("refresh_counters", stdout=StringIO())
    assert counters_audit() == []
    assert speaker("Jane Doe").statement_count == 1


def test_a_refresh_costs_the_same_few_queries_for_one_statement_or_many(django_assert_num_queries):
    someone = SpeakerFactory()
    statements = [
        AppearanceFactory(start=i, end=i + 5, statement__speakers=[someone]).statement for i in range(30)
    ]
    # statements (counts), links (copies), their articles and speakers (one read); then articles, speakers
    with django_assert_num_queries(5):
        derived_refresh(statement_ids=[statements[0].pk])
    with django_assert_num_queries(5):
        derived_refresh(statement_ids=[s.pk for s in statements])


def test_refresh_all_walks_every_statement_in_batches():
    for _ in range(5):
        StatementFactory()
    Statement.objects.update(source_count=7)
    assert counters_refresh_all(batch=2) == 5
    assert counters_audit() == []
