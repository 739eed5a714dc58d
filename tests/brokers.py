"""Brokers that fail, for tests: point the Celery app at a URL, and a server that never answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from quotetracker import settings as project_settings
from quotetracker.celery import app as celery_app


def use_broker(url: str) -> None:
    """Point the Celery app at ``url`` (with the options settings gives it) and drop pooled connections."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = project_settings.broker_transport_options(url)
    celery_app._pool = None  # a new pool, for the new URL (the old one is left to the collector)
    celery_app.amqp._producer_pool = None


@contextmanager
def silent_broker(port: int) -> Iterator[str]:
    """A TCP server on 127.0.0.1:``port`` that accepts every connection and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", port))
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
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
