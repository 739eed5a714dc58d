#!/usr/bin/env python
"""Measure QuoteTracker at scale (issue #12): a generated corpus, the production server under load, ingestion.

usage: bench_scale.py [--statements N] [--seed S] [--duration SECONDS] [--requests N] [--clients 4]
                      [--interleave] [--ingest-articles K] [--ingest-timeout SECONDS] [--db-prefix qt_bench]
                      [--drop-after] [--ingest-only]

1. Makes its own PostgreSQL database (``qt_bench``, dropped and made again), migrates it and
   fills it with ``manage.py generate_corpus --statements N`` (default 1,000,000).
2. Starts gunicorn (2 workers, production settings, DEBUG off, bench mode on) on a free
   loopback port and loads each endpoint with 4 concurrent clients for ``--duration``
   seconds or ``--requests`` requests, whichever comes first; a request slower than
   ``--request-timeout`` (30 s) is an error, as is any status but 200. Prints one table:
   p50/p95/p99 latency, req/s, req/s relative to the bare view (/bench/bare/, the same 20
   rows as JSON from one plain query), SQL queries per request (X-Query-Count), errors.
   With ``--interleave`` the bare view is measured again (half as long) right before each
   endpoint and that endpoint's ratio is taken against it: on a machine others share, two
   runs seconds apart see the same load, the first row and the last may not.
   Then exports the biggest leader's record once as CSV and once as JSON Lines
   (``/api/statements/export.csv?speaker=...``, read in 64 kB chunks, as an anonymous client)
   and prints rows, seconds, rows/s and the gunicorn worker's RSS (before, highest sampled
   while it ran, after) and VmHWM from /proc: the issue's target is 20,000 rows/s, memory flat.
3. Ingestion: times ``manage.py extract_quotes`` on the PolNeAR dev texts in one process
   (before and after the empty database's ingestion; the baseline is their mean), then
   submits the same texts through ``POST /api/articles/`` to a fresh empty database
   (``qt_bench_empty``) and then to the big one, each with 2 Celery workers (concurrency 1)
   on a Redis database and queue of its own, and times until every article is done or failed.
   It prints the CPU seconds the workers, gunicorn and PostgreSQL's backends of that database
   used until then (from /proc): on a CPU-bound run they add up to about cores x wall time, so
   they show where the time went. ``BENCH_WORKER_LOGLEVEL=DEBUG`` makes the workers log each
   article's engine and storing times (their logs are /tmp/qt-bench-worker*.log).

Every process it starts is stopped on the way out; it drops only its own databases.

    .venv/bin/python scripts/bench_scale.py --statements 10000 --duration 3 --ingest-articles 5
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parent.parent
POLNEAR = REPO.parent / "shared" / "data" / "polnear"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
QUEUE = os.environ.get("BENCH_QUEUE", "qt-bench")
# Its Redis lists: one per priority step (kombu's), the near-duplicate search at 9 (settings).
QUEUE_KEYS = [QUEUE, *(f"{QUEUE}\x06\x16{step}" for step in (3, 6, 9))]
PY = sys.executable


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# Databases and Django commands -----------------------------------------------------------


def db_url(name: str) -> str:
    return f"{PG}/{name}"


def recreate_database(name: str) -> None:
    """Drop and create ``name`` (only ever one of this script's own databases)."""
    conn = psycopg2.connect(db_url("postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def drop_database(name: str) -> None:
    conn = psycopg2.connect(db_url("postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def query(name: str, sql: str, params=()) -> list[tuple]:
    with psycopg2.connect(db_url(name)) as conn, conn.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    conn.close()
    return rows


def _exists(name: str) -> bool:
    return bool(query("postgres", "SELECT count(*) FROM pg_database WHERE datname = %s", (name,))[0][0])


def django_env(database: str, **extra: str) -> dict[str, str]:
    """The environment every process of one database shares: production settings, bench mode on."""
    return {
        **os.environ,
        "DATABASE_URL": db_url(database),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": QUEUE,
        "QUOTETRACKER_ENV": "production",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "QUOTETRACKER_BENCH": "1",
        # The load generator is one client: throttling would turn the measurement into 429s.
        "API_NUM_PROXIES": "1",  # as behind the HTTPS proxy a deployment runs: see reader_address()
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "API_THROTTLE_EXPORT": "100000000/minute",  # each run exports twice; the default is 10 an hour
        # The throttles still count every request, in the shared cache a deployment runs: Redis
        # (without it, the database cache table adds its reads and writes to every request).
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        **extra,
    }


SECRET_KEY = secrets.token_urlsafe(48)
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="qt-bench-static-"))


def manage(database: str, *args: str, quiet: bool = True) -> float:
    """Run a manage.py command against ``database``; return its wall time in seconds."""
    started = time.monotonic()
    subprocess.run([PY, "manage.py", *args], cwd=REPO, env=django_env(database), check=True,
                   stdout=subprocess.DEVNULL if quiet else None)
    return time.monotonic() - started


STAFF_SCRIPT = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True})
user.user_permissions.add(Permission.objects.get(content_type__app_label="quotes", codename="add_article"))
print(Token.objects.get_or_create(user=user)[0].key)
"""


FORGET_SCRIPT = """
import sys
from quotes.models import Article
from quotes.normalize import content_hash
from quotes.services.articles import article_delete
texts = [open(path, encoding="utf-8").read() for path in sys.argv[1:]]
for article in Article.objects.filter(content_hash__in=[content_hash(text) for text in texts]):
    article_delete(article=article)
"""


def forget(database: str, samples: list[Sample]) -> None:
    """Delete from ``database`` (through the service, counts kept right) the samples an earlier run stored."""
    subprocess.run([PY, "-c", "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                    "'quotetracker.settings'); django.setup(); exec(sys.stdin.read())",
                    *[str(s.path) for s in samples]],
                   cwd=REPO, env=django_env(database), input=FORGET_SCRIPT, text=True, check=True)


def staff_token(database: str) -> str:
    out = subprocess.run([PY, "manage.py", "shell", "-c", STAFF_SCRIPT], cwd=REPO,
                         env=django_env(database), check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def prepare(database: str) -> None:
    recreate_database(database)
    manage(database, "migrate", "--no-input", "-v0")


# Processes --------------------------------------------------------------------------------


class Processes:
    """The processes this script started, stopped on the way out whatever happens."""

    def __init__(self) -> None:
        self.running: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        out = Path(tempfile.mkstemp(prefix=f"qt-bench-{name}-", suffix=".log")[1])
        with out.open("w") as fh:
            proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.running.append((name, proc, out))
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        for entry in list(self.running):
            if entry[1] is proc:
                self.running.remove(entry)
                _stop(proc)

    def stop_all(self) -> None:
        while self.running:
            _, proc, _ = self.running.pop()
            _stop(proc)

    def log_tail(self, proc: subprocess.Popen, chars: int = 3000) -> str:
        for _, p, out in self.running:
            if p is proc:
                return out.read_text(errors="replace")[-chars:]
        return ""


def _stop(proc: subprocess.Popen) -> None:
    """TERM the process group we started (gunicorn's and Celery's children too), then KILL."""
    if proc.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


# Ports the servers may take, "FIRST-LAST" (a machine shared by several people gives each a range).
PORTS = os.environ.get("BENCH_PORTS", "")


def free_port() -> int:
    """A free loopback port: the first free one of BENCH_PORTS if set, else any the system gives."""
    first, _, last = PORTS.partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit(f"no free port in BENCH_PORTS={PORTS}")


@contextmanager
def server(procs: Processes, database: str, workers: int, request_timeout: float) -> Iterator[str]:
    """gunicorn on a free loopback port against ``database``; yields its host:port."""
    port = int(os.environ.get("BENCH_PORT") or free_port())  # a port of one's own on a shared machine
    # Gunicorn kills a worker stuck past its timeout: a little longer than the client waits.
    command = [PY, "-m", "gunicorn", "quotetracker.wsgi", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--timeout", str(int(request_timeout) + 5),
               "--graceful-timeout", "5"]
    proc = procs.start("gunicorn", command, django_env(database))
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        status = fetch(address, "/bench/bare/", timeout=5)[0]
        if status == 200:
            break
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not start:\n{procs.log_tail(proc)}")
        time.sleep(0.3)
    try:
        yield address
    finally:
        procs.stop(proc)


@contextmanager
def celery_workers(procs: Processes, database: str, count: int = 2) -> Iterator[None]:
    """``count`` Celery workers (concurrency 1 each) on the bench queue, ready before it yields.

    Ready: the worker consumes ("ready.") and its pool process has loaded the engine.
    """
    import redis

    redis.Redis.from_url(BROKER).delete(*QUEUE_KEYS)  # messages an earlier run left behind
    started = []
    for i in range(count):
        command = [PY, "-m", "celery", "-A", "quotetracker", "worker", "--concurrency=1", "--pool=prefork",
                   f"--hostname=bench{i}-{os.getpid()}@%h", "--without-mingle", "--without-gossip",
                   f"--loglevel={os.environ.get('BENCH_WORKER_LOGLEVEL', 'INFO')}", "-Q", QUEUE]
        started.append(procs.start(f"worker{i}", command, django_env(database)))
    deadline = time.monotonic() + 120
    ready = ("ready.", "extraction engine loaded")  # quotes.tasks logs the second
    while not all(all(line in procs.log_tail(p, 100_000) for line in ready) for p in started):
        if any(p.poll() is not None for p in started) or time.monotonic() > deadline:
            logs = "\n".join(procs.log_tail(p) for p in started)
            raise SystemExit(f"a Celery worker did not start:\n{logs}")
        time.sleep(0.3)
    try:
        yield
    finally:
        for p in started:
            procs.stop(p)


# Load -------------------------------------------------------------------------------------


def fetch(address: str, path: str, *, timeout: float, method: str = "GET", body: bytes | None = None,
          headers: dict | None = None, conn: http.client.HTTPConnection | None = None,
          ) -> tuple[int | str, bytes, dict]:
    """One request: (status or an error word, body, headers). Never raises for a network error."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(address, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, data, {k.lower(): v for k, v in response.getheaders()}
    except TimeoutError:
        conn.close()
        return "timeout", b"", {}
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        return type(exc).__name__, b"", {}
    finally:
        if own:
            conn.close()


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    # req/s of the bare view measured just before this endpoint (--interleave), else None.
    baseline: float | None = None

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0.0

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall else 0.0


def reader_address(n: int) -> str:
    """The address the proxy in front saw for the ``n``th request: one of 16 million, as from as
    many readers. The throttles count per address (API_NUM_PROXIES=1): from one address at the
    bench's rates, a counter would hold every request of the last minute (12,000 timestamps read
    and written back per request), a cost no deployment with 120 requests a minute per reader has."""
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def load(address: str, name: str, path: str, *, clients: int, duration: float, requests: int,
         timeout: float) -> Result:
    """``clients`` threads request ``path`` until ``requests`` are done or ``duration`` has passed."""
    result, lock = Result(name), threading.Lock()
    issued = [0]
    stop_at = time.monotonic() + duration

    def client() -> None:
        conn = http.client.HTTPConnection(address, timeout=timeout)
        while True:
            with lock:
                if issued[0] >= requests or time.monotonic() >= stop_at:
                    break
                issued[0] += 1
                reader = issued[0]
            started = time.monotonic()
            status, _, headers = fetch(address, path, timeout=timeout, conn=conn,
                                       headers={"X-Forwarded-For": reader_address(reader)})
            elapsed = time.monotonic() - started
            with lock:
                result.latencies.append(elapsed)
                if status != 200:
                    result.errors[str(status)] = result.errors.get(str(status), 0) + 1
                if "x-query-count" in headers:
                    result.queries.append(int(headers["x-query-count"]))
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + timeout + 5)
    result.wall = time.monotonic() - started
    return result


