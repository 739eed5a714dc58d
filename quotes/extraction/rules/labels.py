"""Two rule families that read a colon without the parser: headline labels and transcript turns.

* A headline label: "Poll: Voters Abandon Party", "Clinton: ..." - a short capitalised
  label before a colon in the title, kept only when the article names it again inside a
  sentence or it is a source noun ("Poll:", "Insiders:"); a rubric ("Breaking:",
  "The Latest:") speaks for nobody.
* A transcript turn: "PENCE: Well, look, ..." - a capitalised name before a colon opens
  a paragraph.

    >>> t = "PENCE: Well, look, we will win."
    >>> [(c.source.of(t), c.content.of(t)) for c in transcript_turns(t)]
    [('PENCE', 'Well, look, we will win')]
"""

from __future__ import annotations

import re

from ..drafts import trim
from ..lexicon.handwritten import GENERIC_SOURCE_HEADS
from ..types import Span
from .reported import Candidate

_HEADLINE_RE = re.compile(r"([A-Z][^:\n]{1,40}):\s+(\S[^\n]*)")


_LABEL_RE = re.compile(r"^[ \t\"\u201c]*([A-Z][A-Z.'\u2019\- ]{1,30}[A-Z]):[ \t]+(\S[^\n]*)", re.MULTILINE)


_NOT_SPEAKERS = {"UPDATE", "NOTE", "EDITOR'S NOTE", "WATCH", "READ", "BREAKING", "RELATED", "CORRECTION",
                 "PHOTOS", "VIDEO", "WASHINGTON", "NEW YORK", "LONDON", "SEE ALSO", "ALSO", "UPDATED"}


def headline_labels(text: str, sentences: list[Span]) -> list[Candidate]:
    """"Poll: Voters Abandon Party" - a short capitalised label before a colon in a title."""
    if not sentences:
        return []
    first_line = text[: text.find("\n")] if "\n" in text else text
    m = _HEADLINE_RE.match(first_line.strip())
    if not m or len(m.group(1).split()) > 5 or len(first_line) > 250 or "\n" not in text:
        return []
    if any(w[:1].islower() and len(w) > 3 for w in m.group(1).split()):
        return []  # "Lee told reporters: ..." is a sentence, not a headline label
    if not _named_in_body(text, m.group(1), len(first_line)):
        return []  # "Breaking: ...", "The Latest: ...", "BYLINE: ...": a rubric, nobody speaks
    offset = text.find(m.group(0))
    src = Span(offset, offset + len(m.group(1)))
    colon = Span(src.end, src.end + 1)
    content = trim(text, Span(offset + m.start(2), offset + m.end(2)))
    return [Candidate(colon, content, src, strength=0.5)]


def _named_in_body(text: str, label: str, body_start: int) -> bool:
    """Whether a word of a headline label comes back in the article as a name, capitalised
    inside a sentence ("Clinton: ..." then "... said Clinton"); a rubric's words do not."""
    last = label.split()[-1].lower()
    if last in GENERIC_SOURCE_HEADS or last + "s" in GENERIC_SOURCE_HEADS or last in _SOURCE_NOUNS:
        return True  # "Poll: ...", "Insiders: ...", "Newspaper: ..."
    words = {w for w in re.findall(r"[A-Z][\w\-]+", label) if w.lower() not in _LABEL_STOPWORDS}
    body = text[body_start:]
    return any(re.search(rf"(?<=[\w,;:\u2019'\"\u201c(] ){re.escape(w)}\b", body) for w in words)


_LABEL_STOPWORDS = {"the", "latest", "breaking", "exclusive", "update", "watch", "look", "wow"}


_SOURCE_NOUNS = {"newspaper", "survey", "report", "study", "poll", "memo", "filing", "lawsuit"}


def transcript_turns(text: str) -> list[Candidate]:
    """Transcript turns: 'PENCE: Well, look, ...' - a capitalised name before a colon opens a paragraph."""
    out = []
    for m in _LABEL_RE.finditer(text):
        if m.group(1) in _NOT_SPEAKERS or len(m.group(1).split()) > 3:
            continue
        content = trim(text, Span(m.start(2), m.end(2)))
        if content.end - content.start > 1:
            colon, source = Span(m.end(1), m.end(1) + 1), Span(m.start(1), m.end(1))
            out.append(Candidate(colon, content, source, strength=0.5))
    return out
