"""Train the unattributed-quote classifier (``unattributed_weights.json``) on PolNeAR train.

Not part of the engine at run time: a maintainer runs it on the *train* split
(never dev or test) and commits the generated JSON; the corpus stays outside
the repository.  Examples are the quotes the rules leave unattributed
(``pipeline.unattributed_examples``); a quote is speech when it overlaps a gold
attribution with quotation marks by at least half of the shorter span (the
scorer's match).  The model is a pure-numpy L2 logistic regression; the
threshold is the one that maximises the content+source gain on train: an
accepted quote that is speech with the right source gains one hit, any other
accepted quote costs ``--cost`` of one.

    .venv/bin/python -m quotes.extraction.training.train_unattributed ../shared/data/polnear/train \
        --out quotes/extraction/learned/unattributed_weights.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

from .scoring import DEFAULT_SCORER, load_scorer, matches


def examples(train_dir: str, scorer_path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, is speech, is speech with the right source) for every unattributed quote."""
    from .. import pipeline

    sc = load_scorer(scorer_path)
    gold, texts = sc.load_gold(train_dir)
    xs, ys, rs = [], [], []
    for doc in sorted(gold):
        text = texts[doc]
        found, claimed = pipeline.unattributed_examples(text)
        # Gold the rules already matched is no target for another prediction.
        free = [g for g in gold[doc] if not any(matches(sc, text, (c.start, c.end), g) for c in claimed)]
        for q, x, source, speakers in found:
            inner = sc.trim(text, q.inner.start, q.inner.end)
            match = None
            for g in free:
                ov = sc.overlap(inner, g["content"])
                shorter = min(inner[1] - inner[0], g["content"][1] - g["content"][0]) or 1
                if g["direct"] and ov > 0 and ov * 2 >= shorter:
                    match = g
                    break
            pred = {"source": [source.start, source.end] if source else None,
                    "speaker": speakers[0] if speakers else None}
            xs.append(x)
            ys.append(match is not None)
            rs.append(match is not None and sc.attributed(pred, match, text))
    return np.array(xs, dtype=float), np.array(ys, dtype=float), np.array(rs, dtype=float)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, lr: float = 0.5) -> np.ndarray:
    """L2-regularised logistic regression by gradient descent (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2 / len(y))
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= lr * ((x.T @ (p - y)) / len(y) + penalty * w)
    return w


def best_threshold(p: np.ndarray, right: np.ndarray, cost: float) -> tuple[float, float]:
    best_t, best_gain = 1.01, 0.0
    for t in np.arange(0.30, 0.96, 0.01):
        take = p >= t
        gain = right[take].sum() - cost * (take.sum() - right[take].sum())
        if gain > best_gain:
            best_t, best_gain = float(round(t, 2)), float(gain)
    return best_t, best_gain


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train_dir")
    ap.add_argument("--scorer", default=DEFAULT_SCORER)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cost", type=float, default=0.77,
                    help="what a wrong pick costs against a right one (F1 / (2 - F1) at F1 0.87)")
    ap.add_argument("--target", choices=("right", "speech"), default="right",
                    help="learn 'speech with the right source' or just 'speech'")
    ap.add_argument("--cache", help="save the examples here (.npz) and reuse them")
    args = ap.parse_args(argv)
    if args.cache and os.path.exists(args.cache):
        with np.load(args.cache) as cached:
            x, y, right = cached["x"], cached["y"], cached["right"]
    else:
        x, y, right = examples(args.train_dir, args.scorer)
        if args.cache:
            np.savez(args.cache, x=x, y=y, right=right)
    w = fit(x, right if args.target == "right" else y)
    p = 1.0 / (1.0 + np.exp(-(x @ w)))
    threshold, gain = best_threshold(p, right, args.cost)
    from ..learned.unattributed import FEATURES

    take = p >= threshold
    print(f"{len(y)} unattributed quotes, {int(y.sum())} speech, {int(right.sum())} with the right source; "
          f"threshold {threshold}: {int(take.sum())} taken, {int(y[take].sum())} speech, "
          f"{int(right[take].sum())} right source (gain {gain:.0f})", file=sys.stderr)
    for name, wi in zip(FEATURES, w, strict=True):
        print(f"  {wi:+.2f}  {name}", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump({
            "about": "logistic regression over learned.unattributed.features; trained by "
                     "training/train_unattributed.py on PolNeAR train",
            "features": list(FEATURES), "weights": [round(float(v), 4) for v in w], "threshold": threshold,
        }, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
