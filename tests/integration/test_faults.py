"""Faults under real workers: every article ends done exactly once, with the statements of a clean run.

Three faults, each against real Celery worker processes on this run's PostgreSQL and Redis:
a worker killed with SIGKILL in the middle of an extraction; a broker that refuses, then one
that accepts and never answers, while articles are submitted; the worker's database connection
terminated (pg_terminate_backend) in the middle of a transaction. Recovery is what production
has: the task's retries, and the recovery sweep (called here at once instead of by beat).

"A clean run" is the same extraction run again in this process after the fault: it must
change nothing (same statements, same appearances); and no article is stored twice.
"""

import datetime
import os
import signal
import time

import pytest
from django.db import connection

from quotes.models import Appearance, Article, Statement
from quotes.services.articles import article_extract, article_extractions_requeue_stale
from tests.brokers import silent_broker, use_broker
from tests.integration.processes import require_servers, start_worker, stop

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PEOPLE = [("Ida Ferro", "harbour master"), ("Tomas Brandt", "mayor"), ("Nell Okonjo", "fire chief"),
          ("Ravi Castell", "ferry captain"), ("Mina Aaltonen", "school principal")]


def _text(n: int, paragraphs: int) -> str:
    """An invented article: quotes and reported speech by invented people, ``paragraphs`` long."""
    lines = []
    for i in range(paragraphs):
        name, role = PEOPLE[(n + i) % len(PEOPLE)]
        lines.append(f'"We will open the {n}-{i} pier before the storm," {role} {name} said on Tuesday.')
        lines.append(f"{name} told reporters that the budget for project {n}-{i} was too small.")
    return "\n".join(lines)


def _submit(client, n: int, paragraphs: int = 3) -> int:
    body = {"title": f"Harbour {n}", "text": _text(n, paragraphs), "published_at": "2025-02-09T08:00:00Z"}
    response = client.post("/api/articles/", body, format="json")
    assert response.status_code == 202, response.content
    return response.json()["id"]


def _snapshot() -> tuple:
    statements = sorted(Statement.objects.values_list("text", "kind", "said_on", "review_status"))
    appearances = sorted(Appearance.objects.values_list("article_id", "start", "end", "statement__text"))
    speakers = sorted(Statement.objects.values_list("text", "speakers__name"))
    return statements, appearances, speakers


def _wait_all_done(ids: list[int], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = dict(Article.objects.filter(pk__in=ids).values_list("pk", "extraction_status"))
        if all(status == Article.Status.DONE for status in statuses.values()):
            return
        assert Article.Status.FAILED not in statuses.values(), statuses
        time.sleep(0.3)
    raise AssertionError(f"not all done after {timeout} s: {statuses}")


def _wait_for(predicate, timeout: float = 120, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(every)
    raise AssertionError("the moment to inject the fault never came")


def _assert_done_once_as_a_clean_run(ids: list[int]) -> None:
    assert Article.objects.filter(pk__in=ids, extraction_status=Article.Status.DONE).count() == len(ids)
    assert Article.objects.count() == len(ids)  # none stored twice
    after_fault = _snapshot()
    assert after_fault[1], "the articles' statements were stored"
    for article_id in ids:
        article_extract(article_id=article_id)  # a clean run, in this process
    assert _snapshot() == after_fault


def _sweep_now() -> list[int]:
    return article_extractions_requeue_stale(older_than=datetime.timedelta(0))


@pytest.fixture
def workers():
    require_servers()
    from quotetracker.celery import app

    app.control.purge()
    started = []

    def start(*args, **env):
        proc = start_worker(*args, **env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        print(stop(proc))


def test_a_worker_killed_mid_extraction(workers, staff_client):
    first = workers("--concurrency=1")
    ids = [_submit(staff_client, n, paragraphs=40) for n in range(3)]
    running = _wait_for(lambda: Article.objects.filter(pk__in=ids, extraction_status="running").exists())
    assert running
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, mid-extraction
    first.wait(timeout=30)
    workers("--concurrency=1")
    _sweep_now()  # what beat does after EXTRACTION_STALE_MINUTES: the killed one stays "running"
    _wait_all_done(ids)
    _assert_done_once_as_a_clean_run(ids)


def test_a_broker_refusing_then_hanging(
    workers, staff_client, django_capture_on_commit_callbacks, loopback_port,
):
    from quotetracker.celery import app

    real = app.conf.broker_url
    ids = []
    try:
        use_broker(f"redis://127.0.0.1:{loopback_port}/0")  # nobody listens: refused
        with django_capture_on_commit_callbacks(execute=True):
            ids.append(_submit(staff_client, 10))
        with silent_broker(loopback_port) as url:  # accepts, never answers
            use_broker(url)
            with django_capture_on_commit_callbacks(execute=True):
                ids.append(_submit(staff_client, 11))
    finally:
        use_broker(real)
    assert set(Article.objects.values_list("extraction_status", flat=True)) == {Article.Status.PENDING}
    workers("--concurrency=1")
    assert sorted(_sweep_now()) == sorted(ids)
    _wait_all_done(ids)
    _assert_done_once_as_a_clean_run(ids)


def test_the_workers_database_connection_terminated_mid_transaction(workers, staff_client):
    ids = [_submit(staff_client, n, paragraphs=40) for n in range(20, 23)]
    workers("--concurrency=1")

    def kill_a_transaction() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_type = 'client backend' "
                "AND query NOT ILIKE '%%pg_stat_activity%%'"
            )
            return sum(1 for (killed,) in cursor.fetchall() if killed)

    assert _wait_for(kill_a_transaction, every=0.005)
    _wait_all_done(ids)  # the task retries on the broken connection's error, on a new connection
    _assert_done_once_as_a_clean_run(ids)
