"""Train the learned-cue model (``cue_weights.json``) on PolNeAR train.

Not part of the engine at run time: a maintainer runs it on the *train* split
(never dev or test) and commits the generated JSON; the corpus stays outside
the repository.

1. Vocabulary: every sentence of train is parsed; a verb, noun or adjective form
   of three letters or more is a cue word when it heads a gold cue span (its own
   head lies outside the span) at least ``--min-count`` times and in at least
   ``--min-rate`` of its occurrences.
2. Examples: ``pipeline.cue_examples`` gives every option of those words the rules
   did not already cover.  An option is right when its content matches a gold
   attribution no rule statement matched (the scorer's half-overlap) and its
   source is right the way the scorer checks it (overlapping spans, or both absent).
3. A pure-numpy L2 logistic regression over the options' binary features and
   their parse vectors (with a penalty of their own, ``--l2-dense``); the
   threshold is the one that maximises the all-track content+source F1 on train
   when the best option of each word is kept, scored on held-out probabilities:
   ``--folds`` models, each fitted without one fold of the documents, score that fold.

    .venv/bin/python -m quotes.extraction.training.train_cues ../shared/data/polnear/train \\
        --out quotes/extraction/learned/cue_weights.json
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
from collections import Counter

import numpy as np

from .scoring import DEFAULT_SCORER, load_scorer, matches


def word_counts(sc, gold_dir: str, docs: list[str],
                texts: dict[str, str]) -> dict[str, tuple[Counter, Counter]]:
    """Per document: how often each verb, noun or adjective form heads a gold cue, and occurs."""
    from .. import parsing
    from ..text.selection import skip_dateline
    from ..text.sentences import split_sentences

    out = {}
    for doc in docs:
        hits, seen = Counter(), Counter()
        text = texts[doc]
        spans, _ = sc.parse_ann(os.path.join(gold_dir, "attributions", _ann_name(gold_dir, doc)))
        cue_spans = sorted((a, b) for label, segs in spans.values() if label == "Cue" for a, b in segs)
        units = [skip_dateline(text, s) for s in split_sentences(text)]
        for base, parsed in parsing.parse(text, units):
            for tok in parsed:
                if not tok.tag_.startswith(("VB", "NN", "JJ")) or not tok.is_alpha or len(tok.text) < 3:
                    continue
                at = base + tok.idx
                seen[tok.lower_] += 1
                span = next(((a, b) for a, b in cue_spans if a <= at < b), None)
                head_at = base + tok.head.idx
                if span is not None and (tok.head.i == tok.i or not span[0] <= head_at < span[1]):
                    hits[tok.lower_] += 1  # the cue's head word: not "is" in "is drawing criticism"
        out[doc] = (hits, seen)
    return out


def vocabulary(counts: dict[str, tuple[Counter, Counter]], docs: list[str], min_count: int,
               min_rate: float) -> list[str]:
    """Verb and noun forms that head gold cues often enough in ``docs`` (see the module docstring)."""
    hits, seen = Counter(), Counter()
    for doc in docs:
        hits.update(counts[doc][0])
        seen.update(counts[doc][1])
    return sorted(w for w, n in hits.items() if n >= min_count and n / seen[w] >= min_rate)


def _word(features: tuple[str, ...]) -> str:
    return next(f[2:] for f in features if f.startswith("w="))


def _ann_name(gold_dir: str, doc: str) -> str:
    names = sorted(n for n in os.listdir(os.path.join(gold_dir, "attributions")) if n.startswith(doc))
    return names[0]  # one annotator per article, as the scorer reads it


def examples(sc, docs: list[str], gold: dict, texts: dict[str, str]):
    """Per document: the options (features, the free gold attribution each gets right or -1)
    and the rules' hits and statement count."""
    from .. import pipeline
    from ..rules.nested import without_nested

    out = []
    rule_hits = rule_preds = 0
    for doc in docs:
        text = texts[doc]
        found, drafts = pipeline.cue_examples(text)
        drafts = without_nested(drafts)
        items = gold.get(doc, [])
        rule_preds += len(drafts)
        free = []
        for g in items:
            matched = [d for d in drafts if matches(sc, text, (d.content.start, d.content.end), g)]
            if not matched:
                free.append(g)
            elif any(sc.attributed(_pred(d), g, text) for d in matched):
                rule_hits += 1
        rows = []
        for opt in found:
            right = -1  # or the gold attribution it gets right, so that no two count for one
            span = (opt.content.start, opt.content.end)
            for j, g in enumerate(free):
                if matches(sc, text, span, g) and sc.attributed(_pred(opt), g, text):
                    right = j
                    break
            inside = any(d.content.start <= opt.content.start and opt.content.end <= d.content.end
                         for d in drafts)  # dropped as nested unless it carries a quote
            rows.append((opt.cue.start, (opt.content.start, opt.content.end), opt.features, right, inside,
                         opt.dense))
        out.append((doc, rows))
    return out, rule_hits, rule_preds


