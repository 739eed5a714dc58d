"""Speech or belief inside a condition is no statement of anyone (rules/hypothetical.py)."""

from __future__ import annotations

import pytest

from quotes.extraction import extract


def _said_by(text, person):
    return [a.content.of(text) for a in extract(text) if person in a.speakers]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Analysts say Premier Ola Berg may call a vote if he feels the polls are turning.", "Ola Berg"),
        ("Observers think the union could strike unless Director Mara Lind says the plant will stay open.",
         "Mara Lind"),
        ("It is unclear whether Mayor Tomas Quill believes the budget is sound.", "Tomas Quill"),
        ("Markets will fall should Minister Ada Holm announce that the talks are over.", "Ada Holm"),
        ("Critics ask what happens if Senator Piet Laan claims the vote was rigged.", "Piet Laan"),
        ("The deal survives as long as Governor Ines Dahl thinks it serves the province.", "Ines Dahl"),
    ],
)
def test_a_cue_opening_a_condition_is_nobodys_statement(text, person):
    assert _said_by(text, person) == []


@pytest.mark.parametrize(
    ("text", "person", "words"),
    [
        ("Premier Ola Berg said he would call an early vote if the polls turn.", "Ola Berg", "early vote"),
        ("Jane Roe met John Doe. Jane Roe will talk to John Doe because she thinks the deal is fair.",
         "Jane Roe", "the deal is fair"),
        ("When she spoke on Monday, Director Mara Lind said the plant would stay open.", "Mara Lind",
         "plant would stay open"),
        ("If the vote fails, Minister Ada Holm said, the talks are over.", "Ada Holm", "talks are over"),
    ],
)
def test_a_condition_in_what_someone_said_keeps_the_statement(text, person, words):
    assert any(words in c for c in _said_by(text, person))
