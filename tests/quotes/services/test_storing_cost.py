"""Storing an article costs a fixed number of queries, and a blocked one fails fast."""

import datetime
import threading

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext

from quotes.models import Appearance, Article, Speaker
from quotes.services.articles import article_extract
from tests.builders import article, extract, said
from tests.factories import SpeakerFactory

# Queries to store an article, whatever its number of statements (each step is one batch; see
# statements_replace_auto), the savepoint pair of the test's own transaction included.
FIRST = 18  # speakers all known: lock, stored rows, speakers, fragments, statements, appearances,
# partial quotes, counters and the month table counted up (quotes.services.counters); the new
# statements' provenance, counts and links' copies are written with them, not derived after
FIRST_NEW_SPEAKERS = 21  # ... and the people nobody knew created (slugs, insert, alias, history)
AGAIN = 32  # the same reading again: the old appearances replaced, dates reconciled, provenance derived
AGAIN_ONE_GONE = 50  # at most: one statement no longer found, it and its speakers' counts go too
# (one query fewer when its speaker keeps statements in that month: no month row to delete)


def _text(n: int) -> tuple[str, list]:
    parts = [f'"Statement number {i} is about the budget," Speaker{i % 5} Doe said.' for i in range(n)]
    text = " ".join(parts)
    found = [
        said(text, f"Statement number {i} is about the budget,", speakers=(f"Speaker{i % 5} Doe",),
             source=f"Speaker{i % 5} Doe", on=datetime.date(2025, 2, 8), evidence=None)
        for i in range(n)
    ]
    return text, found


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 40])
def test_queries_per_stored_article_do_not_grow_with_its_statements(
    n, django_assert_num_queries, django_assert_max_num_queries,
):
    for i in range(5):
        SpeakerFactory(name=f"Speaker{i} Doe")
    text, found = _text(n)
    art = article(text)
    with django_assert_num_queries(FIRST):
        extract(art, *found)
    with django_assert_num_queries(AGAIN):
        extract(art, *found)
    with django_assert_max_num_queries(AGAIN_ONE_GONE):
        extract(art, *found[1:])
    assert Appearance.objects.filter(article=art).count() == n - 1


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 40])
def test_people_nobody_knew_are_created_in_one_batch(n, django_assert_num_queries):
    text, found = _text(n)
    art = article(text)
    with django_assert_num_queries(FIRST_NEW_SPEAKERS):
        extract(art, *found)
    assert Speaker.objects.filter(reviewed=False).count() == min(n, 5)


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_elsewhere_fails_the_attempt_fast_and_leaves_the_article_retryable(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout is PostgreSQL's")
    text, found = _text(2)
    art = article(text)
    monkeypatch.setattr("quotes.services.articles.extraction.extract", lambda *a, **k: found)
    holding, release = threading.Event(), threading.Event()

    def hold_the_new_speakers_name():
        # Another worker mid-transaction, having inserted the same unknown speaker.
        other = connections.create_connection("default")
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO quotes_speaker (name, slug, description, is_organization, reviewed, "
                "statement_count, created_at, updated_at) "
                "VALUES ('Speaker0 Doe', 'held', '', false, false, 0, now(), now())"
            )
            holding.set()
            release.wait(10)
        other.rollback()
        other.close()

    thread = threading.Thread(target=hold_the_new_speakers_name)
    thread.start()
    try:
        assert holding.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        started = datetime.datetime.now()
        with pytest.raises(OperationalError, match="lock timeout"):
            article_extract(article_id=art.pk)
        assert datetime.datetime.now() - started < datetime.timedelta(seconds=5)
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    art.refresh_from_db()
    assert art.extraction_status in (Article.Status.PENDING, Article.Status.RUNNING)  # the retry's to do
    assert not Appearance.objects.filter(article=art).exists()  # rolled back whole
    article_extract(article_id=art.pk)  # and the retry stores it
    assert Appearance.objects.filter(article=art).count() == 2


@pytest.mark.django_db
def test_a_new_statement_is_inserted_dated_and_never_rewritten_in_the_same_run():
    from quotes.models import Statement

    text, found = _text(3)
    art = article(text)
    with CaptureQueriesContext(connection) as stored:
        extract(art, *found)
    statements = list(Statement.objects.filter(appearances__article=art))
    assert len(statements) == 3
    for statement in statements:
        assert (statement.said_on, statement.said_on_precision) == (datetime.date(2025, 2, 8), "day")
        assert statement.first_reported_at == art.published_at
        assert statement.history.count() == 1  # its insert; no second write of its dates
    updates = [q["sql"] for q in stored.captured_queries if q["sql"].startswith('UPDATE "quotes_statement"')]
    assert not any('"said_on_precision" = CASE' in sql for sql in updates)


@pytest.mark.django_db
def test_reextraction_keeps_what_a_human_decided_and_keeps_the_counters_right():
    from quotes.models import Statement
    from quotes.services.counters import counters_audit
    from quotes.services.statements import statement_edit, statements_verify
    from tests.factories import UserFactory

    for i in range(5):
        SpeakerFactory(name=f"Speaker{i} Doe")
    text, found = _text(4)
    art = article(text)
    verified, edited, dropped = extract(art, *found[:3])
    user = UserFactory()
    statements_verify(statement_ids=[verified.pk], user=user)
    statement_edit(statement=edited, user=user, text="A reviewer's wording.")
    def decided():
        return {s.pk: (s.text, s.said_on, s.review_status, s.edited, s.history.count())
                for s in Statement.objects.filter(pk__in=[verified.pk, edited.pk])}

    before = decided()
    assert [v[1:4] for v in before.values()] == [(datetime.date(2025, 2, 8), "verified", False),
                                                  (datetime.date(2025, 2, 8), "extracted", True)]
    later = datetime.date(2025, 2, 1)
    reading = [
        said(text, f"Statement number {i} is about the budget,", speakers=(f"Speaker{i % 5} Doe",),
             source=f"Speaker{i % 5} Doe", on=later, evidence=None)
        for i in (0, 1, 3)  # the first two again (another date), the third gone, a fourth new
    ]
    again = extract(art, *reading)

    assert decided() == before  # nothing a human decided was rewritten
    assert not Statement.objects.filter(pk=dropped.pk).exists()
    assert [s.text for s in again] == ["Statement number 3 is about the budget"]
    assert again[0].said_on == later
    assert Appearance.objects.filter(article=art).count() == 3  # the locked two kept theirs
    assert counters_audit() == []
    art.refresh_from_db()
    assert art.statement_count == 3
    assert Speaker.objects.get(name="Speaker2 Doe").statement_count == 0


@pytest.mark.django_db
def test_a_statement_a_concurrent_worker_inserted_first_is_theirs_with_this_articles_dates(monkeypatch):
    """The insert loses the unique fingerprint to another worker's row: that row is used and dated."""
    from quotes.models import Statement
    from quotes.normalize import normalize_text, statement_fingerprint
    from quotes.services.counters import counters_audit

    for i in range(5):
        SpeakerFactory(name=f"Speaker{i} Doe")
    text, found = _text(2)
    art = article(text)
    first = found[0]
    words = text[first.content.start:first.content.end].rstrip(",")
    speaker = Speaker.objects.get(name="Speaker0 Doe")
    # Another worker's row, committed after this one read the fingerprints (so it missed it).
    key = statement_fingerprint(words, [speaker.pk])
    winners = [Statement.objects.create(text=words, normalized_text=normalize_text(words), fingerprint=key)]
    winners[0].speakers.add(speaker)
    from quotes.services import statements as service

    read = service._by_fingerprint

    def missing_the_winner(fingerprints):
        if not getattr(missing_the_winner, "done", False):
            missing_the_winner.done = True
            return []
        return read(fingerprints)

    monkeypatch.setattr(service, "_by_fingerprint", missing_the_winner)
    stored = extract(art, *found)
    monkeypatch.undo()

    assert stored[0].pk == winners[0].pk
    assert Statement.objects.filter(fingerprint=winners[0].fingerprint).count() == 1
    winner = Statement.objects.get(pk=winners[0].pk)
    assert (winner.said_on, winner.said_on_precision) == (datetime.date(2025, 2, 8), "day")  # reconciled
    assert winner.first_reported_at == art.published_at
    assert [s.name for s in winner.speakers.all()] == ["Speaker0 Doe"]
    assert Appearance.objects.filter(article=art).count() == 2
    assert counters_audit() == []


def _seq_scans_of_statements() -> int:
    """Sequential scans of the statements table by this transaction so far (PostgreSQL's own count)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'quotes_statement'")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_worker_connection_checks_links_by_index_once_the_statements_outgrew_its_first_plans(monkeypatch):
    # The connection stores a first article while the statements table is nearly empty: the
    # plans PostgreSQL keeps for the foreign-key checks (and the links' search-copy trigger) scan it.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan cache")
    from quotes.models import Statement
    from tests.factories import StatementFactory

    first_text, first_found = _text(6)
    monkeypatch.setattr("quotes.services.articles.extraction.extract", lambda *a, **k: first_found)
    article_extract(article_id=article(first_text).pk)
    StatementFactory.create_batch(3000)  # the table grows: 3000 statements more
    words = ["The council will vote on the harbour plan in May,", "Nobody has seen the final figures,",
             "We expect the ferry to run again by summer,", "It is the fairest budget in years,"]
    text = " ".join(f'"{w}" Speaker{i} Doe said.' for i, w in enumerate(words))
    found = [said(text, w, speakers=(f"Speaker{i} Doe",), source=f"Speaker{i} Doe")
             for i, w in enumerate(words)]
    monkeypatch.setattr("quotes.services.articles.extraction.extract", lambda *a, **k: found)
    second = article(text)
    before = _seq_scans_of_statements()
    article_extract(article_id=second.pk)
    # Four new statements, their four links and four appearances checked against the statements:
    # by index (the kept plans scanned the table at each link).
    assert _seq_scans_of_statements() - before == 0
    assert Appearance.objects.filter(article=second).count() == 4
    assert Statement.objects.count() == 3010