def _pred(d) -> dict:
    return {"source": [d.source.start, d.source.end] if d.source is not None else None, "speaker": None}


def fit(rows: np.ndarray, cols: np.ndarray, y: np.ndarray, n_features: int, l2: float,
        epochs: int, dense: np.ndarray | None = None, l2_dense: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """L2 logistic regression by full-batch Adagrad: binary features (column 0 is the bias)
    and, optionally, a dense matrix (one row per example) with its own penalty."""
    w = np.zeros(n_features)
    g2 = np.full(n_features, 1e-8)
    penalty = np.full(n_features, l2 / len(y))
    penalty[0] = 0.0
    v = np.zeros(dense.shape[1] if dense is not None else 0)
    v2 = np.full(len(v), 1e-8)
    for _ in range(epochs):
        z = np.bincount(rows, weights=w[cols], minlength=len(y))
        if len(v):
            z += dense @ v
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = np.bincount(cols, weights=(p - y)[rows], minlength=n_features) / len(y) + penalty * w
        g2 += grad * grad
        w -= 0.5 * grad / np.sqrt(g2)
        if len(v):
            gv = dense.T @ (p - y) / len(y) + l2_dense / len(y) * v
            v2 += gv * gv
            v -= 0.5 * gv / np.sqrt(v2)
    return w, v


def main(argv: list[str] | None = None) -> None:
    from ..learned import cue_model

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train_dir")
    ap.add_argument("--scorer", default=DEFAULT_SCORER)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-count", type=int, default=1)
    ap.add_argument("--min-rate", type=float, default=0.01)
    ap.add_argument("--min-feature", type=int, default=5, help="features seen fewer times are dropped")
    ap.add_argument("--l2", type=float, default=8.0)
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--l2-dense", type=float, default=1000.0,
                    help="penalty on the parse's token vectors; negative leaves them out")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds for the threshold")
    ap.add_argument("--cache", help="save the examples here (pickle) and reuse them")
    args = ap.parse_args(argv)
    sc = load_scorer(args.scorer)
    gold, texts = sc.load_gold(args.train_dir)
    docs = sorted(gold)
    if args.cache and os.path.exists(args.cache):
        with open(args.cache, "rb") as fh:
            counts, per_doc, rule_hits, rule_preds = pickle.load(fh)  # noqa: S301 - a cache this script wrote
        words = vocabulary(counts, docs, args.min_count, args.min_rate)
        known = set(words)  # the cache may hold options of a larger vocabulary
        per_doc = [(doc, [r for r in rows if _word(r[2]) in known]) for doc, rows in per_doc]
    else:
        counts = word_counts(sc, args.train_dir, docs, texts)
        words = vocabulary(counts, docs, args.min_count, args.min_rate)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as tmp:
            json.dump({"words": words, "weights": {}, "threshold": 2.0}, tmp)
        shipped, cue_model.WEIGHTS_PATH = cue_model.WEIGHTS_PATH, tmp.name
        cue_model.load.cache_clear()
        try:
            per_doc, rule_hits, rule_preds = examples(sc, docs, gold, texts)
        finally:  # the process goes on extracting with the shipped model
            os.unlink(tmp.name)
            cue_model.WEIGHTS_PATH = shipped
            cue_model.load.cache_clear()
        if args.cache:
            with open(args.cache, "wb") as fh:
                pickle.dump((counts, per_doc, rule_hits, rule_preds), fh)
    n_gold = sum(len(v) for v in gold.values())
    feature_counts = Counter(f for _, rows in per_doc for _, _, feats, *_ in rows for f in set(feats))
    names = ["b"] + sorted(f for f, n in feature_counts.items() if n >= args.min_feature and f != "b")
    index = {f: i for i, f in enumerate(names)}
    rows, cols, y, fold, word = [], [], [], [], []
    for d, (_, doc_rows) in enumerate(per_doc):
        for _, _, feats, right, _, _ in doc_rows:
            word.append(_word(feats))
            r = len(y)
            for f in sorted(set(feats)):  # a fixed order: float sums must not vary by run
                if f in index:
                    rows.append(r)
                    cols.append(index[f])
            y.append(float(right >= 0))
            fold.append(d % args.folds)
    rows_a, cols_a = np.array(rows, dtype=int), np.array(cols, dtype=int)
    y_a, fold_a = np.array(y), np.array(fold, dtype=int)
    dense = None
    if args.l2_dense >= 0:
        vecs = [d for _, doc_rows in per_doc for *_, d in doc_rows]
        if vecs and all(d is not None for d in vecs):
            dense = np.array(vecs, dtype=float)

    def train(keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fit on the examples ``keep`` selects (a boolean mask)."""
        new_id = np.cumsum(keep) - 1
        entry = keep[rows_a]
        return fit(new_id[rows_a[entry]], cols_a[entry], y_a[keep], len(names), args.l2, args.epochs,
                   dense[keep] if dense is not None else None, args.l2_dense)

    def probability(w: np.ndarray, v: np.ndarray) -> np.ndarray:
        z = np.bincount(rows_a, weights=w[cols_a], minlength=len(y_a))
        if dense is not None:
            z += dense @ v
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    # The threshold is chosen on held-out probabilities (each fold of documents scored by a
    # model fitted on the others, with the vocabulary of the others): in-sample ones are too
    # confident and move it around.
    held_out = np.zeros(len(y_a))
    for k in range(args.folds):
        known = set(vocabulary(counts, [d for i, d in enumerate(docs) if i % args.folds != k],
                               args.min_count, args.min_rate))
        scored = (fold_a == k) & np.array([form in known for form in word], dtype=bool)
        held_out[scored] = probability(*train(fold_a != k))[scored]
    w, v = train(np.ones(len(y_a), dtype=bool))
    prob = held_out
    threshold, f1, taken, right = best_threshold(sc, per_doc, prob, texts, rule_hits, rule_preds, n_gold)
    print(f"{len(words)} cue words, {len(y)} options ({int(y_a.sum())} right), {len(names)} features; "
          f"rules alone: {rule_hits} right of {rule_preds} (all-track c+s F1 about "
          f"{2 * rule_hits / (rule_preds + n_gold):.3f}); threshold {threshold}, held out: {taken} taken, "
          f"{right} right, "
          f"F1 about {f1:.3f}", file=sys.stderr)
    top = sorted(zip(w, names, strict=True), key=lambda t: -abs(t[0]))[:25]
    for wi, name in top:
        print(f"  {wi:+.2f}  {name}", file=sys.stderr)
    weights = {name: round(float(wi), 4) for name, wi in zip(names, w, strict=True) if abs(wi) >= 0.005}
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump({
            "about": "logistic regression over learned.cue_model.options features; "
                     "trained by training/train_cues.py on PolNeAR train",
            "threshold": threshold, "words": words, "weights": dict(sorted(weights.items())),
            **({"dense": [round(float(x), 4) for x in v]} if dense is not None else {}),
        }, fh, indent=0, sort_keys=False)
        fh.write("\n")


def best_threshold(sc, per_doc, prob, texts, rule_hits, rule_preds, n_gold):
    """The threshold maximising train all-track F1 when each word keeps its best option
    (``cue_model.Model.pick``) and the engine drops one whose content overlaps a more probable one's.

    Returns (threshold, F1, options taken, options right)."""
    best = (2.0, 2 * rule_hits / (rule_preds + n_gold), 0, 0)
    for t in np.arange(0.20, 0.80, 0.02):
        taken = right = 0
        i = 0
        for _, doc_rows in per_doc:
            top: dict[int, tuple[float, tuple, int]] = {}
            for cue, content, _, gold_at, inside, _ in doc_rows:
                p = prob[i]
                i += 1
                if inside:
                    continue
                if cue not in top or p > top[cue][0]:
                    top[cue] = (p, content, gold_at)
            kept: list[tuple[int, int]] = []
            hit: set[int] = set()
            for p, content, gold_at in sorted(top.values(), key=lambda v: -v[0]):
                if p < t or any(_overlaps(content, k) for k in kept):
                    continue
                kept.append(content)
                taken += 1
                if gold_at >= 0 and gold_at not in hit:  # the scorer matches one to one
                    hit.add(gold_at)
                    right += 1
        f1 = 2 * (rule_hits + right) / (rule_preds + taken + n_gold)
        if f1 > best[1]:
            best = (float(round(t, 2)), f1, taken, right)
    return best


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    ov = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return ov > 0 and ov * 2 >= (min(a[1] - a[0], b[1] - b[0]) or 1)


if __name__ == "__main__":
    main()
