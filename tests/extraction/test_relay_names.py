"""A generic relay ("the agency", "state media") is the relay the text named before it (rules/relay.py)."""

from __future__ import annotations

import pytest

from quotes.extraction import RECORDED, extract


def _via(text, words):
    [a] = [a for a in extract(text) if a.view == RECORDED and words in a.content.of(text)]
    return a.via.of(text)


@pytest.mark.parametrize(
    ("text", "words", "via"),
    [
        ("Xanthe Press, the official news agency of Marduvia, carried the remarks on Monday. "
         "The agency quoted Defence Minister Karel Brandl as saying that the troops would stay home.",
         "troops would stay home", "Xanthe Press"),
        ("The Estmark News Agency ran the interview in full. The agency quoted Foreign Minister Oren Valtik "
         "as saying that the talks had failed.", "talks had failed", "Estmark News Agency"),
        ("Radio Kalmar reported on Tuesday that the port had reopened. Later the broadcaster quoted "
         "Mayor Ines Dahl as saying that the ferries would run again.", "ferries would run", "Radio Kalmar"),
        ("Lumen News reported that the dam had held. State media quoted Premier Olaf Strand as saying "
         "that no village was flooded.", "no village was flooded", "Lumen News"),
    ],
)
def test_a_generic_relay_is_the_one_relay_named_before_it(text, words, via):
    assert _via(text, words) == via


def test_two_relays_named_before_leave_the_phrase_as_written():
    text = ("Lumen News and Radio Kalmar reported the flood on Monday. State media quoted Premier Olaf "
            "Strand as saying that no village was flooded.")
    assert _via(text, "no village was flooded") == "State media"


def test_a_relay_of_another_kind_is_not_what_the_phrase_means():
    text = ("The Ministry of Health published the figures. The agency quoted Premier Olaf Strand as saying "
            "that the clinics would stay open.")
    assert _via(text, "clinics would stay open") == "The agency"


def test_nothing_named_before_keeps_the_phrase():
    text = "The agency quoted Premier Olaf Strand as saying that the clinics would stay open."
    assert _via(text, "clinics would stay open") == "The agency"


def test_a_named_relay_is_kept_as_named():
    text = ("Lumen News reported that the dam had held. Radio Kalmar quoted Premier Olaf Strand as saying "
            "that no village was flooded.")
    assert _via(text, "no village was flooded") == "Radio Kalmar"
