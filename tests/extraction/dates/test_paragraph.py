"""A paragraph continuing one dated event carries its date; another occasion does not (dates/paragraph.py,
dates/context.py)."""

from __future__ import annotations

import datetime

import pytest

from quotes.extraction import extract

MONDAY = datetime.date(2025, 7, 14)
SATURDAY, FRIDAY = datetime.date(2025, 7, 12), datetime.date(2025, 7, 11)
WEDNESDAY = datetime.date(2025, 7, 9)


def _date(text, words):
    [a] = [a for a in extract(text, published=MONDAY) if words in a.content.of(text)]
    return a.said_on


@pytest.mark.parametrize(
    ("text", "words", "day"),
    [
        ("In a speech on Saturday, Governor Selma Rusk praised the harbour workers.\n"
         "Rusk also said the fleet would be rebuilt.", "fleet would be rebuilt", SATURDAY),
        ("At a rally on Friday, Senator Mara Quillon said fuel taxes would be cut.\n"
         "Quillon went on to say that rail fares would fall.", "rail fares would fall", FRIDAY),
        ("President Ilka Moren addressed farmers in Dorsk on Saturday.\n"
         "Moren also promised new roads for the north. \u201cThe work begins in autumn,\u201d she said.",
         "work begins in autumn", SATURDAY),
        ("Speaking in Varna on Wednesday, Prime Minister Emil Dragan said quotas would be halved.\n"
         "He also warned that the fleet was too large.", "fleet was too large", WEDNESDAY),
    ],
)
def test_a_paragraph_continuing_a_dated_event_carries_its_date(text, words, day):
    said_on = _date(text, words)
    assert (said_on.value, said_on.precision, said_on.method) == (day, "day", "context")
    assert said_on.evidence is not None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # an occasion of its own
        ("In a speech on Saturday, Governor Selma Rusk praised the harbour workers.\n"
         "In a radio interview, Rusk also said the fleet would be rebuilt.", "fleet would be rebuilt"),
        ("Governor Anton Ril opened the new bridge on Friday.\n"
         "In a radio interview, Ril said \u201cthe city needs a second crossing.\u201d", "second crossing"),
        # nothing says the paragraph goes on with the event
        ("In a speech on Saturday, Governor Selma Rusk praised the harbour workers.\n"
         "Rusk has long said the fleet must be rebuilt.", "fleet must be rebuilt"),
        # someone else spoke last: the paragraph before moved on
        ("In a speech on Saturday, Governor Selma Rusk praised the harbour workers. "
         "Opposition leader Piet Laan said the speech was empty.\n"
         "Rusk also said the fleet would be rebuilt.", "fleet would be rebuilt"),
        # another speaker's statement in the next paragraph
        ("In a speech on Saturday, Governor Selma Rusk praised the harbour workers.\n"
         "Mayor Ines Dahl also said the harbour needed money.", "harbour needed money"),
    ],
)
def test_another_occasion_or_speaker_stays_undated(text, words):
    assert _date(text, words).value is None


@pytest.mark.parametrize(
    ("text", "words", "day"),
    [
        ("Senator Mara Quillon held a rally in Easton on Saturday.\n"
         "At the summit, Quillon said taxes would be cut.", "taxes would be cut", None),
        ("In his Saturday address, President Ilka Moren praised the harvest.\nA joint statement issued by "
         "Moren and Premier Olaf Strand after their summit stressed the need for roads.", "need for", None),
        ("Finance Minister Jonas Weller delivered his budget speech on Wednesday.\n"
         "In the speech, Weller said pensions would rise.", "pensions would rise", WEDNESDAY),
        ("The summit of coastal states ended in Varna on Wednesday.\n"
         "At the closing news conference, Emil Dragan said quotas would be halved.", "quotas", WEDNESDAY),
    ],
)
def test_a_pointer_back_dates_only_the_event_it_names(text, words, day):
    assert _date(text, words).value == day
