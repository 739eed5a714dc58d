"""Storing an article costs a fixed number of queries, and a blocked one fails fast."""

import datetime
import threading

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext

from quotes.models import Appearance, Article
from quotes.services.articles import article_extract
from tests.builders import article, extract, said
from tests.factories import SpeakerFactory

# Resolving, storing, dating, linking and counting: batched, so the same for 2 or 40 statements.
MAX_QUERIES = 45


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
def test_queries_per_stored_article_do_not_grow_with_its_statements(n):
    SpeakerFactory(name="Speaker0 Doe")
    text, found = _text(n)
    art = article(text)
    with CaptureQueriesContext(connection) as first:
        extract(art, *found)
    with CaptureQueriesContext(connection) as again:
        extract(art, *found)
    assert len(first.captured_queries) <= MAX_QUERIES
    assert len(again.captured_queries) <= MAX_QUERIES
    assert Appearance.objects.filter(article=art).count() == n


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
