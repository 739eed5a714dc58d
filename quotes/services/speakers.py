"""Speakers: turning a name as printed into one speaker record, and their aliases.

``speaker_resolve`` finds who a name means (quotes.selectors.speaker_match:
an alias, a role valid on the date, a title in front of a known name) and
creates an unreviewed speaker for a person nobody knows yet. Several matches
are never guessed between: they come back as candidates for a reviewer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from quotes import names, plain
from quotes.errors import Conflict, InvalidInput
from quotes.models import Role, Speaker, SpeakerAlias
from quotes.normalize import normalize_name
from quotes.selectors import NameOnDate, SpeakerMatch, speaker_directory, speaker_slugs_free
from quotes.services.rows import history_created, required, save_or_conflict


def speakers_create_unreviewed(*, names: list[str]) -> dict[str, Speaker]:
    """The unreviewed speaker for each new name (by its lower-cased form), made in a few queries.

    Concurrent workers meeting the same name are settled by the unreviewed-name
    constraint: the insert skips a name (or slug) another worker stored first (ON CONFLICT
    DO NOTHING: no savepoint, no error) and a read finds the winner's rows; a name whose
    slug another worker took meanwhile is tried again with the next free one. Keeps the
    lock the insert takes on the name's index entry for the rest of a short transaction
    only: callers store an article in one, with nothing slow after.
    """
    wanted = {name.lower(): name for name in names}
    found: dict[str, Speaker] = {}
    for _ in range(3):
        missing = [name for lower, name in wanted.items() if lower not in found]
        if not missing:
            return found
        slugs = speaker_slugs_free(names=missing)
        new = [Speaker(name=n, slug=slug, reviewed=False) for n, slug in zip(missing, slugs, strict=True)]
        if plain.insert(new, skip_conflicts=True) == len(new):  # nobody else made them
            made = {speaker.name.lower(): speaker for speaker in new}
        else:  # a concurrent worker's name or slug won: what is stored under these names now
            made = {
                speaker.lower_name: speaker for speaker in
                Speaker.objects.filter(reviewed=False).annotate(lower_name=Lower("name"))
                .filter(lower_name__in=[name.lower() for name in missing])
            }
        plain.insert(
            [
                SpeakerAlias(speaker=speaker, name=speaker.name, normalized=normalize_name(speaker.name),
                             kind=SpeakerAlias.Kind.FULL_NAME)
                for speaker in made.values()
            ],
            skip_conflicts=True,  # the concurrent winner's alias
        )
        history_created(Speaker, [speaker.pk for speaker in made.values()])
        found.update(made)
    raise IntegrityError(f"could not create speakers for {sorted(set(wanted) - set(found))!r}")


def _found(match: SpeakerMatch) -> bool:
    return bool(match.speaker or match.candidates)


def speakers_resolve(
    *, requests: Iterable[NameOnDate], lookups: Iterable[NameOnDate] = (),
) -> dict[NameOnDate, SpeakerMatch]:
    """Resolve the engine's names (each with its date) to speakers, creating unreviewed ones if unknown.

    :func:`speaker_resolve` for an article's names at once, in a fixed number of
    queries: one read of what the names, their bare forms ("Choe Son Hui" for
    "Foreign Minister Choe Son Hui") and the ``lookups`` could match
    (quotes.selectors.speaker_directory), then one batch creating the people nobody
    knows yet. ``lookups`` (sources as printed) are matched too, after that creation and
    without creating anyone: the answer has a match for every request and lookup.
    """
    wanted = list(dict.fromkeys(requests))
    bare = {request: names.bare_name(request[0].strip()) for request in wanted}
    retitled = {r: (bare[r], r[1]) for r in wanted if bare[r] != r[0].strip()}
    later = list(dict.fromkeys(lookups))
    directory = speaker_directory(requests=[*wanted, *retitled.values(), *later])
    matches = directory.match(wanted)
    unknown = [r for r in wanted if not _found(matches[r]) and names.looks_like_person_name(r[0])]
    again = directory.match([retitled[r] for r in unknown if r in retitled])
    for request in unknown:
        match = again.get(retitled.get(request))
        if match is not None and _found(match):
            matches[request] = match
    unknown = [request for request in unknown if not _found(matches[request])]
    if unknown:
        created = speakers_create_unreviewed(names=[bare[request] for request in unknown])
        for request in unknown:
            matches[request] = SpeakerMatch(created[bare[request].lower()])
        directory.add_created(created.values())
    return {**directory.match(later), **matches}


def speaker_resolve(*, name: str, on_date: datetime.date | None = None) -> SpeakerMatch:
    """Resolve a name from the engine to a speaker, creating an unreviewed one if unknown.

    Titles in front of an unknown name are left out of the new record ("Foreign
    Minister Choe Son Hui" creates "Choe Son Hui"); a pronoun or a bare role
    phrase nobody holds ("the Ruritanian king") creates nobody. A race with
    another worker creating the same name is settled by the unreviewed-name
    constraint: the loser finds the winner's record.

    Example: ``speaker_resolve(name="Kim Jong Un").speaker`` is the stored Kim Jong Un.
    """
    return speakers_resolve(requests=[(name, on_date)])[(name, on_date)]


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

