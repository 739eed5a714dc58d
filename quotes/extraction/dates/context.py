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
    r"(?:summit|rally|meeting|talks|conference|ceremony|event|speech|address|interview|visit|session"
    r"|debate|briefing))\b",
    re.IGNORECASE,
)
# What the speaker was doing in the sentence before, when the statement names no pointer.
_OCCASION = re.compile(
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
    own = text[sentence.start:content.start] if content is not None and content.start > sentence.start else ""
    after = text[content.end:sentence.end] if content is not None else text[sentence.start:sentence.end]
    pointed = bool(_POINTER.search(own) or _POINTER.search(after))
    for distance, previous in enumerate(reversed(before[-3:])):
        mentions = [
            m for m in find_dates(text, published=published, start=previous.start, end=previous.end)
            if m.relation == AT and m.value is not None
        ]
        if not mentions:
            continue
        occasion = distance == 0 and speakers_named and _OCCASION.search(previous.of(text))
        if len(mentions) != 1 or mentions[0].precision != DAY or not (pointed or occasion):
            return DateResolution()
        return DateResolution(mentions[0].value, DAY, mentions[0].span, CONTEXT)
    return DateResolution()
