"""Pair quotation marks with the rules' candidates: direct, mixed or indirect.

Each quote goes to the candidate whose reported words overlap it most (a cue inside
another candidate's words is nested speech and loses); a candidate whose content is its
quotes with at most one word outside is direct, one carrying a quote among its own words
mixed, one without quotes indirect. Quotes left over are joined to a broken quote or read
by the words beside them (``joining``).
"""

from __future__ import annotations

from ..drafts import Draft, overlap, words_outside
from ..lexicon.mined import SUPPRESSED_INDIRECT_CUES
from ..text.marks import Quote
from ..types import DIRECT, INDIRECT, MIXED, Span
from .adjacent import match_after
from .joining import adjacent_drafts, join_broken, one_per_cue
from .reported import Candidate


def pair(text: str, candidates: list[Candidate], quotes: list[Quote]) -> list[Draft]:
    """Match quotes to candidates; decide direct, mixed or indirect."""
    _quote_before_cue(text, candidates, quotes)
    owner: dict[int, int] = {}  # quote index -> candidate index
    for qi, q in enumerate(quotes):
        best, best_key = None, None
        near = [c for c in candidates if overlap(c.content, q.outer) > 0]
        for ci, c in enumerate(candidates):
            ov = overlap(c.content, q.outer)
            if ov <= 0 or (c.cue.start >= q.inner.start and c.cue.end <= q.inner.end):
                continue
            # A cue inside another candidate's reported words is nested speech: the outer one speaks.
            outer = not any(o is not c and o.content.start <= c.cue.start < o.content.end for o in near)
            key = (outer, ov, c.strength)
            if best_key is None or key > best_key:
                best, best_key = ci, key
        if best is not None:
            owner[qi] = best
    drafts: list[Draft] = []
    by_cand: dict[int, list[int]] = {}
    for qi, ci in owner.items():
        by_cand.setdefault(ci, []).append(qi)
    claimed = [quotes[qi] for qi in owner]
    for ci, c in enumerate(candidates):
        if any(q.inner.start <= c.cue.start and c.cue.end <= q.inner.end for q in claimed):
            continue  # a cue inside someone's quote: nested speech, not a statement of its own
        qs = [quotes[qi] for qi in sorted(by_cand.get(ci, []))]
        if qs:
            if words_outside(text, c.content, qs) <= 1:
                content = Span(qs[0].inner.start, max(qs[-1].inner.end, qs[0].inner.end))
                drafts.append(Draft(DIRECT, content, c.cue, c.source, c.ref, 0.9))
                continue
            # the quotes whole, marks included: 'poses a \u201cgrave challenge ... our state\u201d'
            content = Span(min(c.content.start, qs[0].outer.start), max(c.content.end, qs[-1].outer.end))
            drafts.append(Draft(MIXED, content, c.cue, c.source, c.ref, 0.75))
            continue
        if c.cue.of(text).lower() in SUPPRESSED_INDIRECT_CUES:
            continue  # on train these were right too rarely to be worth giving
        drafts.append(Draft(INDIRECT, c.content, c.cue, c.source, c.ref, c.strength))
    orphans = [q for qi, q in enumerate(quotes) if qi not in owner]
    orphans = join_broken(text, drafts, orphans)
    drafts = one_per_cue(text, drafts + adjacent_drafts(text, orphans, drafts))
    quoted = [d.content for d in drafts if d.kind == DIRECT]
    drafts = [d for d in drafts if d.kind == DIRECT or d.cue is None
              or not any(c.start <= d.cue.start < c.end for c in quoted)]
    drafts.sort(key=lambda d: (d.content.start, d.content.end))
    return drafts


def _quote_before_cue(text: str, candidates: list[Candidate], quotes: list[Quote]) -> None:
    """'"A. B. C," Sanders said, suggesting ...': the parse saw only the sentence 'C," Sanders
    said, ...' and took its clause as the content; the statement is the whole quote before the cue."""
    for c in candidates:
        for q in quotes:
            starts_inside = q.inner.start < c.content.start < q.inner.end
            if starts_inside and q.inner.end <= c.cue.start and c.cue.start - q.outer.end <= 60:
                c.content = q.inner
                break
            # 'Murphy followed up by lamenting the churn: "There's just a ton of ...," he said.':
            # the parse took the words before the quote; the quote right before the cue is what was said
            lead_in = c.content.end <= q.outer.start or (
                c.content.start < q.outer.start < c.content.end
                and text[c.content.start : q.outer.start].rstrip().endswith(":"))
            if lead_in and q.outer.end <= c.cue.start:
                hit = match_after(text, q.outer.end)
                if hit is not None and hit.cue == c.cue and not hit.crosses:
                    c.content = q.inner
                    break
