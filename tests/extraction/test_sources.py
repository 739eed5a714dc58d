"""Who a source stands for: groups get no speaker, a subordinate 'he' is the main subject."""

import pytest

from quotes.extraction import extract
from quotes.extraction.speakers import NameIndex
from quotes.extraction.text.sentences import split_sentences

from .conftest import find


def test_group_sources_resolve_to_nobody():
    text = "Jane Doe met John Roe. Some Republicans said no. Analysts said yes. U.S. officials agreed."
    index = NameIndex(text)
    for source in ("Some Republicans", "Analysts", "U.S. officials"):
        assert index.resolve(source, text.index(source)) == ()


def test_us_ends_a_sentence_before_a_group_word_not_before_a_title():
    text = "Troops moved towards the U.S. Experts said so. U.S. President Joe Doe spoke."
    assert [s.of(text) for s in split_sentences(text)] == [
        "Troops moved towards the U.S.", "Experts said so.", "U.S. President Joe Doe spoke."]


def test_pronoun_after_a_subordinator_is_the_sentence_subject(run):
    text, atts = run("Jane Roe met John Doe. Jane Roe will see John Doe because she thinks the deal is fair.")
    assert find(text, atts, "the deal is fair").speakers == ("Jane Roe",)


def test_object_of_a_control_verb_is_who_speaks():
    text = "Senator Ann Warren forced Mr. Stumpf to admit that no executives were fired."
    a = find(text, extract(text), "no executives were fired")
    assert (a.cue.of(text), a.source.of(text), a.speakers) == ("admit", "Mr. Stumpf", ("Stumpf",))


@pytest.mark.parametrize("text, content, source", [
    ("Mayor Bo Park used his acceptance speech to call for the resignation of the governor.",
     "the resignation of the governor", "Mayor Bo Park"),
    ("Senator Ann Warren spent much of the debate criticizing the governor's budget.",
     "the governor's budget", "Senator Ann Warren"),
    # the object shows who speaks: not a means
    ("The new ad uses footage of Mayor Bo Park asking voters to reject the plan.",
     "to reject the plan", "footage of Mayor Bo Park"),
])
def test_the_object_a_speaker_uses_is_not_who_speaks(text, content, source):
    a = find(text, extract(text), content)
    assert a.source.of(text) == source


def test_subject_of_a_verb_without_object_still_speaks_through_its_infinitive():
    text = "Mayor Bo Park wants to say that the budget is balanced."
    a = find(text, extract(text), "the budget is balanced")
    assert (a.cue.of(text), a.source.of(text)) == ("say", "Mayor Bo Park")


@pytest.mark.parametrize("text, speakers", [
    ('"We will win," Clinton campaign manager Robby Mook said.', ("Robby Mook",)),
    ('"We will win," said Gerard Baker of Fox News.', ("Gerard Baker",)),
    ('"We will win," said Brian Fallon, a spokesman for Hillary Clinton.', ("Brian Fallon",)),
    ('"It is over," said Kasich\u2019s chief strategist John Weaver.', ("John Weaver",)),
    ("Neither Angela Merkel nor Francois Hollande said that the deal was dead.",
     ("Angela Merkel", "Francois Hollande")),
    # a possessive owner before a name is not part of it
    ('"The deal is dead," said The Washington Post\u2019s Ed O\u2019Keefe.', ("Ed O\u2019Keefe",)),
    ("Neither Germany\u2019s Angela Merkel nor France\u2019s Francois Hollande said that the deal was dead.",
     ("Angela Merkel", "Francois Hollande")),
    # an apposition says what the name is; the names in it are not speakers too
    ('"We lost," Eric Woolson, an Iowa strategist and former adviser to Scott Walker, said.',
     ("Eric Woolson",)),
    ('"We lost," The Forward, a newspaper catering to American Jews, wrote.', ("Forward",)),
])
def test_the_person_a_source_phrase_names(text, speakers):
    (a,) = extract(text)
    assert a.speakers == speakers


@pytest.mark.parametrize("dateline", [
    "SEOUL, SOUTH KOREA \u2014 ",
    "RENO, Nev. (AP) \u2014 ",
    "CLEVELAND, July 19 (UPI) \u2014 ",
    "DES MOINES, Iowa, Aug. 10 (UPI) \u2014 ",
    "RANGOON, Burma - ",
    "BOCA RATON, Fla. -- ",
])
def test_a_dateline_is_never_the_source(dateline):
    text = dateline + "Former Attorney General Ann Roe told delegates that the server should disqualify her."
    a = find(text, extract(text), "the server should disqualify her")
    assert a.source.of(text) == "Former Attorney General Ann Roe"


@pytest.mark.parametrize("text, sources", [
    ("As part of his plea, Marcel Lehel Lazar, 44, said that he hacked nearly 100 accounts.",
     ["Marcel Lehel Lazar"]),  # the parse hangs the name as an apposition; the age is not the speaker
    ("Now Sembler, who helped lead fundraising for a pro-Bush super PAC, has agreed to serve as "
     "a vice chairman of the fund.", []),  # no speaker found: not the super PAC, and no statement
])
def test_the_phrase_before_a_cue_without_a_subject(text, sources):
    atts = [a for a in extract(text) if a.cue.of(text) in ("said", "agreed")]
    assert [a.source.of(text) for a in atts] == sources


@pytest.mark.parametrize(("text", "speaker"), [
    ('"We will answer every question," Spokeswoman Mara Quill said.', "Mara Quill"),
    ('Defence Minister Arno Vesk said the drills would go on.', "Arno Vesk"),
    ('"The door stays open," Envoy Tobias Renn told reporters.', "Tobias Renn"),
])
def test_an_office_in_front_of_a_name_is_not_part_of_it(text, speaker):
    assert [a.speakers for a in extract(text)] == [(speaker,)]
