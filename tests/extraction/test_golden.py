"""Golden cases, one per behaviour the engine promises (short texts written for the tests)."""

from __future__ import annotations

import pytest

from quotes.extraction import DIRECT, INDIRECT, MIXED, ExtractionError, extract

from .conftest import find


def test_non_str_raises_and_blank_is_empty():
    with pytest.raises(ExtractionError):
        extract(b"bytes")  # type: ignore[arg-type]
    assert extract("") == ()
    assert extract("  \n\t ") == ()


@pytest.mark.parametrize(
    "text, inner",
    [
        ('Jane Doe said, "We will rebuild the bridge this year."', "We will rebuild the bridge this year."),
        ("Jane Doe said, \u201cWe will rebuild the bridge this year.\u201d",
         "We will rebuild the bridge this year."),
        ("Jane Doe said, ''We will rebuild the bridge this year.''", "We will rebuild the bridge this year."),
        ("Jane Doe said, ``We will rebuild the bridge this year.''", "We will rebuild the bridge this year."),
    ],
)
def test_direct_quotes_in_every_mark_style(text, inner):
    atts = extract(text)
    a = find(text, atts, "rebuild the bridge")
    assert a.kind == DIRECT
    assert a.content.of(text) == inner
    assert a.source.of(text) == "Jane Doe" and a.speakers == ("Jane Doe",)
    assert a.cue.of(text) == "said"


@pytest.mark.parametrize("opener, closer", [("''", "''"), ("``", "''"), ("\u201c", "\u201d")])
def test_a_quote_that_opens_a_sentence_with_doubled_marks_is_its_own(opener, closer):
    text = (f"Some of the revenue goes to bond payments. {opener}Usually we get that back,{closer} "
            "Ms. Ana Acosta said, explaining the outlay.")
    a = find(text, extract(text), "Usually we get that back")
    assert (a.kind, a.content.of(text), a.speakers) == (DIRECT, "Usually we get that back,", ("Ana Acosta",))


def test_quote_broken_by_its_attribution_is_one_statement():
    text = "\u201cWe will fight,\u201d Mayor John Smith said, \u201cand we will win the vote.\u201d"
    atts = extract(text)
    assert len(atts) == 1
    a = atts[0]
    assert a.content.of(text).startswith("We will fight")
    assert a.content.of(text).endswith("win the vote.")
    assert a.speakers == ("John Smith",)


def test_quote_over_several_paragraphs():
    text = (
        "Senator Mary Jones said the budget was wrong.\n\n"
        "\u201cWe cannot pay for this plan. It will hurt families,\u201d Jones said. "
        "\u201cThe numbers do not add up.\n\n"
        "\u201cAnd nobody has asked the voters what they want.\u201d\n"
    )
    atts = extract(text)
    a = find(text, atts, "We cannot pay")
    assert a.kind == DIRECT
    assert "nobody has asked the voters" in a.content.of(text)
    assert a.speakers == ("Mary Jones",)


def test_speech_after_a_colon():
    text = "Governor Ann Lee told reporters: \u201cThe storm is over and schools will reopen.\u201d"
    a = find(text, extract(text), "The storm is over")
    assert a.kind == DIRECT and a.speakers == ("Ann Lee",)


@pytest.mark.parametrize("lead_in", [
    "Later, Senator Tom Jones followed up by lamenting the churn of his job, especially fundraising: ",
    "Later, Senator Tom Jones lamented the churn of his job. ",
])
def test_a_quote_right_before_its_cue_is_the_statement_not_the_words_before_it(lead_in):
    text = lead_in + "\u201cThere is just a ton of paperwork with this job,\u201d he said."
    a = find(text, extract(text), "There is just a ton")
    assert (a.kind, a.content.of(text), a.source.of(text), a.speakers) == (
        DIRECT, "There is just a ton of paperwork with this job,", "he", ("Tom Jones",))


