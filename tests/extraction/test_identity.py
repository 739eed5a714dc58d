"""Issue #13 in the engine: a quote's own pieces, how a date was found, dates the context carries,
offices in front of a name."""

import datetime

import pytest

from quotes.extraction.dates.context import method_of

from .conftest import find

TUE = datetime.date(2025, 5, 21)  # published on a Wednesday: "Tuesday" is 20 May
TUESDAY = datetime.date(2025, 5, 20)


@pytest.mark.parametrize("text, pieces", [
    ("“The bridge will open in May,” said Marta Ilvesk, the transport minister. "
     "“We have found the money.”",
     ["The bridge will open in May,", "We have found the money."]),
    ("“The fleet will be rebuilt,” Rusk said. “Every yard will have work.”",
     ["The fleet will be rebuilt,", "Every yard will have work."]),
    ("“We will win,” Jane Doe told a rally in Easton.", ["We will win,"]),
])
def test_a_direct_quote_keeps_each_quoted_piece(run, text, pieces):
    text, atts = run(text)
    [a] = [a for a in atts if a.kind == "direct"]
    assert [p.of(text) for p in a.pieces] == pieces


def test_a_partial_quote_keeps_its_fragment_and_indirect_speech_none(run):
    text, atts = run(
        "Tomas Brevik said the harvest was “the best in a decade” as he toured farms. "
        "Lena Kvist said the rail link would reopen."
    )
    assert [p.of(text) for p in find(text, atts, "the best in a decade").pieces] == ["the best in a decade"]
    assert find(text, atts, "the rail link would reopen").pieces == ()


@pytest.mark.parametrize("evidence, method", [
    ("on June 30, 2025", "explicit"), ("on Feb. 8", "explicit"), ("in 2019", "explicit"),
    ("on Tuesday", "relative"), ("yesterday", "relative"), ("last week", "relative"),
])
def test_a_date_phrase_printing_its_month_or_year_is_explicit(evidence, method):
    assert method_of(evidence) == method


def test_the_own_sentences_date_says_how_it_was_found(run):
    text, atts = run(
        "Paula Renke said on Tuesday that the dam was safe. "
        "Ivo Marten said on May 2, 2025 that the team was ready.",
        published=TUE,
    )
    dam, team = find(text, atts, "the dam was safe").said_on, find(text, atts, "the team was ready").said_on
    assert (dam.value, dam.method, dam.evidence.of(text)) == (TUESDAY, "relative", "on Tuesday")
    assert (team.value, team.method) == (datetime.date(2025, 5, 2), "explicit")


@pytest.mark.parametrize("first, second", [
    ("The foreign ministers met in Geneva on Tuesday.",
     "Speaking to reporters afterwards, Piet Amsel said the ceasefire would hold."),
    ("The new harbour at Sollen opened on Tuesday.",
     "That day, Mayor Ingrid Tovar said the ceasefire would hold."),
    ("Senator Mara Quillon held a rally in Easton on Tuesday.",
     "At the rally, Quillon said the ceasefire would hold."),
    ("Jonas Weller delivered his budget speech on Tuesday.",
     "In the speech, Weller said the ceasefire would hold."),
    ("Governor Selma Rusk spoke at the harbour on Tuesday.", "Rusk said the ceasefire would hold."),
])
def test_a_statement_pointing_back_takes_the_dated_events_day(run, first, second):
    text, atts = run(f"{first}\n{second}\n", published=TUE)
    said_on = find(text, atts, "the ceasefire would hold").said_on
    found = (said_on.value, said_on.method, said_on.evidence.of(text))
    assert found == (TUESDAY, "context", "on Tuesday")


@pytest.mark.parametrize("first, second", [
    # No pointer, and the speaker was not the one doing something that day.
    ("The foreign ministers met in Geneva on Tuesday.", "Piet Amsel said the ceasefire would hold."),
    # Two dates before: which one is meant is not known.
    ("The ministers met on Monday and on Tuesday.", "Afterwards, Piet Amsel said the ceasefire would hold."),
    # Only a month: not the day of an event.
    ("The ministers met in Geneva in April.", "Afterwards, Piet Amsel said the ceasefire would hold."),
])
def test_no_pointer_or_no_single_day_leaves_the_date_unknown(run, first, second):
    text, atts = run(f"{first}\n{second}\n", published=TUE)
    said_on = find(text, atts, "the ceasefire would hold").said_on
    assert (said_on.value, said_on.method) == (None, "unknown")


