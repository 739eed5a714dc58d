"""Speakers: turning a name as printed into one speaker record, and their aliases.

``speaker_resolve`` finds who a name means (quotes.selectors.speaker_match:
an alias, a role valid on the date, a title in front of a known name) and
creates an unreviewed speaker for a person nobody knows yet. Several matches
are never guessed between: they come back as candidates for a reviewer.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from quotes import names
from quotes.errors import Conflict, InvalidInput
from quotes.models import Role, Speaker, SpeakerAlias
from quotes.normalize import normalize_name
from quotes.selectors import SpeakerMatch, speaker_match, speaker_slug_free
from quotes.services.rows import required, save_or_conflict


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

    Example: ``speaker_resolve(name="Kim Jong Un").speaker`` is the stored Kim Jong Un.
    """
    for _ in range(3):
        match = speaker_match(name=name, on_date=on_date)
        if match.speaker or match.candidates:
            return match
        if not names.looks_like_person_name(name):
            return match
        bare = names.bare_name(name.strip())
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


def speaker_alias_check(
    *, speaker_id: int | None, name: str, language: str = "en", alias_id: int | None = None,
) -> str:
    """The folded form an alias is matched on; refuses one with no letters or one the speaker has.

    Raises InvalidInput or Conflict with field errors under "name".
    """
    normalized = normalize_name(name)
    if not normalized:
        message = "The alias needs letters or digits."
        raise InvalidInput(message, errors={"name": [message]})
    if speaker_id is not None:
        clash = SpeakerAlias.objects.filter(speaker_id=speaker_id, normalized=normalized, language=language)
        if clash.exclude(pk=alias_id).exists():
            message = "This speaker already has this alias."
            raise Conflict(message, errors={"name": [message]})
    return normalized


@transaction.atomic
def speaker_alias_save(*, alias: SpeakerAlias) -> SpeakerAlias:
    """Store an alias a reviewer added or changed (its folded form computed here)."""
    alias.normalized = speaker_alias_check(
        speaker_id=alias.speaker_id, name=alias.name, language=alias.language, alias_id=alias.pk,
    )
    # The check above misses a concurrent add of the same alias: the constraint does not.
    return save_or_conflict(alias, message="This speaker already has this alias.", field="name")


def speaker_alias_delete(*, alias: SpeakerAlias) -> None:
    """Remove one alias of a speaker."""
    alias.delete()


def role_save(*, role: Role) -> Role:
    """Store an office a reviewer added or corrected; the end may not come before the start."""
    if role.start and role.end and role.end < role.start:
        raise InvalidInput("A role cannot end before it starts.", errors={"end": ["Before the start."]})
    required(role.title, field="title", message="A role needs a title.")
    role.save()
    return role


def role_delete(*, role: Role) -> None:
    """Remove an office from a speaker's record."""
    role.delete()


def speaker_save(*, speaker: Speaker) -> Speaker:
    """Store a speaker a reviewer added or corrected; a slug or QID in use is a Conflict."""
    required(speaker.name, field="name", message="A speaker needs a name.")
    clash = "Another speaker has this slug, Wikidata QID or unreviewed name."
    return save_or_conflict(speaker, message=clash)


def speaker_delete(*, speaker: Speaker) -> None:
    """Delete a speaker nobody is quoted as; one with statements is merged, not deleted.

    Deleting would leave statements whose identity (words + speakers) named them.
    """
    if speaker.statements.exists():
        raise Conflict(f"{speaker.name} has statements: merge the speaker into another instead.")
    speaker.delete()

