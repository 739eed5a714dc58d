"""Golden test on the founding article (no rule in the engine is keyed to it)."""

from __future__ import annotations

import datetime

import pytest

from quotes.extraction import MIXED, extract

from .conftest import find, seed_path

PUBLISHED = datetime.date(2025, 2, 9)


@pytest.fixture(scope="module")
def seed():
    with open(seed_path(), encoding="utf-8") as fh:
        text = fh.read()
    return text, extract(text, published=PUBLISHED)


def test_grave_challenge_is_kim_mixed_and_dated_by_the_previous_sentence(seed):
    text, atts = seed
    a = find(text, atts, "grave challenge to the security environment of our state")
    assert a.speakers == ("Kim Jong Un",)
    assert a.kind == MIXED
    assert a.source.of(text) == "He"
    assert a.said_on.value == datetime.date(2025, 2, 8)
    assert a.said_on.precision == "day"


def test_support_for_russia_is_kim_on_saturday(seed):
    text, atts = seed
    a = find(text, atts, "will invariably support and encourage the just cause of the Russian army")
    assert a.speakers == ("Kim Jong Un",)
    assert a.said_on.value == datetime.date(2025, 2, 8)


def test_trump_quotes_are_direct_and_undated(seed):
    text, atts = seed
    a = find(text, atts, "We will have relations with North Korea")
    assert a.content.of(text) == (
        "We will have relations with North Korea, with Kim Jong Un. I got along with him "
        "very well, as you know. I think I stopped the war."
    )
    assert a.kind == "direct" and a.speakers == ("Donald Trump",)
    assert a.said_on.value is None
    b = find(text, atts, "I will, yeah")
    assert b.kind == "direct" and b.speakers == ("Donald Trump",)
    assert b.said_on.value is None


def test_joint_statement_has_both_leaders(seed):
    text, atts = seed
    a = find(text, atts, "resolute commitment to the complete denuclearization of the DPRK")
    assert a.speakers == ("Donald Trump", "Shigeru Ishiba")
    assert "joint statement" in a.source.of(text)


def test_nothing_nested_inside_trumps_quote(seed):
    text, atts = seed
    inner = [a for a in atts if a.cue is not None and a.cue.of(text) == "think"]
    assert inner == []


def test_experts_are_nobody_in_particular(seed):
    text, atts = seed
    a = find(text, atts, "Kim is preoccupied with dispatching troops")
    assert a.source.of(text) == "Experts"
    assert a.speakers == ()


def test_what_the_experts_imagine_kim_might_feel_is_no_statement_of_his(seed):
    # "They posit that Kim may eventually consider ... if he feels his collaboration with Russia
    # cannot be sustained post-war": the experts' hypothesis, not anything Kim said or believes.
    text, atts = seed
    kims = [a for a in atts if "Kim Jong Un" in a.speakers]
    assert [a for a in kims if "cannot be sustained" in a.content.of(text)] == []


def test_the_paragraph_going_on_with_the_saturday_speech_is_dated_to_it(seed):
    # "Kim also outlined plans ..., reiterating ..." continues the speech of the paragraph before.
    text, atts = seed
    for words in ("plans for rapid enhancements", "steadfast policy to further develop"):
        a = find(text, atts, words)
        assert a.speakers == ("Kim Jong Un",)
        assert (a.said_on.value, a.said_on.method) == (datetime.date(2025, 2, 8), "context")


def test_the_joint_statement_after_the_summit_is_not_dated_to_kims_address(seed):
    text, atts = seed
    a = find(text, atts, "resolute commitment to the complete denuclearization of the DPRK")
    assert a.said_on.value is None
