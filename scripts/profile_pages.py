#!/usr/bin/env python
"""Profile the reader's pages in one process: time per request, its queries, where Python spends it.

usage: DATABASE_URL=postgres://.../qt_bench scripts/profile_pages.py [--runs 20] [--top 25]
                                                                   [--explain] [--only NAME] [URL...]

Runs each page through Django's test client under production settings (DEBUG off, bench mode
on, as ``make bench-scale`` serves them), against the database ``DATABASE_URL`` names (a
``generate_corpus`` one: the leader, newest statement and article are looked up there). For
each page: mean milliseconds per request over ``--runs`` after one warm-up, the SQL queries
and their time, the time spent rendering templates, and with ``--top N`` cProfile's heaviest
functions by cumulative time. ``--explain`` prints EXPLAIN ANALYZE of every query a page
makes (PostgreSQL), to check that each is a bounded index range.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qt_bench .venv/bin/python scripts/profile_pages.py
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup() -> None:
    os.environ.setdefault("QUOTETRACKER_ENV", "production")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("QUOTETRACKER_BENCH", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quotetracker.settings")
    # Production serves hashed static names from a manifest: collect them once, out of the repo.
    os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="qt-profile-static-"))
    sys.path.insert(0, str(REPO))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def pages() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT slug FROM quotes_speaker WHERE description LIKE %s ORDER BY id LIMIT 1",
                       ["%; leader"])
        leader = cursor.fetchone()[0]
        cursor.execute("SELECT max(id) FROM quotes_statement WHERE review_status <> 'rejected'")
        statement = cursor.fetchone()[0]
        cursor.execute("SELECT max(id) FROM quotes_article")
        article = cursor.fetchone()[0]
    return [
        ("bare", "/bench/bare/"),
        ("speakers", "/speakers/"),
        ("timeline", f"/speakers/{leader}/"),
        ("home", "/"),
        ("search-q", "/search/?q=pension"),
        ("search-speaker", f"/search/?speaker={leader}"),
        ("timeline-q", f"/speakers/{leader}/?q=pension"),
        ("timeline-q-rare", f"/speakers/{leader}/?q=zeitgeist"),
        ("feed", f"/speakers/{leader}/feed/"),
        ("statement", f"/statements/{statement}/"),
        ("article", f"/articles/{article}/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.template import Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    targets = [(url, url) for url in args.urls] or pages()
    if args.only:
        targets = [(name, url) for name, url in targets if name in args.only]
    client = Client()
    readers = itertools.count(1)

    def reader() -> str:  # each request from its own address, as from many readers: a throttle
        n = next(readers)  # counter of one address would grow with every request of the run
        return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    render_time = [0.0]
    depth = [0]
    original_render = Template.render

    def timed_render(self, context):  # the outermost template's render: the whole page's
        depth[0] += 1
        started = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                render_time[0] += time.perf_counter() - started

    Template.render = timed_render
    print(f"{'page':<16} {'status':>6} {'ms/req':>8} {'sql ms':>8} {'render ms':>10} {'queries':>8}")
    for name, url in targets:
        response = client.get(url, REMOTE_ADDR=reader())  # warm-up: templates, connection
        with CaptureQueriesContext(connection) as captured:
            client.get(url, REMOTE_ADDR=reader())
        queries = list(captured.captured_queries)
        render_time[0] = 0.0
        profile = cProfile.Profile() if args.top else None
        started = time.perf_counter()
        sql = 0.0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as run_queries:
                if profile:
                    profile.enable()
                client.get(url, REMOTE_ADDR=reader())
                if profile:
                    profile.disable()
            sql += sum(float(q["time"]) for q in run_queries.captured_queries)
        elapsed = (time.perf_counter() - started) / args.runs * 1000
        print(f"{name:<16} {response.status_code:>6} {elapsed:>8.1f} {sql / args.runs * 1000:>8.1f} "
              f"{render_time[0] / args.runs * 1000:>10.1f} {len(queries):>8}", flush=True)
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())
        if args.explain and connection.vendor == "postgresql":
            for q in queries:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
                    plan = "\n      ".join(row[0] for row in cursor.fetchall())
                print(f"   {q['sql'][:300]}\n      {plan}\n")


if __name__ == "__main__":
    main()
