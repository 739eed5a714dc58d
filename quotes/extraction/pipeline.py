"""The extraction pipeline behind :func:`quotes.extraction.extract`.

Steps: split sentences (regex) -> parse only sentences holding a cue word or a
learned-cue word -> find reported-speech candidates -> pair quotation marks with
them (direct and mixed), join quotes broken by their attribution -> cues the rules
do not read, from the learned model (``cues.py``) -> quotes still unattributed,
from the classifier (``unattributed.py``) -> drop speech nested in a longer
statement -> resolve speakers -> dates.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from dataclasses import dataclass

from . import parsing
from .dates import discourse
from .learned import cue_model as cues
from .learned import unattributed
from .lexicon import mined_cue_forms
from .lexicon.handwritten import (
    GENERIC_SOURCE_HEADS,
    PHRASAL_ONLY_FORMS,
    SINGULAR_PERSON_PRONOUNS,
    SPEECH_FORMS,
    THINK_FORMS,
)
from .lexicon.mined import SOURCELESS_CUE_FORMS, SUPPRESSED_INDIRECT_CUES
from .rules.adjacent import Adjacent, find_parenthetical, match_after, match_before
from .rules.reported import _STATEMENT_NOUNS, Candidate, find_candidates
from .speakers import NameIndex
from .text.marks import MARK_RE, Quote, find_quotes
from .text.sentences import split_sentences
from .types import DIRECT, INDIRECT, MIXED, Attribution, DateResolution, Span

# Which sentences to parse: speech verbs, the commoner belief verbs, "according to".
# Rarer belief verbs ("know", "feel", "find") are everyday words; parsing every
# sentence holding one costs more time than the statements they add.
_SELECT_THINK = {f for f, lemma in THINK_FORMS.items()
                 if lemma in ("think", "believe", "hope", "fear", "expect", "worry", "show", "find")}
_SELECT_WORDS = sorted({*SPEECH_FORMS, *_SELECT_THINK, "according", *_STATEMENT_NOUNS, *mined_cue_forms(),
                        *PHRASAL_ONLY_FORMS},
                       key=len, reverse=True)
_SELECT_RE = re.compile(
    r"\b(?:{})\b|\bAccording\b".format("|".join(_SELECT_WORDS))
)
_HEADLINE_RE = re.compile(r"([A-Z][^:\n]{1,40}):\s+(\S[^\n]*)")
# "SEOUL, SOUTH KOREA — ", "RENO, Nev. (AP) — ", "NEW YORK, Dec. 11 (UPI) — ", "RANGOON, Burma - "
_DATELINE_RE = re.compile(
    r"[A-Z][A-Z .,'\u2019\-]{2,}(?:,? [A-Z][\w.'\u2019]*)*,?(?: [A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:[\u2014\u2013]|--?)\s+")
_LABEL_RE = re.compile(r"^[ \t\"\u201c]*([A-Z][A-Z.'\u2019\- ]{1,30}[A-Z]):[ \t]+(\S[^\n]*)", re.MULTILINE)
_NOT_SPEAKERS = {"UPDATE", "NOTE", "EDITOR'S NOTE", "WATCH", "READ", "BREAKING", "RELATED", "CORRECTION",
                 "PHOTOS", "VIDEO", "WASHINGTON", "NEW YORK", "LONDON", "SEE ALSO", "ALSO", "UPDATED"}
_CONTENT_TRIM = set(" \t\n.,;:")


@dataclass
class Draft:
    """An attribution under construction (mutable until it becomes an Attribution)."""

    kind: str
    content: Span
    cue: Span | None
    source: Span | None
    ref: Span | None
    confidence: float


def run(text: str, published: datetime.date | None) -> tuple[Attribution, ...]:
    sentences, quotes, drafts, parsed = _rule_drafts(text)
    drafts.extend(_learned_drafts(text, parsed, drafts, quotes))
    index = NameIndex(_sentence_cased_title(text))  # a Title Case headline is not one long name
    drafts.extend(_unattributed(text, drafts, quotes, sentences, index))
    return _finish(text, _marked_as_quoted(text, _without_nested(drafts)), sentences, published, index)


def _marked_as_quoted(text: str, drafts: list[Draft]) -> list[Draft]:
    """A speech verb's reported words holding a quotation mark no pair was found for
    ('Because of X, I ... justice," said Jane Soto') are quoted speech all the same: mixed.
    On PolNeAR train: 15 right, 6 with another source, 5 wrong of 26 such statements."""
    for d in drafts:  # 0.8 and up: a speech verb's (not a belief verb's, not a learned cue's)
        speech = d.kind == INDIRECT and d.confidence >= 0.8
        if speech and MARK_RE.search(text, d.content.start, d.content.end):
            d.kind = MIXED
    return drafts


def _without_nested(drafts: list[Draft]) -> list[Draft]:
    """Drop reported speech whose words lie inside a longer statement's words.

    'She felt the 13th Amendment was worth examining because ...': the parse also
    offers "felt" -> "the 13th" and the like; on PolNeAR train, an indirect statement
    held inside another statement's content was right 220 times out of 1563.
    """
    spans = sorted((d.content.start, d.content.end) for d in drafts)
    return [
        d for d in drafts
        if d.kind != INDIRECT or not any(
            a <= d.content.start and d.content.end <= b and b - a > d.content.end - d.content.start
            for a, b in spans
        )
    ]


Parsed = list[tuple[int, object]]


def _rule_drafts(text: str) -> tuple[list[Span], list[Quote], list[Draft], Parsed]:
    """Sentences, quotes, the drafts the rules find (parse, adjacency, headline), and
    every parsed block: the rules' sentences and those holding a learned cue word."""
    sentences = split_sentences(text)
    quotes = [q for q in find_quotes(text) if _words(text, q.inner) >= 1]
    beside = _adjacent_cues(text, quotes)
    ptext = _sentence_cased_title(text)  # what is selected and parsed; same offsets as text
    units, more = [], []
    for s in sentences:
        if _worth_parsing(ptext, s, quotes, beside):
            units.append(_skip_dateline(text, s))
        elif _has_cue_word(ptext, s):
            more.append(_skip_dateline(text, s))
    parsed = parsing.parse(ptext, units + more)
    candidates = _headline(text, sentences) + _speaker_labels(text)
    for base, doc in parsed[: len(units)]:
        candidates.extend(find_candidates(doc, base, len(text)))
    candidates = _with_parentheticals(text, sentences, candidates)
    _sources_outside_quotes(text, candidates, quotes)
    for cand in candidates:
        if cand.cue.of(text).lower() in SOURCELESS_CUE_FORMS:
            cand.source = cand.ref = None  # "the plan seems to ...": evidence, nobody speaks
    for cand in candidates:
        if cand.colon_next:
            cand.content = _next_paragraph(text, cand.content.end) or cand.content
    drafts = [d for d in _pair(text, candidates, quotes) if _set_off(text, d) and _someone_speaks(text, d)]
    return sentences, quotes, drafts, parsed


