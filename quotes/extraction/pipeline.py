"""The extraction pipeline behind :func:`quotes.extraction.extract`.

Steps: split sentences (regex) -> parse only sentences holding a cue word or a
learned-cue word -> find reported-speech candidates (parse, headline labels,
transcript turns) and settle them -> pair quotation marks with them (direct and
mixed), join quotes broken by their attribution -> check the rules' statements ->
cues the rules do not read, from the learned model (``learned/cue_drafts.py``) ->
a quote standing alone after a question is the answer of the person asked
(``rules/answers.py``) -> quotes still unattributed, from the classifier (``learned/unattributed_drafts.py``)
-> drop speech nested in a longer statement, and speech opening a condition
(``rules/hypothetical.py``) -> resolve speakers and dates (``finish.py``).
"""

from __future__ import annotations

import datetime

from . import parsing
from .drafts import Draft
from .finish import finish
from .learned import cue_model
from .learned.cue_drafts import cue_drafts
from .learned.unattributed_drafts import Example, unattributed_drafts
from .parsing import Parsed
from .rules.adjacent import cues_beside_quotes
from .rules.answers import answers
from .rules.candidates import refine
from .rules.checks import marked_as_quoted, set_off, someone_speaks
from .rules.hypothetical import hypothetical
from .rules.labels import headline_labels, transcript_turns
from .rules.nested import without_nested
from .rules.pairing import pair
from .rules.relay import named_relays, relayed
from .rules.reported import find_candidates
from .speakers import NameIndex
from .text.marks import Quote, find_quotes
from .text.selection import has_cue_word, sentence_cased_title, skip_dateline, worth_parsing
from .text.sentences import split_sentences
from .types import DIRECT, MIXED, Attribution, Span


def run(text: str, published: datetime.date | None) -> tuple[Attribution, ...]:
    """Every statement in ``text`` (already checked by ``extract``), in the steps' order."""
    sentences, quotes, drafts, parsed = _rule_drafts(text)
    drafts.extend(cue_drafts(text, parsed, drafts, quotes))
    drafts.extend(answers(text, sentences, quotes, drafts))
    index = NameIndex(sentence_cased_title(text))  # a Title Case headline is not one long name
    drafts.extend(unattributed_drafts(text, drafts, quotes, sentences, index))
    drafts = named_relays(text, relayed(text, drafts, index.names_a_person), index)
    drafts = hypothetical(text, without_nested(drafts))
    return finish(text, marked_as_quoted(text, drafts), sentences, published, index, quotes)


def _rule_drafts(text: str) -> tuple[list[Span], list[Quote], list[Draft], Parsed]:
    """Sentences, quotes, the drafts the rules find (parse, adjacency, headline), and
    every parsed block: the rules' sentences and those holding a learned cue word."""
    sentences = split_sentences(text)
    quotes = [q for q in find_quotes(text) if _words(text, q.inner) >= 1]
    beside = cues_beside_quotes(text, quotes)
    ptext = sentence_cased_title(text)  # what is selected and parsed; same offsets as text
    vocabulary = cue_model.load().words
    units, more = [], []
    for s in sentences:
        if worth_parsing(ptext, s, quotes, beside):
            units.append(skip_dateline(text, s))
        elif has_cue_word(ptext, s, vocabulary):
            more.append(skip_dateline(text, s))
    parsed = parsing.parse(ptext, units + more)
    candidates = headline_labels(text, sentences) + transcript_turns(text)
    for base, doc in parsed[: len(units)]:
        candidates.extend(find_candidates(doc, base, len(text)))
    candidates = refine(text, sentences, quotes, candidates)
    drafts = [d for d in pair(text, candidates, quotes) if set_off(text, d) and someone_speaks(text, d)]
    return sentences, quotes, drafts, parsed


def _words(text: str, span: Span) -> int:
    return len(span.of(text).split())


def cue_examples(text: str) -> tuple[list[cue_model.Option], list[Draft]]:
    """The learned model's options for ``text`` (its training examples) and the rules' drafts."""
    _, quotes, drafts, parsed = _rule_drafts(text)
    found: list[cue_model.Option] = []
    cue_drafts(text, parsed, drafts, quotes, collect=found)
    return found, drafts


def unattributed_examples(text: str) -> tuple[list[Example], list[Span]]:
    """Every quote the rules left unattributed, with its features, the source and speakers
    ``unattributed`` would give it (the training examples of ``train_unattributed``),
    and the contents of the rules' direct and mixed statements."""
    sentences, quotes, drafts, parsed = _rule_drafts(text)
    drafts.extend(cue_drafts(text, parsed, drafts, quotes))
    out: list[Example] = []
    unattributed_drafts(text, drafts, quotes, sentences, NameIndex(sentence_cased_title(text)), collect=out)
    return out, [d.content for d in drafts if d.kind in (DIRECT, MIXED)]
