"""Derive the mined cue lists (``lexicon/mined.py``) from a training corpus's annotated cues.

Not part of the engine at run time: a maintainer runs it on the PolNeAR *train*
split (never dev or test) and commits the generated ``lexicon/mined.py``; the corpus
itself stays outside the repository.

For every lowercase word form it counts how often the form lies inside an
annotated cue span and how often it occurs at all.  A form is kept when it is
a cue at least ``--min-count`` times and its precision (cue occurrences / all
occurrences) is at least ``--min-precision``, and when the hand-written lexicon
does not already hold it.  The engine still requires a verb tag from the parse.

    .venv/bin/python scripts/bench_extraction.py --split train --dump /tmp/train.jsonl
    python -m quotes.extraction.training.derive_lexicon ../shared/data/polnear/train \
        --predictions /tmp/train.jsonl --out quotes/extraction/lexicon/mined.py

(``--out`` writes the file after the counting; a shell redirect would empty
``mined.py`` while the package that imports it is loading.)
"""

from __future__ import annotations

import argparse
import glob
import io
import os
import re
import sys
from collections import Counter

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-]*")
_ANN_T_RE = re.compile(r"^T\d+\tCue ([\d ;]+)\t", re.M)


def _first_annotations(train_dir: str) -> dict[str, str]:
    first: dict[str, str] = {}
    for path in sorted(glob.glob(os.path.join(train_dir, "attributions", "*.ann"))):
        first.setdefault(os.path.basename(path)[:-9], path)
    return first


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def cue_statistics(train_dir: str) -> tuple[Counter[str], Counter[str]]:
    """(times each form is part of a cue, times it occurs) over the first annotator of each article."""
    as_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for doc, ann in sorted(_first_annotations(train_dir).items()):
        text = _read(os.path.join(train_dir, "text", doc + ".txt"))
        cue_words = set()
        for offsets in _ANN_T_RE.findall(_read(ann)):
            for seg in offsets.split(";"):
                a, b = map(int, seg.split())
                cue_words.update((a + m.start(), m.group().lower()) for m in _WORD_RE.finditer(text[a:b]))
        as_cue.update(w for _, w in cue_words)
        seen.update(m.group().lower() for m in _WORD_RE.finditer(text))
    return as_cue, seen


def sourceless_statistics(train_dir: str) -> tuple[Counter[str], Counter[str]]:
    """(attributions whose cue is exactly this form, of those how many have no Source)."""
    total: Counter[str] = Counter()
    without: Counter[str] = Counter()
    for doc, ann in sorted(_first_annotations(train_dir).items()):
        text = _read(os.path.join(train_dir, "text", doc + ".txt"))
        body = _read(ann)
        cues = {}
        for line in body.splitlines():
            m = re.match(r"^(T\d+)\tCue ([\d ;]+)\t", line)
            if m:
                cues[m.group(1)] = " ".join(text[int(a) : int(b)] for a, b in
                                            (seg.split() for seg in m.group(2).split(";"))).lower()
        for line in body.splitlines():
            if not re.match(r"^E\d+\t", line):
                continue
            parts = dict(p.split(":", 1) for p in line.split("\t")[1].split())
            form = cues.get(parts.get("Cue", ""))
            if form:
                total[form] += 1
                without[form] += "Source" not in parts
    return total, without


def derive_sourceless(train_dir: str, min_count: int, min_share: float) -> list[tuple[str, int, int]]:
    """Cue forms whose attributions almost never name a source ("seems", "appears")."""
    total, without = sourceless_statistics(train_dir)
    return sorted((f, without[f], n) for f, n in total.items()
                  if n >= min_count and without[f] / n >= min_share and _WORD_RE.fullmatch(f))


def derive(train_dir: str, min_count: int, min_precision: float) -> list[tuple[str, int, int]]:
    from ..lexicon.handwritten import CUE_FORMS

    as_cue, seen = cue_statistics(train_dir)
    keep = []
    for form, n in as_cue.items():
        total = max(seen[form], n)
        if n >= min_count and n / total >= min_precision and form not in CUE_FORMS and len(form) > 2:
            keep.append((form, n, total))
    return sorted(keep)


