"""Turn an Attribution into the JSON-lines record the PolNeAR scorer and tools read.

Pure: shared by ``scripts/bench_extraction.py`` and the ``extract_quotes`` command.

    >>> from quotes.extraction import extract
    >>> text = '"We will win," Jane Doe said.'
    >>> record = attribution_to_json("doc1", extract(text)[0], text)
    >>> {k: record[k] for k in ("kind", "content", "source", "cue", "speaker")}
    {'kind': 'direct', 'content': [1, 13], 'source': [15, 23], 'cue': [24, 28], 'speaker': 'Jane Doe'}
"""

from __future__ import annotations

from .types import RECORDED, Attribution, Span


def scored(attributions: tuple[Attribution, ...]) -> list[Attribution]:
    """The attributions the scorer reads: all but the record's own reading of relayed speech."""
    return [a for a in attributions if a.view != RECORDED]


def _pair(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def attribution_to_json(doc: str, a: Attribution, text: str) -> dict:
    """The scorer's fields (doc, kind, content, source, cue, speaker, said_on) plus readable extras."""
    return {
        "doc": doc,
        "kind": a.kind,
        "content": [a.content.start, a.content.end],
        "source": _pair(a.source),
        "cue": _pair(a.cue),
        "speaker": a.speakers[0] if a.speakers else None,
        "said_on": a.said_on.value.isoformat() if a.said_on.value else None,
        "speakers": list(a.speakers),
        "date_precision": a.said_on.precision,
        "confidence": a.confidence,
        "source_text": a.source.of(text) if a.source else None,
        "content_text": a.content.of(text),
    }
