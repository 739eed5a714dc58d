"""Last checks on the rules' statements: is the reported speech set off, does anyone speak,
is it quoted after all?

    >>> from quotes.extraction.drafts import Draft
    >>> from quotes.extraction.types import INDIRECT, Span
    >>> t = "three-quarters said"
    >>> set_off(t, Draft(INDIRECT, Span(0, 14), Span(15, 19), None, None, 0.8))
    False
"""

from __future__ import annotations

import re

from ..drafts import Draft
from ..lexicon.handwritten import SPEECH_FORMS
from ..text.marks import MARK_RE
from ..types import INDIRECT, MIXED

_SET_OFF_RE = re.compile(r"[,\u2014\u2013\-\"\u201d\u2019'()]")


_WH_WORDS = {"what", "which", "who", "whom", "whatever", "that"}


def set_off(text: str, d: Draft) -> bool:
    """Whether reported speech before its cue is set off from it: 'The plan failed, he said.'

    Words that run straight into the cue are not what it reports: '... a record of the article
    that Carson said was written', 'three-quarters said'. On PolNeAR train 6 of 112 such
    statements were right. A relative word alone ('what some call') stays: 14 of 32.
    """
    if d.kind != INDIRECT or d.cue is None or d.content.end > d.cue.start:
        return True
    if d.content.of(text).strip().lower() in _WH_WORDS:
        return True
    after = d.source.start if d.source is not None and d.source.start >= d.content.end else d.cue.start
    return _SET_OFF_RE.search(text, d.content.end, after) is not None


def someone_speaks(text: str, d: Draft) -> bool:
    """Whether reported speech through a speech verb names who speaks, or is a question put to
    someone ('she was asked about the protests'). When neither the parse nor the words before
    the verb name a speaker ('Jolly said he has worked ...' tags "Jolly" as an adverb), the
    statement says nothing anyone could cite: on PolNeAR train 7 of 52 were right."""
    if d.kind != INDIRECT or d.source is not None or d.cue is None or d.confidence < 0.8:
        return True
    return SPEECH_FORMS.get(d.cue.of(text).lower()) == "ask"


def marked_as_quoted(text: str, drafts: list[Draft]) -> list[Draft]:
    """A speech verb's reported words holding a quotation mark no pair was found for
    ('Because of X, I ... justice," said Jane Soto') are quoted speech all the same: mixed.
    On PolNeAR train: 15 right, 6 with another source, 5 wrong of 26 such statements."""
    for d in drafts:  # 0.8 and up: a speech verb's (not a belief verb's, not a learned cue's)
        speech = d.kind == INDIRECT and d.confidence >= 0.8
        if speech and MARK_RE.search(text, d.content.start, d.content.end):
            d.kind = MIXED
    return drafts
