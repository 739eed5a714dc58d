"""Issue #13 in storing: one statement however it is reported (quote words, fragments, provenance, dates)."""

import datetime

import pytest
from django.core.management import call_command

from quotes.models import Appearance, Article, Statement
from quotes.services.statements import statements_provenance_derive, statements_reject, statements_verify
from tests.builders import article, extract, said
from tests.factories import SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

SPLIT = "“The dam is safe,” said Paula Renke, an engineer in Delft. “We checked every gate.”"
SPLIT_QUOTE = "The dam is safe,” said Paula Renke, an engineer in Delft. “We checked every gate."


@pytest.fixture
def renke():
    return SpeakerFactory(name="Paula Renke")


def split_reading(text=SPLIT, **kwargs):
    return said(text, SPLIT_QUOTE, speakers=("Paula Renke",), source="Paula Renke",
                pieces=("The dam is safe,", "We checked every gate."), **kwargs)


def test_a_broken_quote_is_stored_as_its_words_joined_with_each_pieces_offsets(renke):
    art = article(SPLIT)
    [statement] = extract(art, split_reading())
    assert statement.text == "The dam is safe … We checked every gate."
    assert "Renke" not in statement.text
    appearance = statement.appearances.get()
    assert [SPLIT[a:b] for a, b in appearance.pieces] == ["The dam is safe,", "We checked every gate."]
    assert SPLIT[appearance.start:appearance.end] == SPLIT_QUOTE  # the span the scorer reads is kept


@pytest.mark.parametrize("text, pieces, words", [
    ("“No.” Ana Solvey said. “Never again.”", ("No.", "Never again."), "No. Never again."),
    ("“The plan,” she said, “is dead.”", ("The plan,", "is dead."), "The plan … is dead."),
])
def test_pieces_are_joined_by_a_space_after_a_full_stop_else_an_ellipsis(text, pieces, words):
    SpeakerFactory(name="Ana Solvey")
    quote = text[1:text.rindex("”")]
    [statement] = extract(article(text), said(text, quote, speakers=("Ana Solvey",), pieces=pieces))
    assert statement.text == words


def test_a_partial_quote_reported_later_joins_the_longer_quote(renke):
    first = extract(article(SPLIT), split_reading())[0]
    later = "Engineer Paula Renke said the inspectors “checked every gate” on the dam."
    [statement] = extract(
        article(later, datetime.date(2025, 2, 10)),
        said(later, "the inspectors “checked every gate”", speakers=("Paula Renke",), kind="mixed",
             pieces=("checked every gate",), confidence=0.75),
    )
    assert statement.pk == first.pk
    assert Statement.objects.count() == 1
    fragment = Appearance.objects.get(article__text=later)
    assert later[fragment.start:fragment.end] == "the inspectors “checked every gate”"
    assert fragment.kind == Statement.Kind.PARTIAL


def test_a_fragment_reported_first_grows_to_the_longer_quote_keeping_its_record(renke):
    early = "Paula Renke said “we checked every gate” before the storm."
    [fragment] = extract(article(early, datetime.date(2025, 2, 8)),
                         said(early, "“we checked every gate”", speakers=("Paula Renke",), kind="mixed",
                              pieces=("we checked every gate",)))
    [longer] = extract(article(SPLIT), split_reading())
    assert longer.pk == fragment.pk  # a statement cited by its id stays cited
    assert list(Statement.objects.values_list("pk", flat=True)) == [fragment.pk]
    grown = Statement.objects.get()
    assert (grown.text, grown.kind) == ("The dam is safe … We checked every gate.", Statement.Kind.DIRECT)
    assert grown.appearances.count() == 2
    assert grown.history.filter(text=grown.text).exists()  # the growth is in its history
    call_command("refresh_counters", "--check")  # counts and timeline copies kept up to date
    split = Article.objects.get(text=SPLIT)
    extract(split, split_reading())  # extracting either article again changes nothing
    extract(Article.objects.get(text=early), said(early, "“we checked every gate”", speakers=("Paula Renke",),
                                                  kind="mixed", pieces=("we checked every gate",)))
    assert list(Statement.objects.values_list("pk", "text")) == [(fragment.pk, grown.text)]
    assert Appearance.objects.filter(statement_id=fragment.pk).count() == 2


def test_a_longer_quote_a_reviewer_verified_keeps_its_record_and_takes_the_fragment(renke):
    [longer] = extract(article(SPLIT), split_reading())
    statements_verify(statement_ids=[longer.pk], user=UserFactory())
    early = "Paula Renke said “we checked every gate” before the storm."
    [found] = extract(article(early, datetime.date(2025, 2, 8)),
                      said(early, "“we checked every gate”", speakers=("Paula Renke",), kind="mixed",
                           pieces=("we checked every gate",)))
    assert found.pk == longer.pk
    assert Statement.objects.get().review_status == Statement.Review.VERIFIED


