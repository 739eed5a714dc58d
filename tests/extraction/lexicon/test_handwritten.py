"""The hand-written lists the whole project shares: titles and pronouns."""

from __future__ import annotations

from quotes.extraction.lexicon.handwritten import PERSONAL_PRONOUNS, TITLES


def test_titles_and_pronouns_are_frozen_lowercase_words():
    for words in (TITLES, PERSONAL_PRONOUNS):
        assert isinstance(words, frozenset)
        assert all(w == w.lower() and w.strip() == w for w in words)
    assert {"president", "mr", "mr."} <= TITLES
    assert {"he", "she", "they"} <= PERSONAL_PRONOUNS