def test_words_that_run_into_a_cue_are_not_what_it_reports():
    text = "The paper found no record of a campus article that Carson said was written about him."
    assert [a.content.of(text) for a in extract(text) if a.content.end <= a.cue.start] == []
    text = "She is hemmed in by her record: she and her husband supported the trade deal."
    assert [a.content.of(text) for a in extract(text) if a.content.end <= a.cue.start] == []
    text = "The budget will pass this year, the mayor said."  # set off by a comma: reported
    assert find(text, extract(text), "The budget will pass").source.of(text) == "the mayor"


def test_reported_speech_with_nobody_named_is_left_out_unless_it_is_a_question_put():
    # the parse tags "Jolly" as an adverb: no subject, no name before the verb
    text = "Jolly said he has worked with Republicans and Democrats on legislation."
    assert [a.content.of(text) for a in extract(text)] == []
    text = "Mr. Jolly was asked about the vote."
    assert [(a.content.of(text), a.source) for a in extract(text)] == [("the vote", None)]


def test_scare_quotes_and_titles_are_not_statements():
    text = 'The council approved the so-called "green deal" after reading the book "War and Peace" twice.'
    assert [a for a in extract(text) if a.kind == DIRECT] == []


def test_partial_quote_in_reported_speech_is_mixed():
    text = 'Kim Jong Un said the alliance poses a "grave challenge to the security of our state."'
    a = find(text, extract(text), "grave challenge")
    assert a.kind == MIXED
    assert a.content.of(text).startswith("the alliance poses")
    assert a.speakers == ("Kim Jong Un",)


@pytest.mark.parametrize(
    "sentence, cue",
    [
        ("Jane Doe said that taxes would rise next year.", "said"),
        ("Jane Doe told reporters that taxes would rise next year.", "told"),
        ("Jane Doe declared that taxes would rise next year.", "declared"),
        ("Jane Doe vowed that taxes would rise next year.", "vowed"),
        ("Jane Doe warned that taxes would rise next year.", "warned"),
        ("Jane Doe argued that taxes would rise next year.", "argued"),
        ("Jane Doe insisted that taxes would rise next year.", "insisted"),
        ("Jane Doe believes that taxes would rise next year.", "believes"),
        ("Jane Doe denied that taxes would rise next year.", "denied"),
        ("Taxes would rise next year, according to Jane Doe.", "according to"),
    ],
)
def test_reported_speech_cues(sentence, cue):
    a = find(sentence, extract(sentence), "would rise")
    assert a.kind == INDIRECT
    assert a.cue.of(sentence) == cue
    assert a.speakers == ("Jane Doe",)
    assert "would rise next year" in a.content.of(sentence)


def test_accused_takes_its_object():
    text = "Jane Doe accused the mayor of hiding the report."
    a = find(text, extract(text), "hiding the report")
    assert a.cue.of(text) == "accused" and a.speakers == ("Jane Doe",)


def test_statement_noun_with_that_clause():
    text = "Reporters doubted Jane Doe's statement that the factory would stay open."
    a = find(text, extract(text), "the factory would stay open")
    assert a.cue.of(text) == "statement" and a.speakers == ("Jane Doe",)


def test_headline_with_a_colon():
    text = "Poll: Voters Abandon the Governor Over Taxes.\n\nThe governor lost support."
    a = find(text, extract(text), "Voters Abandon")
    assert a.source.of(text) == "Poll" and a.cue.of(text) == ":"


@pytest.mark.parametrize("text, speaks", [
    ("Sanders: Clinton Needs To Get Away From Personality Stuff.\n\nOn Friday, Sanders said so again.", True),
    ("Breaking: Governor Signs the Budget.\n\nThe governor signed the budget on Friday.", False),
    ("The Latest: Governor Signs the Budget.\n\nThe governor signed the budget on Friday.", False),
])
def test_a_headline_label_speaks_only_when_the_article_names_it(text, speaks):
    got = [a for a in extract(text) if a.cue is not None and a.cue.of(text) == ":"]
    assert bool(got) is speaks


def test_inverted_said_x():
    text = '"The plan is dead," said Sen. Ted Cruz, a Republican from Texas.'
    a = find(text, extract(text), "The plan is dead")
    assert a.source.of(text).startswith("Sen. Ted Cruz")
    assert a.speakers == ("Ted Cruz",)


