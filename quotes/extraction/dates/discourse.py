"""The engine's one discourse rule for dates: a pronoun continuing the previous speaker.

The date itself comes from ``dates.said_on_for``.  The rule added here: when a
statement's sentence has no date and its source is a pronoun continuing the
previous sentence's speaker ("In a speech on Saturday, Kim criticized X. He
argues that ..."), the previous sentence's date carries over.  A sentence with
another subject, or a name rather than a pronoun, breaks the chain, so a date
that belongs to another event is not passed on.

    >>> carries_over("He", True), carries_over("Kim", True), carries_over("He", False)
    (True, False, False)
"""

from __future__ import annotations

CONTINUING_PRONOUNS = {"he", "she", "they", "it", "we"}


def carries_over(source_text: str | None, previous_mentions_speaker: bool) -> bool:
    """Whether a statement continues the previous sentence's speaker (and its date)."""
    if not source_text or not previous_mentions_speaker:
        return False
    return source_text.strip().lower() in CONTINUING_PRONOUNS
