"""Statements across articles: one statement per words and speakers, partial quotes, near-duplicates."""

from unittest import mock

import pytest

from quotes.models import DuplicateCandidate, Statement, StatementSpeaker
from quotes.normalize import statement_fingerprint
from quotes.services.duplicates import duplicates_find
from quotes.services.statements import statements_reject
from tests.builders import article, extract, said
from tests.factories import SpeakerFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG = "We will have relations with North Korea, with Kim Jong Un. I got along with him very well."


@pytest.fixture
def trump():
    return SpeakerFactory(name="Donald Trump")


def statement(text, speakers=()):
    fingerprint = statement_fingerprint(text, [s.pk for s in speakers])
    return StatementFactory(text=text, fingerprint=fingerprint, speakers=list(speakers))


class TestSameWordsOneStatement:
    @pytest.mark.parametrize("printed", [
        "“We will have relations with North Korea, with Kim Jong Un.”",
        '"we will have relations with north korea -- with kim jong un"',
        "‘We will have relations with North Korea; with Kim Jong Un!’",
    ])
    def test_punctuation_case_and_quote_marks_do_not_matter(self, trump, printed):
        quote = "We will have relations with North Korea, with Kim Jong Un."
        a_text = f'"{quote}" Trump said.'
        b_text = f"Trump said {printed} at the White House."
        (first,) = extract(article(a_text), said(a_text, quote, speakers=("Donald Trump",)))
        (second,) = extract(article(b_text), said(b_text, printed[1:-1], speakers=("Donald Trump",)))
        assert first == second
        assert Statement.objects.count() == 1
        assert first.appearances.count() == 2

    def test_same_words_by_different_people_are_different_statements(self, trump):
        SpeakerFactory(name="Joe Biden")
        a_text, b_text = '"We will win," Trump said.', '"We will win," Biden said.'
        (first,) = extract(article(a_text), said(a_text, "We will win,", speakers=("Donald Trump",)))
        (second,) = extract(article(b_text), said(b_text, "We will win,", speakers=("Joe Biden",)))
        assert first != second


class TestPartialQuotes:
    def test_partial_quote_links_to_the_longer_quote_by_the_same_speaker(self, trump):
        long_text = f'"{LONG}" Trump said.'
        (whole,) = extract(article(long_text), said(long_text, LONG, speakers=("Donald Trump",)))
        part_text = 'Trump said he "got along with him very well" with the North Korean leader.'
        (part,) = extract(article(part_text), said(part_text, "got along with him very well",
                                                    speakers=("Donald Trump",), kind="mixed"))
        part.refresh_from_db()
        assert part.kind == Statement.Kind.PARTIAL
        assert part.part_of == whole

    def test_longer_quote_found_later_adopts_earlier_partials(self, trump):
        part_text = 'Trump said he "got along with him very well".'
        (part,) = extract(article(part_text), said(part_text, "got along with him very well",
                                                    speakers=("Donald Trump",), kind="mixed"))
        long_text = f'"{LONG}" Trump said.'
        (whole,) = extract(article(long_text), said(long_text, LONG, speakers=("Donald Trump",)))
        part.refresh_from_db()
        assert part.part_of == whole

    def test_a_partial_tied_to_its_whole_stays_with_it_when_another_longer_quote_holds_it(self, trump):
        long_text = f'"{LONG}" Trump said.'
        (whole,) = extract(article(long_text), said(long_text, LONG, speakers=("Donald Trump",)))
        part_text = 'Trump said he "got along with him very well" with the North Korean leader.'
        (part,) = extract(article(part_text), said(part_text, "got along with him very well",
                                                    speakers=("Donald Trump",), kind="mixed"))
        other = "Believe me, I got along with him very well, and I still do."
        other_text = f'"{other}" Trump told reporters.'
        (later,) = extract(article(other_text), said(other_text, other, speakers=("Donald Trump",)))
        part.refresh_from_db()
        assert later != whole
        assert part.part_of == whole

    def test_another_speakers_quote_is_not_the_whole(self, trump):
        SpeakerFactory(name="Joe Biden")
        long_text = f'"{LONG}" Trump said.'
        extract(article(long_text), said(long_text, LONG, speakers=("Donald Trump",)))
        part_text = 'Biden said he "got along with him very well".'
        (part,) = extract(article(part_text), said(part_text, "got along with him very well",
                                                    speakers=("Joe Biden",), kind="mixed"))
        part.refresh_from_db()
        assert part.part_of is None


