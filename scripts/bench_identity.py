#!/usr/bin/env python
"""Issue #13: does one statement stay one statement, however it is reported?

usage: bench_identity.py [--sets DIR] [--only GROUP] [--skip-polnear] [--verbose]

Ingests every group of ``tests/data/identity/`` (2-4 short articles re-reporting the same
statements) through the real services and engine (``article_submit``, extraction run
in-process as the Celery task would run it) on a fresh SQLite database in a temporary
folder, with the seed speakers loaded, then checks each group's ``expected.json`` and
prints, per pattern of the issue, how many expectations hold. In the same run it scores
the engine on PolNeAR dev (``scripts/bench_extraction.py``'s run and scorer), so a fix for
one pattern that costs extraction accuracy shows at once.

An expectation names a ``quote`` (words to find, folded as ``quotes.normalize`` folds them)
and says what must hold of the stored statements holding those words: ``speakers`` (full
names; ``[]`` for none), ``text`` (the statement's words, folded), ``appearances`` (how
many reports it has; also: exactly one statement holds the words), ``via`` (an appearance
relayed through it; ``null``: none relayed), ``said_on``, ``method``, ``evidence`` (in the
statement's date evidence), ``kind``, ``confidence_at_least``, ``review`` (waits for review).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETS = REPO / "tests" / "data" / "identity"
sys.path.insert(0, str(REPO))
PATTERNS = {
    1: "a quote's text is the speaker's words only",
    2: "relayed speech belongs to the person (via kept)",
    3: "references to more than one person",
    4: "dates carried by the context (method, evidence)",
    5: "fragments of a longer quote are the same statement",
    6: "provenance per report (confidence, kind)",
}


def load_groups(root: Path, only: str | None = None) -> list[tuple[str, Path, dict]]:
    """(name, folder, expected.json) of every group under ``root``, by name."""
    groups = []
    for folder in sorted(p for p in root.iterdir() if (p / "expected.json").is_file()):
        if only and only not in folder.name:
            continue
        groups.append((folder.name, folder, json.loads((folder / "expected.json").read_text("utf-8"))))
    return groups


def ingest(folder: Path, spec: dict) -> None:
    """Submit the group's articles in order; extraction runs as each commits (eager Celery)."""
    from quotes.services.articles import article_submit

    for article in spec["articles"]:
        article_submit(
            title=article["title"], text=(folder / article["file"]).read_text("utf-8"),
            published_at=datetime.date.fromisoformat(article["published"]), outlet=article.get("outlet"),
        )


def stored(quote: str) -> list[dict]:
    """Every statement (rejected ones aside) whose folded words hold ``quote``, as plain values."""
    from quotes.models import Statement
    from quotes.normalize import normalize_text

    found = []
    statements = (
        Statement.objects.filter(normalized_text__contains=normalize_text(quote))
        .exclude(review_status=Statement.Review.REJECTED).prefetch_related("speakers", "appearances")
    )
    for s in statements:
        appearances = list(s.appearances.all())
        found.append({
            "id": s.pk, "text": s.text, "speakers": sorted(p.name for p in s.speakers.all()),
            "said_on": s.said_on.isoformat() if s.said_on else None, "method": s.said_on_method,
            "evidence": [a.date_evidence for a in appearances if a.said_on == s.said_on],
            "kind": s.kind, "confidence": s.confidence,
            "review": s.review_status == Statement.Review.EXTRACTED,
            "via": [getattr(a, "reported_via", "") for a in appearances], "appearances": len(appearances),
        })
    return found


