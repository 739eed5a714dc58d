"""Statements: storing what the engine found, and what reviewers decide.

The rule everything here keeps: a statement a human verified, rejected or
edited is never changed, duplicated or deleted by the machine.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from quotes import extraction
from quotes.errors import DuplicateStatement, InvalidInput
from quotes.models import Appearance, Article, Speaker, Statement
from quotes.normalize import normalize_text, statement_fingerprint
from quotes.selectors import speaker_match
from quotes.services.counters import derived_refresh, statements_touching
from quotes.services.dates import UNCHANGED, said_on_check, statement_dates_reconcile
from quotes.services.duplicates import duplicates_find
from quotes.services.rows import save_or_conflict
from quotes.services.speakers import speaker_resolve

KIND_FROM_ENGINE = {
    extraction.DIRECT: Statement.Kind.DIRECT,
    extraction.MIXED: Statement.Kind.PARTIAL,
    extraction.INDIRECT: Statement.Kind.INDIRECT,
}

_LEADING_THAT = re.compile(r"^(?:that|whether)\s+", re.IGNORECASE)
_TRAILING_JOINERS = re.compile(r"[\s,;:\u2014\u2013-]+$")
_JOINER_IN_CLOSING_MARK = re.compile(r"[\s,;:]+([\"\u201d\u2019])$")


def statement_text(content: str) -> str:
    """The words a statement shows: the content without its grammatical joints.

    The appearance keeps the engine's exact offsets; the statement drops a
    leading "that" and a trailing comma, also one printed inside the closing
    quotation mark, which belong to the sentence that reports the words, not
    to the words.

    >>> statement_text('that the plan "works",')
    'the plan "works"'
    >>> statement_text('that it poses a \u201cgrave challenge,\u201d')
    'it poses a \u201cgrave challenge\u201d'
    """
    text = _TRAILING_JOINERS.sub("", _LEADING_THAT.sub("", content.strip()))
    return _JOINER_IN_CLOSING_MARK.sub(r"\1", text)


def _resolve_speakers(
    attribution: extraction.Attribution, text: str, on_date: datetime.date | None,
) -> tuple[list[Speaker], list[Speaker]]:
    """Speakers of an attribution, and candidates when a name is ambiguous.

    The engine's resolved names come first; without them, the source as
    written may still be a known alias or a role phrase valid on that date.
    """
    speakers, candidates = [], []
    for name in attribution.speakers:
        match = speaker_resolve(name=name, on_date=on_date)
        if match.speaker:
            speakers.append(match.speaker)
        candidates.extend(match.candidates)
    if not speakers and not candidates and attribution.source:
        match = speaker_match(name=attribution.source.of(text), on_date=on_date)
        if match.speaker:
            speakers.append(match.speaker)
        candidates.extend(match.candidates)
    return speakers, candidates


def _statement_for(*, text: str, kind: str, speakers: list[Speaker], confidence: float) -> Statement:
    """The statement with these words and speakers, created on first sight.

    Identity is the fingerprint; a concurrent insert is settled by its unique
    constraint and the loser reads the winner's row.
    """
    fingerprint = statement_fingerprint(text, [s.pk for s in speakers])
    statement = Statement.objects.filter(fingerprint=fingerprint).first()
    if statement:
        return statement
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                text=text, normalized_text=normalize_text(text), fingerprint=fingerprint,
                kind=kind, confidence=max(0.0, min(1.0, confidence)),
            )
            statement.speakers.set(speakers)
    except IntegrityError:
        statement = Statement.objects.get(fingerprint=fingerprint)
    return statement


def _link_partial_quotes(statement: Statement) -> None:
    """Tie a partial quote to the longer direct quote by the same speaker that contains it."""
    speaker_ids = list(statement.speakers.values_list("pk", flat=True))
    if not speaker_ids or not statement.normalized_text:
        return
    if statement.kind == Statement.Kind.PARTIAL and statement.part_of_id is None:
        longer = (
            Statement.objects.filter(
                kind=Statement.Kind.DIRECT, speakers__in=speaker_ids,
                normalized_text__contains=statement.normalized_text,
            ).exclude(pk=statement.pk).order_by("pk").first()
        )
        if longer:
            statement.part_of = longer
            statement.save(update_fields=["part_of", "updated_at"])
    elif statement.kind == Statement.Kind.DIRECT:
        partials = Statement.objects.filter(
            kind=Statement.Kind.PARTIAL, part_of__isnull=True, speakers__in=speaker_ids,
        ).exclude(pk=statement.pk)
        for partial in partials:
            if partial.normalized_text and partial.normalized_text in statement.normalized_text:
                partial.part_of = statement
                partial.save(update_fields=["part_of", "updated_at"])


@transaction.atomic
def statements_replace_auto(
    *, article: Article, attributions: Sequence[extraction.Attribution], extractor_version: str,
) -> list[Statement]:
    """Replace the article's machine-made appearances with ``attributions``.

    Idempotent: the same input gives the same rows. Appearances of locked
    statements (a human verified, rejected or edited them) are kept, and an
    attribution at their offsets is skipped; statements left with no
    appearance and no human decision are deleted.
    """
    Article.objects.select_for_update().filter(pk=article.pk).first()  # one extraction at a time
    old = list(
        Appearance.objects.filter(article=article, origin=Appearance.Origin.EXTRACTED)
        .select_related("statement")
    )
    kept_spans = {(a.start, a.end) for a in old if a.statement.is_locked}
    kept_spans |= set(
        Appearance.objects.filter(article=article, origin=Appearance.Origin.MANUAL)
        .values_list("start", "end")
    )
    touched = {a.statement_id for a in old}
    Appearance.objects.filter(pk__in=[a.pk for a in old if not a.statement.is_locked]).delete()

    text = article.text
    published = article.published_at.date()
    result: list[Statement] = []
    for attribution in attributions:
        span = (attribution.content.start, attribution.content.end)
        content = statement_text(attribution.content.of(text))
        if span in kept_spans or not content:
            continue
        kept_spans.add(span)
        on_date = attribution.said_on.value or published
        speakers, candidates = _resolve_speakers(attribution, text, on_date)
        statement = _statement_for(
            text=content, kind=KIND_FROM_ENGINE.get(attribution.kind, Statement.Kind.INDIRECT),
            speakers=speakers, confidence=attribution.confidence,
        )
        appearance = Appearance.objects.create(
            statement=statement, article=article, start=span[0], end=span[1],
            speaker_as_written=attribution.source.of(text)[:300] if attribution.source else "",
            source_start=attribution.source.start if attribution.source else None,
            source_end=attribution.source.end if attribution.source else None,
            cue=attribution.cue.of(text)[:100] if attribution.cue else "",
            cue_start=attribution.cue.start if attribution.cue else None,
            cue_end=attribution.cue.end if attribution.cue else None,
            context=attribution.sentence.of(text),
            said_on=attribution.said_on.value,
            said_on_precision=attribution.said_on.precision,
            date_evidence=attribution.said_on.evidence.of(text)[:200] if attribution.said_on.evidence else "",
            origin=Appearance.Origin.EXTRACTED, extractor_version=extractor_version,
        )
        if candidates:
            appearance.speaker_candidates.set(candidates)
        touched.add(statement.pk)
        result.append(statement)

    _, speakers_before = statements_touching(statement_ids=touched)
    kept = []
    for statement in Statement.objects.filter(pk__in=touched):
        if not statement.appearances.exists() and not statement.is_locked:
            statement.delete()
            continue
        statement_dates_reconcile(statement=statement)
        _link_partial_quotes(statement)
        kept.append(statement.pk)
    derived_refresh(statement_ids=kept, article_ids=[article.pk], speaker_ids=speakers_before)
    duplicates_find(statement_ids=[s.pk for s in result])
    return result


@transaction.atomic
def _review(statement_ids: Iterable[int], status: str, user) -> int:
    """Record a reviewer's decision on each statement, one saved row (and history entry) each.

    Saved row by row rather than with update(), so the audit trail records
    who decided what and when.
    """
    statements = list(Statement.objects.select_for_update().filter(pk__in=list(statement_ids)))
    now = timezone.now()
    for statement in statements:
        statement.review_status, statement.reviewed_by, statement.reviewed_at = status, user, now
        statement._history_user = user
        statement.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "updated_at"])
    derived_refresh(statement_ids=[s.pk for s in statements])  # shown on timelines, or not
    return len(statements)


def statements_verify(*, statement_ids: Iterable[int], user) -> int:
    """Mark statements verified by ``user``; the machine will not touch them again."""
    return _review(statement_ids, Statement.Review.VERIFIED, user)


def statements_reject(*, statement_ids: Iterable[int], user) -> int:
    """Mark statements rejected by ``user``; re-extraction will not bring them back."""
    return _review(statement_ids, Statement.Review.REJECTED, user)


def statement_fields_check(
    *, text: str | None = None, kind: str | None = None,
    said_on: datetime.date | None | object = UNCHANGED, said_on_precision: str | None = None,
    current_said_on: datetime.date | None = None,
) -> dict:
    """The reviewer's values as they will be stored (stripped text, a date with its precision).

    Only what was sent comes back: ``{"text": "..."}`` for a new text alone.
    Raises InvalidInput with field errors; forms call it to show them beside the field.
    """
    checked: dict = {}
    if text is not None:
        if not text.strip():
            message = "A statement's text cannot be empty."
            raise InvalidInput(message, errors={"text": [message]})
        checked["text"] = text.strip()
    if kind is not None:
        if kind not in Statement.Kind.values:
            raise InvalidInput(f"Unknown kind {kind!r}.", errors={"kind": [f"Unknown kind {kind!r}."]})
        checked["kind"] = kind
    if said_on is not UNCHANGED or said_on_precision is not None:
        checked["said_on"], checked["said_on_precision"] = said_on_check(
            said_on=said_on, said_on_precision=said_on_precision, current=current_said_on,
        )
    return checked


def statement_duplicate_check(*, text: str, speakers: Sequence[Speaker]) -> str:
    """The fingerprint of these words by these speakers; DuplicateStatement if one is stored."""
    fingerprint = statement_fingerprint(text.strip(), [s.pk for s in speakers])
    stored = Statement.objects.filter(fingerprint=fingerprint).values_list("pk", flat=True).first()
    if stored is not None:
        raise DuplicateStatement("This statement by these speakers is already stored.", statement_id=stored)
    return fingerprint


@transaction.atomic
def statement_create_manual(
    *, text: str, kind: str, speakers: Sequence[Speaker], user,
    said_on: datetime.date | None = None, said_on_precision: str | None = None,
) -> Statement:
    """A statement typed in by a reviewer: a human's from the start (edited, so locked).

    Raises InvalidInput for bad values and DuplicateStatement when the same words
    by the same speakers are stored already (a concurrent add included).
    """
    values = statement_fields_check(
        text=text, kind=kind, said_on=said_on, said_on_precision=said_on_precision,
    )
    fingerprint = statement_duplicate_check(text=values["text"], speakers=speakers)
    statement = Statement(
        **values, normalized_text=normalize_text(values["text"]), fingerprint=fingerprint,
        said_on_method=Statement.DateMethod.MANUAL if values["said_on"] else Statement.DateMethod.UNKNOWN,
        edited=True, reviewed_by=user, reviewed_at=timezone.now(),
    )
    statement._history_user = user
    try:
        with transaction.atomic():
            statement.save()
    except IntegrityError as exc:
        statement_duplicate_check(text=values["text"], speakers=speakers)  # names the winner
        raise exc
    statement.speakers.set(speakers)
    derived_refresh(statement_ids=[statement.pk])
    return statement


def statement_edit(
    *, statement: Statement, user, text: str | None = None, kind: str | None = None,
    speakers: Sequence[Speaker] | None = None, said_on: datetime.date | None | object = UNCHANGED,
    said_on_precision: str | None = None,
) -> Statement:
    """Apply a reviewer's correction; the statement becomes edited (locked).

    Only the values sent are written. A date sent without a precision is to
    the day; a precision alone keeps the stored date; either way the date is
    the reviewer's now (method "manual"). Works on a fresh, locked copy of the
    row, so a stale object passed in neither loses a concurrent decision nor
    writes stale values to the history.
    """
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        values = statement_fields_check(
            text=text, kind=kind, said_on=said_on, said_on_precision=said_on_precision,
            current_said_on=statement.said_on,
        )
        fields = ["edited", "reviewed_by", "reviewed_at", "updated_at", *values]
        for field, value in values.items():
            setattr(statement, field, value)
        if "text" in values:
            statement.normalized_text = normalize_text(statement.text)
            fields.append("normalized_text")
        if "said_on" in values:
            statement.said_on_method = Statement.DateMethod.MANUAL
            fields.append("said_on_method")
        statement.edited, statement.reviewed_by, statement.reviewed_at = True, user, timezone.now()
        statement._history_user = user
        statement.save(update_fields=fields)
        _, speakers_before = statements_touching(statement_ids=[statement.pk])
        if speakers is not None:
            statement.speakers.set(speakers)
        derived_refresh(statement_ids=[statement.pk], speaker_ids=speakers_before)
    return statement


def appearance_manual_check(
    *, article: Article, start: int, end: int, said_on: datetime.date | None = None,
    said_on_precision: str | None = None,
) -> tuple[datetime.date | None, str]:
    """Check a reviewer's appearance: offsets inside the article text, a date with its precision.

    Returns the (date, precision) to store; raises InvalidInput with field errors.
    """
    if end <= start:
        message = "The end offset must be after the start."
        raise InvalidInput(message, errors={"end": [message]})
    if end > len(article.text):
        message = f"The article text has only {len(article.text)} characters."
        raise InvalidInput(message, errors={"end": [message]})
    return said_on_check(said_on=said_on, said_on_precision=said_on_precision)


@transaction.atomic
def appearance_save_manual(*, appearance: Appearance) -> Appearance:
    """Store an appearance a reviewer added or changed; its statement(s) re-derive their dates.

    The appearance is the reviewer's (origin manual) and the machine keeps its span
    on re-extraction. Raises InvalidInput for bad offsets or dates and Conflict when
    another appearance of the article has the same span.
    """
    appearance.said_on, appearance.said_on_precision = appearance_manual_check(
        article=appearance.article, start=appearance.start, end=appearance.end,
        said_on=appearance.said_on, said_on_precision=appearance.said_on_precision,
    )
    appearance.origin = Appearance.Origin.MANUAL
    before, article_before = (
        Appearance.objects.filter(pk=appearance.pk).values_list("statement_id", "article_id").first()
        if appearance.pk else None
    ) or (None, None)
    save_or_conflict(
        appearance, message="Another appearance in this article already has these offsets.", field="start",
    )
    statement_ids = {appearance.statement_id, before} - {None}
    for statement in Statement.objects.filter(pk__in=statement_ids):
        statement_dates_reconcile(statement=statement)
    derived_refresh(statement_ids=statement_ids, article_ids={appearance.article_id, article_before} - {None})
    return appearance


@transaction.atomic
def appearance_delete_manual(*, appearance: Appearance) -> None:
    """Remove an appearance a reviewer added; its statement re-derives its dates.

    The machine's appearances are not deleted by hand (re-extraction owns them):
    InvalidInput for one of those.
    """
    if appearance.origin != Appearance.Origin.MANUAL:
        raise InvalidInput("Only appearances a reviewer added can be deleted; reject the statement instead.")
    statement_id, article_id = appearance.statement_id, appearance.article_id
    appearance.delete()
    statement = Statement.objects.filter(pk=statement_id).first()
    if statement is not None:
        statement_dates_reconcile(statement=statement)
    derived_refresh(statement_ids=[statement_id], article_ids=[article_id])


@transaction.atomic
def statement_delete(*, statement: Statement, user) -> None:
    """Delete a statement and its reports (the history keeps who deleted it).

    Rejecting is usually the better choice: a rejected statement stays rejected on
    re-extraction, while a deleted one comes back if an article still says it.
    """
    articles, speakers = statements_touching(statement_ids=[statement.pk])
    statement._history_user = user
    statement.delete()
    derived_refresh(article_ids=articles, speaker_ids=speakers)

