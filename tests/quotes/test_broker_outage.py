"""A broker that refuses or never answers: the API still answers within seconds, the article waits.

The article is stored pending and the recovery sweep sends it later (tests/quotes/test_tasks.py);
what is bounded here is the wait for the broker (settings.broker_transport_options and the
publish retry policy). Both brokers are on 127.0.0.1: a port nobody listens on, and a server
that accepts connections and never replies.
"""

import time

import pytest

from quotes.models import Article
from quotetracker import settings as project_settings
from quotetracker.celery import app as celery_app
from tests.brokers import silent_broker, use_broker

pytestmark = pytest.mark.django_db

# The API must answer well within this; a hanging broker held a request for 399 s.
ANSWER_WITHIN = 8.0


@pytest.fixture
def broker():
    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    yield use_broker
    use_broker(saved[0])
    celery_app.conf.broker_transport_options = saved[1]


@pytest.fixture
def silent_server(loopback_port):
    with silent_broker(loopback_port) as url:
        yield url


@pytest.fixture
def refusing_port(loopback_port):
    return f"redis://127.0.0.1:{loopback_port}/0"  # bound by nobody: connections are refused


def _submit_timed(staff_client, capture) -> tuple[float, object]:
    text = '"We sail at dawn," Captain Ida Ferro said.'
    body = {"title": "Harbour", "text": text, "published_at": "2025-02-09"}
    started = time.monotonic()
    with capture(execute=True):
        response = staff_client.post("/api/articles/", body, format="json")
    return time.monotonic() - started, response


@pytest.mark.parametrize("which", ["silent_server", "refusing_port"])
def test_submit_answers_within_seconds_and_leaves_the_article_pending(
    which, request, broker, staff_client, django_capture_on_commit_callbacks,
):
    broker(request.getfixturevalue(which))
    took, response = _submit_timed(staff_client, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    assert took < ANSWER_WITHIN, f"the API waited {took:.1f} s for the broker"
    article = Article.objects.get(pk=response.json()["id"])
    assert article.extraction_status == Article.Status.PENDING  # the sweep sends it later


def test_redis_brokers_get_socket_and_connect_timeouts():
    options = project_settings.broker_transport_options("redis://127.0.0.1:6379/0")
    assert 0 < options["socket_connect_timeout"] <= 5 and 0 < options["socket_timeout"] <= 5