def test_pronoun_and_role_phrase_resolve_to_the_named_person():
    text = (
        "North Korean leader Kim Jong Un inspected a factory on Monday. "
        "He said that production must double. "
        "The North Korean leader also said that workers would be rewarded."
    )
    atts = extract(text)
    assert find(text, atts, "production must double").speakers == ("Kim Jong Un",)
    assert find(text, atts, "workers would be rewarded").speakers == ("Kim Jong Un",)


def test_titles_are_stripped_from_speakers():
    text = (
        "U.S. President Donald Trump met Prime Minister Shigeru Ishiba. "
        "Trump said that the talks went well. Ishiba said that trade would grow."
    )
    atts = extract(text)
    assert find(text, atts, "the talks went well").speakers == ("Donald Trump",)
    assert find(text, atts, "trade would grow").speakers == ("Shigeru Ishiba",)


def test_joint_statement_names_everyone():
    text = (
        "President Donald Trump hosted Prime Minister Shigeru Ishiba. A joint statement issued by "
        "Trump and Ishiba said that both countries would deepen ties."
    )
    a = find(text, extract(text), "deepen ties")
    assert a.speakers == ("Donald Trump", "Shigeru Ishiba")


def test_organisation_as_source():
    text = "The Korean Central News Agency reported that the test was a success."
    a = find(text, extract(text), "the test was a success")
    assert a.speakers == ("Korean Central News Agency",)


def test_output_is_sorted_and_deterministic():
    text = (
        'Jane Doe said taxes would rise. "We have no choice," she said. '
        "Bob Roe, the mayor, said that he disagreed."
    )
    first, second = extract(text), extract(text)
    assert first == second
    assert [a.content.start for a in first] == sorted(a.content.start for a in first)
    for a in first:
        assert 0.0 <= a.confidence <= 1.0


def test_reported_speech_holding_an_unpaired_quotation_mark_is_mixed():
    text = ("Jane Roe said the plan was \u201ca disaster for workers and would cost jobs in the state."
            "\n\nThe vote is Monday.")
    [a] = [a for a in extract(text) if a.cue is not None and a.cue.of(text) == "said"]
    assert (a.kind, a.source.of(text)) == ("mixed", "Jane Roe")
    assert a.content.of(text).startswith("the plan was \u201ca disaster")


def test_asked_about_reports_the_question_with_no_source():
    text = "Asked about the remarks, Trump said he regretted nothing."
    a = find(text, extract(text), "the remarks")
    assert (a.kind, a.cue.of(text), a.source, a.speakers) == (INDIRECT, "Asked", None, ())
    assert find(text, extract(text), "he regretted nothing").source.of(text) == "Trump"


def test_evidential_words_report_the_whole_clause_with_no_source():
    for text, cue in (("Others appeared ready to abandon him.", "appeared"),
                      ("The company has reportedly taken heat from a civil rights group.", "reportedly")):
        [a] = extract(text)
        assert (a.content.of(text), a.cue.of(text), a.source) == (text.rstrip("."), cue, None)


def test_mixed_statement_holds_its_quotes_whole_with_their_marks():
    quoted = "the alliance poses a \u201cgrave challenge to our security,\u201d"
    text = f"Jane Roe said {quoted} and warned of more tests."
    a = find(text, extract(text), "grave challenge")
    assert (a.kind, a.content.of(text)) == (MIXED, quoted)
    text = 'Jane Roe said the plan "works. We will see it through," and left the stage.'
    a = find(text, extract(text), "works")
    assert a.content.of(text) == 'the plan "works. We will see it through,"'


@pytest.mark.parametrize("text, source, cue", [
    ('A man in the crowd yelled, \u201cStay there!\u201d', "A man in the crowd", "yelled"),
    ('The sheriff told them, "Go home now."', "The sheriff", "told"),
])
def test_an_imperative_quote_after_a_speech_verb_is_direct(text, source, cue):
    (a,) = [a for a in extract(text) if a.kind == DIRECT]
    assert (a.source.of(text), a.cue.of(text)) == (source, cue)


