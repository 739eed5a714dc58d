"""The last step: drafts become Attributions with their sentence, resolved speakers and date.

Speakers come from the article's name index (a pronoun in a clause the sentence governs is
the person who opens it; otherwise a recent single speaker or the last person named); a
bare role nobody in the article holds hands on where it was written out in full. Dates
come from ``dates.said_on_for``, and a pronoun continuing the previous sentence's speaker
takes that sentence's date (``dates.discourse``).
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import replace

from .dates import discourse, paragraph, said_on_for
from .dates.context import context_date, method_of
from .drafts import Draft
from .lexicon.handwritten import SINGULAR_PERSON_PRONOUNS
from .speakers import NameIndex
from .text.marks import Quote
from .types import CONTEXT, INDIRECT, RECORDED, UNKNOWN, Attribution, DateResolution, Span


def finish(
    text: str, drafts: list[Draft], sentences: list[Span], published: datetime.date | None, index: NameIndex,
    quotes: list[Quote] = (),
) -> tuple[Attribution, ...]:
    """The frozen Attributions, sorted by where their content starts (the order ``extract`` promises)."""
    starts = [s.start for s in sentences]
    out: list[Attribution] = []
    previous: list[tuple[int, tuple[str, ...]]] = []  # (cue offset, speakers) so far
    for d in sorted(drafts, key=lambda d: (d.cue or d.content).start):
        sentence = _sentence_of(d, sentences, starts, len(text))
        speakers = _apposed(text, d, index) if _is_role_phrase(text, d) else ()
        speakers = speakers or _speakers(text, d, index, previous, sentence.start) or _apposed(text, d, index)
        if not speakers and d.source is not None:
            full = index.role_antecedent(d.source.of(text), d.source.start)
            if full is not None:  # "the president" where no president is named: hand on the full phrase
                d.source = Span(*full)
        if d.cue is not None and d.view != RECORDED:
            previous.append((d.cue.start, speakers))
        pieces = _pieces(d, quotes)
        said_on = _date(text, d, sentence, sentences, starts, index, speakers, published, drafts, pieces, out)
        out.append(
            Attribution(
                kind=d.kind, content=d.content, sentence=sentence, source=d.source, cue=d.cue,
                speakers=speakers, said_on=said_on, confidence=round(d.confidence, 3),
                pieces=pieces, via=d.via, view=d.view,
            )
        )
    out.sort(key=lambda a: (a.content.start, a.content.end, a.cue.start if a.cue else -1))
    return tuple(out)


_APPOSED_NAME = re.compile(r"\s*,\s*((?:[A-Z][\w.\u2019'\-]*\s+){1,3}[A-Z][\w\u2019'\-]*)(?=\s*[,.;!?]|\s*$)")


def _apposed(text: str, d: Draft, index: NameIndex) -> tuple[str, ...]:
    """The person a role phrase is set beside ("Estmark's foreign minister, Oren Valtik, said";
    '"...," said his captain, Lia Brandt.')."""
    if d.source is None:
        return ()
    m = _APPOSED_NAME.match(text, d.source.end)
    if m is None or (d.cue is not None and d.cue.start >= d.source.end and m.end() > d.cue.start):
        return ()
    name = m.group(1)
    return index.resolve(name, m.start(1)) if index.names_a_person(name, m.start(1)) else ()


def _is_role_phrase(text: str, d: Draft) -> bool:
    """'Her deputy, Jonas Ekberg, said': a source ending in a lowercase word is a role, and the
    name set beside it says who holds it (not the person the role would point back to)."""
    if d.source is None:
        return False
    words = d.source.of(text).split()
    return len(words) > 1 and words[-1][:1].islower()


def _pieces(d: Draft, quotes: list[Quote]) -> tuple[Span, ...]:
    """The quoted passages inside a direct or mixed statement's content (a quote's own words)."""
    if d.kind == INDIRECT:
        return ()
    inside = [
        piece for q in quotes for piece in q.pieces
        if d.content.start <= piece.start and piece.end <= d.content.end and piece.end > piece.start
    ]
    return tuple(sorted(inside, key=lambda p: p.start))


def _date(
    text: str, d: Draft, sentence: Span, sentences: list[Span], starts: list[int],
    index: NameIndex, speakers: tuple[str, ...], published: datetime.date | None, drafts: list[Draft],
    pieces: tuple[Span, ...] = (), done: list[Attribution] = (),
) -> DateResolution:
    """The statement's date, with how it was found: its own sentence's date phrase (explicit or
    relative), else a pronoun's previous sentence (context), else the event it points back to,
    else the dated event of the paragraph before that its paragraph continues (``done``: the
    statements finished so far, with their dates).

    A quote broken by its attribution is dated by the attribution between its pieces
    ("'A,' X said on Thursday. 'B.'"): its words are the last piece, not the whole span.
    """
    content = pieces[-1] if len(pieces) > 1 and d.cue is not None and d.cue.start < pieces[-1].start \
        else d.content
    said_on = said_on_for(text, sentence=sentence, cue=d.cue, content=content, published=published)
    if said_on.value is not None and said_on.evidence is not None:
        return replace(said_on, method=method_of(said_on.evidence.of(text)))
    if speakers:
        said_on = _carried_date(
            text, d, sentence, sentences, starts, index, speakers, published, drafts, done,
        )
        if said_on.value is not None:
            return replace(said_on, method=CONTEXT)
    i = bisect.bisect_right(starts, sentence.start) - 1
    if i <= 0:
        return DateResolution(method=UNKNOWN)
    said_on = context_date(
        text, sentence=sentence, before=sentences[max(0, i - 3):i], content=d.content,
        speakers_named=_named_in(sentences[i - 1], index, speakers), published=published,
    )
    if said_on.value is None and speakers:
        said_on = paragraph.continued_event(
            text, sentence, sentences[: i + 1], d.content, speakers, done, published,
        )
    return said_on


def _named_in(previous: Span, index: NameIndex, speakers: tuple[str, ...]) -> bool:
    """Whether one of ``speakers`` is named in the sentence ``previous``."""
    if not speakers:
        return False
    lo, hi = bisect.bisect_left(index.starts, previous.start), bisect.bisect_right(index.starts, previous.end)
    return any(index.canonical(m.name, m.start) in speakers for m in index.mentions[lo:hi])


def _sentence_of(d: Draft, sentences: list[Span], starts: list[int], n: int) -> Span:
    spans = [s for s in (d.content, d.cue, d.source) if s is not None]
    lo, hi = min(s.start for s in spans), max(s.end for s in spans)
    i = max(0, bisect.bisect_right(starts, lo) - 1)
    j = max(0, bisect.bisect_left(starts, hi) - 1)
    if not sentences:
        return Span(0, n)
    return Span(min(sentences[i].start, lo), max(sentences[j].end, hi))


def _speakers(
    text: str, d: Draft, index: NameIndex, previous: list[tuple[int, tuple[str, ...]]], sentence_start: int
) -> tuple[str, ...]:
    if d.source is None:
        return ()
    if d.ref is not None:
        return index.resolve(d.ref.of(text), d.ref.start)
    src = d.source.of(text)
    if src.strip().lower() in SINGULAR_PERSON_PRONOUNS:
        subject = _main_subject(text, d.source.start, sentence_start, index)
        if subject is not None:  # "Kim will consider talks with Trump because he feels ...": Kim
            return (subject,)
        recent = [sp for at, sp in previous if d.source.start - at < 400 and len(sp) == 1]
        fallback = recent[-1][0] if recent and _is_person_name(recent[-1][0], index) else None
        return index.resolve(src, d.source.start, fallback=fallback)
    return index.resolve(src, d.source.start)


_SUBORDINATOR_RE = re.compile(
    r"\b(?:if|because|when|whenever|unless|until|although|though|while|since|once|after|before|"
    r"as|that)\s+$"
)


def _main_subject(text: str, at: int, sentence_start: int, index: NameIndex) -> str | None:
    """The person who opens the sentence, for a pronoun in a clause that sentence governs.

    "Kim may eventually consider talks with Trump if he feels ...": "he" is Kim, the
    main clause's subject, not the object named last.  Only for a pronoun right after
    a subordinator, with the name in the sentence's first words and no quote between.
    """
    if not _SUBORDINATOR_RE.search(text, max(sentence_start, at - 12), at):
        return None
    head = text[sentence_start:at]
    if any(m in head for m in "\"\u201c\u201d"):
        return None
    # The governing clause opens the sentence or follows "that" ("They posit that Kim may ...").
    opens = [sentence_start] + [sentence_start + m.end() for m in re.finditer(r"\bthat\s+", head)]
    for start in reversed(opens):
        lead = re.match(r"(?:[A-Z][\w.\u2019'\-]*\s+){0,4}", text[start:at])
        if lead and lead.end():
            name = index.first_subject_person(start, start + lead.end())
            if name is not None:
                return name
    return None


def _is_person_name(name: str, index: NameIndex) -> bool:
    return name in index.full_names


def _carried_date(
    text: str, d: Draft, sentence: Span, sentences: list[Span], starts: list[int],
    index: NameIndex, speakers: tuple[str, ...], published: datetime.date | None,
    drafts: list[Draft], done: list[Attribution] = (),
) -> DateResolution:
    """The previous sentence's date, when this statement's pronoun continues its speaker.

    The date is asked for the previous sentence's own cue (or, when it has none,
    the speaker's name there), so a date tied to another event stays unused; a date that
    statement already carries from its own context ("Moren also promised roads. 'The
    work begins in autumn,' she said.") is passed on as it is.
    """
    i = bisect.bisect_right(starts, sentence.start) - 1
    if i <= 0 or d.source is None:
        return DateResolution()
    prev = sentences[i - 1]
    lo, hi = bisect.bisect_left(index.starts, prev.start), bisect.bisect_right(index.starts, prev.end)
    mentions = [m for m in index.mentions[lo:hi] if m.end <= prev.end
                and index.canonical(m.name, m.start) in speakers]
    if not discourse.carries_over(d.source.of(text), bool(mentions)):
        return DateResolution()
    earlier = [e for e in drafts if e.cue is not None and prev.start <= e.cue.start < prev.end]
    dated = [a for a in done if a.cue is not None and prev.start <= a.cue.start < prev.end
             and a.said_on.value is not None and set(a.speakers) == set(speakers)]
    if earlier and dated and dated[0].said_on.method == CONTEXT:
        return dated[0].said_on
    if earlier:
        cue, content = earlier[0].cue, earlier[0].content
    else:
        cue, content = Span(mentions[0].start, mentions[0].end), None
    return said_on_for(text, sentence=prev, cue=cue, content=content, published=published)
