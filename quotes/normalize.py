"""Text folding for matching: the same words are the same statement.

Pure functions, no Django, so services, selectors and tests share one rule.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# Quote marks and apostrophes of every style fold to nothing or to "'", so a
# quote printed with curly marks matches the same quote printed with straight ones.
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'"})
_NON_WORD = re.compile(r"[^\w']+|(?<!\w)'|'(?!\w)")
_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Fold case, quote marks, punctuation and spacing.

    >>> normalize_text("“We will,” he said — WE WILL!")
    'we will he said we will'
    """
    folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def normalize_name(name: str) -> str:
    """Fold a person's name or role phrase for alias lookups.

    >>> normalize_name("  Kim  Jong-Un ")
    'kim jong un'
    """
    return normalize_text(name.replace("-", " ").replace(".", ""))


def statement_fingerprint(text: str, speaker_ids: Iterable[int]) -> str:
    """The identity of a statement: its folded words and who said them.

    >>> statement_fingerprint("Hi!", [2, 1]) == statement_fingerprint("hi", [1, 2])
    True
    """
    key = normalize_text(text) + "|" + ",".join(str(i) for i in sorted(set(speaker_ids)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def content_hash(text: str) -> str:
    """SHA-256 of an article's text as stored."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
