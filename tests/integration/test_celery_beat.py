"""Celery beat: it sends the recovery sweep every interval, and one runs per data directory.

Two beats would each send the periodic recovery sweep and share one schedule file. `make run`
and `make beat` give beat a pidfile under the var directory; Celery refuses to start while
the process that wrote it is alive.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _beat(var: Path) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "quotetracker", "beat", "--loglevel=INFO",
            f"--pidfile={var / 'celerybeat.pid'}"]


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        return proc.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[0]


def _tasks_queued(broker: redis.Redis, queue: str) -> list[dict]:
    # Kombu's Redis transport keeps a queue as a list of JSON messages under the queue's name.
    return [json.loads(m)["headers"] for m in broker.lrange(queue, 0, -1)]


def test_beat_sends_the_sweep_to_the_queue_every_interval(tmp_path):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("set CELERY_BROKER_URL=redis://... (make test does)")
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(queue)  # messages a previous run left behind
    var = tmp_path / "var"  # missing: beat makes it for its schedule file
    env = {**os.environ, "QUOTETRACKER_VAR_DIR": str(var), "EXTRACTION_REQUEUE_INTERVAL": "1"}
    beat = subprocess.Popen([sys.executable, "-m", "celery", "-A", "quotetracker", "beat", "--loglevel=INFO"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    try:
        while len(sent := _tasks_queued(broker, queue)) < 2 and beat.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        output = _stop(beat)
        broker.delete(queue)
    assert len(sent) >= 2, output[-3000:]
    assert {h["task"] for h in sent} == {"quotes.requeue_stale_extractions"}
    assert all(h["expires"] for h in sent)  # a sweep nobody ran in time is dropped, not piled up
    assert list(var.glob("celerybeat-schedule*"))  # where the settings say, in a folder beat made


def test_a_second_beat_on_the_same_var_directory_exits_with_an_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env["QUOTETRACKER_VAR_DIR"] = str(tmp_path)  # SQLite and the filesystem broker under it
    first = subprocess.Popen(_beat(tmp_path), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "celerybeat.pid").exists():
            assert first.poll() is None, first.communicate()[0][-3000:]
            assert time.monotonic() < deadline, "the first beat wrote no pidfile"
            time.sleep(0.2)
        second = subprocess.run(_beat(tmp_path), cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=60)
        assert second.returncode != 0
        assert "already exists" in second.stdout + second.stderr
        assert first.poll() is None  # the first one runs on
    finally:
        _stop(first)
    assert not (tmp_path / "celerybeat.pid").exists()  # a clean stop removes it
