#!/usr/bin/env python
"""Benchmark the extraction engine on a PolNeAR compartment and score it.

usage: bench_extraction.py [--split dev|train] [--gold-dir DIR] [--errors] [--limit N]

Runs ``quotes.extraction.extract`` over every article of the compartment (with
its publication date from metadata.tsv), writes the scorer's JSONL to a temp
file, runs ../shared/bench/score_attributions.py on it and prints scores per
track plus speed: articles/s with model loading included, and how the time
splits between spaCy and the engine's own code.  ``--errors`` adds an error
analysis (largest error kinds with counts).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared")
SCORER = os.path.join(SHARED, "bench", "score_attributions.py")
sys.path.insert(0, REPO)


def load_dates(meta_path: str) -> dict[str, datetime.date]:
    dates = {}
    with open(meta_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            try:
                dates[row["filename"]] = datetime.date.fromisoformat(row["publication_date"])
            except (KeyError, ValueError):
                continue
    return dates


def run(gold_dir: str, limit: int | None) -> tuple[list[dict], dict, dict[str, str]]:
    t0 = time.perf_counter()
    from quotes import extraction
    from quotes.extraction import jsonl, parsing

    spacy_time = [0.0]
    real_parse = parsing.parse

    def timed_parse(text, blocks):
        t = time.perf_counter()
        out = real_parse(text, blocks)
        spacy_time[0] += time.perf_counter() - t
        return out

    parsing.parse = timed_parse
    t_load = time.perf_counter()
    parsing.get_nlp()
    load_s = time.perf_counter() - t_load
    meta = os.path.join(os.path.dirname(gold_dir.rstrip("/")), "metadata.tsv")
    dates = load_dates(meta) if os.path.exists(meta) else {}
    paths = sorted(glob.glob(os.path.join(gold_dir, "text", "*.txt")))[:limit]
    texts, records = {}, []
    t_run = time.perf_counter()
    for path in paths:
        doc = os.path.basename(path)[:-4]
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        texts[doc] = text
        for a in extraction.extract(text, published=dates.get(doc)):
            records.append(jsonl.attribution_to_json(doc, a, text))
    run_s = time.perf_counter() - t_run
    total = time.perf_counter() - t0
    speed = {
        "articles": len(paths), "total_s": total, "load_s": load_s, "spacy_s": spacy_time[0],
        "engine_s": run_s - spacy_time[0], "articles_per_s": len(paths) / total if total else 0.0,
        "version": extraction.ENGINE_VERSION,
    }
    parsing.parse = real_parse
    return records, speed, texts


def score(gold_dir: str, records: list[dict]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
        path = fh.name
    try:
        out = subprocess.run([sys.executable, SCORER, gold_dir, path, "--json"],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    return json.loads(out)


def print_table(result: dict, speed: dict) -> None:
    print(f"engine {speed['version']}  {result['docs']} articles")
    print(f"{'track':7}{'gold':>6}{'pred':>6}  {'content P/R/F1':>22}  {'exact F1':>8}  "
          f"{'content+source P/R/F1':>24}")
    for track in ("direct", "all"):
        r = result[track]
        c, e, s = r["content"], r["content_exact"], r["content_and_source"]
        print(f"{track:7}{r['gold']:6}{r['predicted']:6}  {c['p']:.3f}/{c['r']:.3f}/{c['f1']:.3f}"
              f"        {e['f1']:.3f}     {s['p']:.3f}/{s['r']:.3f}/{s['f1']:.3f}")
    print(f"speed: {speed['articles_per_s']:.1f} articles/s over {speed['articles']} articles "
          f"({speed['total_s']:.2f}s total: model load {speed['load_s']:.2f}s, "
          f"spaCy {speed['spacy_s']:.2f}s, engine's own code {speed['engine_s']:.2f}s)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--gold-dir")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(argv)
    gold_dir = args.gold_dir or os.path.join(SHARED, "data", "polnear", args.split)
    records, speed, texts = run(gold_dir, args.limit)
    result = score(gold_dir, records)
    print_table(result, speed)
    if args.errors:
        from bench_errors import print_errors

        print_errors(gold_dir, records, texts)


if __name__ == "__main__":
    main()
