"""The cue forms learned from training annotations: well-formed, and used by the rules."""

from __future__ import annotations

from quotes.extraction import extract
from quotes.extraction.lexicon.handwritten import CUE_FORMS
from quotes.extraction.lexicon.mined import LEARNED_CUE_FORMS

from ..conftest import find


def test_learned_forms_are_lowercase_words_not_in_the_hand_written_lexicon():
    assert LEARNED_CUE_FORMS
    assert all(f.isalpha() or "-" in f for f in LEARNED_CUE_FORMS)
    assert all(f == f.lower() and f not in CUE_FORMS for f in LEARNED_CUE_FORMS)


def test_a_learned_verb_is_a_cue_when_the_parse_makes_it_a_verb():
    text = "Senator Mary Jones denounced the plan to close the rural hospitals."
    a = find(text, extract(text), "the plan to close")
    assert a.cue.of(text) == "denounced" and a.speakers == ("Mary Jones",)


def test_a_learned_verb_takes_its_prepositional_object_as_content():
    text = "Senator Mary Jones spoke for an hour on Monday, referring to the closure of the rural hospitals."
    a = find(text, extract(text), "the closure of the rural hospitals")
    assert a.cue.of(text) == "referring" and a.speakers == ("Mary Jones",)


def test_evidence_verbs_learned_as_sourceless_give_no_source():
    from quotes.extraction.lexicon.mined import SOURCELESS_CUE_FORMS

    assert {"seems", "appears"} <= SOURCELESS_CUE_FORMS
    text = "The governor's new budget plan seems to favour the richest families in the state."
    for a in extract(text):
        if a.cue is not None and a.cue.of(text) == "seems":
            assert a.source is None and a.speakers == ()


def test_cues_suppressed_on_train_give_no_indirect_statement():
    from quotes.extraction.lexicon.mined import SUPPRESSED_INDIRECT_CUES

    assert "continue" in SUPPRESSED_INDIRECT_CUES and "said" not in SUPPRESSED_INDIRECT_CUES
    text = "The senators continue to argue that the bill will pass."
    assert not [a for a in extract(text) if a.cue is not None and a.cue.of(text) == "continue"]
