"""Find reported speech in one parsed block: cue, source and content spans.

Works on spaCy's dependency parse (``tag_`` and ``dep_`` only).  Patterns:

- a reporting verb with a clausal complement: "Kim said (that) ...", "..., he said";
- an infinitive after a promising verb: "He vowed to strengthen ...";
- "according to X, ..." and "..., according to X";
- a cue followed by a colon: "Trump said: ..." (the content may be the next paragraph);
- a statement noun with a that-clause: "X's statement that ...".

Returns :class:`Candidate` records with offsets into the original text (the
block's offset is added to every token offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..lexicon import mined_cue_forms
from ..lexicon.handwritten import (
    CUE_FORMS,
    INFINITIVE_VERBS,
    OBJECT_VERBS,
    PHRASAL_ONLY,
    PHRASAL_ONLY_FORMS,
    SPEECH_FORMS,
    STATEMENT_NOUNS,
    THINK_FORMS,
)
from ..lexicon.mined import SOURCELESS_CUE_FORMS
from ..types import Span
from .tree import TIME_WORDS, cue_subject, object_end, passive_agent, source_span, tok_span

LEARNED_FORMS = mined_cue_forms()
_ALL_CUES = {**PHRASAL_ONLY_FORMS, **LEARNED_FORMS, **CUE_FORMS}
_CONTENT_PREPS = {"to", "about"}
_PHRASAL_PREPS = {  # "called for a ban on assault weapons": what was demanded
    "call": {"for"}, "warn": {"of", "about", "against"}, "ask": {"about", "for"}, "say": {"of"},
    "boast": {"of", "about"}, "brag": {"about"}, "joke": {"about"}, "complain": {"about", "of"},
    "caution": {"against"}, "respond": {"to"}, "reply": {"to"}, "agree": {"with"},
    **{lemma: set(preps.split()) for lemma, preps in PHRASAL_ONLY.items()},
}
_QUOTE_TOKENS = {'"', "\u201c", "\u201d", "``", "''", "\u00ab", "\u00bb"}
_QUESTION_MARKS = ("if", "whether")
_OPENING_QUOTES = {'"', "\u201c", "``"}
_QUOTE_CHARS = ('"', "\u201c", "\u201d", "`", "''", "\u00ab", "\u00bb")  # cheap test before the tokens
_PERSON_PRONOUNS = {"he", "she", "they", "i", "we", "you", "who"}


@dataclass
class Candidate:
    """A reported-speech finding before it becomes an Attribution (mutable on purpose)."""

    cue: Span
    content: Span
    source: Span | None
    ref: Span | None = None  # what a relative pronoun source ("who") stands for
    strength: float = 0.6
    colon_next: bool = False  # content is the paragraph after a trailing colon


def _complement(tok: Any, lemma: str) -> Any | None:
    # a clause after the cue before one before it ('It's unlikely; her team says she'll go on'),
    # unless the one before is quoted ('"We will win," he said, adding ...')
    left = next((c for c in tok.lefts if c.dep_ == "ccomp"), None)
    right = next((c for c in tok.rights if c.dep_ == "ccomp"), None)
    if left is not None and (right is None or _quoted_clause(left)):
        return left
    if right is not None:
        return right
    learned = lemma in LEARNED_FORMS
    for child in tok.children:
        if child.dep_ == "dobj" and (lemma in OBJECT_VERBS or learned or _has_quote(child)):
            return child
    for child in tok.rights:  # 'Asked if her practices were illegal', 'wondered whether ...'
        marks = [g.lower_ for g in child.children if g.dep_ == "mark"]
        if child.dep_ == "advcl" and any(m in _QUESTION_MARKS for m in marks):
            return child
    if tok.lower_ in SPEECH_FORMS:  # 'A man yelled, "Stay there!"': the parse hangs the quote as xcomp
        for child in tok.rights:
            first = child.left_edge.i
            mark, before = child.doc[first - 1], child.doc[first - 2]
            if child.dep_ in ("xcomp", "advcl") and mark.text in _OPENING_QUOTES and before.whitespace_ \
                    and not mark.whitespace_ and (before.i == tok.i or before.text in (",", ":")):
                return child
    if lemma in INFINITIVE_VERBS or learned:
        for child in tok.children:
            if child.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
                return child
    preps = (_CONTENT_PREPS if learned else set()) | _PHRASAL_PREPS.get(lemma, set()) \
        | _PHRASAL_PREPS.get(PHRASAL_ONLY_FORMS.get(tok.lower_, ""), set())  # learned "railed": "against"
    if preps:  # "referring to the two resorts", "called for a ban": the prepositional object
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ in preps:
                obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None and obj.lower_ not in TIME_WORDS:  # not "spoke on Tuesday"
                    return obj
    return None


def _quoted_clause(clause: Any) -> bool:
    first = clause.left_edge.i
    doc = clause.doc
    return doc[first].text in _QUOTE_TOKENS or (first > 0 and doc[first - 1].text in _QUOTE_TOKENS)


def _has_quote(tok: Any) -> bool:
    return any(t.text in _QUOTE_TOKENS for t in tok.subtree)


def find_candidates(doc: Any, base: int, para_end: int) -> list[Candidate]:
    """All reported-speech candidates in one parsed block."""
    out: list[Candidate] = []
    raw = doc.text
    has_quote = any(c in raw for c in _QUOTE_CHARS) and any(t.text in _QUOTE_TOKENS for t in doc)
    for tok in doc:
        low = tok.lower_
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            cand = _according(doc, base, tok)
        elif low in SOURCELESS_CUE_FORMS and (tok.tag_.startswith("RB") or (
                tok.tag_.startswith("VB") and any(c.dep_ == "acomp" for c in tok.children))):
            cand = _evidential(doc, base, tok)
        elif low in _ALL_CUES and tok.tag_.startswith("VB"):
            cand = _verb_cue(doc, base, tok, low, para_end)
        elif low.rstrip("s") in STATEMENT_NOUNS and tok.tag_.startswith("NN"):
            cand = _noun_cue(doc, base, tok)
        elif tok.tag_.startswith("VB") and has_quote:
            cand = _quoting_verb(doc, base, tok)
        else:
            cand = None
        if cand is not None:
            out.append(cand)
    return out


def _according(doc: Any, base: int, tok: Any) -> Candidate | None:
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    src_tok = objs[0]
    sent = tok.sent
    phrase_end = src_tok.right_edge.i
    before = tok_span(doc, base, sent.start, tok.i - 1) if tok.i > sent.start else None
    after = tok_span(doc, base, phrase_end + 1, sent.end - 1) if phrase_end + 1 < sent.end else None
    content = max((s for s in (before, after) if s), key=lambda s: s.end - s.start, default=None)
    if content is None:
        return None
    cue = Span(base + tok.idx, base + to.idx + len(to.text))
    return Candidate(cue, content, source_span(doc, base, src_tok), strength=0.7)


def _verb_cue(doc: Any, base: int, tok: Any, low: str, para_end: int) -> Candidate | None:
    lemma = _ALL_CUES[low]
    comp = _complement(tok, lemma)
    subj = cue_subject(tok)
    if subj is None and tok.dep_ not in ("parataxis", "ccomp", "ROOT"):
        return None
    has_aux = any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    if tok.tag_ == "VBN" and not has_aux and tok.dep_ != "ROOT":
        # "When asked if ...": the subject of the main clause is not speaking here;
        # the question is reported, by nobody named.
        return _asked(doc, base, tok, comp) if lemma == "ask" else None
    if comp is None and low in PHRASAL_ONLY_FORMS and low not in LEARNED_FORMS and low not in CUE_FORMS:
        return None  # "spoke", "talked": a cue only with what was spoken about
    content = None
    colon_next = False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if comp is not None and comp.dep_ == "dobj":
        content = tok_span(doc, base, comp.left_edge.i, object_end(tok, comp))
    elif comp is not None:
        content = tok_span(doc, base, comp.left_edge.i, comp.right_edge.i)
    elif low in SPEECH_FORMS and tok.head.i < tok.i and (tok.dep_ in ("parataxis", "ccomp") or (
            tok.dep_ == "conj" and subj is not None and subj.left_edge.i > 1 and _names_someone(subj)
            and doc[subj.left_edge.i - 1].text in _QUOTE_TOKENS and doc[subj.left_edge.i - 2].text == ","
            and _opens_with_quote(doc, tok.sent.start, subj.left_edge.i - 1))):
        # "We will win," he said.  The parser hangs "said" under the quoted verb (or as its conj).
        first = tok.sent.start
        content = tok_span(doc, base, first, tok.left_edge.i - 1)
    elif tok.dep_ == "advcl" and tok.head.i > tok.i and any(
            c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        # "As another Pew study noted, the average age was 18": the main clause is what was noted
        content = tok_span(doc, base, tok.right_edge.i + 1, tok.head.right_edge.i)
    elif low in SPEECH_FORMS and tok.dep_ in ("parataxis", "advcl", "ccomp") and tok.head.i > tok.i \
            and tok.left_edge.i > tok.sent.start \
            and "," in (doc[tok.left_edge.i - 1].text, tok.left_edge.text):  # the comma may be the cue's own
        # "These employees, Stumpf explained, were well paid": the whole sentence is the content.
        content = tok_span(doc, base, tok.sent.start, tok.sent.end - 1)
    elif nxt is not None and nxt.text == ":":
        if nxt.i + 1 < len(doc) and not doc[nxt.i + 1].is_space:
            content = tok_span(doc, base, nxt.i + 1, tok.sent.end - 1)
        else:
            colon_next = True
            content = Span(base + nxt.idx, base + nxt.idx + 1)
    if content is None:
        return None
    if low in THINK_FORMS and low not in SPEECH_FORMS and comp is None:
        return None
    if subj is not None and subj.lower_ == "it" and low in THINK_FORMS:
        return None
    if subj is None and low in SPEECH_FORMS:
        subj = passive_agent(tok)  # 'Rubio was asked by moderator Gerard Baker whether ...'
    source = source_span(doc, base, subj) if subj is not None else _left_phrase(doc, base, tok)
    ref = None
    if subj is not None and subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
        ref = source_span(doc, base, tok.head)
    strength = 0.8 if low in SPEECH_FORMS else 0.5
    cue = Span(base + tok.idx, base + tok.idx + len(tok.text))
    return Candidate(cue, content, source, ref=ref, strength=strength, colon_next=colon_next)


def _opens_with_quote(doc: Any, start: int, mark: int) -> bool:
    """The quote closing at token ``mark`` opens its sentence: the sentence starts with a
    quotation mark, or ``mark`` is its first one (the tail of a quote that began a sentence
    before: '"A. B," she said' parses as 'A.' and 'B," she said')."""
    return doc[start].text in _QUOTE_TOKENS or not any(t.text in _QUOTE_TOKENS for t in doc[start:mark])


def _evidential(doc: Any, base: int, tok: Any) -> Candidate | None:
    """'Others appeared ready to abandon him', 'The company has reportedly taken heat ...':
    the whole clause is what is reported, and nobody is named as saying it.  (With an
    infinitive, 'seemed to imply that ...', ``_verb_cue`` reads it.)"""
    clause = tok if tok.tag_.startswith("VB") else tok.head
    content = tok_span(doc, base, clause.left_edge.i, clause.right_edge.i)
    if content is None:
        return None
    return Candidate(Span(base + tok.idx, base + tok.idx + len(tok.text)), content, None, strength=0.5)


def _asked(doc: Any, base: int, tok: Any, comp: Any | None) -> Candidate | None:
    """'Asked about the remarks, Trump said ...': what was asked, by nobody named unless
    the agent is ('Asked by Stephanopoulos to respond, ...')."""
    if comp is None:
        return None
    content = tok_span(doc, base, comp.left_edge.i, comp.right_edge.i)
    if content is None:
        return None
    agent = passive_agent(tok)
    source = source_span(doc, base, agent) if agent is not None else None
    return Candidate(Span(base + tok.idx, base + tok.idx + len(tok.text)), content, source, strength=0.5)


def _left_phrase(doc: Any, base: int, tok: Any) -> Span | None:
    """The noun phrase right before a cue the parser left without a subject.

    'Speaking at a rally ..., former president Bill Clinton said his wife ...':
    the parse hangs 'Clinton' elsewhere, but the words between the last comma
    and the cue are the speaker.
    """
    end = tok.i
    while end - 1 > tok.sent.start and doc[end - 1].head.i == tok.i \
            and doc[end - 1].dep_ in ("aux", "neg", "advmod"):
        end -= 1  # 'Jones has also said'
    if end < tok.i and doc[end - 1].is_punct:
        return None  # 'Sembler, who helped lead a super PAC, has agreed': the clause is not the speaker
    end = end - 1 if end - 1 > tok.sent.start and doc[end - 1].text == "," else end
    first = _phrase_start(doc, tok.sent.start, end)  # 'Senator Harry Reid, the minority leader, said'
    age = end - first == 1 and doc[first].tag_ == "CD"
    if age and first - 1 > tok.sent.start and doc[first - 1].text == ",":
        end = first - 1  # 'Marcel Lehel Lazar, 44, said': the age is not the speaker
        first = _phrase_start(doc, tok.sent.start, end)
    if first == end or (first > tok.sent.start and not doc[first - 1].is_punct):
        return None
    words = doc[first:end]
    if not any(t.tag_ in ("NNP", "NNPS", "NN", "NNS", "PRP") for t in words):
        return None
    if any(t.tag_.startswith("VB") or t.tag_ in ("IN", "WDT", "WP") for t in words):
        return None
    return tok_span(doc, base, first, end - 1)


def _phrase_start(doc: Any, start: int, end: int) -> int:
    """Where the words before token ``end`` begin: after punctuation, at most eight back."""
    first = end
    while first > start and not doc[first - 1].is_punct and end - first < 8:
        first -= 1
    return first


def _quoting_verb(doc: Any, base: int, tok: Any) -> Candidate | None:
    """Any verb whose object carries a quote: 'Reid pounded Trump as a "con artist"'."""
    subj = cue_subject(tok)
    if subj is None or tok.dep_ in ("aux", "auxpass") or not _names_someone(subj):
        return None  # "The coalition includes ... 'The Apprentice'": a thing's verb quotes nobody
    comp = next((c for c in tok.children if c.dep_ in ("dobj", "ccomp") and _has_quote(c)), None)
    if comp is None:
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        tail = [c for c in tok.rights if c.dep_ in ("prep", "oprd", "xcomp") and _has_quote(c)]
        if obj is None or not tail:
            return None
        comp = obj
    content = tok_span(doc, base, comp.left_edge.i, object_end(tok, comp))
    if content is None:
        return None
    cue = Span(base + tok.idx, base + tok.idx + len(tok.text))
    return Candidate(cue, content, source_span(doc, base, subj), strength=0.4)


def _names_someone(tok: Any) -> bool:
    """A person-like subject: a personal pronoun or a phrase with a proper name in it."""
    return tok.lower_ in _PERSON_PRONOUNS or any(t.tag_ in ("NNP", "NNPS") for t in tok.subtree)


def _noun_cue(doc: Any, base: int, tok: Any) -> Candidate | None:
    clause = next(
        (c for c in tok.children
         if c.dep_ in ("acl", "ccomp", "relcl")
         and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)),
        None,
    )
    if clause is None:
        return None
    content = tok_span(doc, base, clause.left_edge.i, clause.right_edge.i)
    if content is None:
        return None
    src = next((c for c in tok.children if c.dep_ == "poss"), None)
    if src is None:  # 'X says in a statement that ...', 'X sent out a statement reassuring voters that ...'
        verb = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
        if tok.dep_ in ("pobj", "dobj") and verb.tag_.startswith("VB"):
            src = cue_subject(verb)
    source = source_span(doc, base, src) if src is not None else None
    cue = Span(base + tok.idx, base + tok.idx + len(tok.text))
    return Candidate(cue, content, source, strength=0.4)
