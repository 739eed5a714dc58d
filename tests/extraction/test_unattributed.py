"""Quotes no rule attributed: the learned classifier (``unattributed.py``) and its speaker choice."""

from quotes.extraction import extract, unattributed


def _read(text):
    return [(a.kind, a.content.of(text), a.source and a.source.of(text), a.speakers) for a in extract(text)]


def test_partial_quote_under_a_verb_outside_the_lexicon_goes_to_the_subject():
    text = ('Sen. Jane Doe lauded the plan in her address for helping develop "new and innovative ideas." '
            "It passed.")
    assert _read(text) == [("direct", "new and innovative ideas.", "Sen. Jane Doe", ("Jane Doe",))]


def test_scare_quotes_stay_unattributed():
    assert _read('The so-called "magic" pills were sold widely.') == []


def test_weights_match_the_features():
    assert len(unattributed.FEATURES) == len(unattributed._WEIGHTS["weights"])
    assert 0.0 < unattributed.THRESHOLD < 1.0
