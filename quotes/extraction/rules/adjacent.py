"""Attribute a quote from the words right beside it, without the parser.

Most direct quotes sit next to a short attribution: ``"...," he said.``,
``"...," said Sen. Ted Cruz``, ``Trump told reporters: "..."`` or a dash
signature (``"..." ― Jane Doe``).  When the parse found no cue for a quote,
these patterns do.

    >>> t = '"We will win," said Jane Doe.'
    >>> m = match_after(t, 15)
    >>> t[m.source.start:m.source.end], t[m.cue.start:m.cue.end]
    ('Jane Doe', 'said')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon.handwritten import SPEECH_FORMS
from ..text.marks import Quote
from ..types import Span

_NAME = (
    r"(?:[A-Z][\w.\u2019'\-]*\.?)(?:[ \t\u00a0]+(?:[A-Z][\w.\u2019'\-]*|de|van|von|da|bin))*"
    r"(?:\s*\([^)\n]{1,20}\))?"
)
# 'Trump campaign spokeswoman Hope Hicks', 'former tech executive Carly Fiorina': a role before the name
_FUNCTION = (
    r"(?:in|on|at|during|after|before|to|from|with|for|of|by|about|the|a|an|and|but|or|that|this|last"
    r"|when|while|as|said|says)"
)
_ROLE_NAME = rf"(?:{_NAME}[ \t]+)?(?:(?!{_FUNCTION}\b)[a-z][a-z\-]*[ \t]+){{1,3}}{_NAME}"
_SRC = (
    rf"(?P<src>(?<![\w\-'\u2019])(?:he|she|they|we|I|it|{_NAME}|{_ROLE_NAME}"
    rf"|(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w\-]*['\u2019]s)\s+"
    # "the Republican presidential candidate": capitalised modifiers, a lowercase head
    rf"(?:(?:[a-z\-'\u2019]+|[A-Z][\w.\-]*)\s+){{0,3}}(?!(?:and|or|but|while)\b)[a-z\-]+"
    rf"|(?:[Tt]he|[Aa]n?)\s+[a-z\-]+\s+(?:in|for|at|of|with|from)\s+(?:the\s+)?(?:[\w\-'\u2019]+\s+){{0,2}}[a-z\-]+)"
    # an apposition: "Eric Woolson, an Iowa Republican strategist and former adviser to Scott Walker,"
    rf"(?:,\s+(?:the\s+|a\s+)?[a-z0-9][a-z0-9\-]*(?:\s+[\w\-]+){{0,11}}?,)?)"
)
# '..." added another New Hampshire Democrat.' / 'said a spokesman for the campaign,'
_DESCRIBED = (
    r"(?:one|another|a|an|the)[ \t]+(?:[\w\-'\u2019]+[ \t]+){0,4}?[\w\-'\u2019]+(?=[ \t]*[,.;])"
)
_LEMMAS = set(SPEECH_FORMS.values())
_FORMS = "|".join(sorted(SPEECH_FORMS, key=len, reverse=True))
# A verb form right after a preposition or an article is a noun: "the secretary of state".
_NOT_AFTER = "".join(rf"(?<!\b{w}[ \t])" for w in ("of", "to", "in", "at", "for", "the", "a", "an"))
_VERB = rf"{_NOT_AFTER}(?P<cue>{_FORMS})"
_VERB2 = rf"(?P<cue2>{_FORMS})"
_ADV = r"(?:(?:also|later|then|once|further|simply|previously|recently|has|had|have|would|will)\s+){0,2}"
_AFTER_RE = re.compile(
    rf"[ \t]*[,\u2014\u2013-]?[ \t]*(?:{_SRC}[ \t]+{_ADV}{_VERB}\b"
    rf"|{_VERB2}[ \t]+(?P<src2>{_ROLE_NAME}|{_NAME}|he|she|they|we|I|{_DESCRIBED}))"
)
_DASH_RE = re.compile(rf"[^\S\n]*[\u2015\u2014\u2013-]+[^\S\n]*(?P<src>{_NAME})[^\S\n]*(?:,[^\n]*)?$", re.M)
_BEFORE_RE = re.compile(
    rf"{_SRC}[ \t]+{_ADV}{_VERB}(?:[ \t]+[\w\u2019'\-]+){{0,6}}?[ \t]*[,:][ \t]*$"
)

# 'As Jane Doe, a tax lawyer, put it, "..."' / '"...," as a Treasury memo put it.':
# "put it" quotes someone's words; the source may be a longer described phrase.
_PUT_SRC = (
    rf"(?P<src>he|she|they|we|I|{_NAME}"
    r"|(?:the|a|an|his|her|their|one|[A-Z][\w\-]*['\u2019]s)[ \t]+(?:[\w\-'\u2019.]+[ \t]+){0,4}?[\w\-]+)"
    r"(?:,[^,\n\"\u201c\u201d]{1,100},)?"
)
_PUT = r"(?P<cue>puts?[ \t]+it)\b"
_PUT_BEFORE_RE = re.compile(
    rf"(?:\b[Aa]s[ \t]+)?{_PUT_SRC}[ \t]+{_ADV}{_PUT}(?:[ \t]+[\w\u2019'\-]+){{0,6}}?[ \t]*[,:][ \t]*$"
)
_PUT_AFTER_RE = re.compile(rf"[ \t]*,?[ \t]*(?:[Aa]s[ \t]+)?{_PUT_SRC}[ \t]+{_ADV}{_PUT}")


@dataclass(frozen=True)
class Adjacent:
    source: Span
    cue: Span
    crosses: bool = False  # the attribution is a sentence of its own after the quote ('..." He said.')


def _clean(text: str, span: Span) -> Span:
    """Trim spaces and a sentence-final stop ("said Jane Doe.") off a span."""
    a, b = span.start, span.end
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;"):
        b -= 1
    if b - a > 2 and text[b - 1] == "." and text[b - 3] != "." and not text[b - 3].isspace():
        b -= 1
    return Span(a, b)


_NOT_SOURCES = {
    "when", "if", "as", "but", "and", "or", "after", "before", "while", "asked", "though",
    "although", "because", "since", "so", "then", "later", "yet", "in", "on", "at", "for",
    "with", "to", "this", "that", "these", "those", "there", "here", "what", "how", "why",
}


def _new_sentence(text: str, at: int) -> bool:
    """True when the quote closed its sentence ('war." When ...') rather than '...," he said'.

    '!' and '?' close a sentence too ('ever!" The remark drew praise') unless a
    lowercase word follows ('"Go!" he shouted').
    """
    closing = text[max(0, at - 3) : at]
    follows = text[at : at + 3].lstrip(" \t")
    if follows.startswith((",", "\u2014", "\u2013", "-")):
        return False
    if "." in closing:
        return True
    return any(c in closing for c in "!?") and not follows[:1].islower()


# After a closed quote only a short "He said." sentence may attribute it: the
# cue, at most a few words (a date, "in a statement"), then the sentence ends.
_FRAGMENT_END_RE = re.compile(r"(?:[ \t,]+[\w\u2019'\-]+){0,6}?[ \t]*(?:[.!?]|$)", re.M)
_PLURAL_SUBJECTS = {"they", "we", "i", "you"}


def _is_fragment(text: str, m: re.Match[str], src: str, cue: str) -> bool:
    """Whether the attribution after a closed quote is a sentence of its own: 'Jones said.'

    A bare verb form after a singular subject is a noun ('The remark drew ...').
    """
    word = m.group(cue).lower()
    if word in _LEMMAS and m.group(src).lower() not in _PLURAL_SUBJECTS:
        return False
    return _FRAGMENT_END_RE.match(text, m.end(cue)) is not None


def match_after(text: str, at: int) -> Adjacent | None:
    """An attribution starting at ``at`` (just after a closing quotation mark).

    When the quote closed its sentence, only a short sentence of attribution
    ('"We won." Jones said.') counts, flagged ``crosses``; the caller prefers a
    cue in the quote's own sentence.  'ever!" The remark drew praise' is not one.
    """
    m = _AFTER_RE.match(text, at, min(len(text), at + 200))
    crosses = m is not None and _new_sentence(text, at)
    if m:
        src, cue = ("src", "cue") if m.group("src") else ("src2", "cue2")
        if m.group(src).split()[0].lower() in _NOT_SOURCES:
            return None
        exclaimed = "." not in text[max(0, at - 3) : at] and src == "src"  # '"Why?" Trump said of Apple'
        if crosses and not exclaimed and not _is_fragment(text, m, src, cue):
            return None
        source = _clean(text, Span(m.start(src), m.end(src)))
        return Adjacent(source, Span(m.start(cue), m.end(cue)), crosses)
    m = _PUT_AFTER_RE.match(text, at, min(len(text), at + 200))
    if m and m.group("src").split()[0].lower() not in _NOT_SOURCES:
        crosses = _new_sentence(text, at)
        if not crosses or _FRAGMENT_END_RE.match(text, m.end("cue")) is not None:
            return Adjacent(_clean(text, Span(m.start("src"), m.end("src"))),
                            Span(m.start("cue"), m.end("cue")), crosses)
    m = _DASH_RE.match(text, at, min(len(text), at + 120))
    if m and "\n" not in text[at : m.end("src")]:
        source = _clean(text, Span(m.start("src"), m.end("src")))
        return Adjacent(source, _clean(text, Span(at, m.start("src"))))
    return None


def match_before(text: str, at: int) -> Adjacent | None:
    """An attribution ending at ``at`` (just before an opening quotation mark)."""
    line_start = text.rfind("\n", 0, at) + 1
    window_start = max(line_start, at - 200)
    for m in _BEFORE_RE.finditer(text, window_start, at):
        if m.end() == at:
            source = _clean(text, Span(m.start("src"), m.end("src")))
            return Adjacent(source, Span(m.start("cue"), m.end("cue")))
    for m in _PUT_BEFORE_RE.finditer(text, window_start, at):
        if m.end() == at and m.group("src").split()[0].lower() not in _NOT_SOURCES:
            source = _clean(text, Span(m.start("src"), m.end("src")))
            return Adjacent(source, Span(m.start("cue"), m.end("cue")))
    return None


_PAREN_SRC = (
    r"(?P<src>he|she|they|we|I|[A-Z][\w.\u2019'\-]*(?:[ \t]+[A-Z][\w.\u2019'\-]*){0,3}"
    r"|(?:the|his|her|their|its)[ \t]+(?:[a-z\-]+[ \t]+){0,2}[a-z\-]+"
    r"|(?:[a-z\-]+[ \t]+)?[a-z\-]{3,}s)"  # 'respondents said', 'campaign officials said'
)
_PAREN_RE = re.compile(
    rf",[\"'\u201d\u2019]*[ \t]+{_PAREN_SRC}[ \t]+{_ADV}(?P<cue>{_FORMS})"
    rf"(?:[ \t]+(?:on|in|last|this|at|earlier|later|during|after|before)(?:[ \t]+[\w.]+){{1,4}})?[ \t]*,"
)


def find_parenthetical(text: str, start: int, end: int) -> Adjacent | None:
    """A cue set off by commas inside its content: 'No name change, he said, hides what it is.'

    Only when words come before it in the sentence and a clause follows it; a
    quote closing right before it ('"A," he said, "B."') is left to the quote rules.
    """
    for m in _PAREN_RE.finditer(text, start, end):
        if m.group("src").lower() in _NOT_SOURCES:
            continue
        before = text[start : m.start()]
        after = text[m.end() : end]
        if len(re.findall(r"\w+", before)) < 1 or len(re.findall(r"\w+", after)) < 2:
            continue
        if after.lstrip()[:1] in "\"'\u201c\u2018`":
            continue  # 'At the summit, Trump stated, "We will ..."': an introduction, not a parenthesis
        closes_quote = text[m.start() + 1 : m.start() + 2] in "\"'\u201d\u2019"
        if closes_quote and before.lstrip()[:1] in "\"'\u201c\u2018`":
            continue
        return Adjacent(Span(m.start("src"), m.end("src")), Span(m.start("cue"), m.end("cue")))
    return None


def introduced(text: str, q: Quote) -> Adjacent | None:
    """The attribution right before a quote ('Trump told reporters: "..."').

    A quote of one or two words is a scare quote or a title ('called it a "hoax"') unless
    the cue introduces it with a comma or colon and it ends a sentence ('yelled, "Stay there!"').
    """
    hit = match_before(text, q.outer.start)
    if hit is None or len(q.inner.of(text).split()) >= 3:
        return hit
    introduced = re.fullmatch(r"[ \t]*[,:][ \t]*", text[hit.cue.end : q.outer.start]) is not None
    return hit if introduced and q.inner.of(text).rstrip()[-1:] in ".!?" else None


def cues_beside_quotes(text: str, quotes: list[Quote]) -> set[int]:
    """Offsets of cue words that ``adjacent`` already reads beside a quote ('"...," he said')."""
    found = set()
    for q in quotes:
        # after a quote inside its sentence ('The summit did "too little," he added') the parse
        # is needed for the words before the quote
        after = match_after(text, q.outer.end) if _opens_sentence(text, q) else None
        for hit in (after, introduced(text, q)):
            if hit is not None:
                found.add(hit.cue.start)
    return found


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?][\"'\u201d\u2019)]*\s+|\n)[^\w]*$")


def _opens_sentence(text: str, q: Quote) -> bool:
    return _SENTENCE_START_RE.search(text, max(0, q.outer.start - 200), q.outer.start) is not None
