"""End to end: an article posted to the API gets its statements from a real Celery worker.

A worker process is started on the Redis broker against this test run's
PostgreSQL database; nothing is mocked between the API and the engine.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from quotes.models import Article, Statement
from quotetracker.celery import app as celery_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TEXT = (
    "The city council met on Tuesday to debate the new bridge. "
    '"We will rebuild the bridge before winter," Mayor Jane Okafor said on Tuesday. '
    "Critics said the plan was too expensive."
)


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database server it can share with the test")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("set CELERY_BROKER_URL=redis://... (make test does)")
    celery_app.control.purge()  # messages a previous run left behind
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "quotetracker", "worker", "--pool=solo",
         "--without-mingle", "--without-gossip", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield proc
    proc.terminate()
    try:
        output, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    print(output[-5000:])  # shown by pytest when the test fails


def _wait_for_extraction(article_id: int, timeout: float = 180) -> Article:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        article = Article.objects.get(pk=article_id)
        if article.extraction_status in (Article.Status.DONE, Article.Status.FAILED):
            return article
        time.sleep(0.5)
    raise AssertionError(f"article {article_id} still {article.extraction_status} after {timeout}s")


def test_article_posted_to_the_api_gets_statements_from_a_real_worker(worker, staff_client):
    response = staff_client.post(
        "/api/articles/",
        {"title": "Bridge", "text": TEXT, "published_at": "2025-02-09T08:00:00Z", "outlet": "City Paper"},
        format="json",
    )
    assert response.status_code == 202, response.content
    article = _wait_for_extraction(response.json()["id"])

    assert article.extraction_status == Article.Status.DONE, article.extraction_error
    quote = Statement.objects.get(text__contains="We will rebuild the bridge before winter")
    assert quote.kind == Statement.Kind.DIRECT
    assert [s.name for s in quote.speakers.all()] == ["Jane Okafor"]
    assert quote.said_on.isoformat() == "2025-02-04"  # the Tuesday before publication
    assert quote.appearances.get().article_id == article.pk
    assert worker.poll() is None  # the worker is still up
