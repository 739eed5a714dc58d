"""One Celery beat per data directory: a second one refuses to start.

Two beats would each send the periodic recovery sweep and share one schedule file. `make run`
and `make beat` give beat a pidfile under the var directory; Celery refuses to start while
the process that wrote it is alive.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _beat(var: Path) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "quotetracker", "beat", "--loglevel=INFO",
            f"--pidfile={var / 'celerybeat.pid'}"]


def test_make_run_and_make_beat_give_beat_the_pidfile_under_var():
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    assert '--pidfile="${QUOTETRACKER_VAR_DIR:-var}/celerybeat.pid"' in run_sh
    assert "--pidfile=$${QUOTETRACKER_VAR_DIR:-var}/celerybeat.pid" in (ROOT / "Makefile").read_text()


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
        first.terminate()
        try:
            first.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            first.kill()
            first.communicate()
    assert not (tmp_path / "celerybeat.pid").exists()  # a clean stop removes it
