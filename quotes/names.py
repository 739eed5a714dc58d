"""Names of people and offices, as newsrooms print them: pure rules, no database.

One Role row ("President", "South Korea") answers "the South Korean president",
"South Korea's president" and "president of South Korea"; titles in front of a
name ("Foreign Minister Choe Son Hui", "Mr Kim") are not part of it; pronouns
name nobody. Titles and pronouns are the engine's lists (one for the project);
quotes.selectors matches these phrases against stored speakers.

>>> bare_name("Foreign Minister Choe Son Hui")
'Choe Son Hui'
>>> looks_like_person_name("the Ruritanian king")
False
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from quotes.extraction.lexicon.handwritten import PRONOUNS, TITLES
from quotes.normalize import normalize_name

# Country names and demonyms, so one Role row ("President", "South Korea") also
# answers "the South Korean president", "South Korea's president" and
# "president of South Korea". Keys and values are already folded (normalize_name).
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # canonical: (names, adjectives)
    "united states": (("united states", "us", "usa", "america", "united states of america"),
                      ("us", "american", "united states")),
    "south korea": (("south korea", "republic of korea", "rok"), ("south korean",)),
    "north korea": (("north korea", "dprk", "democratic people's republic of korea"), ("north korean",)),
    "japan": (("japan",), ("japanese",)),
    "russia": (("russia", "russian federation"), ("russian",)),
    "china": (("china", "people's republic of china", "prc"), ("chinese",)),
    "united kingdom": (("united kingdom", "uk", "britain", "great britain"), ("british", "uk")),
    "ukraine": (("ukraine",), ("ukrainian",)),
    "france": (("france",), ("french",)),
    "germany": (("germany",), ("german",)),
    "india": (("india",), ("indian",)),
    "taiwan": (("taiwan",), ("taiwanese",)),
    "israel": (("israel",), ("israeli",)),
    "iran": (("iran",), ("iranian",)),
    "canada": (("canada",), ("canadian",)),
    "australia": (("australia",), ("australian",)),
}
_COUNTRY_BY_NAME = {n: c for c, (names, _) in COUNTRIES.items() for n in (c, *names)}

# Short forms newsrooms use for a title.
TITLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "prime minister": ("pm", "premier"),
    "president": (),
}

# Words that stand in front of a name without being part of it: the engine's titles
# ("Mr Kim", "Defence Minister ..."; one list for the whole project), folded as names
# are, and the words around a title that are none ("the", "then", "top", "of").
NAME_QUALIFIERS = frozenset({
    "the", "a", "of", "then", "incoming", "outgoing", "acting", "top", "party", "respected", "dear",
})
TITLE_WORDS = frozenset(normalize_name(title) for title in TITLES) | NAME_QUALIFIERS
_COUNTRY_WORDS = frozenset(
    word
    for names, adjectives in COUNTRIES.values()
    for phrase in (*names, *adjectives)
    for word in (phrase + " " + phrase + "'s").split()
) | frozenset(f"{n}'s" for names, _ in COUNTRIES.values() for n in names)
def strip_determiner(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def key_variants(key: str) -> set[str]:
    """A folded phrase with and without its leading "the": aliases may be stored either way."""
    bare = strip_determiner(key)
    return {key, bare, f"the {bare}"}


def is_title_like(words: Iterable[str]) -> bool:
    return all(w in TITLE_WORDS or w in _COUNTRY_WORDS for w in words)


@functools.lru_cache(maxsize=2048)
def role_phrases(title: str, organization: str = "") -> frozenset[str]:
    """Folded phrases that name the holder of a role, without a leading "the".

    A title such as "Prime Minister of Japan" with no organisation is split at
    its first "of", so roles imported from Wikidata derive phrases too.

    >>> {"south korean president", "south korea's president"} <= role_phrases("President", "South Korea")
    True
    """
    title_key, org_key = normalize_name(title), strip_determiner(normalize_name(organization))
    if not org_key and " of " in title_key:
        title_key, org_key = title_key.split(" of ", 1)
        org_key = strip_determiner(org_key)
    if not title_key:
        return frozenset()
    titles = {title_key, *TITLE_SYNONYMS.get(title_key, ())}
    if not org_key:
        return frozenset()  # "the president" alone names nobody in particular
    country = _COUNTRY_BY_NAME.get(org_key)
    names, adjectives = COUNTRIES[country] if country else ((org_key,), ())
    names = {org_key, *names}
    phrases = set()
    for t in titles:
        for n in names:
            # "the United States' president" folds to "united states president", also here.
            phrases |= {f"{n} {t}", f"{n}'s {t}", f"{t} of {n}", f"{t} of the {n}"}
        for a in adjectives:
            phrases.add(f"{a} {t}")
    return frozenset(phrases)


def bare_name(name: str) -> str:
    """The name without the titles printed in front of it, as written.

    >>> bare_name("Foreign Minister Choe Son Hui")
    'Choe Son Hui'
    """
    words = name.split()
    while len(words) > 1 and is_title_like([normalize_name(words[0])]):
        words = words[1:]
    return " ".join(words)


def looks_like_person_name(name: str) -> bool:
    """False for pronouns and role phrases: "the president", "the Ruritanian king".

    A person's name starts with neither "the" nor "a" and does not end with a title.
    """
    words = normalize_name(name).split()
    if not words or " ".join(words) in PRONOUNS or words[0] in {"the", "a", "an"}:
        return False
    return words[-1] not in TITLE_WORDS and not is_title_like(words)


def relay_as_shown(relay: str) -> str:
    """A relay as written, fit to follow "via": a generic phrase that opened its sentence
    ("The agency quoted ...") loses the capital a sentence gave it; a name keeps it.

    >>> relay_as_shown("The agency"), relay_as_shown("The Washington Post"), relay_as_shown("state media")
    ('the agency', 'The Washington Post', 'state media')
    """
    words = relay.split(maxsplit=1)
    if len(words) == 2 and words[0] in {"The", "A", "An"} and words[1][:1].islower():
        return f"{words[0].lower()} {words[1]}"
    return relay