def derive_suppressed(train_dir: str, predictions: str, min_count: int, max_precision: float,
                      ) -> list[tuple[str, int, int]]:
    """Cue forms whose indirect statements the engine gets right too rarely to keep.

    ``predictions`` is the engine's JSONL on the same train split
    (``scripts/bench_extraction.py --split train --dump FILE``); each indirect
    statement is matched to gold as the scorer does and counted right when its
    content and source both match.  A form right less than ``max_precision`` of
    the time costs F1 at the engine's current level.
    """
    import json

    from .scoring import load_scorer

    scorer = os.path.join(os.path.dirname(os.path.dirname(train_dir.rstrip("/"))), os.pardir,
                          "bench", "score_attributions.py")
    sc = load_scorer(os.path.normpath(scorer))
    gold, texts = sc.load_gold(train_dir)
    preds: dict[str, list[dict]] = {}
    with open(predictions, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            preds.setdefault(rec["doc"], []).append(rec)
    seen: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for doc, items in gold.items():
        text, ps = texts[doc], preds.get(doc, [])
        pairs = []
        for i, p in enumerate(ps):
            a = sc.trim(text, *p["content"])
            for j, g in enumerate(items):
                ov = sc.overlap(a, g["content"])
                if ov > 0 and ov * 2 >= (min(a[1] - a[0], g["content"][1] - g["content"][0]) or 1):
                    pairs.append((ov, i, j))
        used_p, used_g, match = set(), set(), {}
        for _, i, j in sorted(pairs, reverse=True):
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
                match[i] = j
        for i, p in enumerate(ps):
            if p["kind"] != "indirect" or not p["cue"]:
                continue
            form = text[p["cue"][0] : p["cue"][1]].lower()
            seen[form] += 1
            right[form] += i in match and sc.attributed(p, items[match[i]], text)
    rows = [(f, right[f], n) for f, n in seen.items() if n >= min_count and right[f] / n < max_precision]
    # The engine that wrote ``predictions`` already drops the forms listed now, so they
    # have no statements to judge: keep them rather than let the list flip each run.
    from ..lexicon.mined import SUPPRESSED_INDIRECT_CUES

    rows += [(f, 0, 0) for f in SUPPRESSED_INDIRECT_CUES if seen[f] == 0]
    return sorted(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train_dir")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--min-precision", type=float, default=0.35)
    ap.add_argument("--min-sourceless", type=float, default=0.8)
    ap.add_argument("--predictions", help="the engine's train JSONL, to list cues it gets wrong")
    ap.add_argument("--max-precision", type=float, default=0.3)
    ap.add_argument("--out", help="write here instead of stdout")
    args = ap.parse_args(argv)
    rows = derive(args.train_dir, args.min_count, args.min_precision)
    out = io.StringIO()
    out.write('"""Cue word forms learned from PolNeAR train annotations (generated; do not edit).\n\n')
    out.write("Made by ``python -m quotes.extraction.training.derive_lexicon TRAIN_DIR`` with\n")
    out.write(f"min_count={args.min_count}, min_precision={args.min_precision}: each form is part of an\n")
    out.write("annotated cue that often, and that share of its occurrences.  The engine uses a\n")
    out.write('form only where the parse tags it as a verb.\n"""\n\n')
    out.write("LEARNED_CUE_FORMS = frozenset({\n")
    for form, n, total in rows:
        out.write(f'    "{form}",  # {n}/{total}\n')
    out.write("})\n")
    out.write("\n# Cue forms whose annotated attributions have no source at least "
              f"{args.min_sourceless:.0%} of the time\n# (count >= {args.min_count}): "
              "the engine gives their statements no source.\n")
    out.write("SOURCELESS_CUE_FORMS = frozenset({\n")
    for form, n, total in derive_sourceless(args.train_dir, args.min_count, args.min_sourceless):
        out.write(f'    "{form}",  # {n}/{total}\n')
    out.write("})\n")
    if args.predictions:
        out.write("\n# Cue forms whose indirect statements were right (content and source) less than "
                  f"{args.max_precision:.0%}\n# of the time on train (count >= 6): "
                  "the engine drops those statements.\n")
        out.write("SUPPRESSED_INDIRECT_CUES = frozenset({\n")
        for form, n, total in derive_suppressed(args.train_dir, args.predictions, 6, args.max_precision):
            note = f"{n}/{total}" if total else "kept: already dropped when the predictions were made"
            out.write(f'    "{form}",  # {note}\n')
        out.write("})\n")
    else:
        out.write("\nSUPPRESSED_INDIRECT_CUES: frozenset[str] = frozenset()\n")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(out.getvalue())
    else:
        sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    main()
