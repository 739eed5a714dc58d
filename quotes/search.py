"""Words to search for, as a client typed them: capped and de-duplicated, the one rule every search uses.

A search costs the database work per word, so what anyone may ask is bounded: at most
SEARCH_MAX_CHARS characters and SEARCH_MAX_WORDS different words (a word typed twice
counts, and is searched, once). Beyond, a clear error (InvalidInput, a 400 in the API).

>>> search_text_clean('  missile  Missile test  ')
'missile test'
>>> search_text_clean('"a phrase" -word')
'"a phrase" -word'
>>> search_text_clean('w ' * 21)
'w'
"""

from __future__ import annotations

from quotes.errors import InvalidInput

SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 20


def search_text_clean(text: str) -> str:
    """``text``'s words in order, each once (case-insensitively); InvalidInput beyond the caps."""
    if len(text) > SEARCH_MAX_CHARS:
        raise InvalidInput(f"Search for at most {SEARCH_MAX_CHARS} characters.")
    seen: set[str] = set()
    words = []
    for word in text.split():
        if word.casefold() not in seen:
            seen.add(word.casefold())
            words.append(word)
    if len(words) > SEARCH_MAX_WORDS:
        raise InvalidInput(f"Search for at most {SEARCH_MAX_WORDS} different words.")
    return " ".join(words)