@pytest.mark.parametrize("written, name", [
    ("Transport Minister Marta Ilvesk", "Marta Ilvesk"),
    ("Water Commissioner Aldo Fenn", "Aldo Fenn"),
    ("Port Director Elsa Norrgard", "Elsa Norrgard"),
    ("Engineer Paula Renke", "Paula Renke"),
    ("Analyst Greta Moll", "Greta Moll"),
    ("Harbour Master Ole Brandt", "Ole Brandt"),
])
def test_an_office_in_front_of_a_title_is_not_part_of_the_name(run, written, name):
    text, atts = run(f"{written} said the budget was too small.")
    assert find(text, atts, "the budget was too small").speakers == (name,)


def recorded(text, atts, fragment):
    """The record's reading (what is stored) of the statement holding ``fragment``."""
    hits = [a for a in atts if fragment in a.content.of(text) and a.view != "scored"]
    assert len(hits) == 1, [(a.content.of(text), a.view) for a in atts]
    return hits[0]


@pytest.mark.parametrize("text, words, speaker, via", [
    ("The Estmark News Agency quoted Foreign Minister Oren Valtik as saying that the border talks had "
     "reached a dead end.",
     "the border talks had reached a dead end", "Oren Valtik", "The Estmark News Agency"),
    ("Xinhua quoted Trade Minister Li Wenbo as saying prices would fall.", "prices would fall", "Li Wenbo",
     "Xinhua"),
    ("According to the palace, King Aurel said he would visit the flooded valleys.",
     "he would visit the flooded valleys", "Aurel", "the palace"),
    ("Defence Minister Ulla Brask said the navy would answer any incursion, the Korvin News Agency reported.",
     "the navy would answer any incursion", "Ulla Brask", "the Korvin News Agency"),
    ("State television reported that President Ilse Varga called the opposition leader “a danger to the "
     "republic.”", "the opposition leader “a danger to the republic", "Ilse Varga", "State television"),
    ("Estmark's foreign minister, Oren Valtik, said the talks had failed, according to the Estmark News "
     "Agency.",
     "the talks had failed", "Oren Valtik", "the Estmark News Agency"),
])
def test_relayed_speech_is_the_persons_with_the_relay_as_via(run, text, words, speaker, via):
    text, atts = run(text)
    a = recorded(text, atts, words)
    assert a.content.of(text) == words
    assert (a.speakers, a.via.of(text)) == ((speaker,), via)


@pytest.mark.parametrize("text, words, speaker", [
    ("The Korvin News Agency said the naval drills were a provocation.",
     "the naval drills were a provocation", "Korvin News Agency"),
    ("Senator Mara Quillon said taxes on fuel would be cut.", "taxes on fuel would be cut", "Mara Quillon"),
])
def test_a_relay_speaking_in_its_own_name_speaks_for_itself(run, text, words, speaker):
    text, atts = run(text)
    a = recorded(text, atts, words)
    assert (a.speakers, a.via, a.view) == ((speaker,), None, "both")


def test_the_scorers_reading_of_relayed_speech_stays_the_relays(run):
    from quotes.extraction.jsonl import scored

    text, atts = run("The agency quoted Minister Ulla Brask as saying the navy would answer any incursion.")
    [a] = scored(atts)
    assert (a.source.of(text), a.cue.of(text), a.view) == ("The agency", "quoted", "scored")
    assert [b.view for b in atts if b not in scored(atts)] == ["recorded"]


