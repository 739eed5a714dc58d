"""Which sentences are worth parsing: the cheap raw-text tests that keep spaCy's work small.

A sentence is parsed for the rules when a cue word ("said", "according to", "statement")
stands outside every quotation and is not already read beside a quote; for the learned
model when it holds a word of its vocabulary. A dateline ("SEOUL, SOUTH KOREA — ") is cut
off first, and a Title Case headline is shown to the parser in sentence case.

    >>> t = "SEOUL (AP) — Kim said the talks failed."
    >>> skip_dateline(t, Span(0, len(t))).of(t)
    'Kim said the talks failed.'
"""

from __future__ import annotations

import functools
import re

from ..lexicon import mined_cue_forms
from ..lexicon.handwritten import PHRASAL_ONLY_FORMS, SPEECH_FORMS, STATEMENT_NOUNS, THINK_FORMS
from ..types import Span
from .marks import Quote

# Which sentences to parse: speech verbs, the commoner belief verbs, "according to".
# Rarer belief verbs ("know", "feel", "find") are everyday words; parsing every
# sentence holding one costs more time than the statements they add.
_SELECT_THINK = {f for f, lemma in THINK_FORMS.items()
                 if lemma in ("think", "believe", "hope", "fear", "expect", "worry", "show", "find")}
_SELECT_WORDS = sorted({*SPEECH_FORMS, *_SELECT_THINK, "according", *STATEMENT_NOUNS, *mined_cue_forms(),
                        *PHRASAL_ONLY_FORMS},
                       key=len, reverse=True)
CUE_WORD_RE = re.compile(
    r"\b(?:{})\b|\bAccording\b".format("|".join(_SELECT_WORDS))
)

# "SEOUL, SOUTH KOREA — ", "RENO, Nev. (AP) — ", "NEW YORK, Dec. 11 (UPI) — ", "RANGOON, Burma - "
_DATELINE_RE = re.compile(
    r"[A-Z][A-Z .,'\u2019\-]{2,}(?:,? [A-Z][\w.'\u2019]*)*,?(?: [A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:[\u2014\u2013]|--?)\s+")
_TITLE_WORD_RE = re.compile(r"(?<!\w)(?<!\w['\u2019])[A-Z][a-z]+(?:['\u2019][a-z]+)?\b")


@functools.lru_cache(maxsize=1)  # the pipeline asks twice for the same article
def sentence_cased_title(text: str) -> str:
    """``text`` with a Title Case headline written in sentence case, for the parser only.

    "Clinton Blasts Trump Over Deportation Idea" parses as a row of proper nouns, so
    its cue is never seen. Words the article writes capitalised inside its sentences
    (names: "Clinton", "Trump") keep their capital; the others are lowercased.
    Lowercasing these ASCII words keeps every offset.
    """
    end = text.find("\n")
    if end <= 0:
        return text
    words = _TITLE_WORD_RE.findall(text, 0, end)
    if len(words) < 3 or len(words) < 0.7 * len(text[:end].split()):
        return text
    body = text[end:]
    names = set(re.findall(r"(?<=[\w,;:] )[A-Z][a-z]+", body))
    title = _TITLE_WORD_RE.sub(
        lambda m: m.group() if m.group() in names or m.start() == 0 else m.group().lower(), text[:end])
    return title + text[end:]


_WORD_RE = re.compile(r"\w+")


def has_cue_word(text: str, span: Span, words: frozenset[str]) -> bool:
    """Whether ``text[span]`` holds a word of the learned-cue vocabulary ``words`` (any case).

    A set lookup per word: one regular expression alternating 2,329 words took a second of
    the 84 dev articles."""
    return any(w.lower() in words for w in _WORD_RE.findall(text, span.start, span.end))


def worth_parsing(text: str, sentence: Span, quotes: list[Quote], beside: set[int]) -> bool:
    """A sentence is parsed when a cue word stands outside every quotation.

    Cue words inside a quote ("I think ...") would only give nested speech,
    which is dropped anyway; a cue right beside a quote is read by ``adjacent``
    without the parser.  Either way the sentence need not be parsed for it.
    """
    inside = [q.outer for q in quotes if q.outer.start < sentence.end and q.outer.end > sentence.start]
    for m in CUE_WORD_RE.finditer(text, sentence.start, sentence.end):
        if m.start() in beside:
            continue
        if not any(q.start <= m.start() < q.end for q in inside):
            return True
    return False


def skip_dateline(text: str, span: Span) -> Span:
    """Drop a "SEOUL, SOUTH KOREA — " or "RENO, Nev. (AP) — " dateline so the parser does not
    take the place for the subject."""
    m = _DATELINE_RE.match(text, span.start, span.end)
    return Span(m.end(), span.end) if m and m.end() < span.end else span
