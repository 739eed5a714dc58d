"""Resolve a source as written ("he", "Kim", "the North Korean leader") to a name.

Works from the article alone: every capitalised name is indexed with its
position and the lowercase role words just before it ("North Korean leader Kim
Jong Un"), so later short forms, pronouns and role phrases can point back to the
full name.  No gazetteer: a name is a person when it has two or more
capitalised words and none of them marks an organisation or place.

    >>> idx = NameIndex("Leader Kim Jong Un spoke. Kim left.")
    >>> idx.resolve("Kim", 26)
    ('Kim Jong Un',)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .lexicon.handwritten import (
    GENERIC_QUANTIFIERS,
    GENERIC_SOURCE_HEADS,
    MONTHS_AND_DAYS,
    ORG_WORDS,
    PERSONAL_PRONOUNS,
    TITLES,
)

_WORD = r"[A-Z][\w’'\-]*(?:\.(?=[ \t,;:)]|$)|(?:\.[A-Z])+\.?)?"
_NAME_RE = re.compile(
    rf"(?<![\w’'.])(?:{_WORD})(?:[ \t]+(?:(?:de|van|von|bin|da|la|le|del|al)[ \t]+)?{_WORD})*"
)
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$")
_ROLE_WORD_RE = re.compile(r"([a-z][a-z\-]+)\s*$")
_ROLE_ENDINGS = ("er", "or", "ist", "man", "woman", "ant", "ee", "ive", "ial")
_DETERMINERS = {"the", "a", "an", "this", "that", "its", "his", "her", "their", "our"}
_NATIONALITY_ENDINGS = ("an", "ese", "ish", "i")
_COMPASS = {"North", "South", "East", "West"}  # "South Korean President Lee Jae-myung"
_HYPHEN_SUFFIXES = {
    "like", "based", "led", "backed", "style", "born", "era", "made", "owned", "run",
    "funded", "linked", "allied", "aligned", "controlled", "friendly", "leaning", "american",
}


_STOP_STARTS = {
    "the", "a", "an", "in", "on", "at", "this", "that", "these", "those", "he", "she", "it",
    "they", "we", "i", "but", "and", "or", "if", "when", "while", "as", "after", "before",
    "amid", "during", "for", "from", "with", "his", "her", "their", "its", "our", "my",
    "however", "currently", "nonetheless", "meanwhile", "still", "yet", "so", "then",
    "there", "here", "what", "who", "why", "how", "where", "according", "since", "though",
    "neither", "either", "both",
}


# Words after which a name is no clause subject ("In Europe", "When Trump was asked").
NOT_SUBJECT = {
    "in", "on", "at", "when", "after", "before", "as", "for", "from", "with", "by", "of", "to",
    "while", "since", "during", "under", "like", "unlike", "about", "against", "if", "because",
    "than", "between", "toward", "towards", "into", "over", "without", "through",
}

_BARE_ROLE_RE = re.compile(r"[Tt]he\s+((?:(?:prime|foreign|defense|vice|deputy)\s+)?([a-z\-]+))")


def _specific_role(words: list[str]) -> bool:
    """A role phrase that says whose role it is: "Japan's prime minister", "the South Korean president"."""
    return any(w[:1].isupper() or _POSSESSIVE_RE.search(w) for w in words[1:-1]) or (
        len(words) > 1 and bool(_POSSESSIVE_RE.search(words[0]))
    )


def _same_person(full: list[str], parts: list[str]) -> bool:
    """Whether ``parts`` is a short form of ``full`` (last name, first name, or both)."""
    if len(full) < len(parts):
        return False
    if full[-len(parts):] == parts or full[: len(parts)] == parts:
        return True
    return len(parts) >= 2 and parts[0] == full[0] and parts[-1] == full[-1]


# "the two leaders", "both men", "the pair", "the ministers": a reference to two people.
_PLURAL_REF_RE = re.compile(
    r"(?:the|both)\s+(?:two\s+)?(?:leaders|men|women|ministers|presidents|officials|heads of state)"
    r"|the (?:pair|two|duo)|both|both of them"
)
_JOINT_PRONOUN_RE = re.compile(r"(?:he|she|He|She)\s+and\s+\S")


def _generic(words: list[str]) -> bool:
    """A source naming a group: "Experts", "U.S. officials", "Some Republicans", "Officials at ..."."""
    low = [w.lower().strip(",.") for w in words]
    return low[0] in GENERIC_QUANTIFIERS or low[0] in GENERIC_SOURCE_HEADS or low[-1] in GENERIC_SOURCE_HEADS


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word.endswith(".")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # cleaned name, titles stripped
    person: bool
    role: str  # lowercase role word before the name ("leader"), or ""


def clean_name(words: list[str]) -> list[str]:
    """Strip titles, nationality words and possessives from a capitalised phrase.

    A possessive owner before a person ("Germany's Angela Merkel", "Clinton's Robby Mook")
    is not part of the name.
    """
    owners = [i for i, w in enumerate(words[:-2]) if _POSSESSIVE_RE.search(w)]
    if owners and _is_person(words[owners[-1] + 1 :]):
        words = words[owners[-1] + 1 :]
    words = [w for w in (_POSSESSIVE_RE.sub("", w) for w in words) if w]
    plain = _strip_titles(words, nationality=False)
    if _is_person(plain):
        return plain
    person = _strip_titles(words, nationality=True)
    return person if _is_person(person) else plain


def _strip_titles(words: list[str], *, nationality: bool) -> list[str]:
    # An office in front of a title ("Transport Minister Marta Ilvesk", "Water Commissioner
    # Aldo Fenn"): everything up to a title among the first three words, when a full name
    # (two words or more) stays.
    for k in range(min(3, len(words) - 2) - 1, 0, -1):
        if words[k].lower().rstrip(".") in TITLES and words[k][:1].isupper():
            words = words[k + 1 :]
            break
    while len(words) > 1 and (
        words[0].lower().rstrip(".") in TITLES
        or words[0].lower() in TITLES
        or ("." in words[0][:-1] and words[0].isupper())
        or (nationality and words[0].endswith(_NATIONALITY_ENDINGS))
        or (nationality and words[0] in _COMPASS and words[1].endswith(_NATIONALITY_ENDINGS))
    ):
        words = words[1:]
    return words


def _split_at_stops(words: list[str]) -> list[list[str]]:
    """Break a capitalised run where a word ends a sentence ("Asia. He")."""
    groups: list[list[str]] = [[]]
    for w in words:
        groups[-1].append(w)
        bare = w.rstrip(".")
        if w.endswith(".") and len(bare) > 1 and "." not in bare and bare.lower() not in TITLES:
            groups.append([])
    return [g for g in groups if g]


def _is_person(words: list[str]) -> bool:
    if len(words) < 2 or len(words) > 4:
        return False
    for w in words:
        low = w.lower().rstrip(".")
        if low in ORG_WORDS or low in MONTHS_AND_DAYS or low in TITLES:
            return False
        if w.isupper() and len(w) > 1 and "." not in w:
            return False  # an acronym: KCNA, NATO
        if "-" in w and (w.split("-")[-1].lower() in _HYPHEN_SUFFIXES or w.split("-")[0].isupper()):
            return False  # "NATO-like", "Moscow-based"; "Jae-myung" is a name
    return True


class NameIndex:
    """All capitalised names of one article, with their positions and roles."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mentions: list[Mention] = []
        for m in _NAME_RE.finditer(text):
            pos = m.start()
            for words in _split_at_stops(m.group().split()):
                start = text.index(words[0], pos)
                end = text.index(words[-1], start) + len(words[-1])
                pos = end
                self._add(words, start, end)
        self.full_names = [mn.name for mn in self.mentions if mn.person]
        self.starts = [mn.start for mn in self.mentions]  # in text order, for bisect
        self._matches: dict[tuple[str, ...], list[Mention]] = {}

    def _add(self, words: list[str], start: int, end: int) -> None:
        cleaned = clean_name(words)
        if not cleaned or cleaned[0].lower() in _STOP_STARTS and len(cleaned) == 1:
            return
        if len(cleaned) == 1 and cleaned[0].lower().rstrip(".") in MONTHS_AND_DAYS:
            return
        if cleaned[0].lower() in _STOP_STARTS:
            cleaned = cleaned[1:]
        role_m = _ROLE_WORD_RE.search(self.text, max(0, start - 40), start)
        role = role_m.group(1) if role_m else ""
        if len(words) > len(cleaned):
            role = words[len(words) - len(cleaned) - 1].lower().rstrip(".") or role
        name = " ".join(w.rstrip(".") if "." not in w[:-1] and not _is_initial(w) else w for w in cleaned)
        self.mentions.append(Mention(start, end, name, _is_person(cleaned), role))

    def canonical(self, name: str, at: int) -> str:
        """The full person name a short form stands for ("Kim" -> "Kim Jong Un")."""
        parts = name.split()
        if not parts:
            return name
        key = tuple(parts)
        matches = self._matches.get(key)
        if matches is None:  # the same short names come up again and again: look each up once
            matches = [mn for mn in self.mentions if mn.person and _same_person(mn.name.split(), parts)]
            self._matches[key] = matches
        before = [mn for mn in matches if mn.start <= at]
        if before:
            return before[-1].name  # the most recent full name: "Clinton" after "Bill Clinton"
        return matches[0].name if matches else name

    def last_person_before(self, at: int, role: str = "", excluding: set[str] = frozenset()) -> str | None:
        """The most recent person named before offset ``at`` (with that role, if given; not one
        of ``excluding``)."""
        for mn in reversed(self.mentions):
            if mn.end > at:
                continue
            if role and mn.role != role:
                continue
            name = mn.name if mn.person else self._short_person(mn.name, mn.start)
            if name and self.canonical(name, mn.start) not in excluding:
                return name
        return None

    def persons_just_before(self, at: int) -> list[str]:
        """The distinct people named in the sentence before ``at`` and the one before it, in order.

        What "the two leaders" and "both men" refer back to (news copy often gives each
        sentence its own paragraph, so a paragraph break does not end the search).
        """
        start = max(0, at - 600)
        stops = [m.end() for m in re.finditer(r"[.!?][\u201d\"]?\s+(?=[A-Z\u201c\"])", self.text[start:at])]
        if len(stops) >= 2:
            start += stops[-2]
        elif start:
            return []  # the sentence before is longer than the window: too far to tell
        found: list[str] = []
        for mn in self.mentions[bisect.bisect_left(self.starts, start):]:
            if mn.start >= at:
                break
            if re.search(r"\b(?:in|at|from|near)\s+$", self.text[max(0, mn.start - 6):mn.start]):
                continue  # a place ("met Kvist in Port Amel"), not a person
            name = mn.name if mn.person else self._short_person(mn.name, mn.start)
            if name and self.canonical(name, mn.start) not in found:
                found.append(self.canonical(name, mn.start))
        return found

    def _named_alone(self, name: str, at: int) -> bool:
        """A capitalised word that could be a surname (not an organisation, a day, a title), or a person."""
        if self._looks_person(name, at):
            return True
        low = name.lower()
        return " " not in name and name[1:].islower() and not ({low} & (ORG_WORDS | MONTHS_AND_DAYS | TITLES))

    def _joint_with_pronoun(self, source: str, at: int) -> tuple[str, ...]:
        """ "She and the German chancellor": she is the person named before who is not the other one.

        Every part must resolve, or nobody is named: a joint statement is not one of its authors'.
        """
        pronoun, rest = source.split(None, 1)
        rest = rest.split(None, 1)[1]  # after "and"
        others = self.resolve(rest, at + source.index(rest))
        she = self.last_person_before(at, excluding=set(others)) if others else None
        return (self.canonical(she, at), *others) if she else ()

    def _short_person(self, name: str, at: int) -> str | None:
        if len(name.split()) != 1:
            return None
        full = self.canonical(name, at)
        return full if full != name else None

    def first_subject_person(self, start: int, end: int) -> str | None:
        """The first person named in ``text[start:end]`` outside a prepositional phrase.

        In "Kim may eventually consider talks with Trump if he feels ...", the
        main clause's subject comes first; a name after "with", "after", "in" does not.
        """
        lo = bisect.bisect_left(self.starts, start)
        for mn in self.mentions[lo:]:
            if mn.start >= end:
                break
            first = self.text[mn.start : mn.end].split()[0].lower()
            before = re.findall(r"[\w\u2019'\-]+", self.text[max(start, mn.start - 20) : mn.start])
            if first in NOT_SUBJECT or (before and before[-1].lower() in NOT_SUBJECT):
                continue
            name = mn.name if mn.person else self._short_person(mn.name, mn.start)
            if name:
                return self.canonical(name, mn.start)
            return None  # an organisation or place is the subject: no person there
        return None

    def names_a_person(self, name: str, at: int) -> bool:
        """Whether ``name``, written at ``at``, resolves to a person named in the article."""
        return any(n in self.full_names for n in self.resolve(name, at))

    def names_in(self, start: int, end: int) -> list[str]:
        """Resolved names mentioned inside ``text[start:end]``, in order."""
        out: list[str] = []
        for mn in self.mentions:
            if start <= mn.start < end:
                name = self.canonical(mn.name, mn.start)
                if name not in out:
                    out.append(name)
        return out

    def resolve(self, source: str, at: int, fallback: str | None = None) -> tuple[str, ...]:
        """Resolve the source text found at offset ``at`` to one or more names."""
        words = source.split()
        low = source.lower().strip()
        if not words:
            return ()
        if low in PERSONAL_PRONOUNS or low in {"who", "which", "that"}:
            if low in ("he", "she", "him", "her", "who"):
                name = fallback or self.last_person_before(at)
                return (name,) if name else ()
            return (fallback,) if fallback else ()
        plural = _PLURAL_REF_RE.fullmatch(low)
        if plural:  # "the two leaders", "both men", "the pair": the two people just named, or nobody
            pair = self.persons_just_before(at)
            return tuple(pair) if len(pair) == 2 else ()
        if words[0].lower() in GENERIC_QUANTIFIERS:
            return ()  # "another New Hampshire Democrat", "Some Republicans": nobody in particular
        names = [n for n in self.names_in(at, at + len(source)) if not _generic(n.split())]
        if _JOINT_PRONOUN_RE.match(source):
            return self._joint_with_pronoun(source, at)
        if len(names) == 2 and re.search(rf"\b{re.escape(names[0])} and {re.escape(names[1])}$", source) \
                and all(self._named_alone(n, at) for n in names):
            # "issued by Trump and Ishiba": two surnames joined by "and" are people, even unconfirmed
            return tuple(dict.fromkeys(self.canonical(n, at) for n in names))
        comma = source.find(",")
        if comma > 0 and all(w[:1].isupper() for w in source[:comma].split()) \
                and source[comma + 1 :].lstrip()[:1].islower():
            # 'The Forward, a newspaper catering to American Jews': a name, then what it is
            # (not a list: 'Matthews, MSNBC's Alex Seitz-Wald and ...')
            names = [n for n in self.names_in(at, at + comma) if not _generic(n.split())] or names
        persons = [self.canonical(n, at) for n in names if self._looks_person(n, at)]
        if not persons and _generic(words):
            return ()  # "Experts", "Some Republicans": a group, not anyone named nearby
        if len(persons) > 1 and re.search(r"\b(?:and|nor)\b|&", source):
            return tuple(dict.fromkeys(persons))
        if persons:
            return (self._named_speaker(source, at) or persons[0],)
        head = words[-1].lower()
        if words[-1][:1].islower() and (head in TITLES or head.endswith(_ROLE_ENDINGS)):
            name = self.last_person_before(at, role=head)
            if name is None and not _specific_role(words) and self.role_antecedent(source, at) is None:
                name = self.last_person_before(at)  # "the senator": the person just named
            return (name,) if name else ()
        if names:
            return (names[0].removeprefix("The "),)
        if len(words) == 2 and words[0].lower() == "the" and head in ORG_WORDS:
            org = self.last_org_before(at, head)  # "the agency": the agency named before
            return (org,) if org else ()
        return ()

    def last_org_before(self, at: int, head: str) -> str | None:
        """The organisation named last before ``at`` whose name ends in ``head`` ("... News Agency")."""
        for mn in reversed(self.mentions[: bisect.bisect_left(self.starts, at)]):
            if not mn.person and mn.name.split()[-1].lower() == head:
                return mn.name.removeprefix("The ")
        return None

    def _named_speaker(self, source: str, at: int) -> str | None:
        """Of several people in one source, the one the phrase is about: 'John Kasich's chief
        strategist John Weaver', 'Fox Business moderator Gerard Baker' -> the last one, unless
        it sits after a preposition or is itself possessive ('Gerard Baker of Fox News'), or an
        apposition follows a name ('Brian Fallon, a spokesman for Clinton')."""
        end = at + len(source)
        comma = source.find(",")
        lo = bisect.bisect_left(self.starts, at)
        best = None
        for mn in self.mentions[lo:]:
            if mn.start >= end:
                break
            before = re.findall(r"[\w\u2019'\-]+", self.text[at : mn.start])
            if before and before[-1].lower() in NOT_SUBJECT:
                continue
            possessive = _POSSESSIVE_RE.search(self.text[mn.start : mn.end]) is not None \
                or re.match(r"['\u2019]s?\b", self.text[mn.end : mn.end + 2]) is not None
            if possessive or not self._looks_person(mn.name, mn.start):
                continue
            if best is not None and comma >= 0 and mn.start >= at + comma:
                break
            best = self.canonical(mn.name, mn.start)
        return best

    def role_antecedent(self, source: str, at: int) -> tuple[int, int] | None:
        """Where a bare role phrase was last written out in full, as ``(start, end)``.

        "the president" after "The South Korean president warned ..." points back
        to "The South Korean president", so the caller can hand the full phrase on
        when the article names nobody with that role.

        >>> t = "The South Korean president warned. Later the president said so."
        >>> NameIndex(t).role_antecedent("the president", 41)
        (0, 26)
        """
        bare = _BARE_ROLE_RE.fullmatch(source.strip())
        if bare is None or not (bare.group(2) in TITLES or bare.group(2).endswith(_ROLE_ENDINGS)):
            return None
        head = re.escape(bare.group(1)).replace(r"\ ", r"\s+")
        pattern = re.compile(
            rf"\b(?:[Tt]he\s+(?:[A-Z][\w\-]*['’]s\s+)?(?:[A-Z][\w\-]*\s+){{1,3}}"
            rf"|[A-Z][\w\-]*['’]s\s+(?:[A-Z][\w\-]*\s+){{0,2}}){head}\b(?!\s+[A-Z])"
        )
        found = None
        for m in pattern.finditer(self.text, 0, at):
            found = (m.start(), m.end())
        return found

    def _looks_person(self, name: str, at: int) -> bool:
        if _is_person(name.split()):
            return True
        return self.canonical(name, at) != name