def test_fragments_stay_apart_for_another_speaker_short_words_or_a_reviewers_decision(renke):
    SpeakerFactory(name="Ivo Marten")
    other = "Ivo Marten said “we checked every gate” too."
    extract(article(other), said(other, "“we checked every gate”", speakers=("Ivo Marten",),
                                 kind="mixed", pieces=("we checked every gate",)))
    short = "Paula Renke said the dam “is safe” again."
    extract(article(short), said(short, "the dam “is safe”", speakers=("Paula Renke",), kind="mixed",
                                 pieces=("is safe",)))
    verified = "Paula Renke: “We checked every gate.”"
    [kept] = extract(article(verified), said(verified, "We checked every gate.", speakers=("Paula Renke",)))
    statements_verify(statement_ids=[kept.pk], user=UserFactory())
    extract(article(SPLIT), split_reading())
    assert Statement.objects.count() == 4
    assert Statement.objects.get(pk=kept.pk).appearances.count() == 1


def test_the_statement_takes_the_best_reports_confidence_and_kind(renke):
    weak = "“The dam is safe.” Nobody else spoke."
    [statement] = extract(article(weak), said(weak, "The dam is safe.", speakers=("Paula Renke",),
                                              confidence=0.3))
    assert Statement.objects.get().confidence == 0.3
    strong = "“The dam is safe.” Paula Renke said."
    extract(article(strong, datetime.date(2025, 2, 10)),
            said(strong, "The dam is safe.", speakers=("Paula Renke",), confidence=0.9))
    statement.refresh_from_db()
    assert statement.confidence == 0.9
    assert sorted(statement.appearances.values_list("confidence", flat=True)) == [0.3, 0.9]


def test_a_reviewers_decision_outranks_the_reports(renke):
    text = "“The dam is safe.” Renke."
    [statement] = extract(article(text), said(text, "The dam is safe.", speakers=("Paula Renke",),
                                              confidence=0.3))
    statements_verify(statement_ids=[statement.pk], user=UserFactory())
    statements_provenance_derive(statement_ids=[statement.pk])
    assert Statement.objects.get().confidence == 1.0
    statements_reject(statement_ids=[statement.pk], user=UserFactory())
    Statement.objects.filter(pk=statement.pk).update(confidence=0.4)
    statements_provenance_derive(statement_ids=[statement.pk])
    assert Statement.objects.get().confidence == 0.4  # a rejected statement is left as it is


@pytest.mark.parametrize("method", ["explicit", "relative", "context"])
def test_the_date_method_and_evidence_are_stored_per_report_and_on_the_statement(renke, method):
    text = "“The dam is safe.” Paula Renke said that day."
    [statement] = extract(article(text), said(
        text, "The dam is safe.", speakers=("Paula Renke",), on=datetime.date(2025, 2, 7),
        evidence="that day", method=method,
    ))
    appearance = statement.appearances.get()
    assert (appearance.said_on_method, appearance.date_evidence) == (method, "that day")
    assert Statement.objects.get().said_on_method == method


def test_the_most_direct_evidence_names_the_method_of_one_date(renke):
    text = "“The dam is safe.” Paula Renke said that day."
    extract(article(text), said(text, "The dam is safe.", speakers=("Paula Renke",),
                                on=datetime.date(2025, 2, 7), evidence="that day", method="context"))
    again = "“The dam is safe,” Paula Renke said on Feb. 7, 2025."
    extract(article(again, datetime.date(2025, 2, 10)), said(
        again, "The dam is safe,", speakers=("Paula Renke",), on=datetime.date(2025, 2, 7),
        evidence="on Feb. 7, 2025", method="explicit",
    ))
    assert Statement.objects.get().said_on_method == "explicit"


def test_the_relay_is_kept_on_the_appearance(renke):
    text = "The Delft Courier quoted Paula Renke as saying the dam was safe."
    [statement] = extract(article(text), said(text, "the dam was safe", speakers=("Paula Renke",),
                                              kind="indirect", via="The Delft Courier"))
    assert statement.appearances.get().reported_via == "The Delft Courier"
    assert [s.name for s in statement.speakers.all()] == ["Paula Renke"]


def test_a_generic_relay_that_opened_its_sentence_is_stored_without_its_capital(renke):
    text = "The agency quoted Paula Renke as saying the dam was safe."
    [statement] = extract(article(text), said(text, "the dam was safe", speakers=("Paula Renke",),
                                              kind="indirect", via="The agency"))
    assert statement.appearances.get().reported_via == "the agency"



def test_the_scorers_reading_of_relayed_speech_is_not_stored(renke):
    from dataclasses import replace

    text = "The Delft Courier quoted Paula Renke as saying the dam was safe."
    relay = replace(said(text, "Paula Renke as saying the dam was safe", kind="indirect"), view="scored")
    person = replace(said(text, "the dam was safe", speakers=("Paula Renke",), kind="indirect",
                          via="The Delft Courier"), view="recorded")
    assert [s.text for s in extract(article(text), relay, person)] == ["the dam was safe"]


@pytest.mark.parametrize("tail", [", after meeting the mayor in Delft", ", while visiting the dam on Sunday"])
def test_the_reporters_narration_after_reported_words_is_not_the_statement(renke, tail):
    text = f"Paula Renke said the dam was safe{tail}."
    [statement] = extract(article(text), said(text, f"the dam was safe{tail}", speakers=("Paula Renke",),
                                              kind="indirect"))
    assert statement.text == "the dam was safe"


def test_a_partial_quotes_narration_stays_its_words(renke):
    text = "Paula Renke said the dam was \u201csafe, after checking every gate.\u201d"
    quote = "the dam was \u201csafe, after checking every gate.\u201d"
    [statement] = extract(article(text), said(text, quote, speakers=("Paula Renke",), kind="mixed"))
    assert statement.text == quote