def test_a_quote_after_its_verb_is_not_taken_from_a_closing_mark():
    text = 'Lynch agreed to an interview on "Women in Power," answering questions about her career.'
    assert not [a for a in extract(text) if a.content.of(text).startswith("answering")]


def test_a_short_quote_is_direct_only_when_its_cue_introduces_it():
    text = 'The senator said, \u201cThanks.\u201d Then he called the plan a \u201cbig hoax\u201d and left.'
    assert [(a.kind, a.content.of(text)) for a in extract(text) if a.kind == DIRECT] == [(DIRECT, "Thanks.")]


def test_one_person_as_the_source_after_a_quote():
    text = '\u201cBlink twice if you are in trouble,\u201d one person tweeted.'
    a = find(text, extract(text), "Blink twice")
    assert (a.kind, a.source.of(text), a.cue.of(text)) == (DIRECT, "one person", "tweeted")


def test_a_quote_with_its_own_attribution_is_not_joined_to_the_one_before():
    text = ('"I assume she is trying," said Paul Pillar, a former analyst. '
            'But he added, "I think the conventional wisdom is correct."')
    got = [(a.content.of(text), a.source.of(text)) for a in extract(text) if a.kind == DIRECT]
    assert got == [("I assume she is trying,", "Paul Pillar"),
                   ("I think the conventional wisdom is correct.", "he")]


@pytest.mark.parametrize("text", [
    'Rep. John Smith (R-Ohio), citing the cost of the program, said, "We cannot afford this plan at all."',
    "But Gov. Anna Perez (D-N.M.), noting the size of her party's majority, said, "
    '"Let me tell you, we have got a heck of a team."',
])
def test_a_participle_before_the_cue_does_not_take_its_subject_away(text):
    (a,) = [a for a in extract(text) if a.kind == DIRECT]
    assert a.source is not None and a.source.of(text).startswith(("Rep. John Smith", "Gov. Anna Perez"))


def test_the_speaker_is_never_a_word_inside_the_quote():
    text = "He denied it. ''That, unfortunately,'' he said, ''is part of the reality of today's life.''"
    (a,) = [a for a in extract(text) if a.kind == DIRECT]
    assert (a.source.of(text), a.cue.of(text)) == ("he", "said")
    assert a.content.of(text) == "That, unfortunately,'' he said, ''is part of the reality of today's life."


def test_an_age_after_the_speakers_name_is_part_of_the_attribution():
    text = ('"They are trying to silence us, thinking we will go home," Jane Roe, 25, said as the '
            'march moved on.')
    (a,) = extract(text)
    assert (a.kind, a.cue.of(text), a.speakers) == (DIRECT, "said", ("Jane Roe",))
    assert a.source.of(text).startswith("Jane Roe")  # the parse alone took the closing mark in


def test_a_short_title_before_a_speaker_with_a_clause_of_his_own_is_no_quote():
    text = ('In an interview on "Face the Nation," Speaker Paul Ryan said the shootings demand '
            'that all Americans listen more. "That," he added, "is the hard part."')
    got = [(a.kind, a.content.of(text)) for a in extract(text)]
    assert (DIRECT, "Face the Nation,") not in got
    assert (DIRECT, 'That," he added, "is the hard part.') in got


def test_a_named_apposition_speaks_when_the_parse_takes_a_prepositions_object_as_subject():
    text = ('With 50 days until the election, Minyon Moore, a senior adviser to the campaign, called '
            'the remarks "a true wake-up call" to voters.')
    (a,) = extract(text)
    assert (a.kind, a.source.of(text), a.speakers) == (MIXED, "Minyon Moore", ("Minyon Moore",))


def test_a_participle_after_a_cue_shares_its_speaker_rather_than_a_word_of_the_quote():
    text = ('"The American people do not agree with Trump," Sanders said, suggesting a few questions, '
            'including, "Mr. Trump, do you really think that billionaires need a massive tax break?"')
    a = find(text, extract(text), "a few questions")
    assert (a.cue.of(text), a.source.of(text)) == ("suggesting", "Sanders")


