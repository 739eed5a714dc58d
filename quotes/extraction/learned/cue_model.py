"""Learned cues: reported speech the rules do not read, scored by a logistic regression.

The rules read a fixed set of reporting verbs in fixed shapes.  News text
attributes through a long tail besides: "criticized X", "wants to X", "support
for X", "attacks on X", "X was praised by Y", "is confident that X".  For every
verb, noun or predicative adjective whose form is in the model's vocabulary (cue
heads of PolNeAR *train*), each dependent that
could carry the content (a clause, an infinitive, an object, a prepositional
object, the subject of a passive) is an :class:`Option` with its source (the
subject, a possessive owner, a passive's agent, or none).  The model
(``cue_weights.json``, trained by ``training/train_cues.py`` on train only) scores each
option from the words and the parse around it, and from the parser's own
token vectors (``doc.tensor``, free with the parse) of the cue, the content's
head and the source: these carry what a word is like beyond its spelling, so
rare cue words share what common ones learned.  Per word the best option is
kept when it reaches the threshold.

    >>> from quotes.extraction.parsing import parse
    >>> text = "Governor Tom Reyes wants to expand Medicaid."
    >>> [(base, doc)] = parse(text, [Span(0, len(text))])
    >>> model = load()
    >>> found = options(doc, base, model.words, inside=lambda at: False, nested=lambda at: False)
    >>> [(o.cue.of(text), o.content.of(text), o.source.of(text)) for o, p in model.pick(found)]
    [('wants', 'to expand Medicaid', 'Governor Tom Reyes')]
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ..lexicon.handwritten import PHRASAL_ONLY, PHRASAL_ONLY_FORMS
from ..rules.tree import TIME_WORDS, cue_subject, object_end, passive_agent, source_span, tok_span
from ..types import Span

WEIGHTS_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cue_weights.json")

_VERB_CONTENT = ("ccomp", "xcomp", "dobj", "attr", "acomp", "oprd", "advcl")
_NOUN_CONTENT = ("acl", "ccomp")
_NOUN_PREPS = {"of", "on", "about", "for", "against", "over", "to", "with", "that", "toward", "towards"}
_MODALS = {"will", "would", "could", "should", "may", "might", "can", "must", "'ll", "wo", "ca"}
_PRONOUNS = {"he", "she", "they", "i", "we", "you", "it"}
_RELATIVE = {"who", "which", "that"}
# Verbs that report only through a prepositional object, and which prepositions.
_PHRASAL_ONLY_PREPS = {form: set(PHRASAL_ONLY[lemma].split()) for form, lemma in PHRASAL_ONLY_FORMS.items()}


@dataclass(frozen=True)
class Option:
    """One reading of a word as a cue: what it reports and who is reporting."""

    token: int  # the cue word's index in its Doc (options of one word share it)
    cue: Span
    content: Span
    source: Span | None
    ref: Span | None  # what a relative-pronoun source ("who") stands for
    features: tuple[str, ...]
    # the parse's token vectors (numpy) of the cue, the content's head and the source
    dense: Any = field(default=None, compare=False)


def _lemma(word: str) -> str:
    """A crude stem so inflections share weight: 'criticized' -> 'criticiz'."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8-15" if n <= 15 else "16+"


def _source_kind(doc: Any, tok: Any | None) -> str:
    if tok is None:
        return "none"
    low = tok.lower_
    if low in _RELATIVE:
        return "rel"
    if low in _PRONOUNS:
        return "prp:" + low
    if tok.tag_ in ("NNP", "NNPS") or any(t.tag_ in ("NNP", "NNPS") for t in tok.lefts):
        return "name"
    if tok.tag_ == "PRP$" or low in ("his", "her", "their", "its", "my", "our"):
        return "poss-prp"
    return "noun:" + ("pl" if tok.tag_ == "NNS" else "sg")


