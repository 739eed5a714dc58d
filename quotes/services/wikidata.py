"""Wikidata import, offline: speakers, aliases and roles from entity JSON files.

Reads the format of ``Special:EntityData/Q22686.json``: ``{"entities": {"Q22686":
{"labels", "aliases", "descriptions", "claims"}}}``. Every entity in the file is
a speaker except the positions others hold (P39), whose labels name the roles.
Nothing is fetched from the network.

Idempotent and non-destructive: a speaker is found by its QID (or, failing
that, by being the one speaker without a QID carrying its English name); its
name, aliases and roles are added to, never overwritten, so a reviewer's
corrections survive a re-import.

Example: ``wikidata_file_import(path="Q22686.json")``
[<Speaker: Donald Trump>]
"""

from __future__ import annotations

import calendar
import datetime
import json
import re
from collections.abc import Mapping
from pathlib import Path

from django.db import transaction

from quotes.errors import InvalidInput
from quotes.models import Role, Speaker, SpeakerAlias
from quotes.normalize import normalize_name
from quotes.selectors import speaker_slug_free

QID = re.compile(r"^Q[1-9][0-9]*$")
HUMAN = "Q5"
POSITION_HELD, INSTANCE_OF, START, END = "P39", "P31", "P580", "P582"
# Wikidata time precision: 11 day, 10 month, 9 year.
DAY, MONTH, YEAR = 11, 10, 9
_TIME = re.compile(r"^\+(\d{4,})-(\d{2})-(\d{2})T")
_LANGUAGE_MAX = SpeakerAlias._meta.get_field("language").max_length
_NAME_MAX = SpeakerAlias._meta.get_field("name").max_length


def _label(entity: Mapping, language: str = "en") -> str:
    labels = entity.get("labels") or {}
    chosen = labels.get(language) or next(iter(labels.values()), None)
    return (chosen or {}).get("value", "").strip()


def _snak_value(snak: Mapping):
    """The datavalue of a snak, or None for "no value" / "unknown value"."""
    if not isinstance(snak, Mapping) or snak.get("snaktype", "value") != "value":
        return None
    return (snak.get("datavalue") or {}).get("value")


def _time(qualifiers: Mapping, prop: str, *, end: bool) -> datetime.date | None:
    """A start or end qualifier as a date; a month or year bounds the period from outside.

    A start known only to the month is its first day and an end its last, so
    a role's validity covers the true date rather than ending in the wrong
    place; anything coarser than a year is unknown (NULL).
    """
    for snak in qualifiers.get(prop) or []:
        value = _snak_value(snak)
        if not isinstance(value, Mapping):
            continue
        match = _TIME.match(str(value.get("time", "")))
        precision = value.get("precision", DAY)
        if not match or precision < YEAR:
            continue
        year, month, day = (int(g) for g in match.groups())
        if precision == YEAR:
            month, day = (12, 31) if end else (1, 1)
        elif precision == MONTH:
            day = calendar.monthrange(year, month)[1] if end else 1
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    return None


def _claim_ids(entity: Mapping, prop: str) -> list[str]:
    ids = []
    for claim in (entity.get("claims") or {}).get(prop) or []:
        value = _snak_value(claim.get("mainsnak"))
        if claim.get("rank") == "deprecated" or not isinstance(value, Mapping):
            continue
        if QID.match(str(value.get("id"))):
            ids.append(value["id"])
    return ids


def _validate(data) -> dict[str, Mapping]:
    entities = data.get("entities") if isinstance(data, Mapping) else None
    if not isinstance(entities, Mapping) or not entities:
        raise InvalidInput('Not a Wikidata entity file: expected {"entities": {"Q...": {...}}}.')
    for key, entity in entities.items():
        if not isinstance(entity, Mapping) or not QID.match(str(entity.get("id", key))):
            raise InvalidInput(f"Not a Wikidata item: {key!r}.")
    return dict(entities)


