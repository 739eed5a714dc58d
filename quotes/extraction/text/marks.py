"""Find quoted passages in raw text, by quotation marks alone (no parsing).

News text prints quotes several ways: curly marks (“ ”), straight marks ("),
guillemets, and doubled apostrophes ('' ... '' or `` ... '') from older wires.
A quote may run over several paragraphs: the paragraph ends with the quote still
open and the next paragraph reopens it.  Each style is paired on its own, then
quotes nested inside another quote are dropped (the outer one is the statement).

    >>> [q.inner for q in find_quotes('He said "we win" today.')]
    [Span(start=9, end=15)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Span

# Curly and guillemet marks say which way they face; straight ones do not.
_OPENERS = {"\u201c": "curly", "\u201e": "curly", "\u00ab": "guil", "``": "apos"}
_CLOSERS = {"\u201d": "curly", "\u00bb": "guil"}
_AMBIGUOUS = {'"': "straight", "''": "apos"}
MARK_RE = re.compile(r"``|''|[\"\u201c\u201d\u201e\u00ab\u00bb]")  # every quotation mark this module pairs
_OPEN_BEFORE = set(" \t\n\r([{\u2014\u2013-/:")


@dataclass(frozen=True)
class Quote:
    """One quoted passage: ``outer`` includes the marks, ``inner`` excludes them.

    ``pieces`` are the inner spans of each paragraph of a multi-paragraph quote.
    """

    outer: Span
    inner: Span
    pieces: tuple[Span, ...]


def _faces_open(text: str, start: int, end: int) -> bool:
    """Decide whether an ambiguous mark at ``text[start:end]`` opens a quote."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before in _OPEN_BEFORE and not after.isspace()


def _faces_close(text: str, start: int, end: int) -> bool:
    """A curly opener printed by mistake at the end of a quote ('percent.“' then a newline,
    'a fascist?“ he asked'): right after a word or a stop and before a space."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else "\n"
    if before.isspace() or before in _OPEN_BEFORE:
        return False
    return after in "\n\r" or (after in " \t" and (before.isalnum() or before in ".,!?;"))


def _line_start(text: str, start: int) -> bool:
    return start == 0 or text[start - 1] == "\n"


def _paragraph_break(text: str, start: int, end: int) -> bool:
    return "\n" in text[start:end]


def _pair_style(text: str, marks: list[tuple[int, int, bool]]) -> list[Quote]:
    """Pair the marks of one style into quotes, joining paragraph continuations."""
    quotes: list[Quote] = []
    open_at: int | None = None  # offset of the opening mark of the current quote
    pieces: list[Span] = []
    piece_start = 0
    last_end = 0
    for start, end, opens in marks:
        if open_at is None:
            if opens:
                open_at, piece_start, pieces = start, end, []
            continue
        if opens:
            if _paragraph_break(text, last_end if pieces else piece_start, start) and (
                start == 0 or text[start - 1] == "\n" or text[:start].rstrip(" \t").endswith("\n")
            ):
                # A new paragraph reopening the quote: the previous paragraph ran on.
                para_end = text.rfind("\n", piece_start, start)
                pieces.append(Span(piece_start, _rstrip(text, piece_start, para_end)))
                piece_start = end
                continue
            open_at, piece_start, pieces = start, end, []  # unclosed quote: restart
            continue
        if _paragraph_break(text, piece_start, start) and not pieces:
            # Closing mark in a later paragraph without a reopening: treat as stray.
            open_at, pieces = None, []
            continue
        pieces.append(Span(piece_start, start))
        first = pieces[0].start
        quotes.append(Quote(Span(open_at, end), Span(first, start), tuple(pieces)))
        open_at, pieces, last_end = None, [], end
    return quotes


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_quotes(text: str) -> tuple[Quote, ...]:
    """Return the outermost quoted passages of ``text``, in order of position."""
    marks: list[Mark] = []
    for m in MARK_RE.finditer(text):
        mark = m.group()
        if mark in _OPENERS:
            style, opens = _OPENERS[mark], not _faces_close(text, m.start(), m.end())
        elif mark in _CLOSERS:
            # A closing mark printed at the start of a paragraph opens the quote.
            opens = _faces_open(text, m.start(), m.end()) and _line_start(text, m.start())
            style = _CLOSERS[mark]
        else:
            style, opens = _AMBIGUOUS[mark], _faces_open(text, m.start(), m.end())
        if style == "apos" and mark == "''" and _inside_word(text, m.start(), m.end()):
            continue
        marks.append((m.start(), m.end(), style, opens))
    by_style: dict[str, list[tuple[int, int, bool]]] = {}
    for start, end, style, opens in _straight_as_curly(text, marks):
        by_style.setdefault(style, []).append((start, end, opens))
    found: list[Quote] = []
    for style in sorted(by_style):
        found.extend(_pair_style(text, by_style[style]))
    found.sort(key=lambda q: (q.outer.start, -q.outer.end))
    outer: list[Quote] = []
    for q in found:
        if outer and q.outer.start < outer[-1].outer.end:
            continue  # nested inside (or tangled with) an earlier quote
        if q.inner.end > q.inner.start:
            outer.append(q)
    return tuple(outer)


Mark = tuple[int, int, str, bool]  # start, end, style, faces open


def _straight_as_curly(text: str, marks: list[Mark]) -> list[Mark]:
    """Pair straight marks with curly ones in a paragraph that prints both kinds.

    '“We’re going to build a wall," he said. "It’s not difficult.”': taken together
    the marks face open, close, open, close, which neither kind does on its own.  A
    paragraph whose marks alternate only when taken together is read as one style;
    a straight quote nested in a curly one ('“He said "no" to me.”') does not
    alternate and keeps its own style.
    """
    out = list(marks)
    by_para: dict[int, list[int]] = {}
    for i, (start, _, style, _) in enumerate(marks):
        if style in ("straight", "curly"):
            by_para.setdefault(text.rfind("\n", 0, start), []).append(i)
    for idx in by_para.values():
        styles = {marks[i][2] for i in idx}
        if styles != {"straight", "curly"}:
            continue
        if _alternates([marks[i][3] for i in idx]) or _mixed_paragraph(text, marks[idx[0]][0]):
            for i in idx:
                start, end, _, opens = marks[i]
                out[i] = (start, end, "curly", opens)
    return out


def _alternates(opens: list[bool]) -> bool:
    return all(o == (n % 2 == 0) for n, o in enumerate(opens))


def _mixed_paragraph(text: str, at: int) -> bool:
    """A paragraph whose curly marks do not balance and whose straight mark is alone."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    para = text[start : end if end >= 0 else len(text)]
    return para.count('"') == 1 and para.count("\u201c") != para.count("\u201d")


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() and after.isalnum()