_SET_OFF_RE = re.compile(r"[,\u2014\u2013\-\"\u201d\u2019'()]")
_WH_WORDS = {"what", "which", "who", "whom", "whatever", "that"}


def _set_off(text: str, d: Draft) -> bool:
    """Whether reported speech before its cue is set off from it: 'The plan failed, he said.'

    Words that run straight into the cue are not what it reports: '... a record of the article
    that Carson said was written', 'three-quarters said'. On PolNeAR train 6 of 112 such
    statements were right. A relative word alone ('what some call') stays: 14 of 32.
    """
    if d.kind != INDIRECT or d.cue is None or d.content.end > d.cue.start:
        return True
    if d.content.of(text).strip().lower() in _WH_WORDS:
        return True
    after = d.source.start if d.source is not None and d.source.start >= d.content.end else d.cue.start
    return _SET_OFF_RE.search(text, d.content.end, after) is not None


def _someone_speaks(text: str, d: Draft) -> bool:
    """Whether reported speech through a speech verb names who speaks, or is a question put to
    someone ('she was asked about the protests'). When neither the parse nor the words before
    the verb name a speaker ('Jolly said he has worked ...' tags "Jolly" as an adverb), the
    statement says nothing anyone could cite: on PolNeAR train 7 of 52 were right."""
    if d.kind != INDIRECT or d.source is not None or d.cue is None or d.confidence < 0.8:
        return True
    return SPEECH_FORMS.get(d.cue.of(text).lower()) == "ask"


