#!/usr/bin/env python
"""Measure ingestion from a feed (issue #14): the PolNeAR dev texts as web pages, polled and extracted.

usage: bench_ingest.py [--articles 84] [--port 0] [--timeout SECONDS] [--database qt_bench_ingest]

1. Serves each PolNeAR dev text (../shared/data/polnear/dev) wrapped as a real-world-shaped
   HTML page (navigation, cookie banner, related links, comments, scripts around the story;
   title, author, date and publisher in its metadata) and an RSS 2.0 feed listing them, from
   a local server (tests/fetch_server.py) on 127.0.0.1.
2. Times ``manage.py extract_quotes`` on the same texts in one process: the baseline.
3. Makes its own PostgreSQL database (dropped and made again), adds the feed
   (``manage.py add_feed``), starts 2 Celery workers (concurrency 1 each; Redis database and
   queue of its own: BENCH_BROKER_URL, BENCH_QUEUE), sends them the periodic task beat sends
   (``quotes.poll_due_feeds``) and times until every article is extracted or failed: the poll,
   the fetches, trafilatura and the engine, all on the workers.
4. Prints the wall time, its ratio to the baseline (goal <= 0.65), and the text-extraction
   agreement: the share of the original texts' sentences found in the text trafilatura kept
   (goal >= 0.98).

Politeness towards the bench's own server: FETCH_PER_HOST_DELAY_MS=1, two fetches at once.
Every process it starts is stopped on the way out; it drops only its own database.

    .venv/bin/python scripts/bench_ingest.py --articles 10
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import time
from contextlib import closing
from pathlib import Path

import psycopg2
from celery import Celery

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

import bench_scale as bench  # noqa: E402 - scripts/ is no package

from tests.fetch_server import FixtureServer, Route  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?\u201d\"])\s+|\n+")


def page_html(sample: bench.Sample, text: str, base: str) -> bytes:
    """The text as a news site would serve it: the story among the page's furniture."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    title, body = html.escape(paragraphs[0]), "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[1:])
    published = f'<meta property="article:published_time" content="{sample.published}T08:00:00Z">' \
        if sample.published else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(sample.title)} | {html.escape(sample.outlet)}</title>
