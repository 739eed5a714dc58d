"""Quote-mark pairing and adjacent attributions, tested without spaCy."""

from __future__ import annotations

import pytest

from quotes.extraction import extract
from quotes.extraction.rules.adjacent import match_after, match_before
from quotes.extraction.text.marks import find_quotes
from quotes.extraction.text.sentences import split_sentences


def _inner(text):
    return [q.inner.of(text) for q in find_quotes(text)]


def test_every_mark_style_pairs():
    assert _inner('He said "we win" today.') == ["we win"]
    assert _inner("He said \u201cwe win\u201d today.") == ["we win"]
    assert _inner("He said ''we win'' today.") == ["we win"]
    assert _inner("He said ``we win'' today.") == ["we win"]
    assert _inner("He said \u00abwe win\u00bb today.") == ["we win"]


def test_nested_quote_keeps_the_outer_one():
    text = '"I read the sign: \u201cKeep out.\u201d Then I left," she said.'
    assert _inner(text) == ["I read the sign: \u201cKeep out.\u201d Then I left,"]


def test_quote_running_over_paragraphs():
    text = "\u201cFirst paragraph.\n\n\u201cSecond paragraph,\u201d she said."
    (q,) = find_quotes(text)
    assert q.inner.of(text) == "First paragraph.\n\n\u201cSecond paragraph,"
    assert [p.of(text) for p in q.pieces] == ["First paragraph.", "Second paragraph,"]


def test_closing_mark_misprinted_at_paragraph_start_opens():
    text = "Intro.\n\u201dWe will win.\u201d \u2015 Jane Doe\n"
    assert _inner(text) == ["We will win."]


@pytest.mark.parametrize(("text", "source", "cue"), [
    ('"We will win," said Sen. Jane Doe.', "Sen. Jane Doe", "said"),
    ("\u201cWe will win,\u201d the ad\u2019s narrator says.", "the ad\u2019s narrator", "says"),
    # a role before the name
    ('"We will not comment," White House press secretary Josh Earnest said.',
     "White House press secretary Josh Earnest", "said"),
    ('"Watch the tape," said former tech executive Carly Fiorina during the debate.',
     "former tech executive Carly Fiorina", "said"),
    # a described source may hold capitalised words
    ('"There is hatred like nobody has seen," the Republican presidential candidate said Thursday.',
     "the Republican presidential candidate", "said"),
    # a long apposition
    ('"I would have scheduled things differently," Eric Woolson, an Iowa Republican strategist and '
     'former adviser to Scott Walker, said of Cruz.',
     "Eric Woolson, an Iowa Republican strategist and former adviser to Scott Walker", "said"),
    # after a question or an exclamation the attribution may run on past a few words
    ('"Who do they think they are?" Trump said of Apple in February, when the company refused.',
     "Trump", "said"),
])
def test_attribution_right_after_a_quote(text, source, cue):
    m = match_after(text, find_quotes(text)[0].outer.end)
    assert (m.source.of(text), m.cue.of(text)) == (source, cue)


def test_a_sentence_after_a_full_stop_is_no_attribution_unless_it_is_short():
    text = '"We won." Jones said the count would take a week, and left.'
    assert match_after(text, find_quotes(text)[0].outer.end) is None


def test_adjacent_before():
    t = 'Trump told reporters: "'
    m = match_before(t, len(t) - 1)
    assert (m.source.of(t), m.cue.of(t)) == ("Trump", "told")


def test_dash_signature():
    t = "\u201cThe plan fails.\u201d \u2015 Jane Doe\n"
    m = match_after(t, t.index("\u201d") + 1)
    assert m.source.of(t) == "Jane Doe"


def test_sentences_respect_abbreviations():
    t = "Sen. John R. Smith left the U.S. Embassy. He said so."
    assert [s.of(t) for s in split_sentences(t)] == [
        "Sen. John R. Smith left the U.S. Embassy.",
        "He said so.",
    ]


def test_described_source_after_the_verb_has_no_speaker():
    text = "\u201cIt is hers to lose at this point,\u201d added another New Hampshire Democrat."
    (a,) = extract(text)
    assert a.kind == "direct" and a.source.of(text) == "another New Hampshire Democrat"
    assert a.speakers == ()


def test_several_sentence_quote_before_its_cue_is_one_direct_statement():
    text = ('Jane Doe spoke on Friday.\n\n"We won the vote. We will win again. The people know it," '
            "Jane Doe said, adding that more was coming.\n")
    quotes = [a for a in extract(text) if a.kind == "direct"]
    assert [a.content.of(text) for a in quotes] == ["We won the vote. We will win again. The people know it,"]


