"""Speakers: turning a name as printed into one speaker record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from quotes.models import Speaker, SpeakerAlias
from quotes.normalize import normalize_name

_NAME_TITLES = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "prime", "minister"}


@dataclass(frozen=True)
class SpeakerMatch:
    """The speaker a name resolves to, or the candidates when it is ambiguous."""

    speaker: Speaker | None
    candidates: tuple[Speaker, ...] = ()


def _valid_on(day: datetime.date | None) -> Q:
    if day is None:
        return Q()
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def speaker_match(*, name: str, on_date: datetime.date | None = None) -> SpeakerMatch:
    """Find who ``name`` means on ``on_date`` without creating anyone.

    An exact alias (or name) wins; a role phrase counts only while valid. Two
    or more matches are returned as candidates, never guessed between.
    """
    key = normalize_name(name)
    if not key:
        return SpeakerMatch(None)
    alias_ids = set(
        SpeakerAlias.objects.filter(Q(normalized=key) & _valid_on(on_date)).values_list(
            "speaker_id", flat=True
        )
    )
    name_ids = {s.pk for s in Speaker.objects.filter(name__iexact=name.strip())}
    ids = alias_ids | name_ids
    speakers = tuple(Speaker.objects.filter(pk__in=ids).order_by("pk"))
    if len(speakers) == 1:
        return SpeakerMatch(speakers[0])
    return SpeakerMatch(None, candidates=speakers)


def _unique_slug(name: str) -> str:
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
        speaker = Speaker.objects.create(name=name, slug=_unique_slug(name), reviewed=False)
        SpeakerAlias.objects.create(
            speaker=speaker, name=name, normalized=normalize_name(name),
            kind=SpeakerAlias.Kind.FULL_NAME,
        )
    return speaker


def speaker_resolve(*, name: str, on_date: datetime.date | None = None) -> SpeakerMatch:
    """Resolve a full name from the engine to a speaker, creating an unreviewed one if unknown.

    A race with another worker creating the same name is settled by the
    unreviewed-name constraint: the loser finds the winner's record.

    >>> speaker_resolve(name="Kim Jong Un").speaker  # doctest: +SKIP
    <Speaker: Kim Jong Un>
    """
    for _ in range(3):
        match = speaker_match(name=name, on_date=on_date)
        if match.speaker or match.candidates:
            return match
        try:
            return SpeakerMatch(speaker_create_unreviewed(name=name.strip()))
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
