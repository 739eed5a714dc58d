"""Speakers: turning a name as printed into one speaker record.

A name resolves through, in order: an alias or the speaker's own name; a role
phrase valid on the statement's date ("Japan's prime minister"), either stored
as an alias or derived from the speaker's Role rows; and a title in front of a
known name ("Japanese Prime Minister Shigeru Ishiba", "Mr Kim"). Several
matches are never guessed between: they come back as candidates for a reviewer.

>>> speaker_match(name="the South Korean president", on_date=date(2025, 7, 1))  # doctest: +SKIP
SpeakerMatch(speaker=<Speaker: Lee Jae-myung>, candidates=())
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from quotes.models import Role, Speaker, SpeakerAlias
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

# Words that may stand in front of a name without being part of it ("Mr Kim",
# "former President Joe Biden", "North Korean leader Kim Jong Un").
TITLE_WORDS = frozenset({
    "the", "a", "mr", "mrs", "ms", "miss", "dr", "prof", "sen", "senator", "rep", "representative",
    "gov", "governor", "president", "vice", "prime", "minister", "premier", "pm", "chancellor",
    "secretary", "general", "foreign", "defense", "defence", "state", "deputy", "chief", "chairman",
    "chairwoman", "chair", "leader", "supreme", "king", "queen", "prince", "princess", "former",
    "then", "incoming", "outgoing", "acting", "ambassador", "envoy", "spokesman", "spokeswoman",
    "spokesperson", "official", "top", "of", "party", "commander", "marshal", "comrade",
    "respected", "dear",
})
_COUNTRY_WORDS = frozenset(
    word
    for names, adjectives in COUNTRIES.values()
    for phrase in (*names, *adjectives)
    for word in (phrase + " " + phrase + "'s").split()
) | frozenset(f"{n}'s" for names, _ in COUNTRIES.values() for n in names)
# Never a name of anyone: a pronoun as written ("he said") must not become a speaker.
PRONOUNS = frozenset({
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "hers", "their",
})

_NAME_KINDS = (SpeakerAlias.Kind.FULL_NAME, SpeakerAlias.Kind.SHORT_NAME, SpeakerAlias.Kind.VARIANT)


@dataclass(frozen=True)
class SpeakerMatch:
    """The speaker a name resolves to, or the candidates when it is ambiguous."""

    speaker: Speaker | None
    candidates: tuple[Speaker, ...] = ()


def _valid_on(day: datetime.date | None, start: str = "valid_from", end: str = "valid_to") -> Q:
    if day is None:
        return Q()
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    )


def _strip_determiner(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def _key_variants(key: str) -> set[str]:
    """A folded phrase with and without its leading "the": aliases may be stored either way."""
    bare = _strip_determiner(key)
    return {key, bare, f"the {bare}"}


def _is_title_like(words: Iterable[str]) -> bool:
    return all(w in TITLE_WORDS or w in _COUNTRY_WORDS for w in words)


@functools.lru_cache(maxsize=2048)
def role_phrases(title: str, organization: str = "") -> frozenset[str]:
    """Folded phrases that name the holder of a role, without a leading "the".

    A title such as "Prime Minister of Japan" with no organisation is split at
    its first "of", so roles imported from Wikidata derive phrases too.

    >>> {"south korean president", "south korea's president"} <= role_phrases("President", "South Korea")
    True
    """
    title_key, org_key = normalize_name(title), _strip_determiner(normalize_name(organization))
    if not org_key and " of " in title_key:
        title_key, org_key = title_key.split(" of ", 1)
        org_key = _strip_determiner(org_key)
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


def _role_holder_ids(keys: set[str], on_date: datetime.date | None) -> set[int]:
    """Speakers whose Role rows valid on ``on_date`` derive one of ``keys``."""
    bare = {_strip_determiner(k) for k in keys}
    roles = Role.objects.filter(_valid_on(on_date, "start", "end")).values_list(
        "speaker_id", "title", "organization",
    )
    return {sid for sid, title, org in roles if bare & role_phrases(title, org)}


def _alias_ids(keys: set[str], on_date: datetime.date | None, kinds=None) -> dict[str, set[int]]:
    """Speaker ids per folded alias among ``keys`` that is valid on ``on_date``."""
    qs = SpeakerAlias.objects.filter(Q(normalized__in=keys) & _valid_on(on_date))
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    found: dict[str, set[int]] = {}
    for normalized, speaker_id in qs.values_list("normalized", "speaker_id"):
        found.setdefault(normalized, set()).add(speaker_id)
    return found


def _match_whole(name: str, key: str, on_date: datetime.date | None) -> set[int]:
    """Speakers the whole phrase names: an alias, their own name, or a role valid on the date."""
    keys = _key_variants(key)
    ids = set().union(*_alias_ids(keys, on_date).values())
    ids |= set(Speaker.objects.filter(name__iexact=name.strip()).values_list("pk", flat=True))
    return ids | _role_holder_ids(keys, on_date)


def _match_titled(words: list[str], on_date: datetime.date | None) -> set[int]:
    """Speakers named after a title: "Japanese Prime Minister Shigeru Ishiba", "Mr Kim".

    The longest known name at the end wins, and only when every word before it
    reads as a title. If that name is ambiguous ("leader Kim"), a role phrase in
    front that names one of the candidates on the date settles it.
    """
    suffixes = {" ".join(words[i:]): i for i in range(1, len(words))}
    found = _alias_ids(set(suffixes), on_date, kinds=_NAME_KINDS)
    for suffix in sorted(found, key=lambda s: suffixes[s]):
        prefix = words[: suffixes[suffix]]
        prefix_key = " ".join(prefix)
        holders = _role_holder_ids(_key_variants(prefix_key), on_date) | set().union(
            *_alias_ids(_key_variants(prefix_key), on_date, kinds=[SpeakerAlias.Kind.ROLE_PHRASE]).values()
        )
        if not holders and not _is_title_like(prefix):
            continue
        ids = found[suffix]
        return (ids & holders) or ids
    return set()


def speaker_match(*, name: str, on_date: datetime.date | None = None) -> SpeakerMatch:
    """Find who ``name`` means on ``on_date`` without creating anyone.

    An alias or name wins; a role phrase counts only while valid on the date;
    a title in front of a known name is set aside. Two or more matches are
    returned as candidates, never guessed between.
    """
    key = normalize_name(name)
    if not key or key in PRONOUNS:
        return SpeakerMatch(None)
    ids = _match_whole(name, key, on_date)
    if not ids:
        words = key.split()
        ids = _match_titled(words, on_date) if len(words) > 1 else set()
    speakers = tuple(Speaker.objects.filter(pk__in=ids).order_by("pk"))
    if len(speakers) == 1:
        return SpeakerMatch(speakers[0])
    return SpeakerMatch(None, candidates=speakers)


def _bare_name(name: str) -> str:
    """The name without the titles printed in front of it, as written.

    >>> _bare_name("Foreign Minister Choe Son Hui")
    'Choe Son Hui'
    """
    words = name.split()
    while len(words) > 1 and _is_title_like([normalize_name(words[0])]):
        words = words[1:]
    return " ".join(words)


def _looks_like_person_name(name: str) -> bool:
    """False for pronouns and role phrases: "the president", "the Ruritanian king".

    A person's name starts with neither "the" nor "a" and does not end with a title.
    """
    words = normalize_name(name).split()
    if not words or " ".join(words) in PRONOUNS or words[0] in {"the", "a", "an"}:
        return False
    return words[-1] not in TITLE_WORDS and not _is_title_like(words)


def speaker_slug_free(*, name: str) -> str:
    """A slug for ``name`` that no speaker has yet: ``kim-jong-un``, else ``kim-jong-un-2``..."""
    base = slugify(name)[:180] or "speaker"
    slug, n = base, 2
    while Speaker.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def speaker_create_unreviewed(*, name: str) -> Speaker:
    """Create a speaker for a name nobody knows yet, marked for review.

    The full-name alias makes the next mention of the same name find it.
    Raises IntegrityError when a concurrent transaction created it first.
    """
    with transaction.atomic():
        speaker = Speaker.objects.create(name=name, slug=speaker_slug_free(name=name), reviewed=False)
        SpeakerAlias.objects.create(
            speaker=speaker, name=name, normalized=normalize_name(name),
            kind=SpeakerAlias.Kind.FULL_NAME,
        )
    return speaker


def speaker_resolve(*, name: str, on_date: datetime.date | None = None) -> SpeakerMatch:
    """Resolve a name from the engine to a speaker, creating an unreviewed one if unknown.

    Titles in front of an unknown name are left out of the new record ("Foreign
    Minister Choe Son Hui" creates "Choe Son Hui"); a pronoun or a bare role
    phrase nobody holds ("the Ruritanian king") creates nobody. A race with
    another worker creating the same name is settled by the unreviewed-name
    constraint: the loser finds the winner's record.

    >>> speaker_resolve(name="Kim Jong Un").speaker  # doctest: +SKIP
    <Speaker: Kim Jong Un>
    """
    for _ in range(3):
        match = speaker_match(name=name, on_date=on_date)
        if match.speaker or match.candidates:
            return match
        if not _looks_like_person_name(name):
            return match
        bare = _bare_name(name.strip())
        if bare != name.strip():
            match = speaker_match(name=bare, on_date=on_date)
            if match.speaker or match.candidates:
                return match
        try:
            return SpeakerMatch(speaker_create_unreviewed(name=bare))
        except IntegrityError:
            continue
    raise IntegrityError(f"could not resolve a speaker for {name!r}")


def speaker_alias_add(
    *, speaker: Speaker, name: str, kind: str = SpeakerAlias.Kind.VARIANT, language: str = "en",
    valid_from: datetime.date | None = None, valid_to: datetime.date | None = None,
) -> SpeakerAlias:
    """Add (or update) one alias of a speaker; idempotent on its folded name."""
    alias, _ = SpeakerAlias.objects.update_or_create(
        speaker=speaker, normalized=normalize_name(name), language=language,
        defaults={"name": name, "kind": kind, "valid_from": valid_from, "valid_to": valid_to},
    )
    return alias