def test_quote_after_a_participle_cue_is_not_joined_to_the_previous_one():
    text = ('"We won the vote," Jane Doe said, suggesting several questions, including, '
            '"Do you really think they know it?"')
    quotes = [a.content.of(text) for a in extract(text) if a.kind == "direct"]
    assert "We won the vote," in quotes and not any("Do you" in q and "We won" in q for q in quotes)


def test_put_it_introduces_or_follows_a_quote():
    before = 'As the village baker, a man of few words, once put it, "Bread waits for nobody."'
    m = match_before(before, before.index('"'))
    assert m is not None and m.cue.of(before) == "put it"
    assert m.source.of(before).startswith("the village baker")
    after = 'The rule is "first come, first served," as a notice on the door put it.'
    m = match_after(after, after.index('served,"') + len('served,"'))
    assert m is not None and m.source.of(after) == "a notice on the door"


def test_put_it_quote_is_attributed_end_to_end():
    text = 'As Maria Lopez put it this spring, "The river decides, not us."'
    (a,) = extract(text)
    assert a.kind == "direct" and a.source.of(text) == "Maria Lopez" and a.cue.of(text) == "put it"


def test_described_source_with_a_prepositional_phrase_after_the_quote():
    text = '"Who pays for the new bridge?" a reporter from the Valley newspaper asks.'
    m = match_after(text, text.index('?"') + 2)
    assert m is not None and m.source.of(text) == "a reporter from the Valley newspaper"
    assert m.cue.of(text) == "asks"


def test_curly_opener_closed_by_a_straight_mark_pairs():
    text = 'The mayor spoke.\n\n\u201cThe bridge opens in May," the mayor said on Monday.\n'
    assert _inner(text) == ["The bridge opens in May,"]
    text = 'Inches matter: he is 6\'2" tall and "proud of it," he said.\n'
    assert _inner(text) == ["proud of it,"]


def test_straight_and_curly_marks_alternating_in_one_paragraph_pair_together():
    text = ('\u201cWe will build it," she said. "It will not be difficult.\u201d\n'
            '"The plan is ready,\u201d said the mayor. "We start in May."\n')
    assert _inner(text) == ["We will build it,", "It will not be difficult.", "The plan is ready,",
                            "We start in May."]
    (a,) = [a for a in extract(text) if a.kind == "direct" and a.source.of(text) == "she"]
    assert a.content.of(text) == 'We will build it," she said. "It will not be difficult.'


def test_a_straight_quote_nested_in_a_curly_one_keeps_its_style():
    text = '\u201cHe said "no" to me, and then he left,\u201d she said.\n'
    assert _inner(text) == ['He said "no" to me, and then he left,']


def test_a_verb_form_after_of_or_an_article_is_no_cue_beside_a_quote():
    text = ("On \u201cThe Morning Show,\u201d the former secretary of state and current nominee "
            "said she wanted to speak to voters.")
    assert [a.cue.of(text) for a in extract(text) if a.kind == "direct"] == []


def test_a_cue_with_no_source_after_a_quote_is_no_attribution():
    text = '"We will win this," said during a rally in Ohio.'
    assert match_after(text, text.index('," ') + 2) is None


def test_parenthetical_sources_with_a_possessive_a_plural_or_a_longer_time_phrase():
    from quotes.extraction.rules.adjacent import find_parenthetical

    cases = [
        ("The permit, his campaign said, had been hard to get.", "his campaign", "said"),
        ("The top issues, respondents said, are jobs and health care.", "respondents", "said"),
        ("These employees, Stumpf explained earlier in the hearing, were well paid.", "Stumpf", "explained"),
        ("Any attempt to debunk it, he said, becomes hopeless.", "he", "said"),
    ]
    for text, source, cue in cases:
        m = find_parenthetical(text, 0, len(text))
        assert (m.source.of(text), m.cue.of(text)) == (source, cue), text


def test_curly_opener_misprinted_as_the_closing_mark_mid_line():
    text = ("Todd was shocked. \u201cDo you want to be associated with a fascist?\u201c he asked. "
            "\u201cNo,\u201d Trump said.")
    assert _inner(text) == ["Do you want to be associated with a fascist?", "No,"]


def test_a_described_source_does_not_end_in_a_conjunction():
    text = 'He put on a fake Southern accent and joked: "Y\'all come back now."'
    m = match_before(text, text.index('"'))
    assert m is None or m.source.of(text) != "a fake Southern accent and"
