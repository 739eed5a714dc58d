"""A quote standing alone right after a question put to someone is that person's answer.

"Coach Ivo Marten was asked about the final. / "We will play without fear."": no cue
beside the quote, yet the sentence before says who was asked, so the quote is the
answer of the person asked.  Three ways of saying who was asked are read:

* passive: "X was asked / questioned / pressed / quizzed about ..." (X the subject);
* a participle clause: "When asked about X, Y did not hesitate." (Y, the main subject);
* reporters asking: "Reporters asked Y whether ..." (Y, the object; only a questioner
  who answers nothing himself: reporters, journalists, the interviewer, the host).

Only a quote that is a sentence of its own (nothing before it in its sentence, nothing
but punctuation after it) right after that sentence, and that no rule claimed, is read.
A question to several people ("The two coaches were asked ...") gives the group as the
source: the name index resolves it as it resolves any plural (the two people just
named, else nobody), never one of them.  A sentence where someone else answers after
the question ("... was asked, but his captain replied") hands the quote to nobody here.

    >>> t = 'Coach Ivo Marten was asked about the final.\\n"We will play without fear."'
    >>> from quotes.extraction.text.marks import find_quotes
    >>> from quotes.extraction.text.sentences import split_sentences
    >>> [d] = answers(t, split_sentences(t), find_quotes(t), [])
    >>> d.source.of(t), d.cue.of(t), d.content.of(t)
    ('Coach Ivo Marten', 'asked', 'We will play without fear.')
"""

from __future__ import annotations

import bisect
import re

from ..drafts import Draft, overlap
from ..text.marks import Quote
from ..types import DIRECT, MIXED, Span

_ASKED = r"(?P<cue>asked|questioned|pressed|quizzed|grilled)"
_ADVERBS = r"(?:(?:also|then|later|again|first|repeatedly|directly|specifically)\s+){0,2}"
_AUX = r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been|got)"
# A subject: a pronoun, a capitalised name (with its title), or a short noun phrase ("the coach").
_SUBJECT = (
    r"(?P<src>[Hh]e|[Ss]he|[Tt]hey"
    r"|(?:[Tt]he|[Bb]oth|[Aa]ll|[Tt]wo|[Tt]hree|[Ss]everal|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w\-'\u2019]+\s+){0,3}?[\w\-]+"
    r"|[A-Z][\w.\u2019'\-]*(?:\s+(?:[A-Z][\w.\u2019'\-]*|de|van|von|bin))*)"
)
# "Coach Ivo Marten, who has led the team since 2019, was asked about ...": an apposition or
# relative clause set off by commas may sit between the subject and its verb.
_PASSIVE_RE = re.compile(
    rf"(?:^|(?<=,\s)|(?<=\bthat\s)|(?<=\band\s))\s*{_SUBJECT}(?:,[^,\n]{{1,100}},)?\s+{_AUX}\s+{_ADVERBS}{_ASKED}\b"
)
_PARTICIPLE_RE = re.compile(
    r"^(?:(?:[Ww]hen|[Aa]fter|[Oo]nce|[Ii]f|[Tt]hough|[Aa]lthough|[Ee]ven\s+when)\s+)?"
    rf"{_ADVERBS}(?P<cue>[Aa]sked|[Qq]uestioned|[Pp]ressed|[Qq]uizzed|[Gg]rilled)\b[^,\n]{{0,160}},\s+{_SUBJECT}\b"
)
_QUESTIONER_RE = re.compile(
    r"\b(?:[Rr]eporters|[Jj]ournalists|[Aa]\s+reporter|[Aa]\s+journalist|(?:[Tt]he|[Aa]n?)\s+interviewer"
    rf"|[Tt]he\s+(?:host|moderator|anchor|presenter))\s+{_ADVERBS}{_ASKED}\s+"
    r"(?P<src>him|her|them|(?:[A-Z][\w.\u2019'\-]*)(?:\s+[A-Z][\w.\u2019'\-]*)*)\b"
)
# After the question, someone else takes the floor: "..., but his captain replied".
_OTHER_ANSWERS_RE = re.compile(
    r"\b(?:but|and|when|before|yet)\s+(?:[A-Z][\w.\u2019'\-]*|his|her|their|the|a|an)(?:\s+[\w.\u2019'\-]+){0,4},?"
    r"\s+(?:answered|replied|responded|said|interjected|intervened|cut\s+in|spoke\s+up|stepped\s+in)\b"
)
_NOT_SUBJECTS = {"it", "this", "that", "there", "who", "which", "what", "questions", "question"}
_OPENS = re.compile(r"[\s(\[\-\u2014\u2013]*")
_CLOSES = re.compile(r"[\s.,;:!?)\]\-\u2014\u2013]*")


def answers(text: str, sentences: list[Span], quotes: list[Quote], drafts: list[Draft]) -> list[Draft]:
    """Drafts giving each standalone, unclaimed quote to the person asked just before it."""
    claimed = [d.content for d in drafts if d.kind in (DIRECT, MIXED)]
    starts = [s.start for s in sentences]
    out: list[Draft] = []
    for q in quotes:
        if any(overlap(c, q.inner) > 0 for c in claimed):
            continue
        i = bisect.bisect_right(starts, q.outer.start) - 1
        if i <= 0 or not _stands_alone(text, q, sentences[i]):
            continue
        asked = asked_person(text, sentences[i - 1])
        if asked is None:
            continue
        source, cue = asked
        out.append(Draft(DIRECT, q.inner, cue, source, None, 0.7))
    return out


def _stands_alone(text: str, q: Quote, sentence: Span) -> bool:
    """Whether the quote is its sentence: nothing before it, only punctuation after it."""
    before = text[sentence.start : q.outer.start]
    after = text[q.outer.end : max(q.outer.end, sentence.end)]
    return _OPENS.fullmatch(before) is not None and _CLOSES.fullmatch(after) is not None


def asked_person(text: str, sentence: Span) -> tuple[Span, Span] | None:
    """``(source, cue)`` of the person a sentence says was asked, or None.

    >>> t = "When pressed on the delays, Rail Director Mina Sato did not hesitate."
    >>> src, cue = asked_person(t, Span(0, len(t)))
    >>> t[src.start:src.end], t[cue.start:cue.end]
    ('Rail Director Mina Sato', 'pressed')
    >>> asked_person("Sato asked the minister about the delays.", Span(0, 41)) is None
    True
    """
    s = sentence.of(text)
    for regex in (_PARTICIPLE_RE, _PASSIVE_RE, _QUESTIONER_RE):
        m = regex.search(s)
        if m is None or m.group("src").split()[0].lower() in _NOT_SUBJECTS:
            continue
        if regex is not _PARTICIPLE_RE and _OTHER_ANSWERS_RE.search(s, m.end()):
            return None  # someone answers in the sentence itself: not left to the quote after it
        at = sentence.start
        return Span(at + m.start("src"), at + m.end("src")), Span(at + m.start("cue"), at + m.end("cue"))
    return None