def deep_cursor(address: str, timeout: float, pages: int, budget: float = 120.0) -> tuple[str, int] | None:
    """Follow the statements' ``next`` links to page ``pages`` (or as far as ``budget`` seconds go).

    Returns (that page's path, its number), or None when ``next`` is no cursor (numbered pages).
    """
    path, page, deadline = "/api/statements/", 1, time.monotonic() + budget
    while page < pages and time.monotonic() < deadline:
        status, body, _ = fetch(address, path, timeout=timeout)
        if status != 200:
            return None
        following = json.loads(body).get("next")
        if not following or "cursor=" not in following:
            return None if page == 1 else (path, page)
        parts = urllib.parse.urlsplit(following)
        path, page = f"{parts.path}?{parts.query}", page + 1
    return path, page


BARE = "/bench/bare/"


def endpoints(address: str, database: str, timeout: float) -> list[tuple[str, str]]:
    """What is measured: the bare view first (the yardstick), then the API and the pages.

    The bare view returns what the API's first page shows (speakers, roles, sources); the
    3-field one (id, text, said_on: the earlier rounds' yardstick) is listed, not divided by.
    """
    leader = query(database, "SELECT slug FROM quotes_speaker WHERE description LIKE %s ORDER BY id LIMIT 1",
                   ("%; leader",))[0][0]
    visible = query(database, "SELECT count(*) FROM quotes_statement WHERE review_status <> 'rejected'")[0][0]
    deep = max(1, min(1000, visible // 20))
    numbered = fetch(address, f"/api/statements/?page={deep}", timeout=timeout)[0] == 200
    cursor = deep_cursor(address, timeout, deep)
    shown = "SELECT max(id) FROM quotes_statement WHERE review_status <> 'rejected'"
    statement = query(database, shown)[0][0]
    article = query(database, "SELECT max(id) FROM quotes_article")[0][0]
    return [
        # The yardstick: the API's first page, same rows and content, from plain queries (x bare).
        ("bare view", BARE),
        ("bare view, 3 fields", "/bench/bare-thin/"),
        ("statements", "/api/statements/"),
        ("statements ?speaker=leader", f"/api/statements/?speaker={leader}"),
        # Page numbers while the API has them; a cursor page as deep once it pages by cursor.
        *([(f"statements ?page={deep}", f"/api/statements/?page={deep}")] if numbered else []),
        *([(f"statements cursor, page {cursor[1]}", cursor[0])] if cursor else []),
        ("statements ?q=pension", "/api/statements/?q=pension"),
        # The leader's statements ranked by a common word, and narrowed by a rarer kind (a bounded walk).
        ("statements ?speaker=leader&q=pension", f"/api/statements/?speaker={leader}&q=pension"),
        ("statements ?speaker=leader&kind=partial", f"/api/statements/?speaker={leader}&kind=partial"),
        ("speakers", "/api/speakers/"),
        ("articles", "/api/articles/"),
        ("/speakers/ page", "/speakers/"),
        ("/speakers/<leader>/ page", f"/speakers/{leader}/"),
        # The reader's pages (issue 16): the newest statement and article stand for any.
        ("/ home page", "/"),
        ("/search/?q=pension page", "/search/?q=pension"),
        ("/search/?speaker=leader page", f"/search/?speaker={leader}"),
        ("/speakers/<leader>/?q=pension", f"/speakers/{leader}/?q=pension"),
        ("/speakers/<leader>/feed/", f"/speakers/{leader}/feed/"),
        ("/statements/<id>/ page", f"/statements/{statement}/"),
        ("/articles/<id>/ page", f"/articles/{article}/"),
    ]


def table(results: list[Result]) -> str:
    """One line per endpoint; ``x bare`` is its req/s over the bare view's beside it (``bare req/s``:
    measured just before it with --interleave, else the bare view's row)."""
    head = f"{'endpoint':<40} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'req/s':>8} " \
           f"{'bare req/s':>10} {'x bare':>7} {'queries':>7}  errors"
    lines = [head, "-" * len(head)]
    for r in results:
        queries = f"{statistics.median(r.queries):.0f}" if r.queries else "-"
        errors = sum(r.errors.values())
        detail = f" ({', '.join(f'{k}: {v}' for k, v in sorted(r.errors.items()))})" if errors else ""
        bare = r.baseline or results[0].rate or 1.0
        lines.append(f"{r.name:<40} {r.count:>5} {r.percentile(50):>9.1f} {r.percentile(95):>9.1f} "
                     f"{r.percentile(99):>9.1f} {r.rate:>8.1f} {bare:>10.1f} {r.rate / bare:>7.4f} "
                     f"{queries:>7}  "
                     f"{errors}{detail}")
    return "\n".join(lines)


# Export -----------------------------------------------------------------------------------


def _status_kb(pid: int, field_name: str) -> int:
    """A memory figure of ``pid`` from /proc/<pid>/status (VmRSS, VmHWM), in kB; 0 if it is gone."""
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, todo = [], [pid]
    while todo:
        one = todo.pop()
        found.append(one)
        todo.extend(_children(one))
    return found


def _cpu(pid: int) -> float:
    """User plus system CPU seconds ``pid`` has used (0 if it is gone)."""
    with suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def _backends(database: str) -> list[int]:
    """PostgreSQL's processes serving ``database`` (their titles name it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with suppress(OSError):
            title = cmdline.read_bytes().decode(errors="replace")
            if title.startswith("postgres: ") and f" {database} " in title:
                found.append(int(cmdline.parent.name))
    return found


class CpuUse:
    """CPU seconds used by named groups of processes between ``start()`` and ``stop()``.

    A process that ends in between loses what it used (PostgreSQL backends of the
    workers and the server live as long as their connections: the whole run).
    """

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups, self.before, self.used = groups, {}, {}

    def _read(self) -> dict[str, dict[int, float]]:
        return {name: {pid: _cpu(pid) for pid in pids()} for name, pids in self.groups.items()}

    def start(self) -> None:
        self.before = self._read()

    def stop(self) -> None:
        for name, now in self._read().items():
            then = self.before.get(name, {})
            self.used[name] = sum(max(0.0, cpu - then.get(pid, 0.0)) for pid, cpu in now.items())


@dataclass
class ExportResult:
    name: str
    status: int | str = 0
    rows: int = 0
    megabytes: float = 0.0
    first_byte: float = 0.0
    seconds: float = 0.0
    # Of the gunicorn worker whose memory grew most: RSS before, highest sampled while it ran, after.
    rss_mb: tuple[float, float, float] = (0.0, 0.0, 0.0)
    hwm_mb: tuple[float, float] = (0.0, 0.0)  # that worker's VmHWM (peak RSS ever) before and after

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def export_one(address: str, name: str, path: str, workers: list[int], timeout: float) -> ExportResult:
    """GET ``path`` reading the body in 64 kB chunks, counting lines while the workers' RSS is sampled."""
    result = ExportResult(name)
    before = {pid: _status_kb(pid, "VmRSS") for pid in workers}
    hwm_before = {pid: _status_kb(pid, "VmHWM") for pid in workers}
    peak = dict(before)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            for pid in workers:
                peak[pid] = max(peak[pid], _status_kb(pid, "VmRSS"))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    conn = http.client.HTTPConnection(address, timeout=timeout)
    lines = size = 0
    started = time.monotonic()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        result.status = response.status
        while chunk := response.read1(65536):
            if not size:
                result.first_byte = time.monotonic() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
    except (OSError, http.client.HTTPException) as exc:
        result.status = type(exc).__name__
    finally:
        result.seconds = time.monotonic() - started
        conn.close()
        done.set()
        sampler.join()
    header = 1 if path.split("?")[0].endswith(".csv") else 0
    result.rows, result.megabytes = max(0, lines - header), size / 1e6
    grew = max(workers, key=lambda pid: peak[pid] - before[pid])
    after = _status_kb(grew, "VmRSS")
    result.rss_mb = (before[grew] / 1024, peak[grew] / 1024, after / 1024)
    result.hwm_mb = (hwm_before[grew] / 1024, _status_kb(grew, "VmHWM") / 1024)
    return result


def export_leader(procs: Processes, address: str, database: str, timeout: float) -> list[ExportResult]:
    """Export the biggest leader's whole record once as CSV and once as JSON Lines, as anyone may.

    Issue "A million statements": at least 20,000 rows/s, and the worker's memory flat.
    (The invented texts have no line breaks, so each line is a row.)
    """
    slug = query(database, "SELECT slug FROM quotes_speaker ORDER BY statement_count DESC LIMIT 1")[0][0]
    master = next(p for name, p, _ in procs.running if name == "gunicorn")
    workers = _children(master.pid)
    results = []
    for file_format in ("csv", "jsonl"):
        path = f"/api/statements/export.{file_format}?speaker={slug}"
        log(f"export: {path}")
        results.append(export_one(address, f"export ?speaker=leader {file_format}", path, workers, timeout))
    return results


def export_table(results: list[ExportResult]) -> str:
    head = f"{'export':<30} {'rows':>7} {'MB':>6} {'1st byte ms':>11} {'s':>6} {'rows/s':>8}  " \
           f"worker RSS MB before/peak/after  VmHWM before/after  status"
    lines = [head, "-" * len(head)]
    for r in results:
        rss = "/".join(f"{mb:.1f}" for mb in r.rss_mb)
        hwm = "/".join(f"{mb:.1f}" for mb in r.hwm_mb)
        lines.append(f"{r.name:<40} {r.rows:>7} {r.megabytes:>6.1f} {r.first_byte * 1000:>11.1f} "
                     f"{r.seconds:>6.2f} {r.rate:>8.0f}  {rss:>32}  {hwm:>18}  {r.status}")
    return "\n".join(lines)


# Ingestion --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    name: str
    path: Path
    title: str
    published: str | None
    outlet: str
    author: str


def polnear_sample(count: int) -> list[Sample]:
    meta = {}
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    samples = []
    for path in sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:count]:
        row = meta.get(path.stem, {})
        date = row.get("publication_date") or None
        samples.append(Sample(path.stem, path, (row.get("title") or path.stem)[:500],
                              date if date and date[:4].isdigit() else None,
                              row.get("publisher", ""), (row.get("author") or "")[:300]))
    return samples


def ingest(procs: Processes, database: str, samples: list[Sample], *, time_limit: float,
           request_timeout: float) -> tuple[float, int, int, float | None, dict[str, float]]:
    """Submit ``samples`` to the API of ``database`` and wait for them.

    Returns (seconds until every article is done or failed, done, failed, seconds the
    near-duplicate searches went on after that: None if they had not finished in time,
    CPU seconds each group of processes used until every article was done).
    """
    import redis

    token = staff_token(database)
    with (server(procs, database, 2, request_timeout) as address, celery_workers(procs, database),
          closing(psycopg2.connect(db_url(database))) as conn):
        conn.autocommit = True  # each poll sees the workers' commits
        _queue_reset(redis.Redis.from_url(BROKER))
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        cpu = CpuUse({
            kind: lambda kind=kind: [pid for name, proc, _ in procs.running if name.startswith(kind)
                                     for pid in _descendants(proc.pid)]
            for kind in ("worker", "gunicorn")
        } | {"postgres": lambda: _backends(database)})
        cpu.start()
        started = time.monotonic()
        ids = []
        for s in samples:
            body = {"title": s.title, "text": s.path.read_text(encoding="utf-8"), "outlet": s.outlet,
                    "author": s.author, "published_at": s.published or "2016-01-01"}
            status, data, _ = fetch(address, "/api/articles/", method="POST", headers=headers,
                                    body=json.dumps(body).encode(), timeout=request_timeout)
            if status != 202:
                raise SystemExit(f"POST /api/articles/ answered {status} for {s.name}: {data[:300]!r}")
            ids.append(json.loads(data)["id"])
        log(f"{len(ids)} articles submitted in {time.monotonic() - started:.1f} s")
        done = failed = 0
        with conn.cursor() as cursor:
            while time.monotonic() - started < time_limit:
                cursor.execute("SELECT extraction_status, count(*) FROM quotes_article "
                               "WHERE id = ANY(%s) GROUP BY 1", (ids,))
                rows = dict(cursor.fetchall())
                done, failed = rows.get("done", 0), rows.get("failed", 0)
                if done + failed == len(ids):
                    break
                time.sleep(0.05)
        seconds = time.monotonic() - started
        cpu.stop()
        broker, trail = redis.Redis.from_url(BROKER), None
        while time.monotonic() - started < time_limit:
            if _queue_idle(broker):
                trail = time.monotonic() - started - seconds
                break
            time.sleep(0.05)
        return seconds, done, failed, trail, cpu.used


def _queue_reset(broker) -> None:
    """Forget what an earlier, interrupted run left on the bench's own queue.

    A worker killed mid-task leaves its message in kombu's "unacked" hash for the
    visibility timeout (an hour): the idle check below would wait on it, and a
    redelivery would count as this run's work.
    """
    broker.delete(*QUEUE_KEYS)
    for tag, taken in broker.hgetall("unacked").items():
        if json.loads(taken)[2] == QUEUE:
            broker.hdel("unacked", tag)
            broker.zrem("unacked_index", tag)


def _queue_idle(broker) -> bool:
    """No message of the bench queue waiting, and none taken and unfinished (acks_late: kombu's "unacked")."""
    if any(broker.llen(key) for key in QUEUE_KEYS):
        return False
    return all(json.loads(taken)[2] != QUEUE for taken in broker.hvals("unacked"))


def ingestion(procs: Processes, args: argparse.Namespace, *, big: str | None, empty: str) -> int:
    """Step 3: extract_quotes in one process, then the API and 2 workers on ``empty`` (made anew) and
    ``big`` (as it is; skipped when None). Prints the lines; returns the articles not done."""
    samples = polnear_sample(args.ingest_articles)
    prepare(empty)
    texts = [str(s.path) for s in samples]
    log(f"extract_quotes on {len(samples)} texts")
    before = manage(empty, "extract_quotes", *texts)
    log(f"ingestion into the empty database {empty}")
    limits = {"time_limit": args.ingest_timeout, "request_timeout": args.request_timeout}
    empty_run = ingest(procs, empty, samples, **limits)
    log("extract_quotes again")  # the machine's speed drifts: the baseline is the mean of a run each side
    after = manage(empty, "extract_quotes", *texts)
    engine = (before + after) / 2
    runs = [("empty database", *empty_run, engine, "extract_quotes")]
    if big is not None:
        log(f"ingestion into the big database {big} (the same articles an earlier run left deleted first)")
        forget(big, samples)
        big_run = ingest(procs, big, samples, **limits)
        forget(big, samples)  # --reuse measures the same database next time
        runs.append((f"{args.statements} statements", *big_run, runs[0][1], "empty"))
    print(f"\nIngestion of {len(samples)} PolNeAR dev articles "
          "(2 Celery workers, concurrency 1 each):")
    print(f"  extract_quotes, one process:  {engine:8.1f} s  (mean of {before:.1f} s before and "
          f"{after:.1f} s after the empty database's ingestion)")
    failures = 0
    for label, seconds, done, failed, trail, used, base, base_name in runs:
        finished = done + failed
        note = "" if finished == len(samples) else f"  NOT FINISHED: {finished} of {len(samples)}"
        trailing = "not finished" if trail is None else f"{trail:.1f} s after"
        print(f"  ingestion, {label + ':':<22}{seconds:8.1f} s  ({seconds / base:.2f} x {base_name}; "
              f"{done} done, {failed} failed; near-duplicate search {trailing}){note}")
        spent = ", ".join(f"{name} {value:.1f} s" for name, value in used.items())
        cores = os.cpu_count() or 1
        print(f"    CPU until done: {spent} (of {cores * seconds:.1f} core-seconds on {cores} cores)")
        failures += failed + len(samples) - done - failed
    return failures


# Main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--interleave", action="store_true", help="measure the bare view again (half as "
                        "long) before each endpoint, and give each ratio against that: steadier when the "
                        "machine is shared")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint (10)")
    parser.add_argument("--requests", type=int, default=500, help="requests per endpoint at most (500)")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--ingest-articles", type=int, default=84, help="PolNeAR dev texts to ingest (84)")
    parser.add_argument("--ingest-timeout", type=float, default=600.0, help="seconds per ingestion (600)")
    parser.add_argument("--db-prefix", default="qt_bench", help="databases NAME and NAME_empty (qt_bench)")
    parser.add_argument("--reuse", action="store_true", help="load NAME as it is when it exists "
                        "(no migrate, no generate_corpus): to measure a change to the code alone")
    parser.add_argument("--drop-after", action="store_true", help="drop both databases at the end")
    parser.add_argument("--ingest-only", action="store_true", help="step 3 alone: NAME_empty made anew, "
                        "NAME used as it is (never generated) if it exists; --statements is its label")
    args = parser.parse_args()
    big, empty = args.db_prefix, f"{args.db_prefix}_empty"
    procs = Processes()
    failures = 0
    try:
        if args.ingest_only:
            return 1 if ingestion(procs, args, big=big if _exists(big) else None, empty=empty) else 0
        if args.reuse and _exists(big):
            log(f"database {big} as it is (--reuse)")
            generation = None
        else:
            log(f"database {big}: migrate, generate_corpus --statements {args.statements}")
            prepare(big)
            generation = manage(big, "generate_corpus", "--statements", str(args.statements),
                                "--seed", str(args.seed), quiet=False)
            log(f"generated in {generation:.0f} s; collectstatic")
        manage(big, "collectstatic", "--no-input", "-v0")
        results = []
        with server(procs, big, args.web_workers, args.request_timeout) as address:
            for name, path in endpoints(address, big, args.request_timeout):
                baseline = None
                if args.interleave and results:  # the bare view again, right before this endpoint
                    baseline = load(address, "bare view", BARE, clients=args.clients,
                                    duration=args.duration / 2, requests=max(1, args.requests // 2),
                                    timeout=args.request_timeout).rate
                log(f"load: {name} ({path})")
                results.append(load(address, name, path, clients=args.clients, duration=args.duration,
                                    requests=args.requests, timeout=args.request_timeout))
                results[-1].baseline = baseline
            exports = export_leader(procs, address, big, args.request_timeout)
        failures += sum(sum(r.errors.values()) for r in results)
        made = "reused (--reuse)" if generation is None else f"generated in {generation:.0f} s"
        print(f"\nScale: {args.statements} statements (seed {args.seed}), {made}; "
              f"gunicorn {args.web_workers} workers, {args.clients} clients, "
              f"{args.duration:g} s or {args.requests} requests per endpoint\n")
        print(table(results), flush=True)
        print(f"\n{export_table(exports)}", flush=True)
        failures += sum(r.status != 200 for r in exports)

        if args.ingest_articles:
            failures += ingestion(procs, args, big=big, empty=empty)
    finally:
        procs.stop_all()
        with suppress(Exception):
            import redis

            redis.Redis.from_url(BROKER).delete(*QUEUE_KEYS)
        if args.drop_after:
            for name in (big, empty):
                with suppress(psycopg2.Error):
                    drop_database(name)
        subprocess.run(["rm", "-rf", str(STATIC_ROOT)], check=False)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