def _sources_outside_quotes(text: str, candidates: list[Candidate], quotes: list[Quote]) -> None:
    """A speaker is not inside someone's quoted words: "'That, unfortunately,' he said, 'is
    part of life.'" parses with "That" as the subject of "said".  The words beside the quote
    name the speaker ("he"); the cue is the same word."""
    def quoted(span: Span, cue: Span) -> Quote | None:
        return next((q for q in quotes if q.inner.start <= span.start and span.end <= q.inner.end
                     and not q.inner.start <= cue.start < q.inner.end), None)

    for c in candidates:
        q = quoted(c.source, c.cue) if c.source is not None else None
        if q is None:
            continue
        hit = match_after(text, q.outer.end)
        if hit is not None and hit.cue == c.cue:
            c.source, c.ref = hit.source, None
            continue
        # 'Sanders said, suggesting questions, including, "do you think ..."': the cue before speaks
        before = [b for b in candidates if b.source is not None and b.cue.end <= c.cue.start
                  and c.cue.start - b.cue.end <= 30 and "\n" not in text[b.cue.end : c.cue.start]
                  and quoted(b.source, b.cue) is None]
        if before:
            c.source, c.ref = before[-1].source, before[-1].ref


_TITLE_WORD_RE = re.compile(r"(?<!\w)(?<!\w['\u2019])[A-Z][a-z]+(?:['\u2019][a-z]+)?\b")


@functools.lru_cache(maxsize=1)  # run() and _rule_drafts() both ask, for the same article
def _sentence_cased_title(text: str) -> str:
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


def _has_cue_word(text: str, span: Span) -> bool:
    """Whether ``text[span]`` holds a word of the learned-cue vocabulary (any case).

    A set lookup per word: one regular expression alternating 2,329 words took a second of
    the 84 dev articles."""
    words = cues.load().words
    return any(w.lower() in words for w in _WORD_RE.findall(text, span.start, span.end))


def _learned_drafts(
    text: str, parsed: Parsed, drafts: list[Draft], quotes: list[Quote], collect: list | None = None,
) -> list[Draft]:
    """Statements through cues the rules do not read, from the learned model (``cues.py``).

    A word the rules already used as a cue is left alone, and so is an option whose
    content is one the rules already give.  With ``collect``, every option is
    appended there (the training examples of ``train_cues``) and none is picked.
    """
    model = cues.load()
    marks = sorted((q.outer.start, q.outer.end) for q in quotes)
    mark_starts = [a for a, _ in marks]
    taken = [d.content for d in drafts]
    rule_cues = {d.cue.start for d in drafts if d.cue is not None}

    def inside(at: int) -> bool:
        i = bisect.bisect_right(mark_starts, at) - 1
        return i >= 0 and at < marks[i][1]

    def nested(at: int) -> bool:
        return any(c.start <= at < c.end for c in taken)

    found = []
    for base, doc in parsed:
        for opt in cues.options(doc, base, model.words, inside, nested):
            # untrimmed spans apart are apart trimmed too: the cheap test first
            if opt.cue.start not in rule_cues and not any(
                    _overlap(opt.content, c) and _same_content(text, opt.content, c) for c in taken):
                found.append(opt)
    if collect is not None:
        collect.extend(found)
        return []
    out: list[Draft] = []
    for opt, p in sorted(model.pick(found), key=lambda op: (-op[1], op[0].cue.start)):
        if any(_same_content(text, opt.content, d.content) for d in out):
            continue
        kind, content = INDIRECT, opt.content
        qs = [q for q in quotes if _overlap(content, q.outer) > 0]
        if qs:  # 'shouted, "Stop the coverup!"': the parse's object is the quote's words
            kind = MIXED
            content = Span(min(content.start, qs[0].outer.start), max(content.end, qs[-1].outer.end))
            if _words_outside(text, content, qs) <= 1:
                kind, content = DIRECT, Span(qs[0].inner.start, qs[-1].inner.end)
        out.append(Draft(kind, content, opt.cue, opt.source, opt.ref, round(0.5 * p, 3)))
    return out