@pytest.mark.parametrize("before, reference", [
    ("President Rafael Ostrander met Prime Minister Lena Kvist in Port Amel on Monday.", "The two leaders"),
    ("Rafael Ostrander had lunch with Lena Kvist.", "Both men"),
    ("Coach Rafael Ostrander spoke to Lena Kvist at length.", "The pair"),
    ("Finance Minister Rafael Ostrander met Trade Minister Lena Kvist.\nTalks lasted an hour.",
     "The ministers"),
])
def test_a_plural_reference_is_the_two_people_just_named(run, before, reference):
    text, atts = run(f"Rail traffic stopped in 2022.\n{before}\n{reference} said the rail link would reopen.")
    assert find(text, atts, "the rail link would reopen").speakers == ("Rafael Ostrander", "Lena Kvist")


@pytest.mark.parametrize("before", [
    "Rail traffic stopped in 2022.",  # nobody named
    "Rafael Ostrander met Lena Kvist and Piet Amsel.",  # three people: which two?
])
def test_a_plural_reference_that_cannot_be_resolved_names_nobody(run, before):
    text, atts = run(f"{before}\nThe two leaders said the rail link would reopen.\n")
    assert find(text, atts, "the rail link would reopen").speakers == ()


@pytest.mark.parametrize("text, speakers", [
    ("Prime Minister Ana Solvey arrived for talks with Chancellor Dieter Hallberg. She and Hallberg signed a "
     "declaration that their countries would share electricity.", ("Ana Solvey", "Dieter Hallberg")),
    ("Chancellor Dieter Hallberg met Ana Solvey. She and the chancellor signed a declaration that their "
     "countries would share electricity.", ("Ana Solvey", "Dieter Hallberg")),
    ("Ana Solvey flew in. She and the chancellor signed a declaration that their countries would share "
     "electricity.", ()),  # the chancellor is named nowhere: not Solvey's statement alone
    ("A joint statement issued by Brask and Valtik said their countries would share electricity.",
     ("Brask", "Valtik")),
])
def test_a_joint_source_names_every_author_or_nobody(run, text, speakers):
    text, atts = run(text)
    assert find(text, atts, "would share electricity").speakers == speakers


@pytest.mark.parametrize("text", [
    "On June 30, 2025, Engineer Paula Renke said the dam was safe.",
    "Paula Renke, on June 30, 2025, said the dam was safe.",
])
def test_a_full_date_framing_the_saying_keeps_its_own_comma(run, text):
    text, atts = run(text, published=datetime.date(2025, 7, 3))
    said_on = find(text, atts, "the dam was safe").said_on
    assert (said_on.value, said_on.method) == (datetime.date(2025, 6, 30), "explicit")


@pytest.mark.parametrize("text, speakers", [
    ("The Estmark News Agency carried the report. The agency said the talks were cancelled.",
     ("Estmark News Agency",)),
    ("The Valdorian Foreign Ministry was asked. The ministry said the talks were cancelled.",
     ("Valdorian Foreign Ministry",)),
    ("The agency said the talks were cancelled.", ()),  # no agency named before
    ("The Estmark News Agency carried the report. The ministry said the talks were cancelled.", ()),
])
def test_the_agency_is_the_agency_named_before(run, text, speakers):
    text, atts = run(text)
    assert find(text, atts, "the talks were cancelled").speakers == speakers


def test_a_broken_quote_is_dated_by_the_attribution_between_its_pieces(run):
    text, atts = run("\u201cOur schools need teachers,\u201d the minister, Hanna Roos, said on Tuesday. "
                     "\u201cWe will hire them.\u201d", published=TUE)
    said_on = find(text, atts, "We will hire them").said_on
    assert (said_on.value, said_on.method, said_on.evidence.of(text)) == (TUESDAY, "relative", "on Tuesday")


@pytest.mark.parametrize("pointer", [
    "At the closing news conference", "During his weekly briefing", "After the talks", "Later that evening",
])
def test_an_event_pointer_may_carry_a_word_or_two_before_its_noun(run, pointer):
    text = f"The summit ended in Varna on Tuesday.\n{pointer}, Emil Dragan said quotas would be halved.\n"
    text, atts = run(text, published=TUE)
    said_on = find(text, atts, "quotas would be halved").said_on
    assert (said_on.value, said_on.method) == (TUESDAY, "context")
