"""Split text into sentence spans with a regex, cheaply and without spaCy.

The engine needs sentence boundaries everywhere (to pick what to parse, to
carry a date over to the next sentence), so this must be fast; spaCy's parser
then only sees the sentences that matter.

    >>> [s.of("Mr. Kim spoke. He left.") for s in split_sentences("Mr. Kim spoke. He left.")]
    ['Mr. Kim spoke.', 'He left.']
"""

from __future__ import annotations

import re

from ..lexicon.handwritten import GENERIC_QUANTIFIERS, GENERIC_SOURCE_HEADS
from ..types import Span

# A full stop after these is not the end of a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "st",
    "jr", "sr", "rev", "prof", "adm", "maj", "cmdr", "inc", "corp", "co", "ltd", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "u.s", "u.n", "u.k", "d.c", "e.g", "i.e", "a.m", "p.m", "ft", "mt", "ave",
}
# "... towards the U.S. Experts suggest ...": a place abbreviation ends the sentence when the
# next word starts a sentence, never a name ("U.S. President Donald Trump").
_PLACE_ABBREV = {"u.s", "u.n", "u.k", "d.c"}
_STARTERS = {"the", "he", "she", "it", "they", "we", "but", "this", "these", "those", "there", "i"}
_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]+)\b")
# the next sentence may open with a quotation mark, doubled ('' or ``) as some outlets print it
_BOUNDARY = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)]*(?=\s+(?:''|``|[\"'\u201c\u2018(\[])?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if word in _ABBREV:
        return True
    return len(word) == 1 and word.isalpha() and text[start].isupper()


def _place_then_sentence(text: str, dot: int) -> bool:
    """"the U.S. Experts suggest": "U.S." ends the sentence before a word that starts one."""
    if text[max(0, dot - 3) : dot].lower() not in _PLACE_ABBREV:
        return False
    m = _NEXT_WORD.match(text, dot + 1)
    if m is None:
        return False
    word = m.group(1).lower()
    return word in _STARTERS or word in GENERIC_SOURCE_HEADS or word in GENERIC_QUANTIFIERS


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of ``text[start:end]``; a newline always ends a sentence."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    for line in _LINE.finditer(text, start, end):
        s = line.start()
        for m in _BOUNDARY.finditer(text, line.start(), line.end()):
            if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start()) \
                    and not _place_then_sentence(text, m.start()):
                continue
            spans.append(Span(s, m.end()))
            s = m.end()
        spans.append(Span(s, line.end()))
    out = []
    for sp in spans:
        a, b = sp.start, sp.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(Span(a, b))
    return out
