"""Cues the rules do not read, picked by the learned model (``learned/cue_model.py``), and nested statements.

Texts are written for the tests; each is a shape PolNeAR annotates as attribution.
"""

from __future__ import annotations

from quotes.extraction import INDIRECT, Span, extract
from quotes.extraction.learned import cue_model

from ..conftest import find


def _read(text):
    return [(a.content.of(text), a.source and a.source.of(text), a.cue and a.cue.of(text))
            for a in extract(text)]


def test_a_wish_with_an_infinitive_is_attributed_to_its_subject():
    text = "Governor Tom Reyes wants to expand Medicaid in the state."
    a = find(text, extract(text), "expand Medicaid")
    assert (a.kind, a.cue.of(text), a.source.of(text), a.speakers) == (
        INDIRECT, "wants", "Governor Tom Reyes", ("Tom Reyes",))
    assert a.confidence < 0.5  # learned cues rank below the rules' own


def test_a_statement_noun_takes_its_owner_as_source_and_its_object_as_content():
    text = "Clinton's attacks on the trade deal grew sharper."
    a = find(text, extract(text), "the trade deal")
    assert (a.cue.of(text), a.source.of(text), a.speakers) == ("attacks", "Clinton's", ("Clinton",))


def test_a_passive_cue_takes_its_agent_as_source_and_its_subject_as_content():
    text = "The plan was praised by economists at the institute."
    a = find(text, extract(text), "The plan")
    assert (a.content.of(text), a.source.of(text), a.cue.of(text)) == (
        "The plan", "economists at the institute", "praised")
    assert a.speakers == ()  # a group, nobody named


def test_a_phrasal_only_verb_offers_no_place_as_content():
    text = "Councilwoman Rita Gomez spoke at the library opening with the mayor."
    assert [r for r in _read(text) if r[2] == "spoke"] == []


def test_speech_inside_a_longer_statement_is_not_a_statement_of_its_own():
    text = "Ms. Lee said the mayor believes the budget is too small for the schools."
    assert _read(text) == [("the mayor believes the budget is too small for the schools", "Ms. Lee", "said")]


def _option(start, features, content=(0, 4)):
    return cue_model.Option(0, Span(start, start + 3), Span(*content), None, None, tuple(features))


def test_the_model_keeps_the_best_option_of_each_word_above_its_threshold():
    model = cue_model.Model(["said"], {"b": -1.0, "good": 3.0, "bad": -3.0}, threshold=0.5)
    weak, strong, alone_bad = _option(10, ["b"]), _option(10, ["b", "good"]), _option(20, ["b", "bad"])
    picked = model.pick([weak, strong, alone_bad])
    assert [o for o, _ in picked] == [strong]
    assert round(picked[0][1], 3) == round(1 / (1 + 2.718281828 ** -2.0), 3)


def test_shipped_weights_are_a_usable_model():
    model = cue_model.load()
    assert 0.0 < model.threshold < 1.0
    assert {"said", "criticized", "wants"} <= model.words
    assert "b" in model.weights  # the bias


def test_a_verb_quoting_a_thing_needs_a_person_for_subject():
    assert _read('The coalition includes such names as "The Apprentice" winners.') == []
    text = 'Senator Jane Roe slammed the deal as "a disaster for workers" on Monday.'
    assert _read(text) == [('the deal as "a disaster for workers"', "Senator Jane Roe", "slammed")]


def test_a_learned_cue_whose_object_is_a_quote_gives_a_direct_quote():
    text = ("Others, reacting to the gap between the shooting and the video's release, "
            'shouted, "Stop the coverup!"\n\nThe mayor is in no danger.')
    a = find(text, extract(text), "Stop the coverup")
    assert (a.kind, a.content.of(text), a.source.of(text), a.cue.of(text)) == (
        "direct", "Stop the coverup!", "Others", "shouted")


def test_an_adjective_of_attitude_takes_the_subject_of_its_verb():
    text = "Mayor Lee is confident that the budget will pass."
    a = find(text, extract(text), "the budget will pass")
    assert (a.cue.of(text), a.source.of(text), a.speakers) == ("confident", "Mayor Lee", ("Lee",))


