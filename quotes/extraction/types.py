"""Public value types of the extraction engine.

Everything the engine returns is a frozen dataclass holding offsets into the
original text, so a caller can always show exactly where a statement came from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class ExtractionError(ValueError):
    """The input cannot be processed (not a str, ``published`` not a date): the caller's fault."""


class EngineUnavailable(RuntimeError):
    """The engine cannot run here (the spaCy model is not installed or will not load).

    An operator's problem, not bad input: retrying the same text elsewhere, or after
    installing the model, succeeds.
    """


@dataclass(frozen=True)
class Span:
    """A half-open character range ``text[start:end]`` (Python str offsets)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def of(self, text: str) -> str:
        """Return the substring this span covers: ``Span(0, 3).of("abcdef") == "abc"``."""
        return text[self.start : self.end]


# Kinds of attribution, as the scorer and the API name them.
DIRECT = "direct"  # the whole content is inside quotation marks
MIXED = "mixed"  # reported speech carrying a partial quote
INDIRECT = "indirect"  # reported speech, no quotation marks

# Precision of a date; UNKNOWN goes with ``said_on is None``.
DAY, WEEK, MONTH, YEAR, UNKNOWN = "day", "week", "month", "year", "unknown"

# Which reading an attribution belongs to. Relayed speech is read two ways: the PolNeAR
# scorer's annotation gives it to the relay ("Yahoo News reported that X said ..."), a record
# of who said what gives it to the person, with the relay as ``via``. BOTH for everything else.
BOTH, SCORED, RECORDED = "both", "scored", "recorded"

# How a date was found: a date printed in full (with its year or month), a phrase
# relative to publication ("on Saturday"), or an event the text dated before ("that day").
EXPLICIT, RELATIVE, CONTEXT = "explicit", "relative", "context"


@dataclass(frozen=True)
class DateResolution:
    """When something was said, as far as the text supports it.

    ``value`` is the first day of the period (Monday for a week, the 1st for a
    month, 1 January for a year); ``evidence`` spans the words that gave it and
    ``method`` says how they gave it (EXPLICIT, RELATIVE, CONTEXT; UNKNOWN without a date).
    """

    value: datetime.date | None = None
    precision: str = UNKNOWN
    evidence: Span | None = None
    method: str = UNKNOWN


@dataclass(frozen=True)
class Attribution:
    """One statement found in a text: who said what, through which cue, and when.

    ``content`` covers what was said (for a direct quote: the words inside the
    marks). ``source`` is the speaker as written ("he", "the North Korean
    leader"); ``speakers`` are the resolved names ("Kim Jong Un"), several for a
    joint statement, empty when unknown. ``pieces`` are the quoted passages inside
    ``content`` (the inner spans of its quotation marks, in order): the speaker's own
    words of a quote broken by its attribution, the fragment of a partial quote; empty
    for indirect speech. ``via`` is the relay that reported the words ("the agency" of
    "the agency quoted X as saying"), when the source is someone else. ``view``: BOTH, or
    SCORED (the scorer's reading of relayed speech only: not a record) or RECORDED (the
    record's reading only: not in the scorer's JSONL).
    """

    kind: str
    content: Span
    sentence: Span
    source: Span | None = None
    cue: Span | None = None
    speakers: tuple[str, ...] = ()
    said_on: DateResolution = field(default_factory=DateResolution)
    confidence: float = 0.5
    pieces: tuple[Span, ...] = ()
    via: Span | None = None
    view: str = BOTH
