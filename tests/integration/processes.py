"""Real processes for the integration tests: a web server and Celery workers on this run's database.

Each shares the test run's PostgreSQL database (transactional tests, so what one writes the
others see) and, for workers, the Redis broker ``make test`` gives the run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database this test run uses (its test database)."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def require_servers() -> None:
    """Skip unless the run has a database server and a Redis broker a process can share."""
    if connection.vendor != "postgresql":
        pytest.skip("the processes need a database server they can share with the test")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("set CELERY_BROKER_URL=redis://... (make test does)")


def process_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE, **extra}


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start ``command`` in a session of its own, its output to a file ``stop`` reads.

    A file, not a pipe: a pipe nobody reads fills up, and a server writing its log then blocks
    on every request.
    """
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by stop)
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    proc.log = log
    return proc


def start_worker(*args: str, **env: str) -> subprocess.Popen:
    """A Celery worker process (its output read by ``stop``)."""
    return _start(
        [sys.executable, "-m", "celery", "-A", "quotetracker", "worker", "--without-mingle",
         "--without-gossip", "--loglevel=INFO", *args],
        process_env(**env),
    )


def start_web(port: int, **env: str) -> subprocess.Popen:
    """gunicorn serving the project on 127.0.0.1:``port``; returns once it answers."""
    proc = _start(
        [sys.executable, "-m", "gunicorn", "quotetracker.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
        process_env(**env),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    print(stop(proc))
    raise AssertionError(f"the web server on port {port} did not come up")


def stop(proc: subprocess.Popen, timeout: float = 30) -> str:
    """Stop a process this test started (SIGTERM, then SIGKILL); returns the end of its output."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    proc.log.seek(0)
    output = proc.log.read()
    proc.log.close()
    return output[-5000:]
