"""Quotes no rule attributed: the learned classifier (``unattributed.py``) and its speaker choice."""

from quotes.extraction import extract
from quotes.extraction.learned import unattributed


def _read(text):
    return [(a.kind, a.content.of(text), a.source and a.source.of(text), a.speakers) for a in extract(text)]


def test_speaker_and_any_verb_after_the_quote():
    quote = "Not us but we can\u2019t argue with it!"
    text = f"\u201c{quote}\u201d Mike Murphy, the head of the group, tweeted on Friday."
    assert _read(text) == [("direct", quote, "Mike Murphy, the head of the group", ("Mike Murphy",))]


def test_quote_after_a_paragraph_ending_in_a_colon_goes_to_its_subject():
    text = ('Jane Doe then listed the questions to ask:\n\n'
            '"Has the candidate a record of leadership for our principles?"\n')
    quote = [a for a in extract(text) if a.kind == "direct"]
    assert [(a.source.of(text), a.speakers) for a in quote] == [("Jane Doe", ("Jane Doe",))]


def test_scare_quotes_stay_unattributed():
    assert _read('The so-called "magic" pills were sold widely.') == []


def test_weights_match_the_features():
    assert len(unattributed.FEATURES) == len(unattributed._WEIGHTS["weights"])
    assert 0.0 < unattributed.THRESHOLD < 1.0