def test_a_quote_inside_its_sentence_is_read_with_the_words_before_it_and_not_joined_across():
    text = ('"I will not follow a script," Renzi said after the meeting. The summit achieved '
            '"too little," he added on Twitter. "Europe risks a lot."')
    got = [(a.kind, a.content.of(text), a.cue.of(text)) for a in extract(text) if a.cue]
    assert (DIRECT, "I will not follow a script,", "said") in got
    # the next quote, with no attribution of its own, carries on the same statement (as "A," he said. "B.")
    joined = 'The summit achieved "too little," he added on Twitter. "Europe risks a lot."'
    assert (MIXED, joined, "added") in got


def test_reported_words_broken_by_their_attribution_are_one_mixed_statement():
    text = ('Oz is \u201csmart as hell,\u201d Steve Mosko wrote to a colleague, and \u201cfull of it.\u201d '
            'Nobody argued.')
    (a,) = extract(text)
    assert a.kind == MIXED and a.content.of(text).endswith("\u201cfull of it.\u201d")
    assert a.speakers == ("Steve Mosko",)


def test_a_quote_of_several_sentences_with_a_cue_the_parse_hangs_as_a_conjunct():
    text = ('He bit a dancer, according to reports.\n\n"Mr. Lewandowski is absolutely innocent of this '
            'charge. He will enter a plea of not guilty and looks forward to his day in court," Trump '
            'campaign spokeswoman Hope Hicks said in the statement. "He is confident."')
    a = find(text, extract(text), "Mr. Lewandowski is absolutely innocent")
    assert a.kind == DIRECT and a.speakers == ("Hope Hicks",)


def test_a_question_asked_with_if_is_what_was_asked():
    text = ('Only 28 percent had a positive view of Clinton. Asked if her email practices were illegal, '
            '46 percent of voters said yes.')
    a = find(text, extract(text), "if her email practices were illegal")
    assert (a.kind, a.cue.of(text), a.source) == (INDIRECT, "Asked", None)


@pytest.mark.parametrize("text, content, source", [
    ("The group's director, Nihad Awad, says in a statement that the remarks could incite violence.",
     "that the remarks", "The group's director"),
    ("Rubio was asked by the moderator Gerard Baker whether his plan would add another entitlement.",
     "whether", "the moderator"),
    ("Asked by Stephanopoulos to respond to the criticism, Carson said he would not.", "to respond",
     "Stephanopoulos"),
])
def test_speaker_of_a_statement_noun_or_a_passive_question(text, content, source):
    (a,) = [a for a in extract(text) if a.content.of(text).startswith(content)]
    assert a.source is not None and a.source.of(text).startswith(source)


@pytest.mark.parametrize("text, content", [
    ("It is an unlikely scenario; her team says she will continue her march this week.",
     "she will continue her march this week"),
    ("Writing for a panel that all agreed Pence won the debate, Mark Barabak noted that the way "
     "Pence carried himself was critical.", "that the way Pence carried himself was critical"),
])
def test_the_clause_after_the_cue_is_its_content_when_the_parse_gives_two(text, content):
    assert content in [a.content.of(text) for a in extract(text)]


def test_a_parenthetical_cue_whose_parse_owns_the_comma_before_it():
    text = "The average weekly benefit, it says, would be $300."
    (a,) = extract(text)
    assert (a.cue.of(text), a.source.of(text)) == ("says", "it")
    assert a.content.of(text).startswith("The average weekly benefit")


def test_as_x_noted_reports_the_main_clause():
    text = "As a 2011 study by the center noted, the average age of voters born in the state was 18."
    (a,) = extract(text)
    assert a.cue.of(text) == "noted"
    assert a.content.of(text) == "the average age of voters born in the state was 18"
    assert a.source.of(text).startswith("a 2011 study")


def test_a_title_case_headline_is_parsed_in_sentence_case():
    text = ("Jeb Bush Super PAC Chief Praises Marco Rubio Donor\u2019s Campaign.\n"
            "The head of the super PAC backing Jeb Bush praised the donor, Marco Rubio said.")
    a = find(text, extract(text), "Marco Rubio Donor")
    assert (a.cue.of(text), a.speakers) == ("Praises", ("Jeb Bush",))
