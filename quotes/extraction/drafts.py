"""An attribution under construction, and the span arithmetic the pipeline's steps share.

Every step after the rules' candidates works on :class:`Draft` records (mutable until
``finish`` turns them into frozen ``Attribution``s); ``trim``, ``overlap`` and
``same_content`` compare their spans the way the PolNeAR scorer does.

    >>> text = "  he said, "
    >>> trim(text, Span(0, len(text)))
    Span(start=2, end=9)
    >>> overlap(Span(0, 5), Span(3, 9))
    2
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text.marks import Quote
from .types import Span

_CONTENT_TRIM = set(" \t\n.,;:")


@dataclass
class Draft:
    """An attribution under construction (mutable until it becomes an Attribution)."""

    kind: str
    content: Span
    cue: Span | None
    source: Span | None
    ref: Span | None
    confidence: float
    via: Span | None = None  # the relay that reported the words (rules/relay.py)
    view: str = "both"  # types.BOTH, SCORED or RECORDED (rules/relay.py)


def trim(text: str, span: Span) -> Span:
    a, b = span.start, span.end
    while a < b and text[a] in _CONTENT_TRIM:
        a += 1
    while b > a and text[b - 1] in _CONTENT_TRIM:
        b -= 1
    return Span(a, b)


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def same_content(text: str, a: Span, b: Span) -> bool:
    """The scorer's match: trimmed spans overlapping by half of the shorter one."""
    a, b = trim(text, a), trim(text, b)
    ov = overlap(a, b)
    return ov > 0 and ov * 2 >= (min(a.end - a.start, b.end - b.start) or 1)


def words_outside(text: str, content: Span, qs: list[Quote]) -> int:
    """How many words of ``content`` lie outside the quotes ("that the nation" = 3)."""
    pos, words = content.start, 0
    for q in qs:
        if q.outer.start > pos:
            words += len(re.findall(r"\w+", text[pos : min(q.outer.start, content.end)]))
        pos = max(pos, q.outer.end)
    if content.end > pos:
        words += len(re.findall(r"\w+", text[pos : content.end]))
    return words