def test_the_parse_vectors_move_an_option_across_the_threshold():
    import numpy as np

    model = cue_model.Model(["said"], {"b": 0.0}, threshold=0.6, dense=[1.0, -1.0])
    toward = cue_model.Option(0, Span(10, 13), Span(0, 4), None, None, ("b",), np.array([2.0, 0.0], "f"))
    away = cue_model.Option(0, Span(20, 23), Span(0, 4), None, None, ("b",), np.array([0.0, 2.0], "f"))
    assert [o.cue for o, _ in model.pick([toward, away])] == [Span(10, 13)]
    assert cue_model.Model(["said"], {"b": 0.0}, threshold=0.6).pick([toward]) == []  # no vectors, no lift


def test_each_option_carries_the_vectors_of_its_cue_content_head_and_source():
    from quotes.extraction import parsing

    text = "Governor Tom Reyes wants to expand Medicaid in the state."
    (base, doc), = parsing.parse(text, [Span(0, len(text))])
    found = cue_model.options(doc, base, frozenset({"wants"}), lambda _: False, lambda _: False)
    assert found
    width = doc.tensor.shape[1]
    for opt in found:
        assert opt.dense.shape == (3 * width,)
        assert (opt.dense[:width] == doc.tensor[opt.token]).all()


def test_the_trainer_learns_a_direction_in_the_vectors():
    import numpy as np

    from quotes.extraction.training.train_cues import fit

    dense = np.array([[1.0, 0.0], [0.0, 1.0]] * 20)
    y = np.array([1.0, 0.0] * 20)
    rows, cols = np.arange(40), np.zeros(40, dtype=int)  # the bias alone
    w, v = fit(rows, cols, y, 1, l2=1.0, epochs=200, dense=dense, l2_dense=1.0)
    assert v[0] > 0 > v[1]


def test_the_vocabulary_counts_only_the_documents_it_is_given():
    from collections import Counter

    from quotes.extraction.training.train_cues import vocabulary

    counts = {
        "a": (Counter({"faulted": 1}), Counter({"faulted": 1, "walked": 5})),
        "b": (Counter({"walked": 1}), Counter({"walked": 200, "faulted": 1})),
    }
    assert vocabulary(counts, ["a", "b"], min_count=1, min_rate=0.01) == ["faulted"]  # walked: 1 in 205
    assert vocabulary(counts, ["b"], min_count=1, min_rate=0.001) == ["walked"]  # a's cues unseen
    assert vocabulary(counts, ["a", "b"], min_count=2, min_rate=0.0) == []


def test_the_trainer_writes_a_model_from_a_small_annotated_corpus(tmp_path):
    import json

    from quotes.extraction.training import train_cues

    sentences = [
        ("Mayor Ann Lee", "faulted", "the plan to close the library"),
        ("Senator Bo Diaz", "faulted", "the new tax on fuel"),
        ("The union", "faulted", "the decision to cut wages"),
    ]
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for n in range(6):
        src, cue, content = sentences[n % 3]
        text = f"{src} {cue} {content} on Monday. The council walked out of the meeting.\n"
        (tmp_path / "text" / f"doc{n}.txt").write_text(text, encoding="utf-8")
        a = len(src) + 1
        b = a + len(cue)
        ann = (f"T1\tSource 0 {len(src)}\t{src}\nT2\tCue {a} {b}\t{cue}\n"
               f"T3\tContent {b + 1} {b + 1 + len(content)}\t{content}\n"
               "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n")
        (tmp_path / "attributions" / f"doc{n}_abcd.ann").write_text(ann, encoding="utf-8")
    out = tmp_path / "weights.json"
    train_cues.main([str(tmp_path), "--out", str(out), "--folds", "2", "--epochs", "50"])
    model = json.loads(out.read_text(encoding="utf-8"))
    assert "faulted" in model["words"] and "walked" not in model["words"]
    assert len(model["dense"]) == 3 * 96
    assert model["threshold"] > 0
    assert cue_model.load().threshold < 1 and len(cue_model.load().words) > 1000  # the shipped model is back


def test_a_learned_cue_outside_a_quote_takes_no_speaker_from_inside_it():
    from quotes.extraction import parsing
    from quotes.extraction.text.marks import find_quotes

    text = ('"Voters do not agree with him," Sanders said, suggesting a few questions, including, '
            '"Mr. Trump, do you really think that billionaires need a tax break?"')
    quotes = find_quotes(text)

    def inside(at):
        return any(q.outer.start <= at < q.outer.end for q in quotes)

    (base, doc), = parsing.parse(text, [Span(0, len(text))])
    found = cue_model.options(doc, base, frozenset({"suggesting"}), inside, lambda _: False)
    assert [o.source.of(text) for o in found if o.source is not None and inside(o.source.start)] == []
