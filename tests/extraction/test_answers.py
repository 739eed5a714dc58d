"""A quote standing alone right after a question put to someone is that person's answer (rules/answers.py)."""

from __future__ import annotations

import datetime

import pytest

from quotes.extraction import DIRECT, extract


def _quote(text, words):
    """The attributions whose content holds ``words``."""
    return [a for a in extract(text, published=datetime.date(2025, 3, 5)) if words in a.content.of(text)]


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        ("Coach Ivo Marten was asked about the final.\n“We will play without fear.”\nThe team trains today.",
         "play without fear", "Ivo Marten"),
        ("Mayor Tomas Quill was questioned about the budget at the council meeting.\n"
         "“We will not raise taxes this year.”", "raise taxes", "Tomas Quill"),
        ("On Monday, Senator Ada Lindqvist was pressed on the pension bill. \"It will pass before summer.\"",
         "pass before summer", "Ada Lindqvist"),
        ("Judge Ravi Okafor, who has sat on the bench since 2011, was quizzed about the ruling.\n"
         "\"The law was clear.\"", "law was clear", "Ravi Okafor"),
        ("When asked about the strike, Union Leader Petra Holm smiled.\n“We are not going anywhere.”",
         "not going anywhere", "Petra Holm"),
        ("Pressed on the delays, Rail Director Mina Sato did not hesitate. \"The new line opens in spring.\"",
         "opens in spring", "Mina Sato"),
        ("Reporters asked Governor Lena Frisk whether the bridge would close.\n“Not this year.”",
         "Not this year", "Lena Frisk"),
        ("Boris Ulm designed the tower. He was asked about its cost.\n“Every cent was worth it.”",
         "worth it", "Boris Ulm"),
    ],
)
def test_a_standalone_quote_after_a_question_is_the_answer_of_the_person_asked(text, words, speaker):
    [a] = _quote(text, words)
    assert a.kind == DIRECT
    assert a.speakers == (speaker,)
    assert 0.5 <= a.confidence < 0.8  # read from the context, not from a cue beside the quote


def test_a_question_to_a_group_is_nobody_in_particular():
    text = "The players were asked about the final.\n“We are ready for anyone.”"
    [a] = _quote(text, "ready for anyone")
    assert a.source.of(text) == "The players"
    assert a.speakers == ()


def test_a_question_to_the_two_people_just_named_is_their_joint_answer_never_one_of_them():
    text = ("Premier Hanna Rost met Chancellor Emil Varga in Brno. "
            "The two leaders were asked about the pipeline.\n“It will be built.”")
    [a] = _quote(text, "will be built")
    assert set(a.speakers) != {"Hanna Rost"} and set(a.speakers) != {"Emil Varga"}


def test_someone_elses_answer_stays_with_the_one_who_answers():
    text = ("Mina Sato was asked about the delays on Tuesday. "
            "Her deputy, Jonas Ekberg, answered first: “The tunnel is finished.”")
    [a] = _quote(text, "tunnel is finished")
    assert a.speakers == ("Jonas Ekberg",)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # someone else answers in the question's own sentence
        ("Coach Ivo Marten was asked about the final, but his captain replied.\n“We fear nobody.”",
         "fear nobody"),
        # a quote inside a longer sentence is no answer
        ("Coach Ivo Marten was asked about the final. The club called it “a great day for the city.”",
         "great day"),
        # the person named asks; he does not answer
        ("Coach Ivo Marten asked the referee about the penalty.\n“It was never a foul.”", "never a foul"),
        # nobody was asked
        ("Coach Ivo Marten watched the final from the stands.\n“We will play without fear.”", "without fear"),
    ],
)
def test_no_question_to_him_no_answer_of_his(text, words):
    assert all(a.speakers != ("Ivo Marten",) for a in _quote(text, words))


def test_a_quote_with_its_own_attribution_keeps_it():
    text = "Coach Ivo Marten was asked about the final.\n“We will win,” said his captain, Lia Brandt."
    [a] = _quote(text, "We will win")
    assert a.speakers == ("Lia Brandt",)
