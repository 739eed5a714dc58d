"""Relayed speech belongs to the person, not to the relay that reported it.

"The agency quoted the minister as saying ...", "X said ..., the agency reported",
"According to the palace, the king said ...", "State television reported that the
president called X a ...": the statement is the person's, and the relay (agency, outlet,
office, "reports") is kept as its ``via``. A relay speaking in its own name ("the agency
said the drills were ...") is no relay: only report cues relay ("according to",
"reported", "reports", "quoted ... as saying").

PolNeAR annotates such speech the other way (the relay as the source of the whole clause),
so both readings are kept: the drafts as the rules found them become SCORED (the scorer's
only) and the person's reading is added as RECORDED (the record's only); drafts untouched
stay BOTH.

    >>> from quotes.extraction.types import INDIRECT, Span
    >>> t = "According to the palace, King Aurel said he would visit."
    >>> outer = Draft(INDIRECT, Span(25, 55), Span(0, 12), Span(13, 23), None, 0.7)
    >>> inner = Draft(INDIRECT, Span(41, 55), Span(36, 40), Span(25, 35), None, 0.8)
    >>> found = relayed(t, [outer, inner], lambda name, at: True)
    >>> [(d.source.of(t), d.via and d.via.of(t), d.view) for d in found]
    [('the palace', None, 'scored'), ('King Aurel', None, 'scored'), ('King Aurel', 'the palace', 'recorded')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..drafts import Draft, trim
from ..lexicon.handwritten import CUE_FORMS
from ..speakers import NameIndex
from ..types import RECORDED, SCORED, Span

# "citing" and "cited" are left out: "who cited her years as secretary" relays nothing.
_RELAY_CUES = {"according to", "reported", "reports", "quoted"}
# A source that is no speaker of its own ("who cited ...", "it said").
_NOT_A_SPEAKER = {"who", "which", "that", "it", "this"}
# "quoted the minister as saying (that) ...": the person between the cue and "as saying".
_AS_SAYING = re.compile(
    r"(?P<who>\S.*?)\s+as\s+(?P<cue>saying|stating|declaring|telling\s+(?:\w+\s+){0,3}?(?=that\b))\s*,?\s*(?:that\s+)?",
    re.IGNORECASE | re.DOTALL,
)
# "(that) President Ilse Varga called the opposition leader ...": a name, then a saying verb.
_NAME_THEN_VERB = re.compile(
    r"(?:that\s+)?(?P<who>(?:[A-Z][\w.\u2019'\-]*\s+){0,5}[A-Z][\w\u2019'\-]*)\s+(?P<cue>[a-z]+)\s+",
)
_NAMING_VERBS = {"called", "calls", "described", "describes", "branded", "labelled", "labeled", "dubbed"}


def _is_relay(text: str, d: Draft) -> bool:
    return d.cue is not None and d.source is not None and d.cue.of(text).strip().lower() in _RELAY_CUES


def relayed(text: str, drafts: list[Draft], is_person: Callable[[str, int], bool]) -> list[Draft]:
    """The drafts with each relay's statement given to the person it relays (``via`` set).

    ``is_person(name, at)`` says whether a name written at ``at`` is a person's (the
    article's name index). A relay whose words hold another draft's cue (or whose cue lies
    inside another draft's words) hands that draft its ``via`` and is dropped; a relay
    "quoting X as saying", or reporting that a named person said or called, becomes X's.
    """
    recorded: list[Draft] = []
    for relay in [d for d in drafts if _is_relay(text, d)]:
        inner = [
            e for e in drafts if e is not relay and e.cue is not None and e.source is not None
            and not _is_relay(text, e) and e.source.of(text).strip().lower() not in _NOT_A_SPEAKER
            and e.cue.of(text).strip().lower() in CUE_FORMS and _holds(relay, e)
        ]
        if inner:
            relay.view = SCORED
            for e in inner:
                e.view = SCORED
                content = _before(text, e.content, relay)
                recorded.append(replace(e, via=relay.source, content=content, view=RECORDED))
            continue
        person = _rewrite(text, relay, is_person)
        if person is not None:
            # The parse's own reading of "saying" (the relay as its subject) is the same speech.
            for e in drafts:
                if e is relay or (e.cue is not None and _within(e.cue, person.cue)):
                    e.view = SCORED
            recorded.append(person)
    return drafts + recorded


def _within(a: Span, b: Span) -> bool:
    return b.start <= a.start and a.end <= b.end


def _holds(relay: Draft, e: Draft) -> bool:
    """Whether ``e`` is the speech ``relay`` reports: its cue and source in the relay's words, or
    the relay's cue in its words ("X said ..., the agency reported")."""
    inside = _within(e.cue, relay.content) and _within(e.source, relay.content)
    around = e.content.start <= relay.cue.start < e.content.end
    return inside or around


def _before(text: str, content: Span, relay: Draft) -> Span:
    """``content`` cut where the relay's own words (", according to the agency") begin inside it."""
    cut = [s.start for s in (relay.cue, relay.source) if content.start < s.start < content.end]
    return trim(text, Span(content.start, min(cut))) if cut else content


def _rewrite(text: str, relay: Draft, is_person: Callable[[str, int], bool]) -> Draft | None:
    """The person's reading of a relay with no inner draft ("quoted X as saying ...",
    "reported that X called ..."), or None when it is neither."""
    words = relay.content.of(text)
    base = relay.content.start
    cue = relay.cue.of(text).strip().lower()
    m = _AS_SAYING.match(words) if cue == "quoted" else None
    if m is None and cue != "quoted":
        m = _NAME_THEN_VERB.match(words)
        if m and not (m.group("cue") in CUE_FORMS or m.group("cue") in _NAMING_VERBS):
            m = None
        if m and not is_person(m.group("who"), base + m.start("who")):
            m = None
    if m is None or m.end() >= len(words):
        return None
    return replace(
        relay, via=relay.source, ref=None, view=RECORDED,
        source=Span(base + m.start("who"), base + m.end("who")),
        cue=Span(base + m.start("cue"), base + m.end("cue")),
        content=trim(text, Span(base + m.end(), relay.content.end)),
        confidence=max(relay.confidence, 0.75),
    )


# A relay written as a generic reference: "the agency", "the state broadcaster", "state media".
_GENERIC_RELAY = re.compile(
    r"(?:[Tt]he\s+(?:(?:official|state|state-run|national|government|news|public|foreign|defen[cs]e|interior)\s+){0,2}"
    r"(?P<head>agency|broadcaster|network|newspaper|paper|daily|ministry|channel|station|outlet|wire|palace)"
    r"|(?:[Ss]tate|[Oo]fficial|[Gg]overnment)(?:-run|-controlled)?\s+(?:media|television|TV|radio|press))"
)
# What names a news relay when the generic phrase is "state media" or "state television".
_MEDIA_WORDS = {
    "agency", "news", "television", "tv", "radio", "broadcaster", "broadcasting", "press", "media", "wire",
    "network", "channel",
}
_APPOSITION = re.compile(r",\s+(?:[\w\u2019'\-]+\s+){0,6}?[\w\u2019'\-]+\s*,")


def named_relays(text: str, drafts: list[Draft], index: NameIndex) -> list[Draft]:
    """Each generic relay ("the agency", "state media") handed on to the relay the text named
    before it, when the text named exactly one that fits: "Xanthe Press, the official news agency
    of Marduvia, ... The agency quoted X as saying" is via Xanthe Press. Otherwise it stays as written.

    A relay fits when an earlier report cue names it ("Xanthe Press reported ...", "according to
    Xanthe Press"), or when its name or the apposition beside it holds the generic word
    ("Estmark News Agency", "Xanthe Press, the official news agency, ...").
    """
    for d in drafts:
        m = _GENERIC_RELAY.fullmatch(d.via.of(text).strip()) if d.via is not None else None
        if m is None:
            continue
        found = _relays_before(text, drafts, index, d.via.start, m.group("head"))
        if len(found) == 1:
            d.via = next(iter(found.values()))
    return drafts


def _relays_before(
    text: str, drafts: list[Draft], index: NameIndex, at: int, head: str | None,
) -> dict[str, Span]:
    """The relays named before ``at`` that a generic phrase with ``head`` may stand for, by name
    (the last place each is written)."""
    found: dict[str, Span] = {}
    fits = (lambda words: head in words) if head else (lambda words: bool(_MEDIA_WORDS & words))
    for mn in index.mentions:
        if mn.end > at:
            break
        if mn.person:
            continue
        apposed = _APPOSITION.match(text, mn.end)
        words = set(mn.name.lower().split()) | set((apposed.group().lower() if apposed else "").split())
        if fits({w.strip(",") for w in words}):
            lead = re.match(r"(?:[Tt]he\s+)?", text[mn.start : mn.end]).end()  # "via the Estmark News Agency"
            found[mn.name.removeprefix("The ")] = Span(mn.start + lead, mn.end)
    for r in drafts:
        generic = r.source is not None and _GENERIC_RELAY.fullmatch(r.source.of(text).strip()) is not None
        if _is_relay(text, r) and r.source.end <= at and not generic:
            source = trim(text, r.source)
            name = re.sub(r"^(?:the|The)\s+", "", source.of(text))
            if name[:1].isupper() and not index.names_a_person(name, source.end - len(name)):
                found.setdefault(name, Span(source.end - len(name), source.end))
    return found