def _verb_source(doc: Any, tok: Any) -> tuple[Any | None, str]:
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
    if passive:
        return passive_agent(tok), "agent"
    return cue_subject(tok), "subj"


def _noun_source(doc: Any, tok: Any) -> tuple[Any | None, str]:
    for child in tok.children:
        if child.dep_ == "poss":
            return child, "poss"
    for child in tok.children:
        if child.dep_ == "compound" and child.tag_ in ("NNP", "NNPS"):
            return child, "compound"
    head = tok.head
    if tok.dep_ in ("dobj", "attr") and head.tag_.startswith("VB"):
        subj = cue_subject(head)
        if subj is not None:
            return subj, "head-subj"
    return None, "none"


def options(doc: Any, base: int, words: frozenset[str], inside: Callable[[int], bool],
            nested: Callable[[int], bool]) -> list[Option]:
    """Every cue reading of the vocabulary words in one parsed block.

    ``inside(offset)`` says whether a text offset lies inside quotation marks,
    ``nested(offset)`` whether it lies inside a statement the rules found.
    """
    out: list[Option] = []
    tensor = doc.tensor
    width = tensor.shape[1] if tensor is not None and len(tensor.shape) == 2 else 0
    no_source = np.zeros(width, "f")
    for tok in doc:
        low = tok.lower_
        if low not in words:
            continue
        tag = tok.tag_
        if tag.startswith("VB"):
            kind = "v"
            src, how = _verb_source(doc, tok)
            deps = [(c, c.dep_) for c in tok.children if c.dep_ in _VERB_CONTENT]
            if how == "agent":
                deps += [(c, c.dep_) for c in tok.children if c.dep_ == "nsubjpass"]
        elif tag.startswith("NN"):
            kind = "n"
            src, how = _noun_source(doc, tok)
            deps = [(c, c.dep_) for c in tok.children if c.dep_ in _NOUN_CONTENT]
        elif tag.startswith("JJ") and tok.dep_ in ("acomp", "oprd") and tok.head.tag_.startswith("VB"):
            kind = "a"  # "Trump is critical of NATO", "she was confident that ..."
            src, how = cue_subject(tok.head), "subj"
            deps = [(c, c.dep_) for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
        else:
            continue
        preps = _NOUN_PREPS if kind in ("n", "a") else _PHRASAL_ONLY_PREPS.get(low)
        if kind == "v" and preps is not None:
            deps = []  # "spoke", "talked": only what was spoken about ("spoke at the library" is no cue)
        for child in tok.rights:
            if child.dep_ == "prep" and (preps is None or child.lower_ in preps):
                obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None and obj.lower_ not in TIME_WORDS:
                    deps.append((obj, "prep:" + child.lower_))
        if not deps:
            continue
        source = source_span(doc, base, src) if src is not None else None
        at = base + tok.idx
        if source is not None and inside(source.start) and not inside(at):
            continue  # the speaker is never a word of someone's quote
        ref = None
        if src is not None and src.lower_ in _RELATIVE and tok.dep_ == "relcl":
            ref = source_span(doc, base, tok.head)
        skind = _source_kind(doc, src)
        cue = Span(at, at + len(tok.text))
        lem = _lemma(low)
        common = [
            "b", "w=" + low, "l=" + lem, "t=" + tag, "d=" + tok.dep_,
            "hd=" + tok.dep_ + ">" + tok.head.tag_[:2],
            "src=" + how + ":" + skind, "w|src=" + lem + "|" + how + ":" + skind.split(":")[0],
            "k|src=" + kind + "|" + skind,
        ]
        common += ["w|t=" + low + "|" + tag, "pw=" + (doc[tok.i - 1].lower_ if tok.i > 0 else "^"),
                   "nw=" + (doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "$")]
        if src is not None and skind.startswith("noun"):
            common.append("sw=" + _lemma(src.lower_))
        for c in tok.children:
            if c.dep_ in ("aux", "auxpass"):
                common.append("aux=" + (c.lower_ if c.lower_ not in _MODALS else "modal"))
            elif c.dep_ == "neg":
                common += ["neg", "w|neg=" + lem]
        if base == 0:
            common.append("line0")
        if tok.dep_ == "xcomp" or tok.dep_ == "conj":
            common.append("hw=" + tok.dep_ + ":" + _lemma(tok.head.lower_))
        if inside(at):
            common += ["inq", "w|inq=" + lem]
        if nested(at):
            common += ["nested", "w|nested=" + lem]
        if src is not None:
            side = "before" if src.i < tok.i else "after"
            common.append("src-" + side + ":" + _bucket(abs(src.i - tok.i)))
        if tok.i == tok.sent.start or (tok.i > 0 and doc[tok.i - 1].is_punct and doc[tok.i - 1].text != ","):
            common.append("first")
        n_deps = len(deps)
        for rank, (child, dep) in enumerate(deps):
            first = child.left_edge.i
            last = object_end(tok, child) if dep == "dobj" else child.right_edge.i
            if last >= tok.i >= first:  # the cue inside its own content: a bad attachment
                continue
            content = tok_span(doc, base, first, last)
            if content is None:
                continue
            if source is not None and content.start <= source.start < content.end:
                continue
            size = last - first + 1
            quoted = any(t.text in ('"', "\u201c", "\u201d", "``", "''") for t in doc[first : last + 1])
            feats = common + [
                "o=" + dep, "w|o=" + lem + "|" + dep, "k|o=" + kind + "|" + dep, "len=" + _bucket(size),
                "o|len=" + dep.split(":")[0] + "|" + _bucket(size),
                "o|src=" + dep + "|" + how + ":" + skind[:4],
                "rank=" + str(min(rank, 2)) + "/" + str(min(n_deps, 3)),
            ]
            if quoted:
                feats.append("quoted")
            gap = first - tok.i - 1 if first > tok.i else tok.i - last - 1
            feats += [
                "gap=" + ("-" if first < tok.i else "+") + _bucket(gap), "ch=" + _lemma(child.lower_),
                "ct=" + child.tag_[:2], "w|ct=" + lem + "|" + child.tag_[:2],
            ]
            if dep == "ccomp" and any(g.dep_ == "mark" for g in child.children):
                feats.append("mark=" + next(g.lower_ for g in child.children if g.dep_ == "mark"))
            dense = None
            if width:
                dense = np.concatenate((tensor[tok.i], tensor[child.i],
                                        tensor[src.i] if src is not None else no_source))
            out.append(Option(tok.i, cue, content, source, ref, tuple(feats), dense))
    return out


class Model:
    """The trained weights: vocabulary, per-feature weights, threshold."""

    def __init__(self, words: Iterable[str], weights: dict[str, float], threshold: float,
                 dense: Iterable[float] | None = None) -> None:
        self.words = frozenset(words)
        self.weights = weights
        self.threshold = threshold
        self.dense = np.asarray(dense, dtype="f") if dense else None

    def probability(self, features: Iterable[str], dense: Any = None) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features)
        if self.dense is not None and dense is not None and len(dense) == len(self.dense):
            z += float(self.dense @ dense)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def pick(self, found: list[Option]) -> list[tuple[Option, float]]:
        """Per cue word, its most probable option, if that reaches the threshold."""
        best: dict[int, tuple[Option, float]] = {}
        for opt in found:
            p = self.probability(opt.features, opt.dense)
            key = opt.cue.start
            if key not in best or p > best[key][1]:
                best[key] = (opt, p)
        return [(o, p) for o, p in best.values() if p >= self.threshold]


@lru_cache(maxsize=1)
def load() -> Model:
    """The model at ``WEIGHTS_PATH``, shipped beside this module (read once per process)."""
    with open(WEIGHTS_PATH, encoding="utf-8") as fh:
        data = json.load(fh)
    return Model(data["words"], data["weights"], data["threshold"], data.get("dense"))