def _same_content(text: str, a: Span, b: Span) -> bool:
    """The scorer's match: trimmed spans overlapping by half of the shorter one."""
    a, b = _trim(text, a), _trim(text, b)
    ov = _overlap(a, b)
    return ov > 0 and ov * 2 >= (min(a.end - a.start, b.end - b.start) or 1)


def cue_examples(text: str) -> tuple[list[cues.Option], list[Draft]]:
    """The learned model's options for ``text`` (its training examples) and the rules' drafts."""
    _, quotes, drafts, parsed = _rule_drafts(text)
    found: list[cues.Option] = []
    _learned_drafts(text, parsed, drafts, quotes, collect=found)
    return found, drafts


Example = tuple[Quote, list[float], Span | None, tuple[str, ...]]


def unattributed_examples(text: str) -> tuple[list[Example], list[Span]]:
    """Every quote the rules left unattributed, with its features, the source and speakers
    ``unattributed`` would give it (the training examples of ``train_unattributed``),
    and the contents of the rules' direct and mixed statements."""
    sentences, quotes, drafts, parsed = _rule_drafts(text)
    drafts.extend(_learned_drafts(text, parsed, drafts, quotes))
    out: list[Example] = []
    _unattributed(text, drafts, quotes, sentences, NameIndex(_sentence_cased_title(text)), collect=out)
    return out, [d.content for d in drafts if d.kind in (DIRECT, MIXED)]


def _unattributed(
    text: str, drafts: list[Draft], quotes: list[Quote], sentences: list[Span], index: NameIndex,
    collect: list | None = None,
) -> list[Draft]:
    """Drafts for quotes no rule claimed that the learned classifier takes for speech."""
    claimed = [d.content for d in drafts if d.kind in (DIRECT, MIXED)]
    left = [q for q in quotes if not any(_overlap(c, q.inner) > 0 for c in claimed)]
    if not left:
        return []
    said = [unattributed.Said(d.content, d.source, d.ref) for d in drafts]
    starts = [s.start for s in sentences]
    out: list[_Accepted] = []
    for q in left:
        i = max(0, bisect.bisect_right(starts, q.outer.start) - 1)
        sentence = sentences[i] if sentences else Span(0, len(text))
        x = unattributed.features(text, q, sentence, said, index, sentences)
        source, ref = unattributed.source_for(text, q, sentence, said, index, sentences)
        if collect is not None:
            named = ref or source
            collect.append((q, x, source, index.resolve(named.of(text), named.start) if named else ()))
            continue
        p = unattributed.probability(x)
        if p < unattributed.THRESHOLD:
            continue
        last = out[-1] if out else None
        if last is not None and last.sentence == sentence \
                and "\n" not in text[last.content.end : q.outer.start]:
            # 'called it "disgusting" and "a con"': one statement, from the first quote to the last
            last.draft.content = Span(last.draft.content.start, q.inner.end)
            last.draft.kind = MIXED
            continue
        draft = Draft(DIRECT, q.inner, None, source, ref, round(0.5 * p, 3))
        out.append(_Accepted(draft, sentence))
        said.append(unattributed.Said(q.inner, source, ref))
    return [a.draft for a in out]


@dataclass
class _Accepted:
    draft: Draft
    sentence: Span

    @property
    def content(self) -> Span:
        return self.draft.content


