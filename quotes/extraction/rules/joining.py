"""Quotes broken by their attribution become one statement; lone quotes are read by the words beside them.

* ``join_broken``: '"A," she said, "B."' - a direct (or mixed) statement runs on over the
  next quote when only its own attribution lies between, never across another
  statement's cue;
* ``adjacent_drafts``: a quote no candidate claimed, attributed by the words right after
  or before it ('"...," he said', 'Trump told reporters: "..."');
* ``one_per_cue``: one cue, one statement, when the adjacent reader and the parse each took
  one half of a broken quote.
"""

from __future__ import annotations

import bisect
import re

from ..drafts import Draft
from ..text.marks import Quote
from ..text.selection import CUE_WORD_RE
from ..types import DIRECT, MIXED, Span
from .adjacent import Adjacent, introduced, match_after, match_before


def adjacent_drafts(text: str, orphans: list[Quote], others: list[Draft]) -> list[Draft]:
    """Direct quotes attributed by the words right beside them ('"...," he said').

    A quote joins the one before ('"A," he said, "B."') unless another statement lies between."""
    out: list[Draft] = []
    cues = sorted(d.cue.start for d in others if d.cue is not None)
    for q in orphans:
        if out and out[-1].cue is not None and out[-1].content.end <= out[-1].cue.start < q.outer.start \
                and "\n" not in text[out[-1].content.end : q.outer.start] \
                and q.outer.start - out[-1].content.end <= 160 \
                and not _introduced_after(text, q, out[-1].cue.end) \
                and not _any_between(cues, out[-1].cue.end, q.outer.start):
            out[-1].content = Span(out[-1].content.start, q.inner.end)  # "A," he said, "B."
            continue
        hit = match_after(text, q.outer.end)
        if hit is not None and _title_before_speech(text, q, hit):
            hit = None
        if hit is None or hit.crosses:  # a cue in the quote's own sentence beats a "He said." after it
            hit = introduced(text, q) or hit
        if hit is None:
            continue
        out.append(Draft(DIRECT, q.inner, hit.cue, hit.source, None, 0.8))
    return out


_CLAUSE_AFTER_RE = re.compile(
    r"[ \t]+(?:that|the|a|an|his|her|their|its|he|she|they|it|we|I|there|this)[ \t]"
)


def _title_before_speech(text: str, q: Quote, hit: Adjacent) -> bool:
    """'On "Face the Nation," Ryan said the shootings demand ...': a short quote whose cue
    goes on to its own long clause is a title, not what was said."""
    if len(q.inner.of(text).split()) > 4:
        return False
    return _CLAUSE_AFTER_RE.match(text, hit.cue.end) is not None


def one_per_cue(text: str, drafts: list[Draft]) -> list[Draft]:
    """'"That, unfortunately," he said, "is part of life."': the adjacent reader gives the
    first quote to "said" and the parse the second; one cue, one statement."""
    out: list[Draft] = []
    for d in sorted(drafts, key=lambda d: d.content.start):
        prev = next((p for p in reversed(out) if p.kind == DIRECT), None)
        if d.kind == DIRECT and prev is not None and prev.cue is not None and prev.cue == d.cue \
                and prev.content.end <= d.cue.start < d.content.start \
                and "\n" not in text[prev.content.end : d.content.start]:
            prev.content = Span(prev.content.start, d.content.end)
            prev.confidence = max(prev.confidence, d.confidence)
            continue
        out.append(d)
    return out


def _any_between(starts: list[int], a: int, b: int) -> bool:
    i = bisect.bisect_left(starts, a)
    return i < len(starts) and starts[i] < b


def _introduced_after(text: str, q: Quote, at: int) -> bool:
    """'"A," said Pillar, an analyst. But he added, "B."': B has an attribution of its own after ``at``."""
    own = match_before(text, q.outer.start)
    if own is not None and own.cue.start >= at:
        return True
    after = match_after(text, q.outer.end)  # 'The summit did "too little," he added.'
    return after is not None and not after.crosses and after.cue.start >= at


def join_broken(text: str, drafts: list[Draft], orphans: list[Quote]) -> list[Quote]:
    """Extend a direct quote over the next quote when only its attribution lies between; a
    mixed statement too ('Oz is "smart," Mosko wrote, and "full of it."'), marks included.

    Returns the quotes still without an owner.
    """
    direct = sorted((d for d in drafts if d.kind in (DIRECT, MIXED)), key=lambda d: d.content.start)
    cues = sorted(d.cue.start for d in drafts if d.cue is not None)
    left: list[Quote] = []
    for q in orphans:
        joined = False
        for d in reversed(direct):
            if d.content.end > q.outer.start:
                continue
            gap = text[d.content.end : q.outer.start]
            cue_between = d.cue is not None and d.content.end <= d.cue.start < q.outer.start
            if "\n" in gap or len(gap) > 160 or not cue_between:
                break
            after_cue = text[d.cue.end : q.outer.start]
            if any(m.group().endswith("ing") for m in CUE_WORD_RE.finditer(after_cue)):
                break  # '"A," she said, suggesting questions, including "B"': B is another statement
            if _introduced_after(text, q, d.cue.end) or _any_between(cues, d.cue.end, q.outer.start):
                break
            d.content = Span(d.content.start, q.inner.end if d.kind == DIRECT else q.outer.end)
            joined = True
            break
        if not joined:
            left.append(q)
    return left