<link rel="canonical" href="{base}/dev/{sample.name}.html">
<meta property="og:site_name" content="{html.escape(sample.outlet)}">
<meta name="author" content="{html.escape(sample.author)}">{published}
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
</head><body>
<div class="cookie-consent"><p>We use cookies to personalise content and ads.
By using this site you agree.</p>
<button>Accept</button></div>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/world">World</a>
<a href="/opinion">Opinion</a> <a href="/video">Video</a></nav></header>
<main><article><h1>{title}</h1>
<div class="share"><a href="#">Share</a> <a href="#">Tweet</a> <a href="#">Email</a></div>
{body}
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">More on the campaign trail</a></li>
<li><a href="/b">Markets close higher</a></li><li><a href="/c">Five things to know today</a></li></ul></aside>
<section class="comments"><h3>Comments</h3><div class="comment"><p>Great reporting, thanks!</p></div>
<div class="comment"><p>I disagree with all of this.</p></div></section></main>
<footer><p>Copyright. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script src="/static/app.js"></script></body></html>""".encode()


def feed_xml(samples: list[bench.Sample], base: str) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base}/dev/{s.name}.html?utm_source=rss</link>"
        f"<guid>{s.name}</guid></item>" for s in samples
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>PolNeAR dev</title>'
            f"<link>{base}/</link><description>bench</description>{items}</channel></rss>").encode()


def sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in SENTENCE_END.split(text) if len(s.split()) >= 3]


def agreement(originals: dict[str, str], fetched: dict[str, str]) -> tuple[float, int, int]:
    """Share of the originals' sentences (3 words or more) found, whitespace folded, in the fetched text."""
    found = total = 0
    for name, text in originals.items():
        kept = " ".join(fetched.get(name, "").split())
        for sentence in sentences(text):
            total += 1
            found += sentence in kept
    return (found / total if total else 0.0), found, total


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=84)
    parser.add_argument("--port", type=int, default=0, help="the local page server's port (0: a free one)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the articles")
    parser.add_argument("--database", default=os.environ.get("BENCH_DB", "qt_bench_ingest"))
    args = parser.parse_args()
    # A Redis database and queue of this benchmark's own (bench_scale's helpers read these).
    bench.BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/11")
    bench.QUEUE = os.environ.get("BENCH_QUEUE", "qt-bench-ingest")
    bench.QUEUE_KEYS = [bench.QUEUE, *(f"{bench.QUEUE}\x06\x16{step}" for step in (3, 6, 9))]
    # The workers fetch from the bench's own server on loopback, as fast as it answers.
    os.environ.update(
        FETCH_ALLOW_NETWORKS="127.0.0.1", FETCH_PER_HOST_DELAY_MS="1", FETCH_PER_HOST_CONCURRENCY="2",
    )

    samples = bench.polnear_sample(args.articles)
    texts = {s.name: s.path.read_text(encoding="utf-8") for s in samples}
    procs = bench.Processes()
    try:
        with FixtureServer(port=args.port) as server:
            base = server.url("")
            for s in samples:
                server.route(f"/dev/{s.name}.html", Route(body=page_html(s, texts[s.name], base)))
            feed_url = server.route("/feed.xml", Route(body=feed_xml(samples, base),
                                                       content_type="application/rss+xml"))
            bench.prepare(args.database)
            bench.log(f"extract_quotes on {len(samples)} texts, one process")
            baseline = bench.manage(args.database, "extract_quotes", *[str(s.path) for s in samples])
            bench.manage(args.database, "add_feed", feed_url)
            with bench.celery_workers(procs, args.database), \
                    closing(psycopg2.connect(bench.db_url(args.database))) as conn:
                conn.autocommit = True
                bench.log("polling the feed; two workers fetch and extract")
                started = time.monotonic()
                # The workers poll too, as beat would have them: the periodic task, sent once.
                Celery(broker=bench.BROKER).send_task("quotes.poll_due_feeds", queue=bench.QUEUE)
                rows: dict[str, int] = {}
                with conn.cursor() as cursor:
                    while time.monotonic() - started < args.timeout:
                        cursor.execute("SELECT extraction_status, count(*) FROM quotes_article GROUP BY 1")
                        rows = dict(cursor.fetchall())
                        if rows.get("done", 0) + rows.get("failed", 0) >= len(samples):
                            break
                        time.sleep(0.05)
                    wall = time.monotonic() - started
                    cursor.execute("SELECT source_url, text, fetch_reason FROM quotes_article")
                    stored = cursor.fetchall()
    finally:
        procs.stop_all()
    fetched = {re.sub(r".*/dev/(.*)\.html.*", r"\1", url): text for url, text, _ in stored}
    reasons = sorted({reason for _, _, reason in stored if reason})
    share, found, total = agreement(texts, fetched)
    done, failed = rows.get("done", 0), rows.get("failed", 0)
    print(f"\nIngestion from a feed of {len(samples)} PolNeAR dev articles "
          "(2 Celery workers, concurrency 1 each):")
    print(f"  extract_quotes, one process:        {baseline:8.1f} s")
    print(f"  feed polled, fetched and extracted: {wall:8.1f} s  ({wall / baseline:.2f} x extract_quotes; "
          f"goal <= 0.65; {done} done, {failed} failed{', ' + ', '.join(reasons) if reasons else ''})")
    print(f"  text-extraction agreement:          {share:8.4f}  ({found} of {total} original sentences "
          "recovered; goal >= 0.98)")
    bench.drop_database(args.database)
    return 0 if done == len(samples) else 1


if __name__ == "__main__":
    sys.exit(main())