def _with_parentheticals(text: str, sentences: list[Span], candidates: list[Candidate]) -> list[Candidate]:
    """Add 'X, he said, Y' statements (the whole sentence is the content).

    Other cues in that sentence lie inside the reported words, so they go.
    """
    found = []
    for s in sentences:
        hit = find_parenthetical(text, s.start, s.end)
        if hit is not None:
            found.append(Candidate(hit.cue, _trim(text, s), hit.source, strength=0.85))
    if not found:
        return candidates
    kept = [c for c in candidates
            if not any(f.content.start <= c.cue.start < f.content.end and c.cue != f.cue for f in found)]
    kept = [c for c in kept if not any(c.cue == f.cue for f in found)]
    return kept + found


def _adjacent_cues(text: str, quotes: list[Quote]) -> set[int]:
    """Offsets of cue words that ``adjacent`` already reads beside a quote ('"...," he said')."""
    found = set()
    for q in quotes:
        # after a quote inside its sentence ('The summit did "too little," he added') the parse
        # is needed for the words before the quote
        after = match_after(text, q.outer.end) if _opens_sentence(text, q) else None
        for hit in (after, _introduced(text, q)):
            if hit is not None:
                found.add(hit.cue.start)
    return found


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?][\"'\u201d\u2019)]*\s+|\n)[^\w]*$")


def _opens_sentence(text: str, q: Quote) -> bool:
    return _SENTENCE_START_RE.search(text, max(0, q.outer.start - 200), q.outer.start) is not None


def _worth_parsing(text: str, sentence: Span, quotes: list[Quote], beside: set[int]) -> bool:
    """A sentence is parsed when a cue word stands outside every quotation.

    Cue words inside a quote ("I think ...") would only give nested speech,
    which is dropped anyway; a cue right beside a quote is read by ``adjacent``
    without the parser.  Either way the sentence need not be parsed for it.
    """
    inside = [q.outer for q in quotes if q.outer.start < sentence.end and q.outer.end > sentence.start]
    for m in _SELECT_RE.finditer(text, sentence.start, sentence.end):
        if m.start() in beside:
            continue
        if not any(q.start <= m.start() < q.end for q in inside):
            return True
    return False


def _skip_dateline(text: str, span: Span) -> Span:
    """Drop a "SEOUL, SOUTH KOREA — " or "RENO, Nev. (AP) — " dateline so the parser does not
    take the place for the subject."""
    m = _DATELINE_RE.match(text, span.start, span.end)
    return Span(m.end(), span.end) if m and m.end() < span.end else span


def _words(text: str, span: Span) -> int:
    return len(span.of(text).split())


def _headline(text: str, sentences: list[Span]) -> list[Candidate]:
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
    content = _trim(text, Span(offset + m.start(2), offset + m.end(2)))
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


def _speaker_labels(text: str) -> list[Candidate]:
    """Transcript turns: 'PENCE: Well, look, ...' - a capitalised name before a colon opens a paragraph."""
    out = []
    for m in _LABEL_RE.finditer(text):
        if m.group(1) in _NOT_SPEAKERS or len(m.group(1).split()) > 3:
            continue
        content = _trim(text, Span(m.start(2), m.end(2)))
        if content.end - content.start > 1:
            colon, source = Span(m.end(1), m.end(1) + 1), Span(m.start(1), m.end(1))
            out.append(Candidate(colon, content, source, strength=0.5))
    return out


def _next_paragraph(text: str, at: int) -> Span | None:
    nl = text.find("\n", at)
    if nl < 0:
        return None
    m = re.compile(r"[^\n]+").search(text, nl)
    return _trim(text, Span(m.start(), m.end())) if m else None


