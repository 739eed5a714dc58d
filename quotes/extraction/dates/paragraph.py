"""A paragraph that continues one dated event carries its date.

"In a speech delivered on Saturday, Kim criticized X. He argues that ... / Kim also
outlined plans for ...": the second paragraph goes on with the speech the first one dated.
It does when

* its first sentence says so: a continuation word ("also", "further", "went on to",
  "added", "continued") and the speaker, by name or pronoun;
* the paragraph before ends with the same speaker's statements, all dated to one day (or,
  without a dated statement of theirs, a sentence naming them at a dated occasion: "X
  addressed farmers on Saturday");
* nothing in the paragraph up to the statement dates something else, and the statement's
  sentence names no occasion of its own ("In a radio interview, ...").

    >>> import datetime
    >>> from quotes.extraction.types import Attribution, DateResolution, Span
    >>> t = "Kim spoke on Saturday.\\nKim also outlined plans."
    >>> said = Attribution("indirect", Span(4, 9), Span(0, 22), cue=Span(4, 9), speakers=("Kim",),
    ...                    said_on=DateResolution(datetime.date(2025, 2, 8), "day", Span(10, 21), "context"))
    >>> sentences = [Span(0, 22), Span(23, 47)]
    >>> r = continued_event(t, Span(23, 47), sentences, Span(37, 46), ("Kim",), [said], None)
    >>> r.value, r.method
    (datetime.date(2025, 2, 8), 'context')
"""

from __future__ import annotations

import datetime
import re

from ..types import CONTEXT, DAY, Attribution, DateResolution, Span
from .context import OCCASION, new_occasion
from .grammar import AT, find_dates

_CONTINUES = re.compile(
    r"\b(?:also|further|furthermore|moreover|went\s+on\s+to|added|continued|reiterated|repeated)\b",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = re.compile(r"\s*(?:He|She|They)\b")


def continued_event(
    text: str, sentence: Span, sentences: list[Span], content: Span, speakers: tuple[str, ...],
    done: list[Attribution], published: datetime.date | None,
) -> DateResolution:
    """The date of the event the paragraph before dated, when this statement's paragraph continues it.

    ``sentences`` run up to the statement's own ``sentence``; ``done`` are the statements
    finished so far (with their dates).
    """
    start = text.rfind("\n", 0, sentence.start) + 1
    if start == 0 or new_occasion(text, sentence, content):
        return DateResolution()
    first = next((s for s in sentences if s.start >= start), sentence)
    lead = first.of(text)
    named = _names(lead, speakers) or _PRONOUN_SUBJECT.match(lead)
    if not (named and _CONTINUES.search(lead)):
        return DateResolution()
    if any(m.relation == AT and m.value is not None
           for m in find_dates(text, published=published, start=start, end=sentence.end)):
        return DateResolution()  # the paragraph dates an event of its own
    before = Span(text.rfind("\n", 0, start - 1) + 1, start - 1)
    return _dated_event(text, before, sentences, speakers, done, published)


def _dated_event(
    text: str, paragraph: Span, sentences: list[Span], speakers: tuple[str, ...], done: list[Attribution],
    published: datetime.date | None,
) -> DateResolution:
    """The one day the paragraph's last speaker was dated to, when that speaker is ``speakers``."""
    said = sorted((a for a in done if a.cue is not None and paragraph.start <= a.cue.start < paragraph.end),
                  key=lambda a: a.cue.start)
    if said and set(said[-1].speakers) != set(speakers):
        return DateResolution()  # someone else spoke last: the paragraph moved on
    dated = [a.said_on for a in said if set(a.speakers) == set(speakers) and a.said_on.value is not None]
    if dated:
        if {d.value for d in dated} != {dated[0].value} or any(d.precision != DAY for d in dated):
            return DateResolution()
        return DateResolution(dated[-1].value, DAY, dated[-1].evidence, CONTEXT)
    for s in reversed([s for s in sentences if paragraph.start <= s.start < paragraph.end]):
        words = s.of(text)
        if not _names(words, speakers):
            continue
        found = [m for m in find_dates(text, published=published, start=s.start, end=s.end)
                 if m.relation == AT and m.value is not None]
        if len(found) == 1 and found[0].precision == DAY and OCCASION.search(words):
            return DateResolution(found[0].value, DAY, found[0].span, CONTEXT)
        break
    return DateResolution()


def _names(words: str, speakers: tuple[str, ...]) -> bool:
    """Whether ``words`` name one of ``speakers`` by any part of the name ("Kim" of "Kim Jong Un")."""
    return any(re.search(rf"\b{re.escape(part)}\b", words) for name in speakers for part in name.split()
               if len(part) > 2)
