"""Settle the rules' candidates before they meet the quotes.

Four adjustments, in this order: "X, he said, Y" parentheticals are added (the whole
sentence is what was said); a speaker the parse found inside someone's quoted words is
replaced by the one beside the quote; an evidential cue ("seems", "reportedly") loses its
source; a cue ending in a colon takes the next paragraph as its content.
"""

from __future__ import annotations

import re

from ..drafts import trim
from ..lexicon.mined import SOURCELESS_CUE_FORMS
from ..text.marks import Quote
from ..types import Span
from .adjacent import find_parenthetical, match_after
from .reported import Candidate


def refine(
    text: str, sentences: list[Span], quotes: list[Quote], candidates: list[Candidate]
) -> list[Candidate]:
    """The candidates with the four adjustments of this module applied (see its docstring)."""
    candidates = with_parentheticals(text, sentences, candidates)
    sources_outside_quotes(text, candidates, quotes)
    for cand in candidates:
        if cand.cue.of(text).lower() in SOURCELESS_CUE_FORMS:
            cand.source = cand.ref = None  # "the plan seems to ...": evidence, nobody speaks
    for cand in candidates:
        if cand.colon_next:
            cand.content = next_paragraph(text, cand.content.end) or cand.content
    return candidates


def with_parentheticals(text: str, sentences: list[Span], candidates: list[Candidate]) -> list[Candidate]:
    """Add 'X, he said, Y' statements (the whole sentence is the content).

    Other cues in that sentence lie inside the reported words, so they go.
    """
    found = []
    for s in sentences:
        hit = find_parenthetical(text, s.start, s.end)
        if hit is not None:
            found.append(Candidate(hit.cue, trim(text, s), hit.source, strength=0.85))
    if not found:
        return candidates
    kept = [c for c in candidates
            if not any(f.content.start <= c.cue.start < f.content.end and c.cue != f.cue for f in found)]
    kept = [c for c in kept if not any(c.cue == f.cue for f in found)]
    return kept + found


def sources_outside_quotes(text: str, candidates: list[Candidate], quotes: list[Quote]) -> None:
    """A speaker is not inside someone's quoted words: "'That, unfortunately,' he said, 'is
    part of life.'" parses with "That" as the subject of "said".  The words beside the quote
    name the speaker ("he"); the cue is the same word."""
    def quoted(span: Span, cue: Span) -> Quote | None:
        return next((q for q in quotes if q.inner.start <= span.start and span.end <= q.inner.end
                     and not q.inner.start <= cue.start < q.inner.end), None)

    for c in candidates:
        q = quoted(c.source, c.cue) if c.source is not None else None
        if q is None:
            continue
        hit = match_after(text, q.outer.end)
        if hit is not None and hit.cue == c.cue:
            c.source, c.ref = hit.source, None
            continue
        # 'Sanders said, suggesting questions, including, "do you think ..."': the cue before speaks
        before = [b for b in candidates if b.source is not None and b.cue.end <= c.cue.start
                  and c.cue.start - b.cue.end <= 30 and "\n" not in text[b.cue.end : c.cue.start]
                  and quoted(b.source, b.cue) is None]
        if before:
            c.source, c.ref = before[-1].source, before[-1].ref


def next_paragraph(text: str, at: int) -> Span | None:
    nl = text.find("\n", at)
    if nl < 0:
        return None
    m = re.compile(r"[^\n]+").search(text, nl)
    return trim(text, Span(m.start(), m.end())) if m else None