def _trim(text: str, span: Span) -> Span:
    a, b = span.start, span.end
    while a < b and text[a] in _CONTENT_TRIM:
        a += 1
    while b > a and text[b - 1] in _CONTENT_TRIM:
        b -= 1
    return Span(a, b)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _pair(text: str, candidates: list[Candidate], quotes: list[Quote]) -> list[Draft]:
    """Match quotes to candidates; decide direct, mixed or indirect."""
    _quote_before_cue(text, candidates, quotes)
    owner: dict[int, int] = {}  # quote index -> candidate index
    for qi, q in enumerate(quotes):
        best, best_key = None, None
        near = [c for c in candidates if _overlap(c.content, q.outer) > 0]
        for ci, c in enumerate(candidates):
            ov = _overlap(c.content, q.outer)
            if ov <= 0 or (c.cue.start >= q.inner.start and c.cue.end <= q.inner.end):
                continue
            # A cue inside another candidate's reported words is nested speech: the outer one speaks.
            outer = not any(o is not c and o.content.start <= c.cue.start < o.content.end for o in near)
            key = (outer, ov, c.strength)
            if best_key is None or key > best_key:
                best, best_key = ci, key
        if best is not None:
            owner[qi] = best
    drafts: list[Draft] = []
    by_cand: dict[int, list[int]] = {}
    for qi, ci in owner.items():
        by_cand.setdefault(ci, []).append(qi)
    claimed = [quotes[qi] for qi in owner]
    for ci, c in enumerate(candidates):
        if any(q.inner.start <= c.cue.start and c.cue.end <= q.inner.end for q in claimed):
            continue  # a cue inside someone's quote: nested speech, not a statement of its own
        qs = [quotes[qi] for qi in sorted(by_cand.get(ci, []))]
        if qs:
            if _words_outside(text, c.content, qs) <= 1:
                content = Span(qs[0].inner.start, max(qs[-1].inner.end, qs[0].inner.end))
                drafts.append(Draft(DIRECT, content, c.cue, c.source, c.ref, 0.9))
                continue
            # the quotes whole, marks included: 'poses a \u201cgrave challenge ... our state\u201d'
            content = Span(min(c.content.start, qs[0].outer.start), max(c.content.end, qs[-1].outer.end))
            drafts.append(Draft(MIXED, content, c.cue, c.source, c.ref, 0.75))
            continue
        if c.cue.of(text).lower() in SUPPRESSED_INDIRECT_CUES:
            continue  # on train these were right too rarely to be worth giving
        drafts.append(Draft(INDIRECT, c.content, c.cue, c.source, c.ref, c.strength))
    orphans = [q for qi, q in enumerate(quotes) if qi not in owner]
    orphans = _join_broken(text, drafts, orphans)
    drafts = _one_per_cue(text, drafts + _adjacent_drafts(text, orphans, drafts))
    quoted = [d.content for d in drafts if d.kind == DIRECT]
    drafts = [d for d in drafts if d.kind == DIRECT or d.cue is None
              or not any(c.start <= d.cue.start < c.end for c in quoted)]
    drafts.sort(key=lambda d: (d.content.start, d.content.end))
    return drafts


def _quote_before_cue(text: str, candidates: list[Candidate], quotes: list[Quote]) -> None:
    """'"A. B. C," Sanders said, suggesting ...': the parse saw only the sentence 'C," Sanders
    said, ...' and took its clause as the content; the statement is the whole quote before the cue."""
    for c in candidates:
        for q in quotes:
            starts_inside = q.inner.start < c.content.start < q.inner.end
            if starts_inside and q.inner.end <= c.cue.start and c.cue.start - q.outer.end <= 60:
                c.content = q.inner
                break
            # 'Murphy followed up by lamenting the churn: "There's just a ton of ...," he said.':
            # the parse took the words before the quote; the quote right before the cue is what was said
            lead_in = c.content.end <= q.outer.start or (
                c.content.start < q.outer.start < c.content.end
                and text[c.content.start : q.outer.start].rstrip().endswith(":"))
            if lead_in and q.outer.end <= c.cue.start:
                hit = match_after(text, q.outer.end)
                if hit is not None and hit.cue == c.cue and not hit.crosses:
                    c.content = q.inner
                    break


