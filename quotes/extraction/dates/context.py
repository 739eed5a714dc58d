"""Dates the context carries, and how each date was found.

``method_of``: a date phrase that prints its month or year ("June 30, 2025", "on
June 9") is explicit; one read against the publication date ("on Tuesday",
"yesterday", "last week") is relative.

``context_date``: a statement whose own sentence gives no date but points back to an
event ("afterwards", "that day", "the same day", "at the rally", "in the speech") takes
the date of that event, from the nearest sentence before it (within three) that gives
exactly one date to the day; so does a statement whose speaker, named just before, was
said to speak or meet that day ("X spoke at the harbour on Sunday. 'Y,' X said."). No
pointer, several dates or a sentence between that dates something else: unknown.

    >>> import datetime
    >>> from quotes.extraction.types import Span
    >>> t = "The ministers met in Geneva on Tuesday. Afterwards, Amsel said the truce would hold."
    >>> r = context_date(t, sentence=Span(40, len(t)), before=[Span(0, 39)], content=Span(64, 84),
    ...                  speakers_named=False, published=datetime.date(2025, 5, 21))
    >>> r.value, r.evidence.of(t), r.method
    (datetime.date(2025, 5, 20), 'on Tuesday', 'context')
"""

from __future__ import annotations

import datetime
import re

from ..types import CONTEXT, DAY, EXPLICIT, RELATIVE, DateResolution, Span
from .grammar import AT, find_dates

_EXPLICIT = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d",
    re.IGNORECASE,
)
# Words by which a sentence points back to an event dated before it.
_POINTER = re.compile(
    r"\b(?:afterwards?|later that (?:day|morning|afternoon|evening|night)"
    r"|(?:that|the same) (?:day|morning|afternoon|evening|night)"
    r"|(?:at|during|in|after) (?:the|that|this|its|his|her|their) (?:[a-z]+ ){0,2}?"
    r"(?P<noun>summit|rally|meeting|talks|conference|ceremony|event|speech|address|interview|visit|session"
    r"|debate|briefing))\b",
    re.IGNORECASE,
)
# The words by which the dated sentence tells the event a pointer's noun names ("at the rally":
# "held a rally"; "in the speech": "delivered his budget speech", "addressed farmers"). A news
# conference or briefing belongs to the summit or meeting it closes. None: any event.
_SAME_EVENT = {
    "speech": ("speech", "address", "remarks", "spoke", "speaking"),
    "summit": ("summit", "meeting", "met ", "talks"),
    "conference": ("conference", "briefing", "summit", "meeting", "met ", "talks"),
    "rally": ("rally",), "interview": ("interview",), "visit": ("visit", "tour"), "debate": ("debate",),
    "session": ("session",),
}
_SAME_EVENT.update({
    "address": _SAME_EVENT["speech"], "meeting": _SAME_EVENT["summit"], "talks": _SAME_EVENT["summit"],
    "briefing": _SAME_EVENT["conference"],
})
# An occasion of its own, introduced as new ("in a radio interview", "at a news conference"):
# the statement is not the event dated before it.
_NEW_OCCASION = re.compile(
    r"\b(?:in|at|during|on|after)\s+(?:a|an|another)\s+(?:[\w\-]+\s+){0,3}?"
    r"(?:interview|speech|address|statement|conference|briefing|rally|meeting|visit|podcast|broadcast"
    r"|appearance|op-ed|letter|post|video|call|programme|program|show|hearing|debate|session)\b",
    re.IGNORECASE,
)
# What the speaker was doing in the sentence before, when the statement names no pointer.
OCCASION = re.compile(
    r"\b(?:spoke|speaking|addressed|delivered|met|meeting|visited|held|gave|toured|opened)\b", re.IGNORECASE,
)


def method_of(evidence: str) -> str:
    """EXPLICIT for a phrase printing its month or year, else RELATIVE.

    >>> method_of("June 30, 2025"), method_of("on Wednesday"), method_of("in 2019")
    ('explicit', 'relative', 'explicit')
    """
    return EXPLICIT if _EXPLICIT.search(evidence) else RELATIVE


def context_date(
    text: str, *, sentence: Span, before: list[Span], content: Span | None, speakers_named: bool,
    published: datetime.date | None,
) -> DateResolution:
    """The date of the event ``sentence`` points back to, from the sentences ``before`` it (nearest last).

    ``speakers_named`` says the statement's speaker was named in the sentence just before:
    then that sentence's occasion ("spoke", "met", "held a rally") dates it without a pointer.
    """
    if new_occasion(text, sentence, content):
        return DateResolution()
    own = text[sentence.start:content.start] if content is not None and content.start > sentence.start else ""
    after = text[content.end:sentence.end] if content is not None else text[sentence.start:sentence.end]
    pointer = _POINTER.search(own) or _POINTER.search(after)
    for distance, previous in enumerate(reversed(before[-3:])):
        mentions = [
            m for m in find_dates(text, published=published, start=previous.start, end=previous.end)
            if m.relation == AT and m.value is not None
        ]
        if not mentions:
            continue
        occasion = distance == 0 and speakers_named and OCCASION.search(previous.of(text))
        if len(mentions) != 1 or mentions[0].precision != DAY or not (pointer or occasion):
            return DateResolution()
        if pointer and not _names_event(previous.of(text), pointer.group("noun")):
            return DateResolution()  # "after their summit" does not point back to "his Saturday address"
        return DateResolution(mentions[0].value, DAY, mentions[0].span, CONTEXT)
    return DateResolution()


def _names_event(sentence: str, noun: str | None) -> bool:
    """Whether a dated sentence tells the event a pointer's noun names (any event for "afterwards").

    >>> _names_event("Kim gave his Saturday address.", "summit"), _names_event("They met on Friday.", "talks")
    (False, True)
    """
    words = _SAME_EVENT.get((noun or "").lower())
    if words is None:
        return True
    low = sentence.lower() + " "
    return any(w in low for w in words)


def new_occasion(text: str, sentence: Span, content: Span | None) -> bool:
    """Whether the sentence, outside the statement's words, names an occasion of its own.

    >>> t = 'In a radio interview, Ril said "the city needs a bridge."'
    >>> new_occasion(t, Span(0, len(t)), Span(32, 55))
    True
    """
    if content is None:
        return _NEW_OCCASION.search(sentence.of(text)) is not None
    return any(
        _NEW_OCCASION.search(text, a, b) is not None
        for a, b in ((sentence.start, content.start), (content.end, sentence.end)) if a < b
    )
