"""A broker that refuses or never answers: the API still answers within seconds, the article waits.

The article is stored pending and the recovery sweep sends it later (tests/quotes/test_tasks.py);
what is bounded here is the wait for the broker (settings.broker_transport_options and the
publish retry policy). Both brokers are on 127.0.0.1: a port nobody listens on, and a server
that accepts connections and never replies.
"""

import socket
import threading
import time

import pytest

from quotes.models import Article
from quotetracker import settings as project_settings
from quotetracker.celery import app as celery_app

pytestmark = pytest.mark.django_db

# The API must answer well within this; a hanging broker held a request for 399 s.
ANSWER_WITHIN = 8.0


def _use_broker(url: str) -> None:
    """Point the Celery app at ``url`` (with the options settings gives it) and drop pooled connections."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = project_settings.broker_transport_options(url)
    celery_app._pool = None  # a new pool, for the new URL (the old one is left to the collector)
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker():
    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    yield _use_broker
    celery_app.conf.broker_url, options = saved
    _use_broker(celery_app.conf.broker_url)
    celery_app.conf.broker_transport_options = options


@pytest.fixture
def silent_server(loopback_port):
    """A TCP server that accepts every connection and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", loopback_port))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{loopback_port}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


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
