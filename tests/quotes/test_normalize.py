"""quotes/normalize.py: when two reports are one statement (pure, no database)."""

import pytest

from quotes.normalize import content_hash, normalize_name, normalize_text, statement_fingerprint


@pytest.mark.parametrize(
    "printed",
    [
        "\u201cWe\u2019ll win,\u201d she said.",  # curly double quotes and a curly apostrophe
        '"We\'ll win," she said.',  # straight ones
        "\u00abWe\u02bcll win\u00bb she said",  # guillemets and a modifier-letter apostrophe
        "`We`ll win,` she said",  # a backtick standing in for both
        "  WE'LL   WIN,\n\tshe SAID  ",  # spacing and case
    ],
)
def test_normalize_text_folds_marks_spacing_and_case(printed):
    assert normalize_text(printed) == "we'll win she said"


def test_normalize_text_keeps_the_words_and_their_apostrophes():
    assert normalize_text("Don't stop: it's the voters' choice") == "don't stop it's the voters choice"


def test_normalize_name_folds_hyphens_and_initials():
    assert normalize_name("J.K.  Jong-Un") == normalize_name("jk jong un") == "jk jong un"


def test_a_re_report_differing_only_in_marks_and_spacing_has_the_same_fingerprint():
    one = statement_fingerprint("\u201cWe will  win the vote,\u201d", [7, 3])
    assert one == statement_fingerprint('"we will win the vote"', [3, 7, 3])


@pytest.mark.parametrize(
    "text, speakers",
    [
        ("We will lose the vote", [3, 7]),  # other words
        ("We will win the vote", [3]),  # another speaker set
        ("We will win the vote again", [3, 7]),
    ],
)
def test_different_words_or_speakers_give_a_different_fingerprint(text, speakers):
    assert statement_fingerprint(text, speakers) != statement_fingerprint("We will win the vote", [3, 7])


def test_content_hash_is_of_the_text_as_stored():
    assert content_hash("A text.") == content_hash("A text.")
    assert content_hash("A text.") != content_hash("A text. ")  # articles are not folded
