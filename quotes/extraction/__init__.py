"""QuoteTracker's quote-attribution engine: who said what, through which cue, and when.

One entry point, pure and deterministic::

    >>> from quotes.extraction import extract
    >>> [a.speakers for a in extract('"We will win," Jane Doe said.')]
    [('Jane Doe',)]

The engine imports nothing from Django, Celery or the rest of the project; see
README.md in this folder for the full contract.
"""

from __future__ import annotations

import datetime

from . import parsing, pipeline
from .types import (
    BOTH,
    DAY,
    DIRECT,
    INDIRECT,
    MIXED,
    MONTH,
    RECORDED,
    SCORED,
    UNKNOWN,
    WEEK,
    YEAR,
    Attribution,
    DateResolution,
    EngineUnavailable,
    ExtractionError,
    Span,
)

__all__ = [
    "BOTH", "DAY", "DIRECT", "ENGINE_VERSION", "INDIRECT", "MIXED", "MONTH", "RECORDED", "SCORED", "UNKNOWN",
    "WEEK", "YEAR",
    "Attribution", "DateResolution", "EngineUnavailable", "ExtractionError", "Span", "extract",
]

RULES_VERSION = "rules-1.74+cues-13"
ENGINE_VERSION = f"{RULES_VERSION}+en_core_web_sm-{parsing.model_version()}"


def extract(text: str, *, published: datetime.date | None = None) -> tuple[Attribution, ...]:
    """Find the attributed statements in ``text``, sorted by where their content starts.

    ``published`` is the article's publication date, used to resolve "on
    Saturday".  Raises :class:`ExtractionError` when ``text`` is not a str (bad
    input) and :class:`EngineUnavailable` when the spaCy model cannot be loaded (an
    operator's problem); returns ``()`` for empty or blank text.
    """
    if not isinstance(text, str):
        raise ExtractionError(f"text must be str, not {type(text).__name__}")
    if published is not None and not isinstance(published, datetime.date):
        raise ExtractionError("published must be a datetime.date or None")
    if not text.strip():
        return ()
    return pipeline.run(text, published)