class TestDuplicatesFind:
    def test_small_wording_differences_become_one_open_pair(self, trump):
        a = statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        b = statement("We will have relations with North Korea and with Kim Jong Un.", [trump])
        statement("Completely unrelated words about the weather today.", [trump])
        assert duplicates_find() == 1
        pair = DuplicateCandidate.objects.get()
        assert (pair.first, pair.second, pair.status) == (a, b, DuplicateCandidate.Status.OPEN)
        assert 0.6 <= pair.similarity <= 1

    def test_rerunning_creates_nothing_and_leaves_decisions_alone(self, trump):
        statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        statement("We will have relations with North Korea and with Kim Jong Un.", [trump])
        duplicates_find()
        DuplicateCandidate.objects.update(status=DuplicateCandidate.Status.DISMISSED, similarity=0.61)
        assert duplicates_find() == 0
        assert list(DuplicateCandidate.objects.values_list("status", "similarity")) == [("dismissed", 0.61)]

    def test_limited_to_the_given_statements(self, trump):
        a = statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        statement("We will have relations with North Korea and with Kim Jong Un.", [trump])
        c = statement("The trilateral partnership is a grave challenge to our state.", [trump])
        statement("The trilateral partnership is a grave challenge to our country.", [trump])
        assert duplicates_find(statement_ids=[a.pk]) == 1
        assert duplicates_find(statement_ids=[c.pk]) == 1
        assert duplicates_find(statement_ids=[]) == 0

    def test_different_people_are_not_duplicates_but_an_unresolved_speaker_may_be(self, trump):
        biden = SpeakerFactory(name="Joe Biden")
        statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        statement("We will have relations with North Korea and with Kim Jong Un.", [biden])
        assert duplicates_find() == 0
        unknown = statement("We will have relations with North Korea, with Kim Jong Un!!", [])
        assert duplicates_find(statement_ids=[unknown.pk]) == 2

    def test_threshold_and_rejected_statements(self, trump):
        a = statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        b = statement("We will have relations with North Korea and with Kim Jong Un.", [trump])
        assert duplicates_find(threshold=0.99) == 0
        statements_reject(statement_ids=[b.pk], user=UserFactory())
        assert duplicates_find(statement_ids=[a.pk]) == 0
        with pytest.raises(ValueError):
            duplicates_find(threshold=0)


class TestNeighboursOnly:
    def test_a_re_report_in_other_words_by_the_same_speaker_is_found(self, trump):
        a = statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        b = statement("We will have relations with North Korea and with Kim Jong Un.", [trump])
        assert duplicates_find(statement_ids=[b.pk]) == 1
        assert DuplicateCandidate.objects.get().first == a

    def test_other_speakers_statements_are_never_compared(self, trump):
        biden = SpeakerFactory(name="Joe Biden")
        mine = statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        statement("We will have relations with North Korea and with Kim Jong Un.", [biden])
        with mock.patch("quotes.services.duplicates._worth_review", side_effect=lambda pairs: pairs):
            assert duplicates_find(statement_ids=[mine.pk]) == 0  # not even as a raw pair

    def test_statements_far_apart_in_time_are_not_compared(self, trump):
        import datetime

        a = statement("We will have relations with North Korea, with Kim Jong Un.", [trump])
        b = statement("We will have relations with North Korea and with Kim Jong Un.", [trump])
        Statement.objects.filter(pk=b.pk).update(said_on=datetime.date(2023, 1, 1))
        StatementSpeaker.objects.filter(statement=b).update(said_on=datetime.date(2023, 1, 1))
        assert duplicates_find(statement_ids=[a.pk]) == 0

    def test_a_statement_nobody_is_resolved_for_is_compared_with_the_nearest_in_time(self, trump,
                                                                                     monkeypatch):
        import datetime

        monkeypatch.setattr("quotes.services.duplicates.UNRESOLVED_NEAREST", 2)
        day = datetime.date(2025, 3, 10)
        unresolved = statement("We will have relations with North Korea, with Kim Jong Un.")
        Statement.objects.filter(pk=unresolved.pk).update(said_on=day, said_on_precision="day")
        alike = {}
        for offset in (-9, -4, -1, 0, 2, 5, 11):  # the same words, reported on other days by Trump
            words = f"We will have relations with North Korea, with Kim Jong Un ({offset + 20})."
            other = statement(words, [trump])
            on = day + datetime.timedelta(days=offset)
            Statement.objects.filter(pk=other.pk).update(said_on=on, said_on_precision="day")
            StatementSpeaker.objects.filter(statement=other).update(said_on=on)
            alike[offset] = other.pk
        assert duplicates_find(statement_ids=[unresolved.pk]) == 4
        pairs = DuplicateCandidate.objects.values_list("first_id", "second_id")
        paired = {pk for pair in pairs for pk in pair}
        # two on or before its day (itself aside), two after: the window's farther ones are not read
        assert paired - {unresolved.pk} == {alike[0], alike[-1], alike[2], alike[5]}


def test_the_pairs_offered_are_every_pair_pg_trgm_finds_similar_enough():
    """Whatever shortcut the search takes, it offers what similarity() over every pair offers."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm's similarity")
    mayor = SpeakerFactory(name="Odile Brannigan")
    base = "the harbour bridge will reopen to traffic in the spring"
    texts = [
        base,
        base + " of next year",  # contains it: similarity is the ratio of their trigram counts
        base + " of next year at the latest, the council says",
        "the harbor bridge will reopen to traffic in spring",
        "the harbour bridge will not reopen this year",
        "ferries will run every twenty minutes until then",
        "ferries will run every twenty minutes",
        "we have no money for a second bridge",
    ]
    stored = [statement(text, [mayor]) for text in texts]
    ids = [s.pk for s in stored]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, b.id FROM quotes_statement a JOIN quotes_statement b ON a.id < b.id "
            "WHERE a.id = ANY(%s) AND b.id = ANY(%s) "
            "AND similarity(a.normalized_text, b.normalized_text) >= 0.6",
            [ids, ids],
        )
        expected = set(cursor.fetchall())
    assert len(expected) >= 3  # the case is worth something: a few pairs, not all of them
    assert duplicates_find(statement_ids=ids) == len(expected)
    assert set(DuplicateCandidate.objects.values_list("first_id", "second_id")) == expected