def _words_outside(text: str, content: Span, qs: list[Quote]) -> int:
    """How many words of ``content`` lie outside the quotes ("that the nation" = 3)."""
    pos, words = content.start, 0
    for q in qs:
        if q.outer.start > pos:
            words += len(re.findall(r"\w+", text[pos : min(q.outer.start, content.end)]))
        pos = max(pos, q.outer.end)
    if content.end > pos:
        words += len(re.findall(r"\w+", text[pos : content.end]))
    return words


def _adjacent_drafts(text: str, orphans: list[Quote], others: list[Draft]) -> list[Draft]:
    """Direct quotes attributed by the words right beside them ('"...," he said').

    A quote joins the one before ('"A," he said, "B."') unless another statement lies between."""
    out: list[Draft] = []
    cues = sorted(d.cue.start for d in others if d.cue is not None)
    for q in orphans:
        if out and out[-1].cue is not None and out[-1].content.end <= out[-1].cue.start < q.outer.start \
                and "\n" not in text[out[-1].content.end : q.outer.start] \
                and q.outer.start - out[-1].content.end <= 160 \
                and not _introduced_after(text, q, out[-1].cue.end) \
                and not _any_between(cues, out[-1].cue.end, q.outer.start):
            out[-1].content = Span(out[-1].content.start, q.inner.end)  # "A," he said, "B."
            continue
        hit = match_after(text, q.outer.end)
        if hit is not None and _title_before_speech(text, q, hit):
            hit = None
        if hit is None or hit.crosses:  # a cue in the quote's own sentence beats a "He said." after it
            hit = _introduced(text, q) or hit
        if hit is None:
            continue
        out.append(Draft(DIRECT, q.inner, hit.cue, hit.source, None, 0.8))
    return out


_CLAUSE_AFTER_RE = re.compile(
    r"[ \t]+(?:that|the|a|an|his|her|their|its|he|she|they|it|we|I|there|this)[ \t]"
)


def _title_before_speech(text: str, q: Quote, hit: Adjacent) -> bool:
    """'On "Face the Nation," Ryan said the shootings demand ...': a short quote whose cue
    goes on to its own long clause is a title, not what was said."""
    if len(q.inner.of(text).split()) > 4:
        return False
    return _CLAUSE_AFTER_RE.match(text, hit.cue.end) is not None


def _introduced(text: str, q: Quote) -> Adjacent | None:
    """The attribution right before a quote ('Trump told reporters: "..."').

    A quote of one or two words is a scare quote or a title ('called it a "hoax"') unless
    the cue introduces it with a comma or colon and it ends a sentence ('yelled, "Stay there!"').
    """
    hit = match_before(text, q.outer.start)
    if hit is None or len(q.inner.of(text).split()) >= 3:
        return hit
    introduced = re.fullmatch(r"[ \t]*[,:][ \t]*", text[hit.cue.end : q.outer.start]) is not None
    return hit if introduced and q.inner.of(text).rstrip()[-1:] in ".!?" else None


def _one_per_cue(text: str, drafts: list[Draft]) -> list[Draft]:
    """'"That, unfortunately," he said, "is part of life."': the adjacent reader gives the
    first quote to "said" and the parse the second; one cue, one statement."""
    out: list[Draft] = []
    for d in sorted(drafts, key=lambda d: d.content.start):
        prev = next((p for p in reversed(out) if p.kind == DIRECT), None)
        if d.kind == DIRECT and prev is not None and prev.cue is not None and prev.cue == d.cue \
                and prev.content.end <= d.cue.start < d.content.start \
                and "\n" not in text[prev.content.end : d.content.start]:
            prev.content = Span(prev.content.start, d.content.end)
            prev.confidence = max(prev.confidence, d.confidence)
            continue
        out.append(d)
    return out


def _any_between(starts: list[int], a: int, b: int) -> bool:
    i = bisect.bisect_left(starts, a)
    return i < len(starts) and starts[i] < b


