"""Speech or belief inside a condition is no statement of anyone: "if he feels ...".

"Experts posit that Kim may eventually consider talks if he feels his collaboration with
Russia cannot be sustained": the words after "feels" are what the experts imagine Kim might
one day feel, not anything Kim said or believes.  A cue whose clause opens with a
conditional subordinator ("if", "unless", "whether", "in case", "as long as", "provided
(that)", "should he ...", "were she to ...") is hypothetical, and its draft is dropped.
PolNeAR dev agrees: of the 8 such drafts on dev ("if Holt asks him about his tax returns",
"whether the judges ... would rule that ..."), dropping them raised the all-track
content+source precision and cost no recall.

    >>> from quotes.extraction.types import INDIRECT, Span
    >>> t = "Kim may talk if he feels the war is lost."
    >>> d = Draft(INDIRECT, Span(25, 40), Span(19, 24), Span(16, 18), None, 0.5)
    >>> hypothetical(t, [d])
    []
"""

from __future__ import annotations

import re

from ..drafts import Draft
from ..types import RECORDED

# The condition's opening words, right before the cue's subject (or its cue, without one).
_CONDITION_RE = re.compile(
    r"\b(?:(?:even\s+|only\s+)?if|unless|whether|in\s+case|as\s+long\s+as|so\s+long\s+as"
    r"|provided(?:\s+that)?|providing(?:\s+that)?|assuming(?:\s+that)?|supposing(?:\s+that)?)\s+"
    r"(?:(?:ever|one\s+day|later|still|also|really|truly)\s+)?$",
    re.IGNORECASE,
)
# "should he decide", "were she to say": the subject after the auxiliary of an inverted condition.
# "Should" before its subject is inverted anywhere ("Markets fall should she say ..."); "were" and
# "had" only where a clause opens ("Among the guests were Berg, who ..." is no condition).
_INVERTED_RE = re.compile(
    r"(?:(?:^|[.!?\n]\s*|[,;:]\s*|\b(?:and|but|or)\s+)(?:should|were|had)|\bshould)\s+$", re.IGNORECASE,
)


def hypothetical(text: str, drafts: list[Draft]) -> list[Draft]:
    """The drafts without those whose cue opens a condition (the record's reading of relayed
    speech is kept: its relay said it)."""
    return [d for d in drafts if d.view == RECORDED or d.cue is None or not in_condition(text, d)]


def in_condition(text: str, d: Draft) -> bool:
    """Whether the draft's subject (or cue) is the first thing after a conditional opener.

    >>> from quotes.extraction.types import INDIRECT, Span
    >>> t = "He said he would go if asked."
    >>> in_condition(t, Draft(INDIRECT, Span(8, 28), Span(3, 7), Span(0, 2), None, 0.8))
    False
    """
    first = d.source if d.source is not None and d.source.end <= d.cue.start else d.cue
    lo = max(0, first.start - 40)
    lead = ("" if lo == 0 else "\0") + text[lo : first.start]  # "^": the text's start, not the window's
    inverted = first is d.source and _INVERTED_RE.search(lead) is not None
    return inverted or _CONDITION_RE.search(lead) is not None
