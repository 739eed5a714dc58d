"""Review: a human merging and splitting statements and speakers.

Every function here is a human decision, so what it leaves behind is locked
(``Statement.edited``): re-extraction keeps the appearances and skips their
spans rather than bringing the old machine rows back. History (django-simple-
history) records who did it and why.

Example: ``statements_merge(target=kept, others=[dup], user=reviewer)`` returns ``kept``
with ``dup``'s appearances and speakers.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quotes.errors import Conflict, InvalidInput
from quotes.models import Appearance, DuplicateCandidate, Role, Speaker, SpeakerAlias, Statement
from quotes.normalize import normalize_name, statement_fingerprint
from quotes.services.counters import derived_refresh, statements_touching
from quotes.services.dates import statement_dates_reconcile


def _speaker_ids(statement: Statement) -> set[int]:
    return set(statement.speakers.values_list("pk", flat=True))


def _is_natural(statement: Statement, speaker_ids: set[int]) -> bool:
    """True when the fingerprint is still the machine's: text plus these speakers.

    A human edit or split leaves another fingerprint; those are left as set.
    """
    return statement.fingerprint == statement_fingerprint(statement.text, speaker_ids)


def _stamp(obj, user, reason: str) -> None:
    """Tell django-simple-history who made the next saved or deleted version, and why."""
    obj._history_user = user
    obj._change_reason = reason


def _lock_for_merge(model, target, others: Sequence, what: str) -> tuple:
    """Fresh, locked rows of ``target`` and the distinct ``others`` to merge into it.

    Raises InvalidInput when there is nothing to merge, when the target is
    among the others, or when one of them no longer exists.
    """
    others = list({o.pk: o for o in others}.values())
    if not others:
        raise InvalidInput(f"Name at least one other {what} to merge.")
    if any(o.pk == target.pk for o in others):
        raise InvalidInput(f"A {what} cannot be merged into itself.")
    ids = [target.pk, *(o.pk for o in others)]
    locked = {row.pk: row for row in model.objects.select_for_update().filter(pk__in=ids)}
    if len(locked) != len(ids):
        raise InvalidInput(f"A {what} to merge no longer exists.")
    return locked[target.pk], [locked[o.pk] for o in others]


def _repoint_candidates(target: Statement, others: list[Statement]) -> None:
    """Open duplicate pairs of merged-away statements become pairs of the target."""
    other_ids = {o.pk for o in others}
    open_pairs = DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN)
    for candidate in open_pairs.filter(Q(first__in=other_ids) | Q(second__in=other_ids)):
        third = candidate.second_id if candidate.first_id in other_ids else candidate.first_id
        if third == target.pk or third in other_ids:
            continue
        DuplicateCandidate.objects.get_or_create(
            first_id=min(third, target.pk), second_id=max(third, target.pk),
            defaults={"similarity": candidate.similarity},
        )


@transaction.atomic
def statements_merge(*, target: Statement, others: Sequence[Statement], user) -> Statement:
    """Make ``others`` one statement with ``target``: appearances and speakers move, others go.

    The target keeps its text and kind; its date is reconciled over all its
    appearances unless a human set it. A verification of any of them carries
    over. Raises InvalidInput for merging into itself, Conflict when the new
    set of speakers makes it the same as yet another statement.
    """
    target, others = _lock_for_merge(Statement, target, others, "statement")
    old_speakers = _speaker_ids(target)
    speakers = old_speakers.union(*(_speaker_ids(o) for o in others))

    Appearance.objects.filter(statement__in=others).update(statement=target)
    Statement.objects.filter(part_of__in=others).update(part_of=target)
    if target.part_of_id in {o.pk for o in others}:
        target.part_of = None
    _repoint_candidates(target, others)
    manual_date = next((o for o in others if o.said_on_method == Statement.DateMethod.MANUAL), None)
    verified = any(o.review_status == Statement.Review.VERIFIED for o in others)
    _stamp(target, user, f"merged statements {', '.join(str(o.pk) for o in others)}")
    articles, old_links = statements_touching(statement_ids=[o.pk for o in others])
    for other in others:
        _stamp(other, user, f"merged into statement {target.pk}")
        other.delete()

    if speakers != old_speakers:
        target.speakers.set(speakers)
        if _is_natural(target, old_speakers):
            fingerprint = statement_fingerprint(target.text, speakers)
            twin = Statement.objects.filter(fingerprint=fingerprint).exclude(pk=target.pk).first()
            if twin:
                raise Conflict(
                    f"Statement {twin.pk} has the same words and speakers; merge it as well.",
                    statement_id=twin.pk,
                )
            target.fingerprint = fingerprint
    # Over all appearances now; a locked target keeps its date and refreshes first_reported_at only.
    unlocked = not target.is_locked
    statement_dates_reconcile(statement=target)
    if unlocked and manual_date:
        target.said_on, target.said_on_precision = manual_date.said_on, manual_date.said_on_precision
        target.said_on_method, target.date_conflict = Statement.DateMethod.MANUAL, False
    if verified and target.review_status == Statement.Review.EXTRACTED:
        target.review_status = Statement.Review.VERIFIED
    target.edited, target.reviewed_by, target.reviewed_at = True, user, timezone.now()
    target.save(update_fields=[
        "fingerprint", "part_of", "said_on", "said_on_precision", "said_on_method", "date_conflict",
        "review_status", "edited", "reviewed_by", "reviewed_at", "updated_at",
    ])
    derived_refresh(statement_ids=[target.pk], article_ids=articles, speaker_ids=old_links)
    return target


@transaction.atomic
def statement_split(*, statement: Statement, appearance_ids: Sequence[int], user) -> Statement:
    """Move some of a statement's appearances to a new statement; returns the new one.

    The new statement copies the text, kind and speakers, and both are locked
    as edited, so re-extraction keeps them apart. Its fingerprint is its own
    (the words and speakers are the original's), which later fingerprint
    recomputation leaves alone. Raises InvalidInput unless the appearances are
    some, not all, of the statement's.
    """
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    wanted = set(appearance_ids)
    own = set(statement.appearances.values_list("pk", flat=True))
    if not wanted:
        raise InvalidInput("Name the appearances to split off.")
    if not wanted <= own:
        raise InvalidInput(
            "Those appearances are not all of this statement.", appearance_ids=sorted(wanted - own),
        )
    if wanted == own:
        raise InvalidInput("Splitting off every appearance would leave the statement empty.")
    salt = f"split|{statement.fingerprint}|{uuid.uuid4()}"
    new = Statement(
        text=statement.text, normalized_text=statement.normalized_text,
        fingerprint=hashlib.sha256(salt.encode()).hexdigest(), kind=statement.kind,
        said_on=statement.said_on, said_on_precision=statement.said_on_precision,
        said_on_method=statement.said_on_method, review_status=statement.review_status,
        confidence=statement.confidence, part_of=statement.part_of,
    )
    _stamp(new, user, f"split from statement {statement.pk}")
    new.save()
    new.speakers.set(statement.speakers.all())
    Appearance.objects.filter(pk__in=wanted).update(statement=new)
    now = timezone.now()
    for s in (statement, new):
        _stamp(s, user, f"split statement {statement.pk} into {statement.pk} and {new.pk}")
        statement_dates_reconcile(statement=s)  # each from its own appearances, unless a human set it
        s.edited, s.reviewed_by, s.reviewed_at = True, user, now
        s.save(update_fields=["edited", "reviewed_by", "reviewed_at", "updated_at"])
    derived_refresh(statement_ids=[statement.pk, new.pk])
    return new


def _merge_aliases(target: Speaker, others: list[Speaker]) -> None:
    """Move aliases to the target, skipping ones it already has; others' names become variants."""
    have = set(target.aliases.values_list("normalized", "language"))
    have.add((normalize_name(target.name), "en"))
    for alias in SpeakerAlias.objects.filter(speaker__in=others).order_by("pk"):
        key = (alias.normalized, alias.language)
        if key in have:
            alias.delete()
            continue
        have.add(key)
        alias.speaker = target
        alias.save(update_fields=["speaker"])
    for other in others:
        key = (normalize_name(other.name), "en")
        if key not in have:
            have.add(key)
            SpeakerAlias.objects.create(
                speaker=target, name=other.name, normalized=key[0], kind=SpeakerAlias.Kind.VARIANT,
            )


def _merge_roles(target: Speaker, others: list[Speaker]) -> None:
    have = set(target.roles.values_list("title", "organization", "start", "end"))
    for role in Role.objects.filter(speaker__in=others).order_by("pk"):
        key = (role.title, role.organization, role.start, role.end)
        if key in have:
            role.delete()
            continue
        have.add(key)
        role.speaker = target
        role.save(update_fields=["speaker"])


def _merge_candidates(target: Speaker, others: list[Speaker]) -> None:
    """Appearances that had a merged-away speaker among their candidates now name the target."""
    through = Appearance.speaker_candidates.through
    rows = through.objects.filter(speaker__in=others)
    appearance_ids = set(rows.values_list("appearance_id", flat=True))
    rows.delete()
    already = set(
        through.objects.filter(speaker=target, appearance_id__in=appearance_ids).values_list(
            "appearance_id", flat=True,
        )
    )
    through.objects.bulk_create(
        [through(appearance_id=a, speaker_id=target.pk) for a in sorted(appearance_ids - already)]
    )


def _restate_speakers(statement: Statement, target: Speaker, other_ids: set[int], user) -> None:
    """Replace merged-away speakers by the target; merge into a twin the new fingerprint meets."""
    old = _speaker_ids(statement)
    new = (old - other_ids) | {target.pk}
    natural = _is_natural(statement, old)
    statement.speakers.set(new)
    if not natural:
        return
    fingerprint = statement_fingerprint(statement.text, new)
    twin = Statement.objects.filter(fingerprint=fingerprint).exclude(pk=statement.pk).first()
    if twin is None:
        statement.fingerprint = fingerprint
        _stamp(statement, user, f"speakers merged into {target.pk}")
        statement.save(update_fields=["fingerprint", "updated_at"])
        return
    # The same words by the same people: one statement. A human's decision wins the target.
    keep, drop = (statement, twin) if statement.is_locked and not twin.is_locked else (twin, statement)
    statements_merge(target=keep, others=[drop], user=user)
    if keep is statement:  # the twin's fingerprint is free now
        Statement.objects.filter(pk=keep.pk).update(fingerprint=fingerprint)


@transaction.atomic
def speakers_merge(*, target: Speaker, others: Sequence[Speaker], user) -> Speaker:
    """Make ``others`` the same person as ``target`` and delete them.

    Statements, aliases (skipping ones the target has), roles and appearance
    candidates move to the target. Statements whose fingerprint changes are
    re-keyed; two that now have the same words and speakers become one. The
    target counts as reviewed: a human said who this is.
    """
    target, others = _lock_for_merge(Speaker, target, others, "speaker")
    other_ids = {o.pk for o in others}

    _merge_aliases(target, others)
    _merge_roles(target, others)
    _merge_candidates(target, others)
    restated = list(Statement.objects.filter(speakers__in=others).distinct().order_by("pk"))
    for statement in restated:
        if Statement.objects.filter(pk=statement.pk).exists():  # an earlier twin merge may have taken it
            _restate_speakers(statement, target, other_ids, user)

    fields = ["reviewed", "updated_at"]
    inherited = next((o for o in others if o.wikidata_qid), None)
    for other in others:
        _stamp(other, user, f"merged into speaker {target.pk}")
        other.delete()  # its QID is free once it is gone
    if not target.wikidata_qid and inherited:
        target.wikidata_qid = inherited.wikidata_qid
        fields.append("wikidata_qid")
    if not target.description:
        target.description = next((o.description for o in others if o.description), "")
        fields.append("description")
    target.reviewed = True
    _stamp(target, user, f"merged speakers {', '.join(str(pk) for pk in sorted(other_ids))}")
    target.save(update_fields=fields)
    remaining = Statement.objects.filter(pk__in=[s.pk for s in restated]).values_list("pk", flat=True)
    derived_refresh(statement_ids=remaining, speaker_ids=[target.pk])
    return target


@transaction.atomic
def duplicate_candidate_resolve(*, candidate: DuplicateCandidate, merge: bool, user) -> Statement | None:
    """Settle a near-duplicate pair: merge it (returns the statement kept) or dismiss it (None).

    The statement a human already decided on is kept, else the older one.
    A dismissed pair is never offered again. Raises Conflict when the pair is
    no longer open.
    """
    candidate = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if candidate is None or candidate.status != DuplicateCandidate.Status.OPEN:
        raise Conflict("This pair has already been resolved.")
    if not merge:
        candidate.status = DuplicateCandidate.Status.DISMISSED
        candidate.save(update_fields=["status"])
        return None
    first, second = candidate.first, candidate.second
    keep, drop = (second, first) if second.is_locked and not first.is_locked else (first, second)
    candidate.status = DuplicateCandidate.Status.MERGED
    candidate.save(update_fields=["status"])  # deleted with the dropped statement; history is the merge's
    return statements_merge(target=keep, others=[drop], user=user)
