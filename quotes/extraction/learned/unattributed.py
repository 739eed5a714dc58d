"""Quotes no rule attributed: is this quoted speech, and whose?

After the parse and the words beside a quote have had their say, some quotes
are left: partial quotes under verbs outside the lexicon ("referred to him as
'...'"), paragraphs that continue the previous paragraph's speaker,
"X made the following comment:" + quote, but also scare quotes and titles.
A small logistic regression over cheap features of the raw text
(``unattributed_weights.json``, trained on PolNeAR *train* by
``training/train_unattributed.py``) decides which are speech; the speaker is then the
first name or pronoun before the quote in its sentence, else the last speaker
of this or the previous paragraph.

    >>> round(probability([0.0] * len(FEATURES)), 3) < 1.0
    True
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..lexicon import mined_cue_forms
from ..lexicon.handwritten import CUE_FORMS
from ..speakers import NOT_SUBJECT, NameIndex
from ..text.marks import Quote
from ..types import Span

_WEIGHTS = json.loads((Path(__file__).with_name("unattributed_weights.json")).read_text(encoding="utf-8"))
FEATURES: tuple[str, ...] = tuple(_WEIGHTS["features"])
THRESHOLD: float = _WEIGHTS["threshold"]

_CUES = {*CUE_FORMS, *mined_cue_forms()}
_NAMING = {"called", "dubbed", "named", "titled", "entitled", "known", "as", "nicknamed", "labeled",
           "labelled"}
_DETERMINERS = {"a", "an", "the", "his", "her", "their", "its", "our", "this", "that", "of", "so-called"}
_FIRST_SECOND = re.compile(r"\b(?:I|I'm|I've|we|We|me|us|our|Our|my|My|you|You|your)\b")
_CAPS_RUN = re.compile(r"\b[A-Z]{2,}[:,]?\s+[A-Z]{2,}\b")  # "ROLL TIDE Alabama beat ...": a run-in headline
_WORD_RE = re.compile(r"[\w\u2019'\-]+")
_PRONOUN_RE = re.compile(r"(?:He|She|They|We|I)\b")
# '"...," Ramos, 58, told AFP' / '"...," an angry Hollande retaliated': a speaker and any
# lowercase verb right after a quote that ends in a comma, question or exclamation mark.
_AFTER_RE = re.compile(
    r"[ \t]*(?P<src>he|she|they|I|we|(?:(?:the|a|an)[ \t]+(?:[a-z\-]+[ \t]+){0,2})?"
    r"[A-Z][\w.\u2019'\-]*(?:[ \t]+[A-Z][\w.\u2019'\-]*){0,3})"
    r"(?:,[ \t]+\d{1,3},|,[ \t]+(?:the|a|an)[ \t]+[^,\n\"\u201c\u201d]{3,60},)?[ \t]+"
    r"(?:also[ \t]+|later[ \t]+|then[ \t]+)?(?:[a-z]+(?:ed|s)|Tweeted|shot|wrote|told|spoke|sang|put)\b"
)


@dataclass(frozen=True)
class Said:
    """What an earlier statement tells about a later quote: where and by whom."""

    content: Span
    source: Span | None
    ref: Span | None


def _words(s: str) -> list[str]:
    return _WORD_RE.findall(s)


def _para_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _para_end(text: str, at: int) -> int:
    nl = text.find("\n", at)
    return len(text) if nl < 0 else nl


def _speaker_before(text: str, q: Quote, said: list[Said], reach: int) -> Said | None:
    """The latest statement with a source that ends before the quote, within ``reach`` chars."""
    best = None
    for s in said:
        ends_before = s.content.end <= q.outer.start and q.outer.start - s.content.end <= reach
        if s.source is not None and ends_before and (best is None or s.content.end > best.content.end):
            best = s
    return best


def _name_after(text: str, q: Quote) -> Span | None:
    """'"...," Ramos, 58, told AFP': the speaker right after a quote ending in , ? or !"""
    if q.inner.of(text).rstrip()[-1:] not in ",?!":
        return None
    m = _AFTER_RE.match(text, q.outer.end)
    if m is None or m.group("src").lower() in NOT_SUBJECT:
        return None
    return Span(m.start("src"), m.end("src"))


def _name_before(text: str, q: Quote, sentence: Span, index: NameIndex) -> Span | None:
    """The first name or pronoun subject before the quote in its own sentence.

    A name after a preposition ("In Europe", "When Trump was asked") is not the subject.
    """
    m = _PRONOUN_RE.match(text, sentence.start)
    if m and m.end() <= q.outer.start:
        return Span(m.start(), m.end())
    lo = bisect.bisect_left(index.starts, sentence.start)
    for mn in index.mentions[lo:]:
        if mn.start >= q.outer.start:
            break
        first = text[mn.start : mn.end].split()[0].lower()
        prev = _words(text[max(sentence.start, mn.start - 20) : mn.start])
        if first in NOT_SUBJECT or (prev and prev[-1].lower() in NOT_SUBJECT):
            continue
        if mn.person or index.canonical(mn.name, mn.start) != mn.name:
            return Span(mn.start, mn.end)
    return None


def features(
    text: str, q: Quote, sentence: Span, said: list[Said], index: NameIndex, sentences: list[Span]
) -> list[float]:
    """The feature vector of one unattributed quote, in the order of ``FEATURES``."""
    inner = q.inner.of(text)
    words = _words(inner)
    n = len(words)
    before = text[sentence.start : q.outer.start]
    bwords = _words(before)
    prev = bwords[-1].lower() if bwords else ""
    near = {w.lower() for w in bwords[-5:]}
    after = text[q.outer.end : _para_end(text, q.outer.end)].strip()
    ps = _para_start(text, q.outer.start)
    opens_para = not text[ps : q.outer.start].strip()
    caps = sum(1 for w in words if w[:1].isupper())
    prev_para_end = ps - 1
    prev_speaker = _speaker_before(text, q, said, 400)
    return [
        1.0,
        math.log1p(n),
        float(n <= 2),
        float(bool(words) and words[0][:1].isupper()),
        float(inner.rstrip()[-1:] in ".,?!" if inner.strip() else False),
        float(n > 0 and caps / n > 0.6 and n <= 8),
        float(opens_para),
        float(not after or after in {".", ","}),
        float(prev_speaker is not None and opens_para and prev_speaker.content.end >= prev_para_end - 300),
        math.log1p(len(bwords)),
        float(any(w in _CUES for w in near)),
        float(prev in _NAMING),
        float(prev in _DETERMINERS),
        float(_name_before(text, q, sentence, index) is not None),
        float(before.rstrip().endswith(":")),
        float(not bwords and (not after or after[:1] in ".!?")),
        float(prev_speaker is not None),
        float(bool(_FIRST_SECOND.search(inner))),
        float(q.outer.start < text.find("\n") or "\n" not in text),
        float(_name_after(text, q) is not None),
        float(_colon_lead(text, q, sentences, index) is not None),
        float(bool(_CAPS_RUN.search(before))),
    ]


def probability(x: list[float]) -> float:
    z = sum(w * v for w, v in zip(_WEIGHTS["weights"], x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _colon_lead(text: str, q: Quote, sentences: list[Span], index: NameIndex) -> Span | None:
    """'He then listed the qualities: || "..."': the subject of the sentence ending in the colon."""
    ps = _para_start(text, q.outer.start)
    if text[ps : q.outer.start].strip() or ps < 2:
        return None
    before = text[: ps].rstrip()
    if not before.endswith(":"):
        return None
    lead = [s for s in sentences if s.start < len(before) <= s.end + 1]
    if not lead:
        return None
    fake = Quote(Span(len(before) - 1, len(before)), Span(len(before) - 1, len(before) - 1), ())
    return _name_before(text, fake, lead[-1], index)


def source_for(
    text: str, q: Quote, sentence: Span, said: list[Said], index: NameIndex, sentences: list[Span]
) -> tuple[Span | None, Span | None]:
    """``(source, ref)`` for a quote judged to be speech; ``ref`` names the speaker when
    the source is borrowed from an earlier statement."""
    own = _name_after(text, q) or _name_before(text, q, sentence, index)
    own = own or _colon_lead(text, q, sentences, index)
    if own is not None:
        return own, None
    prev = _speaker_before(text, q, said, 600)
    if prev is not None:
        return prev.source, prev.ref or prev.source
    return None, None
