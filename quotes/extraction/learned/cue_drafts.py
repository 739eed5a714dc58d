"""The learned-cue step: statements through cues the rules do not read, from ``cue_model``."""

from __future__ import annotations

import bisect

from ..drafts import Draft, overlap, same_content, words_outside
from ..parsing import Parsed
from ..text.marks import Quote
from ..types import DIRECT, INDIRECT, MIXED, Span
from . import cue_model


def cue_drafts(
    text: str, parsed: Parsed, drafts: list[Draft], quotes: list[Quote], collect: list | None = None,
) -> list[Draft]:
    """Statements through cues the rules do not read, from the learned model (``cue_model.py``).

    A word the rules already used as a cue is left alone, and so is an option whose
    content is one the rules already give.  With ``collect``, every option is
    appended there (the training examples of ``train_cues``) and none is picked.
    """
    model = cue_model.load()
    marks = sorted((q.outer.start, q.outer.end) for q in quotes)
    mark_starts = [a for a, _ in marks]
    taken = [d.content for d in drafts]
    rule_cues = {d.cue.start for d in drafts if d.cue is not None}

    def inside(at: int) -> bool:
        i = bisect.bisect_right(mark_starts, at) - 1
        return i >= 0 and at < marks[i][1]

    def nested(at: int) -> bool:
        return any(c.start <= at < c.end for c in taken)

    found = []
    for base, doc in parsed:
        for opt in cue_model.options(doc, base, model.words, inside, nested):
            # untrimmed spans apart are apart trimmed too: the cheap test first
            if opt.cue.start not in rule_cues and not any(
                    overlap(opt.content, c) and same_content(text, opt.content, c) for c in taken):
                found.append(opt)
    if collect is not None:
        collect.extend(found)
        return []
    out: list[Draft] = []
    for opt, p in sorted(model.pick(found), key=lambda op: (-op[1], op[0].cue.start)):
        if any(same_content(text, opt.content, d.content) for d in out):
            continue
        kind, content = INDIRECT, opt.content
        qs = [q for q in quotes if overlap(content, q.outer) > 0]
        if qs:  # 'shouted, "Stop the coverup!"': the parse's object is the quote's words
            kind = MIXED
            content = Span(min(content.start, qs[0].outer.start), max(content.end, qs[-1].outer.end))
            if words_outside(text, content, qs) <= 1:
                kind, content = DIRECT, Span(qs[0].inner.start, qs[-1].inner.end)
        out.append(Draft(kind, content, opt.cue, opt.source, opt.ref, round(0.5 * p, 3)))
    return out
