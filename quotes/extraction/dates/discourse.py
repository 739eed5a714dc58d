"""Dates for attributions, with one discourse rule of the engine's own.

The date itself comes from ``dates.said_on_for`` (written separately; imported
lazily so the engine works before it exists).  The rule added here: when a
statement's sentence has no date and its source is a pronoun continuing the
previous sentence's speaker ("In a speech on Saturday, Kim criticized X. He
argues that ..."), the previous sentence's date carries over.  A sentence with
another subject, or a name rather than a pronoun, breaks the chain, so a date
that belongs to another event is not passed on.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from ..types import DateResolution, Span

CONTINUING_PRONOUNS = {"he", "she", "they", "it", "we"}
DateFn = Callable[..., DateResolution]


def date_function() -> DateFn:
    """Return ``said_on_for`` from the dates module, or a stub that knows no dates."""
    try:
        from .saying import said_on_for
    except ImportError:
        return lambda text, **kwargs: DateResolution()
    return said_on_for


def date_for(
    text: str,
    *,
    sentence: Span,
    cue: Span | None,
    content: Span | None,
    published: datetime.date | None,
    fn: DateFn,
) -> DateResolution:
    """Ask the dates module; any failure there means "unknown", never a crash."""
    try:
        result = fn(text, sentence=sentence, cue=cue, content=content, published=published)
    except (ValueError, TypeError, IndexError, KeyError):
        return DateResolution()
    return result if isinstance(result, DateResolution) else DateResolution()


def carries_over(source_text: str | None, previous_mentions_speaker: bool) -> bool:
    """Whether a statement continues the previous sentence's speaker (and its date)."""
    if not source_text or not previous_mentions_speaker:
        return False
    return source_text.strip().lower() in CONTINUING_PRONOUNS