def _introduced_after(text: str, q: Quote, at: int) -> bool:
    """'"A," said Pillar, an analyst. But he added, "B."': B has an attribution of its own after ``at``."""
    own = match_before(text, q.outer.start)
    if own is not None and own.cue.start >= at:
        return True
    after = match_after(text, q.outer.end)  # 'The summit did "too little," he added.'
    return after is not None and not after.crosses and after.cue.start >= at


def _join_broken(text: str, drafts: list[Draft], orphans: list[Quote]) -> list[Quote]:
    """Extend a direct quote over the next quote when only its attribution lies between; a
    mixed statement too ('Oz is "smart," Mosko wrote, and "full of it."'), marks included.

    Returns the quotes still without an owner.
    """
    direct = sorted((d for d in drafts if d.kind in (DIRECT, MIXED)), key=lambda d: d.content.start)
    cues = sorted(d.cue.start for d in drafts if d.cue is not None)
    left: list[Quote] = []
    for q in orphans:
        joined = False
        for d in reversed(direct):
            if d.content.end > q.outer.start:
                continue
            gap = text[d.content.end : q.outer.start]
            cue_between = d.cue is not None and d.content.end <= d.cue.start < q.outer.start
            if "\n" in gap or len(gap) > 160 or not cue_between:
                break
            after_cue = text[d.cue.end : q.outer.start]
            if any(m.group().endswith("ing") for m in _SELECT_RE.finditer(after_cue)):
                break  # '"A," she said, suggesting questions, including "B"': B is another statement
            if _introduced_after(text, q, d.cue.end) or _any_between(cues, d.cue.end, q.outer.start):
                break
            d.content = Span(d.content.start, q.inner.end if d.kind == DIRECT else q.outer.end)
            joined = True
            break
        if not joined:
            left.append(q)
    return left


def _finish(
    text: str, drafts: list[Draft], sentences: list[Span], published: datetime.date | None, index: NameIndex
) -> tuple[Attribution, ...]:
    starts = [s.start for s in sentences]
    date_fn = discourse.date_function()
    out: list[Attribution] = []
    previous: list[tuple[int, tuple[str, ...]]] = []  # (cue offset, speakers) so far
    for d in sorted(drafts, key=lambda d: (d.cue or d.content).start):
        sentence = _sentence_of(d, sentences, starts, len(text))
        speakers = _speakers(text, d, index, previous, sentence.start)
        if not speakers and d.source is not None:
            full = index.role_antecedent(d.source.of(text), d.source.start)
            if full is not None:  # "the president" where no president is named: hand on the full phrase
                d.source = Span(*full)
        if d.cue is not None:
            previous.append((d.cue.start, speakers))
        said_on = discourse.date_for(
            text, sentence=sentence, cue=d.cue, content=d.content, published=published, fn=date_fn
        )
        if said_on.value is None and speakers:
            said_on = _carried_date(
                text, d, sentence, sentences, starts, index, speakers, published, date_fn, drafts
            )
        out.append(
            Attribution(
                kind=d.kind, content=d.content, sentence=sentence, source=d.source, cue=d.cue,
                speakers=speakers, said_on=said_on, confidence=round(d.confidence, 3),
            )
        )
    out.sort(key=lambda a: (a.content.start, a.content.end, a.cue.start if a.cue else -1))
    return tuple(out)


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
        if subject is not None:  # "Kim may consider talks with Trump if he feels ...": Kim
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
    date_fn: discourse.DateFn, drafts: list[Draft],
) -> DateResolution:
    """The previous sentence's date, when this statement's pronoun continues its speaker.

    The date is asked for the previous sentence's own cue (or, when it has none,
    the speaker's name there), so a date tied to another event stays unused.
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
    if earlier:
        cue, content = earlier[0].cue, earlier[0].content
    else:
        cue, content = Span(mentions[0].start, mentions[0].end), None
    return discourse.date_for(text, sentence=prev, cue=cue, content=content, published=published, fn=date_fn)
