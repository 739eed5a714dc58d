"""The JSON record shared with the extract_quotes command, and the date discourse rule."""

from __future__ import annotations

import datetime

from quotes.extraction import DateResolution, extract, finish, jsonl
from quotes.extraction.types import DAY


def test_attribution_to_json_has_the_scorer_fields():
    text = '"We will win," Jane Doe said.'
    (a,) = extract(text)
    record = jsonl.attribution_to_json("doc1", a, text)
    assert record["doc"] == "doc1" and record["kind"] == "direct"
    assert text[slice(*record["content"])] == "We will win,"
    assert text[slice(*record["source"])] == "Jane Doe"
    assert text[slice(*record["cue"])] == "said"
    assert record["speaker"] == "Jane Doe" and record["said_on"] is None


def _fake_dates(text, *, sentence, cue, content, published):
    """Pretend dates module: "on Saturday" in the sentence means 2025-02-08."""
    if cue is not None and "on Saturday" in sentence.of(text):
        return DateResolution(datetime.date(2025, 2, 8), DAY, None)
    return DateResolution()


def test_pronoun_continuation_carries_the_date(monkeypatch):
    monkeypatch.setattr(finish, "said_on_for", _fake_dates)
    text = (
        "In a speech on Saturday, Jane Doe criticized the plan. "
        "She argues that the plan is too costly. "
        "Bob Roe said that the plan was fine."
    )
    atts = extract(text, published=datetime.date(2025, 2, 9))
    by_content = {a.content.of(text): a for a in atts}
    assert by_content["that the plan is too costly"].said_on.value == datetime.date(2025, 2, 8)
    assert by_content["that the plan was fine"].said_on.value is None


def test_a_name_breaks_the_chain(monkeypatch):
    monkeypatch.setattr(finish, "said_on_for", _fake_dates)
    text = "On Saturday, Jane Doe criticized the plan. Jane Doe argues that the plan is too costly."
    atts = extract(text, published=datetime.date(2025, 2, 9))
    a = next(a for a in atts if "too costly" in a.content.of(text))
    assert a.said_on.value is None