def _speaker_for(qid: str, entity: Mapping) -> Speaker:
    name = _label(entity) or qid
    speaker = Speaker.objects.select_for_update().filter(wikidata_qid=qid).first()
    if speaker is None:
        namesakes = list(
            Speaker.objects.select_for_update().filter(name__iexact=name, wikidata_qid__isnull=True)
        )
        if len(namesakes) == 1:
            speaker = namesakes[0]
            speaker.wikidata_qid = qid
    if speaker is None:
        types = _claim_ids(entity, INSTANCE_OF)
        speaker = Speaker(
            name=name[:200], slug=speaker_slug_free(name=name), wikidata_qid=qid,
            is_organization=bool(types) and HUMAN not in types,
        )
    if not speaker.description:
        speaker.description = ((entity.get("descriptions") or {}).get("en") or {}).get("value", "")[:300]
    speaker.reviewed = True  # an operator chose a curated source for it
    speaker.save()
    return speaker


def _import_aliases(speaker: Speaker, entity: Mapping) -> None:
    """Labels become full names, aliases variants (a lone surname a short name); none is overwritten."""
    surname = normalize_name(_label(entity)).rsplit(" ", 1)[-1]
    found: list[tuple[str, str, str]] = []
    for language, label in (entity.get("labels") or {}).items():
        found.append((language, (label or {}).get("value", ""), SpeakerAlias.Kind.FULL_NAME))
    for language, aliases in (entity.get("aliases") or {}).items():
        for alias in aliases or []:
            value = (alias or {}).get("value", "")
            short = normalize_name(value) == surname
            kind = SpeakerAlias.Kind.SHORT_NAME if short else SpeakerAlias.Kind.VARIANT
            found.append((language, value, kind))
    for language, value, kind in found:
        value, normalized = value.strip(), normalize_name(value)
        if not normalized or len(language) > _LANGUAGE_MAX or len(value) > _NAME_MAX:
            continue
        SpeakerAlias.objects.get_or_create(
            speaker=speaker, normalized=normalized, language=language,
            defaults={"name": value, "kind": kind},
        )


def _import_roles(speaker: Speaker, entity: Mapping, entities: Mapping[str, Mapping]) -> None:
    """P39 positions held, one Role per position and start; a known end or label fills a gap only."""
    for claim in (entity.get("claims") or {}).get(POSITION_HELD) or []:
        value = _snak_value(claim.get("mainsnak"))
        if claim.get("rank") == "deprecated" or not isinstance(value, Mapping):
            continue
        position = str(value.get("id", ""))
        if not QID.match(position):
            continue
        qualifiers = claim.get("qualifiers") or {}
        start, end = _time(qualifiers, START, end=False), _time(qualifiers, END, end=True)
        if start and end and end < start:
            continue  # contradictory data; better no role than an invalid one
        title = _label(entities[position]) if position in entities else ""
        role, created = Role.objects.get_or_create(
            speaker=speaker, wikidata_position=position, start=start,
            defaults={"title": (title or position)[:200], "end": end},
        )
        if created:
            continue
        fields = []
        if role.end is None and end is not None:
            role.end = end
            fields.append("end")
        if role.title == position and title:
            role.title = title[:200]
            fields.append("title")
        if fields:
            role.save(update_fields=fields)


@transaction.atomic
def wikidata_entities_import(*, data: Mapping) -> list[Speaker]:
    """Create or update a speaker for each person or organisation in an entity document."""
    entities = _validate(data)
    positions = {p for entity in entities.values() for p in _claim_ids(entity, POSITION_HELD)}
    speakers = []
    for key, entity in entities.items():
        qid = str(entity.get("id", key))
        if qid in positions:
            continue
        speaker = _speaker_for(qid, entity)
        _import_aliases(speaker, entity)
        _import_roles(speaker, entity, entities)
        speakers.append(speaker)
    return speakers


def wikidata_file_import(*, path: str | Path) -> list[Speaker]:
    """Import one ``Special:EntityData`` JSON file; InvalidInput names what is wrong with it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: no such file.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.__class__.__name__}).") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}).") from exc
    try:
        return wikidata_entities_import(data=data)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc.message}") from exc
