"""Re-extraction never overwrites or duplicates what a human verified or edited."""

import datetime
from unittest import mock

import pytest

from quotes.models import Appearance, Statement
from quotes.services.review import statement_split, statements_merge
from quotes.services.statements import statement_edit, statements_reject, statements_verify
from tests.builders import article, extract, said
from tests.factories import SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

SAT = datetime.date(2025, 2, 8)
TEXT = '"We will have relations with North Korea," Trump said on Saturday. Kim said talks were futile.'


def reading(text=TEXT):
    """The engine's reading of TEXT: a dated direct quote by Trump, an indirect one by Kim Jong Un."""
    return (
        said(text, "We will have relations with North Korea,", speakers=("Donald Trump",), source="Trump",
             on=SAT, evidence="on Saturday"),
        said(text, "talks were futile", speakers=("Kim Jong Un",), source="Kim", kind="indirect"),
    )


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def art():
    SpeakerFactory(name="Donald Trump")
    SpeakerFactory(name="Kim Jong Un")
    return article(TEXT)


def snapshot():
    return sorted(
        (a.statement.text, a.start, a.end, a.statement.review_status)
        for a in Appearance.objects.select_related("statement")
    )


def test_same_input_same_rows(art):
    first = extract(art, *reading())
    rows = snapshot()
    again = extract(art, *reading())
    assert [s.pk for s in again] == [s.pk for s in first]
    assert snapshot() == rows
    assert Statement.objects.count() == 2


def test_verified_statement_keeps_its_appearance_and_is_not_duplicated(art, user):
    trump, _ = extract(art, *reading())
    statements_verify(statement_ids=[trump.pk], user=user)
    appearance = trump.appearances.get()
    extract(art, *reading())
    trump.refresh_from_db()
    assert trump.review_status == Statement.Review.VERIFIED
    assert list(trump.appearances.values_list("pk", flat=True)) == [appearance.pk]
    assert Statement.objects.filter(normalized_text=trump.normalized_text).count() == 1


def test_edited_text_date_and_speakers_survive_reextraction(art, user):
    trump, kim = extract(art, *reading())
    kim_yo_jong = SpeakerFactory(name="Kim Yo Jong")
    statement_edit(statement=trump, user=user, text="We will have relations with North Korea.",
                   said_on=datetime.date(2025, 2, 7), said_on_precision="day")
    statement_edit(statement=kim, user=user, speakers=[kim_yo_jong])
    extract(art, *reading())
    trump.refresh_from_db()
    kim.refresh_from_db()
    assert trump.text == "We will have relations with North Korea."
    assert trump.said_on == datetime.date(2025, 2, 7) and trump.said_on_method == "manual"
    assert list(kim.speakers.all()) == [kim_yo_jong]
    assert Statement.objects.count() == 2
    assert Appearance.objects.count() == 2


def test_rejected_statement_does_not_come_back(art, user):
    _, kim = extract(art, *reading())
    statements_reject(statement_ids=[kim.pk], user=user)
    extract(art, *reading())
    assert Statement.objects.filter(normalized_text="talks were futile").count() == 1
    assert Statement.objects.get(pk=kim.pk).review_status == Statement.Review.REJECTED


def test_machine_statement_the_engine_no_longer_finds_is_removed_but_a_locked_one_stays(art, user):
    trump, kim = extract(art, *reading())
    statements_verify(statement_ids=[kim.pk], user=user)
    extract(art)  # the engine now finds nothing
    assert not Statement.objects.filter(pk=trump.pk).exists()
    assert Statement.objects.get(pk=kim.pk).appearances.count() == 1


def test_a_new_article_repeating_a_verified_statement_adds_a_source_not_a_date(art, user):
    trump, _ = extract(art, *reading())
    statements_verify(statement_ids=[trump.pk], user=user)
    statement_edit(statement=trump, user=user, said_on=SAT, said_on_precision="day")
    other_text = 'Trump said: "We will have relations with North Korea." He spoke on Friday.'
    other = article(other_text, published=datetime.date(2025, 2, 10))
    extract(other, said(other_text, "We will have relations with North Korea.", speakers=("Donald Trump",),
                        source="Trump", on=datetime.date(2025, 2, 7), evidence="on Friday"))
    trump.refresh_from_db()
    assert trump.appearances.count() == 2
    assert trump.said_on == SAT and trump.said_on_method == "manual"
    assert Statement.objects.count() == 2


def test_merged_statements_stay_merged(user):
    SpeakerFactory(name="Donald Trump")
    a_text = '"I got along with him very well," Trump said.'
    b_text = '"I got along with him really well," said Trump.'
    a, b = article(a_text), article(b_text)
    (first,) = extract(a, said(a_text, "I got along with him very well,", speakers=("Donald Trump",)))
    (second,) = extract(b, said(b_text, "I got along with him really well,", speakers=("Donald Trump",)))
    statements_merge(target=first, others=[second], user=user)
    extract(a, said(a_text, "I got along with him very well,", speakers=("Donald Trump",)))
    extract(b, said(b_text, "I got along with him really well,", speakers=("Donald Trump",)))
    assert list(Statement.objects.values_list("pk", flat=True)) == [first.pk]
    assert Statement.objects.get().appearances.count() == 2


def test_split_statements_stay_split(user):
    SpeakerFactory(name="Kim Jong Un")
    a_text, b_text = '"We are ready," Kim said in March.', '"We are ready," Kim said in May.'
    a, b = article(a_text), article(b_text)
    (statement,) = extract(a, said(a_text, "We are ready,", speakers=("Kim Jong Un",)))
    extract(b, said(b_text, "We are ready,", speakers=("Kim Jong Un",)))
    assert statement.appearances.count() == 2
    new = statement_split(statement=statement, appearance_ids=[statement.appearances.get(article=b).pk],
                          user=user)
    extract(a, said(a_text, "We are ready,", speakers=("Kim Jong Un",)))
    extract(b, said(b_text, "We are ready,", speakers=("Kim Jong Un",)))
    assert Statement.objects.count() == 2
    assert list(new.appearances.values_list("article", flat=True)) == [b.pk]
    assert list(statement.appearances.values_list("article", flat=True)) == [a.pk]


def test_manual_appearance_is_kept_and_its_span_skipped(art, user):
    trump, _ = extract(art, *reading())
    Appearance.objects.filter(statement=trump).update(origin=Appearance.Origin.MANUAL)
    extract(art, *reading())
    assert Appearance.objects.filter(article=art).count() == 2
    assert Statement.objects.get(pk=trump.pk).appearances.get().origin == Appearance.Origin.MANUAL


def test_extraction_offers_near_duplicates_to_a_reviewer(django_capture_on_commit_callbacks):
    from quotes.models import DuplicateCandidate
    from quotes.tasks import find_duplicates

    SpeakerFactory(name="Donald Trump")
    a_quote = "We will have relations with North Korea, with Kim Jong Un,"
    b_quote = "We will have relations with North Korea and with Kim Jong Un,"
    a_text, b_text = f'"{a_quote}" Trump said.', f'"{b_quote}" Trump said.'
    with (
        mock.patch("quotes.tasks.find_duplicates.delay", side_effect=lambda i: find_duplicates.apply([i])),
        django_capture_on_commit_callbacks(execute=True),
    ):
        (first,) = extract(article(a_text), said(a_text, a_quote, speakers=("Donald Trump",)))
        assert not DuplicateCandidate.objects.exists()  # searched after commit, not while storing
        (second,) = extract(article(b_text), said(b_text, b_quote, speakers=("Donald Trump",)))
    assert first != second
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.first, candidate.second) == (first, second)
