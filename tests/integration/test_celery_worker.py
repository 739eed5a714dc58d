"""End to end: an article posted to the API gets its statements from a real Celery worker.

A worker process is started on the Redis broker against this test run's
PostgreSQL database; nothing is mocked between the API and the engine.
"""

import time

import pytest

from quotes.models import Article, Statement
from quotetracker.celery import app as celery_app
from tests.integration.processes import require_servers, start_worker, stop

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TEXT = (
    "The city council met on Tuesday to debate the new bridge. "
    '"We will rebuild the bridge before winter," Mayor Jane Okafor said on Tuesday. '
    "Critics said the plan was too expensive."
)


@pytest.fixture
def worker():
    require_servers()
    celery_app.control.purge()  # messages a previous run left behind
    proc = start_worker("--pool=solo")
    yield proc
    print(stop(proc))  # shown by pytest when the test fails


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
