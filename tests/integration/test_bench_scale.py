"""scripts/bench_scale.py end to end, small: a 10,000-statement corpus, gunicorn under load, 5 ingestions.

Real processes throughout (gunicorn, two Celery workers); its databases are named after
this process and dropped at the end, its Redis database and queue are this run's.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = ("bare view", "bare view, 3 fields", "statements", "statements ?speaker=leader",
             "statements ?q=pension", "speakers", "articles", "/speakers/ page", "/speakers/<leader>/ page")


def test_bench_scale_runs_end_to_end_without_errors():
    if connection.vendor != "postgresql":
        pytest.skip("bench_scale makes PostgreSQL databases of its own")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("set CELERY_BROKER_URL=redis://... (make test does)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "BENCH_PG": f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:"
                    f"{db.get('PORT') or 5432}",
        "BENCH_BROKER_URL": settings.CELERY_BROKER_URL,
        "BENCH_QUEUE": f"qt-bench-test-{os.getpid()}",
    }
    command = [sys.executable, "scripts/bench_scale.py", "--statements", "10000", "--duration", "1.5",
               "--requests", "40", "--ingest-articles", "5", "--ingest-timeout", "120",
               "--db-prefix", f"qt_bench_test_{os.getpid()}", "--drop-after", "--interleave"]

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr[-5000:]
    rows = {line[:30].strip(): line for line in result.stdout.splitlines()}
    for name in ENDPOINTS:
        assert rows[name].endswith("  0"), rows[name]  # the errors column
    assert re.search(r"statements (\?page=|cursor, page )\d+", result.stdout)
    for file_format in ("csv", "jsonl"):  # the leader's whole record, streamed
        assert rows[f"export ?speaker=leader {file_format}"].endswith("  200")
    assert "x bare" in result.stdout and "queries" in result.stdout
    bare_beside = [float(rows[name].split()[-4]) for name in ENDPOINTS if name != "bare view"]
    assert all(rate > 0 for rate in bare_beside)  # --interleave: a bare view measured beside each
    assert re.search(r"CPU until done: worker [\d.]+ s, gunicorn [\d.]+ s, postgres [\d.]+ s", result.stdout)
    assert re.search(r"ingestion, empty database: .* 5 done, 0 failed", result.stdout)
    assert re.search(r"extract_quotes, one process: +[\d.]+ s +\(mean of [\d.]+ s before and [\d.]+ s after",
                     result.stdout)
    assert "NOT FINISHED" not in result.stdout
