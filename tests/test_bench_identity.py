"""scripts/bench_identity.py: the sets are well formed; an expectation fails when the record differs."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("bench_identity", ROOT / "scripts" / "bench_identity.py")
bench = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench)

STORED = {
    "id": 1, "text": "The dam is safe … We checked every gate.", "speakers": ["Paula Renke"],
    "said_on": "2025-02-07", "method": "context", "evidence": ["that day"], "kind": "direct",
    "confidence": 0.9, "review": True, "via": ["", "the Delft Courier"], "appearances": 2,
}


def test_every_group_has_two_to_four_articles_and_expectations_of_known_patterns():
    groups = bench.load_groups(bench.SETS)
    assert len(groups) >= 20
    for name, folder, spec in groups:
        assert 2 <= len(spec["articles"]) <= 4, name
        for article in spec["articles"]:
            assert (folder / article["file"]).read_text("utf-8").strip(), name
        assert spec["expect"] and {e["pattern"] for e in spec["expect"]} <= set(bench.PATTERNS), name
        for expect in spec["expect"]:
            assert expect["quote"] in json.dumps(expect) and "speakers" in expect, name


def test_an_expectation_that_matches_holds():
    expect = {"pattern": 1, "quote": "checked every gate", "speakers": ["Paula Renke"],
              "text": "The dam is safe. We checked every gate", "appearances": 2, "via": "Delft Courier",
              "said_on": "2025-02-07", "method": "context", "evidence": "that day", "kind": "direct",
              "confidence_at_least": 0.8, "review": True}
    assert bench.check(expect, [STORED]) == []


@pytest.mark.parametrize("change, expect", [
    ({"speakers": ["Paula Renke", "Ivo Marten"]}, {"speakers": ["Paula Renke"]}),
    ({"text": "The dam is safe, said Paula Renke. We checked every gate."},
     {"text": "The dam is safe. We checked every gate."}),
    ({"appearances": 1}, {"appearances": 2}),
    ({"via": ["", ""]}, {"via": "Delft Courier"}),
    ({}, {"via": None}),
    ({"method": "relative"}, {"method": "context"}),
    ({"evidence": ["on Friday"]}, {"evidence": "that day"}),
    ({"confidence": 0.4}, {"confidence_at_least": 0.8}),
    ({"review": False}, {"review": True}),
])
def test_an_expectation_fails_when_the_record_differs(change, expect):
    assert bench.check({"quote": "checked every gate", **expect}, [STORED | change])


def test_two_records_of_one_statement_fail_a_single_record_expectation():
    assert bench.check({"quote": "checked every gate", "appearances": 2}, [STORED, STORED | {"id": 2}])
    assert bench.check({"quote": "checked every gate", "speakers": ["Paula Renke"]}, []) == [
        "no statement holds these words"]