def check(expect: dict, found: list[dict]) -> list[str]:
    """What fails of one expectation against the statements holding its words ([] when it holds)."""
    from quotes.normalize import normalize_text

    if not found:
        return ["no statement holds these words"]
    failures = []
    if ("appearances" in expect or "text" in expect) and len(found) != 1:
        failures.append(f"{len(found)} statements hold these words, not one")
    for s in found:
        if "speakers" in expect and s["speakers"] != sorted(expect["speakers"]):
            failures.append(f"speakers {s['speakers']}")
        if "text" in expect and normalize_text(s["text"]) != normalize_text(expect["text"]):
            failures.append(f"text {s['text']!r}")
        if "appearances" in expect and s["appearances"] != expect["appearances"]:
            failures.append(f"{s['appearances']} appearances")
        if "via" in expect:
            vias = [v for v in s["via"] if v]
            wanted = expect["via"]
            if wanted is None and vias:
                failures.append(f"via {vias}")
            if wanted is not None and not any(normalize_text(wanted) in normalize_text(v) for v in vias):
                failures.append(f"via {vias}")
        for field in ("said_on", "method", "kind"):
            if field in expect and s[field] != expect[field]:
                failures.append(f"{field} {s[field]}")
        if "evidence" in expect and not any(expect["evidence"] in e for e in s["evidence"]):
            failures.append(f"evidence {s['evidence']}")
        if "confidence_at_least" in expect and s["confidence"] < expect["confidence_at_least"]:
            failures.append(f"confidence {s['confidence']}")
        if expect.get("review") and not s["review"]:
            failures.append("not waiting for review")
    return failures


def identity_run(groups: list[tuple[str, Path, dict]], verbose: bool) -> dict[int, list[int]]:
    """Ingest each group on its own fresh database state; per pattern [held, total]."""
    from django.core.management import call_command
    from django.db import connection

    tally: dict[int, list[int]] = {n: [0, 0] for n in PATTERNS}
    for name, folder, spec in groups:
        call_command("flush", "--no-input", verbosity=0)
        call_command("loaddata", str(REPO / "fixtures" / "speakers.json"), verbosity=0)
        ingest(folder, spec)
        for expect in spec["expect"]:
            failures = check(expect, stored(expect["quote"]))
            tally[expect["pattern"]][1] += 1
            tally[expect["pattern"]][0] += not failures
            if failures and verbose:
                print(f"  FAIL {name} p{expect['pattern']} {expect['quote']!r}: {'; '.join(failures)}")
    connection.close()
    return tally


def polnear_dev() -> dict:
    """Direct and all-track F1 (content and source) on PolNeAR dev, as bench-extraction scores them."""
    sys.path.insert(0, str(REPO / "scripts"))
    import bench_extraction

    gold = os.path.join(bench_extraction.SHARED, "data", "polnear", "dev")
    records, _, _ = bench_extraction.run(gold, None)
    return bench_extraction.score(gold, records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=Path, default=SETS)
    parser.add_argument("--only", help="groups whose folder name holds this")
    parser.add_argument("--skip-polnear", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print each failing expectation")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="qt-bench-identity-")
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{folder}/identity.sqlite3", "QUOTETRACKER_VAR_DIR": folder,
        "CELERY_BROKER_URL": "memory://", "CELERY_TASK_ALWAYS_EAGER": "1",
        "DJANGO_SETTINGS_MODULE": "quotetracker.settings", "LOG_LEVEL": "WARNING",
    })
    import django

    django.setup()
    from django.core.management import call_command

    from quotes import extraction

    call_command("migrate", "--no-input", verbosity=0)
    groups = load_groups(args.sets, args.only)
    tally = identity_run(groups, args.verbose)
    print(f"engine {extraction.ENGINE_VERSION}  {len(groups)} groups, "
          f"{sum(len(spec['articles']) for _, _, spec in groups)} articles")
    for n, title in PATTERNS.items():
        held, total = tally[n]
        share = f"{held / total:6.1%}" if total else "   n/a"
        print(f"  pattern {n}  {held:3}/{total:<3} {share}  {title}")
    held, total = map(sum, zip(*tally.values(), strict=True))
    print(f"  all        {held:3}/{total:<3} {held / total:6.1%}")
    if not args.skip_polnear:
        result = polnear_dev()
        print(f"PolNeAR dev: direct content+source F1 {result['direct']['content_and_source']['f1']:.4f}, "
              f"all content+source F1 {result['all']['content_and_source']['f1']:.4f} "
              f"(issue #13 floor: 0.9034 and 0.7515)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
