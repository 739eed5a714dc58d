#!/usr/bin/env python
"""Measure storing an article's statements (issue #12): queries, CPU and wall time, against the engine's.

usage: bench_storing.py [--db qt_bench_storing] [--articles 84] [--dump rows.json]

Makes its own PostgreSQL database (dropped and made again; ``BENCH_PG`` as in bench_scale.py),
loads the speakers fixture, then for the seed article and the PolNeAR dev texts, in one process:
runs the engine (timed), submits the article (extraction jobs not sent), stores the engine's
attributions with ``statements_replace_auto`` in one transaction (timed, queries counted), and
runs the near-duplicate search the job would run after commit (timed). Then stores three of
them again (re-extraction). Prints totals and the storing and search times as ratios of the
engine's, measured in the same run (the machine is shared: ratios, not seconds, compare runs).

``--dump`` writes every stored row by its natural keys (no ids), to compare two versions of the
storing code: the same engine output must give the same statements, speakers, dates and
appearances.

    .venv/bin/python scripts/bench_storing.py --dump /tmp/rows-after.json
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import sys
import time
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parent.parent
POLNEAR = REPO.parent / "shared" / "data" / "polnear"
UNDATED = datetime.date(2016, 1, 1)  # what bench_scale.py submits for a text with no date
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def recreate_database(name: str) -> None:
    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def texts(count: int) -> list[tuple[str, str, datetime.date]]:
    """(name, text, published) of the seed article and the first ``count`` PolNeAR dev texts."""
    meta = {}
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row.get("publication_date") or ""
    found = [("seed", (REPO / "fixtures" / "kim-trilateral-threat.txt").read_text(encoding="utf-8"),
              datetime.date(2025, 2, 9))]
    for path in sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:count]:
        date = meta.get(path.stem, "")
        published = datetime.date.fromisoformat(date[:10]) if date[:4].isdigit() else UNDATED
        found.append((path.stem, path.read_text(encoding="utf-8"), published))
    return found


class Clock:
    """Wall and CPU seconds of the blocks it times, added up."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu


def dump_rows() -> dict[str, list]:
    """Every stored row that extraction makes, by natural keys."""
    from quotes.models import (
        Appearance,
        Article,
        DuplicateCandidate,
        Speaker,
        SpeakerAlias,
        Statement,
        StatementSpeaker,
    )

    def names(statement):
        return sorted(s.slug for s in statement.speakers.all())

    def row(s):
        return [s.fingerprint, s.text, s.kind, names(s), str(s.said_on), s.said_on_precision,
                s.said_on_method, s.date_conflict, str(s.first_reported_at), s.source_count,
                round(s.confidence, 6), s.review_status, s.part_of.fingerprint if s.part_of else None,
                s.history.count()]

    appearances = Appearance.objects.select_related("article", "statement").prefetch_related(
        "speaker_candidates",
    )
    statements = Statement.objects.prefetch_related("speakers").select_related("part_of")

    return {
        "speakers": sorted([s.name, s.slug, s.reviewed, s.statement_count] for s in Speaker.objects.all()),
        "aliases": sorted([a.speaker.slug, a.name, a.normalized, a.kind]
                          for a in SpeakerAlias.objects.select_related("speaker")),
        "statements": sorted(row(s) for s in statements),
        "links": sorted([link.statement.fingerprint, link.speaker.slug, str(link.said_on), link.shown]
                        for link in StatementSpeaker.objects.select_related("statement", "speaker")),
        "appearances": sorted(
            [a.article.title, a.start, a.end, a.statement.fingerprint, a.speaker_as_written, a.source_start,
             a.source_end, a.cue, a.context, str(a.said_on), a.said_on_precision, a.date_evidence, a.origin,
             sorted(c.slug for c in a.speaker_candidates.all())]
            for a in appearances
        ),
        "articles": sorted([a.title, a.statement_count] for a in Article.objects.all()),
        "near_duplicates": sorted([d.first.fingerprint, d.second.fingerprint, d.similarity]
                                  for d in DuplicateCandidate.objects.select_related("first", "second")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="qt_bench_storing", help="its own database, made anew")
    parser.add_argument("--articles", type=int, default=84, help="PolNeAR dev texts after the seed article")
    parser.add_argument("--dump", type=Path, help="write the stored rows here (JSON)")
    args = parser.parse_args()

    recreate_database(args.db)
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quotetracker.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from quotes import extraction, jobs
    from quotes.services.articles import EXTRACTION_JOB, article_submit
    from quotes.services.duplicates import DUPLICATES_JOB, duplicates_find
    from quotes.services.statements import statements_replace_auto

    call_command("migrate", verbosity=0)
    call_command("loaddata", "fixtures/speakers.json", verbosity=0)
    searches: list[list[int]] = []
    jobs.register(DUPLICATES_JOB)(searches.append)  # what the worker would run after commit
    jobs.register(EXTRACTION_JOB)(lambda _id: None)  # stored here, not by a worker

    engine, storing, again, search = Clock(), Clock(), Clock(), Clock()
    extraction.extract('"Warm up," Jane Doe said.')  # the model loads outside the timing
    queries, stored, version = [], [], extraction.ENGINE_VERSION
    for name, text, published in texts(args.articles):
        with engine:
            found = extraction.extract(text, published=published)
        article = article_submit(title=name, text=text, published_at=published)
        with CaptureQueriesContext(connection) as captured, storing, transaction.atomic():
            statements_replace_auto(article=article, attributions=found, extractor_version=version)
        queries.append(len(captured.captured_queries))
        stored.append((article, found))
        with search:
            while searches:
                duplicates_find(statement_ids=searches.pop())
    for article, found in stored[:3]:
        with again, transaction.atomic():
            statements_replace_auto(article=article, attributions=found, extractor_version=version)
        searches.clear()

    n = len(stored)
    print(f"{n} articles, {sum(len(f) for _, f in stored)} attributions; queries per stored article: "
          f"mean {sum(queries) / n:.1f}, max {max(queries)}")
    print(f"  engine:               {engine.cpu:6.2f} s CPU  {engine.wall:6.2f} s wall")
    print(f"  storing:              {storing.cpu:6.2f} s CPU  {storing.wall:6.2f} s wall  "
          f"({storing.cpu / engine.cpu:.2f} x the engine's CPU, {storing.wall / engine.wall:.2f} x its wall)")
    print(f"  near-duplicate search:{search.cpu:6.2f} s CPU  {search.wall:6.2f} s wall  "
          f"({search.wall / engine.wall:.2f} x the engine's wall; mostly PostgreSQL's)")
    print(f"  3 articles again:     {again.cpu:6.2f} s CPU  {again.wall:6.2f} s wall")
    if args.dump:
        args.dump.write_text(json.dumps(dump_rows(), indent=0, default=str), encoding="utf-8")
        print(f"stored rows written to {args.dump}")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
