"""Counters and timeline copies stay equal to a fresh count through every write service."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quotes.models import Speaker, SpeakerMonth, Statement, StatementSpeaker
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
    # statements (counts), links (copies), their articles, their speakers; then articles, speakers;
    # the links' months before and after, and those months recounted, emptied ones deleted, the rest stored
    with django_assert_num_queries(10):
        derived_refresh(statement_ids=[statements[0].pk])
    with django_assert_num_queries(10):
        derived_refresh(statement_ids=[s.pk for s in statements])


def test_refresh_all_walks_every_statement_in_batches():
    for _ in range(5):
        StatementFactory()
    Statement.objects.update(source_count=7)
    assert counters_refresh_all(batch=2) == 5
    assert counters_audit() == []


def test_refresh_all_recounts_every_speaker_once_and_every_month():
    """Speakers are recounted after the statements (not with each batch): those with shown
    statements, those with none (back to zero), and month rows nothing links to are removed."""
    busy, idle = SpeakerFactory(), SpeakerFactory()
    for day in (1, 2, 3):
        StatementFactory(speakers=[busy], said_on=datetime.date(2025, 2, day), confidence=0.9)
    Speaker.objects.update(statement_count=42)
    SpeakerMonth.objects.create(speaker=idle, month=datetime.date(2020, 1, 1), statement_count=5)
    SpeakerMonth.objects.filter(speaker=busy).update(statement_count=9)

    counters_refresh_all(batch=2)

    assert Speaker.objects.get(pk=busy.pk).statement_count == 3
    assert Speaker.objects.get(pk=idle.pk).statement_count == 0
    assert months(busy.name) == {"2025-02": 3} and months(idle.name) == {}
    assert counters_audit() == []


def months(name: str) -> dict[str, int]:
    return {
        f"{m.month:%Y-%m}": m.statement_count for m in SpeakerMonth.objects.filter(speaker__name=name)
    }


def test_the_month_table_follows_every_write(user):
    first = article(TEXT)
    win, stone, fine = _reading(first)
    assert months("Jane Doe") == {"2025-02": 1}  # "it was fine" is undated: no month
    statement_edit(statement=stone, user=user, said_on=datetime.date(2025, 1, 20))
    assert months("Mark Stone") == {"2025-01": 1}
    statement_edit(statement=fine, user=user, said_on=datetime.date(2024, 11, 5))  # re-dated
    assert months("Jane Doe") == {"2024-11": 1, "2025-02": 1}
    statements_reject(statement_ids=[fine.pk], user=user)
    assert months("Jane Doe") == {"2025-02": 1}
    statement_edit(statement=stone, user=user, speakers=[speaker("Jane Doe")])  # a new speaker
    assert (months("Jane Doe"), months("Mark Stone")) == ({"2025-01": 1, "2025-02": 1}, {})
    second = article(TEXT + " ", published=datetime.date(2025, 3, 10))
    _reading(second)
    split = statement_split(statement=win, appearance_ids=[win.appearances.get(article=second).pk], user=user)
    statement_edit(statement=split, user=user, said_on=datetime.date(2025, 3, 1), said_on_precision="month")
    assert months("Jane Doe")["2025-03"] == 1
    statements_merge(target=win, others=[split], user=user)
    assert "2025-03" not in months("Jane Doe")
    statement_delete(statement=stone, user=user)
    article_delete(article=second)
    _reading(first)  # re-extraction of an article changes nothing twice
    assert counters_audit() == []
    speakers_merge(target=speaker("Jane Doe"), others=[speaker("Mark Stone")], user=user)
    assert counters_audit() == []
    assert sum(months("Jane Doe").values()) == StatementSpeaker.objects.filter(
        speaker__name="Jane Doe", shown=True, said_on__isnull=False,
    ).count()


def test_refresh_counters_repairs_the_month_table():
    _reading(article(TEXT))
    jane = speaker("Jane Doe")
    SpeakerMonth.objects.filter(speaker=jane).update(statement_count=40)
    SpeakerMonth.objects.create(speaker=jane, month=datetime.date(1999, 1, 1), statement_count=3)
    wrong = counters_audit()
    assert any("month 1999-01: stored 3" in line for line in wrong)
    assert any("month 2025-02: stored 40" in line for line in wrong)
    call_command("refresh_counters", stdout=StringIO())
    assert counters_audit() == []
    assert months("Jane Doe") == {"2025-02": 1}


def test_a_write_recounts_only_the_months_it_touched(django_assert_max_num_queries):
    someone = SpeakerFactory()
    for month in range(1, 13):
        StatementFactory(said_on=datetime.date(2024, month, 3), speakers=[someone])
    SpeakerMonth.objects.filter(speaker=someone, month=datetime.date(2024, 1, 1)).update(statement_count=9)
    moved = StatementFactory(said_on=datetime.date(2024, 6, 9), speakers=[someone])
    Statement.objects.filter(pk=moved.pk).update(said_on=datetime.date(2024, 7, 1))
    derived_refresh(statement_ids=[moved.pk])
    got = {f"{m.month:%m}": m.statement_count for m in SpeakerMonth.objects.filter(speaker=someone)}
    assert (got["06"], got["07"]) == (1, 2)
    assert got["01"] == 9  # a month no write touched is not read again


def test_new_statements_count_up_their_speakers_and_months_without_a_recount():
    _reading(article(TEXT))
    jane = speaker("Jane Doe")
    # A stored count off by a known amount shows whether the next write re-read Jane's record or added to it.
    Speaker.objects.filter(pk=jane.pk).update(statement_count=40)
    SpeakerMonth.objects.filter(speaker=jane).update(statement_count=30)
    text = '"Taxes will fall," Jane Doe said on Saturday.'
    extract(article(text), said(text, "Taxes will fall,", speakers=("Jane Doe",), source="Jane Doe", on=SAT))
    assert speaker("Jane Doe").statement_count == 41
    assert months("Jane Doe") == {"2025-02": 31}
    call_command("refresh_counters", stdout=StringIO())
    assert (speaker("Jane Doe").statement_count, months("Jane Doe")) == (3, {"2025-02": 2})


def test_an_article_with_new_and_known_statements_of_one_speaker_counts_each_once():
    _reading(article(TEXT))
    text = TEXT + ' "Taxes will fall," Jane Doe said on Saturday. "Rents too," Jane Doe said in March.'
    second = article(text, published=datetime.date(2025, 4, 2))
    _reading(second)  # the three known statements, reported again
    extract(
        second,
        said(text, "We will win,", speakers=("Jane Doe",), source="Jane Doe", on=SAT, evidence="on Saturday"),
        said(text, "Taxes will fall,", speakers=("Jane Doe",), source="Jane Doe", on=SAT),
        said(text, "Rents too,", speakers=("Jane Doe",), source="Jane Doe", on=datetime.date(2025, 3, 1),
             precision="month"),
        said(text, "it was fine", speakers=("Mark Stone",), kind="indirect", confidence=0.95),
    )
    assert counters_audit() == []
    assert months("Jane Doe") == {"2025-02": 2, "2025-03": 1}
    assert speaker("Jane Doe").statement_count == 4  # "it was fine" (undated) stays from the first article


def test_a_statement_reported_twice_in_its_first_article_takes_its_best_report():
    text = 'Jane Doe said we will win. Later: "We will win," Jane Doe said.'
    weak = said(text, "we will win", speakers=("Jane Doe",), kind="indirect", confidence=0.5)
    strong = said(text, "We will win,", speakers=("Jane Doe",), kind="direct", confidence=0.95)
    first, second = extract(article(text), weak, strong)
    assert first.pk == second.pk
    statement = Statement.objects.get(pk=first.pk)
    assert (statement.kind, statement.confidence, statement.history.count()) == ("direct", 0.95, 1)
    assert counters_audit() == []


def test_the_audit_names_a_link_whose_copied_date_or_shown_state_is_stale():
    someone = SpeakerFactory()
    dated, hidden = (StatementFactory(speakers=[someone], said_on=datetime.date(2025, 2, 8), confidence=0.9)
                     for _ in range(2))
    assert counters_audit() == []
    StatementSpeaker.objects.filter(statement=dated).update(said_on=datetime.date(2024, 1, 1))
    # Rejected behind the services' back: its link still says shown.
    Statement.objects.filter(pk=hidden.pk).update(review_status=Statement.Review.REJECTED)

    wrong = counters_audit()

    assert sorted(line for line in wrong if line.startswith("link ")) == sorted([
        f"link {dated.pk}/{someone.pk}: (2024-01-01, True)",
        f"link {hidden.pk}/{someone.pk}: (2025-02-08, True)",
    ])
