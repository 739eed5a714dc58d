"""When was a statement said? Pick the one date phrase a sentence ties to its saying.

A sentence can hold many dates: of the speech, of events the speaker talks
about, of the report that relayed it. Only a date in the cue's own clause
counts, found by three small word-order rules:

* right after the cue: "said Tuesday", "told reporters on Tuesday", "said at a
  Tuesday rally";
* between the speaker and the cue: "Trump on Tuesday said";
* in a comma-set phrase that frames the clause: "In a speech delivered on
  Saturday, ..., Kim criticized", "Trump, speaking on Tuesday, said".

A phrase holding a subordinator ("who", "that", "since", "after", ...) or a
report word ("according to reports ... on Sunday") is about something else and
never counts. When no rule applies the answer is unknown: a wrong date on a
statement is worse than none.
"""

from __future__ import annotations

import datetime
import re

from ..types import DateResolution, Span
from .grammar import AT, DateMention, find_dates

# Punctuation that ends a clause or opens a quotation or an aside.
_BARRIER = re.compile(r"[,;:()\[\]“”\"—–]|\s-\s")
# Words that open another clause or tie a date to another event.
_CLAUSE_WORDS = re.compile(
    r"\b(?:that|which|who|whom|whose|when|while|where|because|if|although|though|since|until"
    r"|till|before|after|following|about|regarding|concerning|and|but|or|whether)\b",
    re.IGNORECASE,
)
# The report that relayed a statement is dated too; that date is not the saying.
# ("news" and "media" are not here: "told Fox News on Sunday" dates the saying.)
# An interview "aired Monday" may have been recorded any day before.
_REPORT_WORDS = re.compile(
    r"\b(?:reports?|reported|reporting|published|according|dispatch|air(?:s|ed|ing)|broadcast\w*)\b",
    re.IGNORECASE,
)
# How a phrase that frames the saying begins: a preposition or participle of the
# occasion ("In a speech ...", "Speaking at ...", "Asked during ..."), not a clause.
_FRAME_OPENER = re.compile(
    r"[\s“\"‘']*(?:in|at|on|during|speaking|addressing|asked|interviewed|appearing|writing|responding)\b",
    re.IGNORECASE,
)
# A subject pronoun after the cue starts the reported clause ("said he met Kim in 2018").
_SUBJECT = re.compile(r"\b(?:i|he|she|we|they|you|there)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_][\w’'.-]*")
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
# Between an aside and its cue only an auxiliary or adverb may stand: ", said" / ", has said".
_ASIDE_TO_CUE = re.compile(r"\s*,\s*(?:[\w’']+\s+)?")


def _plain(words: str, *, max_words: int) -> bool:
    """Whether ``words`` stay inside one clause: short, no barrier, no clause or report word.

    >>> _plain(" reporters ", max_words=6), _plain(" that Kim ", max_words=6)
    (True, False)
    """
    return (
        len(_WORD.findall(words)) <= max_words
        and not _BARRIER.search(words)
        and not _CLAUSE_WORDS.search(words)
        and not _REPORT_WORDS.search(words)
    )


def _right_after_cue(text: str, date: Span, cue: Span, content: Span | None) -> bool:
    """"said Tuesday", "told CNN on Tuesday", "said in a Thursday interview with ..."."""
    if date.start < cue.end:
        return False
    if content is not None and cue.end <= content.start < date.end:
        return False  # the date comes after the reported words begin: it is theirs
    gap = text[cue.end : date.start]
    return _plain(gap, max_words=8) and not _SUBJECT.search(gap)


def _before_cue(text: str, date: Span, cue: Span) -> bool:
    """"Trump on Tuesday said", "Clinton on Monday also told ..."."""
    return date.end <= cue.start and _plain(text[date.end : cue.start], max_words=3)


def _segment(text: str, sentence: Span, date: Span) -> Span:
    """The stretch of ``sentence`` between the barriers around ``date``."""
    start = sentence.start
    for barrier in _BARRIER.finditer(text, sentence.start, date.start):
        start = barrier.end()
    after = _BARRIER.search(text, date.end, sentence.end)
    return Span(start, after.start() if after else sentence.end)


def _framing_phrase(text: str, sentence: Span, date: Span, cue: Span) -> bool:
    """"In a speech delivered on Saturday, ..., Kim criticized", "Trump, speaking Tuesday, said".

    The date's comma-set phrase must be the date alone or open like a frame
    (``_FRAME_OPENER``), free of subordinators and report words; it either
    opens the sentence (then the main clause may follow after
    other asides) or sits right before the cue.
    """
    segment = _segment(text, sentence, date)
    # The date's own comma ("On June 30, 2025, X said") is no barrier.
    words = text[segment.start : date.start] + " date " + text[date.end : segment.end]
    if segment.end > cue.start or not _plain(words, max_words=15):
        return False
    if text[segment.start : date.start].strip() and not _FRAME_OPENER.match(text, segment.start):
        return False  # "He got a boost from the win Tuesday, Sanders said": the date is the win's
    between = text[segment.end : cue.start]
    opens_sentence = not text[sentence.start : segment.start].strip(" \t\n“\"'‘")
    if opens_sentence:
        return ";" not in between and not _CLAUSE_WORDS.search(between)
    return bool(_ASIDE_TO_CUE.fullmatch(between))


def _quoted_spans(text: str, sentence: Span) -> list[Span]:
    """The stretches of ``sentence`` inside quotation marks: a speaker's words, not the narrator's."""
    return [Span(m.start(), m.end()) for m in _QUOTED.finditer(text, sentence.start, sentence.end)]


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _usable(mention: DateMention, excluded: list[Span], published: datetime.date | None) -> bool:
    """A resolved "at" date, not in the reported words, not after publication."""
    if mention.relation != AT or mention.value is None:
        return False
    if published is not None and mention.value > published:
        return False  # a statement already reported cannot have been made later
    return not any(_overlaps(mention.span, span) for span in excluded)


def _ties_to_cue(text: str, sentence: Span, date: Span, cue: Span, content: Span | None) -> bool:
    return (
        _right_after_cue(text, date, cue, content)
        or _before_cue(text, date, cue)
        or _framing_phrase(text, sentence, date, cue)
    )


def said_on_for(
    text: str,
    *,
    sentence: Span,
    cue: Span | None,
    content: Span | None,
    published: datetime.date | None,
) -> DateResolution:
    """When the statement with ``cue`` and ``content`` in ``sentence`` was said.

    Unknown (``DateResolution()``) unless a date phrase sits in the cue's own
    clause; of several, the one nearest the cue wins.

    >>> t = "Trump said on Monday that he met Kim in 2018."
    >>> said_on_for(t, sentence=Span(0, len(t)), cue=Span(6, 10), content=Span(26, 44),
    ...             published=datetime.date(2025, 2, 9)).value
    datetime.date(2025, 2, 3)
    """
    if cue is None or _REPORT_WORDS.search(cue.of(text)):
        # No saying verb, nothing a date could be tied to; or the cue is the
        # relay ("according to state media on Sunday"), whose date is the report's.
        return DateResolution()
    excluded = _quoted_spans(text, sentence) + ([content] if content is not None else [])
    tied = [
        mention
        for mention in find_dates(text, published=published, start=sentence.start, end=sentence.end)
        if _usable(mention, excluded, published) and _ties_to_cue(text, sentence, mention.span, cue, content)
    ]
    if not tied:
        return DateResolution()
    best = min(tied, key=lambda m: max(m.span.start - cue.end, cue.start - m.span.end))
    return DateResolution(best.value, best.precision, best.span)
