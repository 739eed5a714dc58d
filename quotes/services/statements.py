"""Statements: storing what the engine found, and what reviewers decide.

The rule everything here keeps: a statement a human verified, rejected or
edited is never changed, duplicated or deleted by the machine.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from quotes import extraction, jobs, plain
from quotes.errors import DuplicateStatement, InvalidInput
from quotes.models import Appearance, Article, Speaker, Statement, StatementSpeaker
from quotes.names import relay_as_shown
from quotes.normalize import normalize_text, statement_fingerprint
from quotes.services.counters import derived_refresh, statement_shown, statements_touching
from quotes.services.dates import (
    UNCHANGED,
    said_on_check,
    statement_dates_reconcile,
    statement_dates_set,
    statements_dates_reconcile,
)
from quotes.services.duplicates import DUPLICATES_JOB, neighbour_rows, statement_day, undated_floor
from quotes.services.rows import history_created, save_or_conflict
from quotes.services.speakers import speakers_resolve

KIND_FROM_ENGINE = {
    extraction.DIRECT: Statement.Kind.DIRECT,
    extraction.MIXED: Statement.Kind.PARTIAL,
    extraction.INDIRECT: Statement.Kind.INDIRECT,
}

_LEADING_THAT = re.compile(r"^(?:that|whether)\s+", re.IGNORECASE)
_TRAILING_JOINERS = re.compile(r"[\s,;:\u2014\u2013-]+$")
_JOINER_IN_CLOSING_MARK = re.compile(r"[\s,;:]+([\"\u201d\u2019])$")
# The reporter's narration after reported words: ", after meeting his counterpart".
_NARRATED_ADJUNCT = re.compile(r",\s+(?:after|before|while|when)\s+\w+ing\b[^\"\u201c\u201d]*$")


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


def _words(attribution: extraction.Attribution, text: str) -> tuple[str, str]:
    """The statement's words and its folded quoted words, for one attribution.

    A direct quote broken by its attribution shows its pieces joined (" … " where a piece
    does not end a sentence), so no "said X, a professor in Lyon" stays inside it.

    >>> from quotes.extraction import Span, Attribution
    >>> t = '“A plan,” said X, a professor. “It works.”'
    >>> a = Attribution("direct", Span(1, 41), Span(0, 42), pieces=(Span(1, 8), Span(32, 41)))
    >>> _words(a, t)
    ('A plan … It works.', 'a plan it works')
    >>> t = "X said the truce would hold, after meeting Y in Geneva."
    >>> _words(Attribution("indirect", Span(7, 54), Span(0, 55)), t)[0]
    'the truce would hold'
    """
    pieces = [statement_text(piece.of(text)) for piece in attribution.pieces]
    pieces = [piece for piece in pieces if piece]
    quoted = normalize_text(" ".join(pieces))
    if attribution.kind == extraction.INDIRECT:  # "the truce would hold, after meeting X": the words
        return statement_text(_NARRATED_ADJUNCT.sub("", attribution.content.of(text))), quoted
    if attribution.kind != extraction.DIRECT or len(pieces) < 2:
        return statement_text(attribution.content.of(text)), quoted
    joined = pieces[0]
    for piece in pieces[1:]:
        joined += (" " if joined[-1] in ".?!…" else " … ") + piece
    return joined, quoted


def _resolve_all(
    attributions: Sequence[extraction.Attribution], text: str, published: datetime.date | None,
) -> list[tuple[list[Speaker], list[Speaker]]]:
    """Speakers of each attribution, and candidates when a name is ambiguous: all names at once.

    The engine's resolved names come first (unknown people are created); without
    them, the source as written may still be a known alias or a role phrase valid
    on that date (every source is looked up with the names, in the same reads). A
    fixed number of queries for the whole article.
    """
    dates = [attribution.said_on.value or published for attribution in attributions]
    pairs = list(zip(attributions, dates, strict=True))
    sources = {i: (one.source.of(text), day) for i, (one, day) in enumerate(pairs) if one.source}
    resolved = speakers_resolve(
        requests=[(name, day) for one, day in pairs for name in one.speakers], lookups=sources.values(),
    )
    result = []
    for attribution, day in zip(attributions, dates, strict=True):
        speakers, candidates = [], []
        for name in attribution.speakers:
            match = resolved[(name, day)]
            if match.speaker:
                speakers.append(match.speaker)
            candidates.extend(match.candidates)
        result.append((speakers, candidates))
    for i, request in sources.items():
        if not result[i][0] and not result[i][1]:
            match = resolved[request]
            result[i] = ([match.speaker] if match.speaker else [], list(match.candidates))
    return [(list(dict.fromkeys(people)), list(dict.fromkeys(maybe))) for people, maybe in result]


def _statements_for(
    wanted: dict[str, tuple[str, str, list[Speaker], float, str]], reports: dict[str, list[tuple]],
) -> tuple[dict[str, Statement], set[int]]:
    """The statement per fingerprint, created on first sight.

    ``wanted`` gives its words, kind, speakers, confidence and folded quoted words (the
    kind and confidence its reports here derive: :func:`statements_provenance_derive`).

    Returns them, and the ids of those inserted here (with their dates, speakers and
    derived values as ``wanted`` and ``reports`` give them, one source, their links' copies
    made: nothing to reconcile, derive or re-read after).
    One read by fingerprint, one insert of the missing ones (PostgreSQL returns their
    ids), their links and their history. A new statement is inserted with the dates its
    ``reports`` here give it (said_on, precision, published_at each).

    Concurrency: the insert skips a fingerprint a concurrent worker inserted first (ON
    CONFLICT DO NOTHING: no savepoint, no error); then a read finds the winner's rows (whose
    speakers it linked in its own transaction) beside this one's. None of them then counts
    as inserted here, so the caller reconciles them all.
    """
    found = {s.fingerprint: s for s in _by_fingerprint(list(wanted))}
    missing = [fp for fp in wanted if fp not in found]
    if not missing:
        return found, set()
    new = []
    for fp in missing:
        text, kind, _, confidence, quoted = wanted[fp]
        statement = Statement(
            text=text, normalized_text=normalize_text(text), fingerprint=fp, kind=kind,
            confidence=max(0.0, min(1.0, confidence)), quoted_text=quoted, source_count=1,
        )
        statement_dates_set(statement=statement, reports=reports[fp])
        new.append(statement)
    if plain.insert(new, skip_conflicts=True) == len(new):
        made, inserted = new, {statement.pk for statement in new}
    else:  # a concurrent worker's insert won a fingerprint: its rows and ours, read back
        made, inserted = _by_fingerprint(missing), set()
    plain.insert(
        [StatementSpeaker(statement=s, speaker=person, said_on=s.said_on, shown=statement_shown(s))
         for s in made for person in wanted[s.fingerprint][2]],
        skip_conflicts=True,
    )
    history_created(Statement, [s.pk for s in made])
    found.update({s.fingerprint: s for s in made})
    return found, inserted


def _by_fingerprint(fingerprints: list[str]) -> list[Statement]:
    return plain.instances(Statement, f"t.fingerprint IN ({plain.placeholders(fingerprints)})", fingerprints)


def _neighbour_texts(
    *, speaker_ids: Iterable[int], days: list[datetime.date | None], floor: int, where: str, params: list,
) -> dict[int, tuple[str, set[int]]]:
    """(normalized text, speaker ids) per statement ``where`` holds among these speakers' neighbours
    near ``days`` (quotes.services.duplicates.neighbour_rows)."""
    return _texts_by_statement(neighbour_rows(
        speaker_ids=speaker_ids, days=days, floor=floor, column="normalized_text", where=where, params=params,
    ))


def _directs_holding(
    texts: Iterable[str], *, speaker_ids: Iterable[int], days: list[datetime.date | None], floor: int,
) -> dict[int, tuple[str, set[int]]]:
    """_neighbour_texts() of the direct quotes whose words hold one of ``texts``: the longer quotes
    a partial quote or a fragment may lie inside."""
    holding, patterns = plain.contains_any("s.normalized_text", sorted(set(texts)))
    return _neighbour_texts(speaker_ids=speaker_ids, days=days, floor=floor,
                            where=f"s.kind = %s AND {holding}", params=[Statement.Kind.DIRECT, *patterns])


def _speakers_and_days(rows: list[tuple], own: dict[int, set[int]]) -> dict:
    """The speaker ids and days of ``rows`` (statements as _link_partial_quotes reads them)."""
    return {"speaker_ids": set().union(*(own[r[0]] for r in rows)),
            "days": [statement_day(r[4], r[5]) for r in rows]}


def _texts_by_statement(rows: list[tuple[int, int, str]]) -> dict[int, tuple[str, set[int]]]:
    """(text, speaker ids) per statement of these (statement id, speaker id, text) rows."""
    found: dict[int, tuple[str, set[int]]] = {}
    for pk, speaker_id, text in rows:
        found.setdefault(pk, (text, set()))[1].add(speaker_id)
    return found


def _link_partial_quotes(
    statement_ids: Iterable[int], *, known: Iterable[tuple[Statement, Iterable[Speaker]]] = (), floor: int,
) -> None:
    """Tie partial quotes to the longer direct quote by the same speaker that contains them.

    Both ways, for the statements named and the ``known`` ones (statements with their
    speakers as just stored: not read again): a partial quote finds its whole, a direct
    quote adopts the partial quotes lying inside it. Looked for among the speakers'
    neighbouring statements only (quotes.services.duplicates.neighbour_links: dated
    within a window of theirs, or recent and undated), in a few reads and one update.
    """
    kinds = [Statement.Kind.PARTIAL, Statement.Kind.DIRECT]
    rows, own = [], {}
    for statement, speakers in known:
        if statement.kind in kinds and statement.normalized_text:
            rows.append((statement.pk, statement.kind, statement.part_of_id, statement.normalized_text,
                         statement.said_on, statement.first_reported_at))
            own[statement.pk] = {person.pk for person in speakers}
    ids = set(statement_ids) - set(own)
    if ids:
        read = list(
            Statement.objects.filter(pk__in=sorted(ids), kind__in=kinds).exclude(normalized_text="")
            .values_list("pk", "kind", "part_of_id", "normalized_text", "said_on", "first_reported_at")
        )
        links = StatementSpeaker.objects.filter(statement_id__in=[r[0] for r in read])
        for statement_id, speaker_id in links.values_list("statement_id", "speaker_id"):
            own.setdefault(statement_id, set()).add(speaker_id)
        rows += read
    partials = [r for r in rows if r[1] == Statement.Kind.PARTIAL and r[2] is None and own.get(r[0])]
    directs = [r for r in rows if r[1] == Statement.Kind.DIRECT and own.get(r[0])]
    if not partials and not directs:
        return
    part_of: dict[int, int] = {}
    if partials:
        wholes = _directs_holding([partial[3] for partial in partials], floor=floor,
                                  **_speakers_and_days(partials, own))
        for pk, _, _, text, _, _ in partials:
            longer = [w for w, (whole, by) in wholes.items() if w != pk and by & own[pk] and text in whole]
            if longer:
                part_of[pk] = min(longer)
    if directs:
        orphans = _neighbour_texts(floor=floor, where="s.kind = %s AND s.part_of_id IS NULL",
                                   params=[Statement.Kind.PARTIAL], **_speakers_and_days(directs, own))
        for pk, _, _, whole, _, _ in sorted(directs):
            for partial, (text, by) in orphans.items():
                if partial != pk and partial not in part_of and text and by & own[pk] and text in whole:
                    part_of[partial] = pk
    if part_of:
        now = timezone.now()
        linked = list(Statement.objects.filter(pk__in=list(part_of)))
        for statement in linked:
            statement.part_of_id, statement.updated_at = part_of[statement.pk], now
        bulk_update_with_history(linked, Statement, ["part_of", "updated_at"], default_date=now)


# A quoted fragment this short ("no", "a threat") says too little to be the same statement.
FRAGMENT_MIN_WORDS = 3
_KIND_RANK = {Statement.Kind.DIRECT: 0, Statement.Kind.PARTIAL: 1, Statement.Kind.INDIRECT: 2}


def _inside(fragment: str, whole: str) -> bool:
    """Whether folded ``fragment`` is a run of whole words of folded ``whole``."""
    return f" {fragment} " in f" {whole} "


def _fragment_homes(
    items: list[tuple[str, list[Speaker], datetime.date]], *, floor: int,
) -> dict[int, Statement]:
    """The stored direct quote each item's quoted words lie inside, by the same speakers.

    ``items`` are (folded quoted words, speakers, day) per attribution; the answer maps an
    item's index to the longest such statement among the speakers' neighbours
    (quotes.services.duplicates.neighbour_links): one read, whatever the number of items.
    """
    wanted = {
        i: (words, {p.pk for p in speakers}) for i, (words, speakers, _) in enumerate(items)
        if speakers and len(words.split()) >= FRAGMENT_MIN_WORDS
    }
    if not wanted:
        return {}
    stored = _directs_holding(
        [words for words, _ in wanted.values()], floor=floor,
        speaker_ids=set().union(*(ids for _, ids in wanted.values())), days=[items[i][2] for i in wanted],
    )
    found = {}
    for i, (words, ids) in wanted.items():
        holding = [
            (-len(text), pk) for pk, (text, by) in stored.items() if by == ids and _inside(words, text)
        ]
        if holding:
            found[i] = min(holding)[1]
    if not found:
        return {}
    homes = sorted(set(found.values()))
    where = f"t.id IN ({plain.placeholders(homes)})"
    statements = {s.pk: s for s in plain.instances(Statement, where, homes)}
    return {i: statements[pk] for i, pk in found.items()}


def _fragments_adopt(
    directs: list[Statement], *, floor: int, speakers: dict[int, set[int]],
) -> tuple[set[int], set[int], dict[int, Statement]]:
    """Join to each direct quote the reports of shorter quotes by its speakers lying inside it.

    The other order of :func:`_fragment_homes`: a fragment reported first (a partial quote,
    a short direct quote) and the longer quote reported later become one statement, every
    appearance kept as it is. The oldest record stays (so a statement cited by its id stays
    cited) and grows to the longer words, unless the longer quote was decided by a reviewer:
    then it keeps them all. Only machine-made, undecided fragments move; the records left
    empty are deleted by the caller. Returns the ids of those, the articles whose reports moved
    (their counts are the caller's to refresh) and the record each longer quote became.
    ``speakers`` gives the speaker ids of those just inserted (the others' are read).
    """
    directs = list({s.pk: s for s in directs}.values())
    own = {d.pk: set(speakers[d.pk]) for d in directs if d.pk in speakers}
    unknown = [d.pk for d in directs if d.pk not in speakers]
    if unknown:
        links = StatementSpeaker.objects.filter(statement_id__in=unknown)
        for statement_id, speaker_id in links.values_list("statement_id", "speaker_id"):
            own.setdefault(statement_id, set()).add(speaker_id)
    directs = [d for d in directs if own.get(d.pk)]
    if not directs:
        return set(), set(), {}
    others = [d.pk for d in directs]
    fragments = _texts_by_statement(neighbour_rows(
        speaker_ids=set().union(*own.values()),
        days=[statement_day(d.said_on, d.first_reported_at) for d in directs], floor=floor,
        column="quoted_text",
        where=f"s.kind IN (%s, %s) AND s.edited = %s AND s.review_status = %s AND s.quoted_text <> '' "
              f"AND l.statement_id NOT IN ({plain.placeholders(others)})",
        params=[Statement.Kind.PARTIAL, Statement.Kind.DIRECT, False, Statement.Review.EXTRACTED, *others],
    ))
    moved: dict[int, int] = {}
    for d in sorted(directs, key=lambda d: -len(d.normalized_text)):
        for pk, (words, by) in fragments.items():
            if pk not in moved and by == own[d.pk] and len(words.split()) >= FRAGMENT_MIN_WORDS \
                    and _inside(words, d.normalized_text):
                moved[pk] = d.pk
    if not moved:
        return set(), set(), {}
    articles = set(
        Appearance.objects.filter(statement_id__in=list(moved)).values_list("article_id", flat=True),
    )
    by_pk = {d.pk: d for d in directs}
    emptied, became = set(moved), {}
    for target in set(moved.values()):
        parts = [pk for pk, to in moved.items() if to == target]
        longer = by_pk[target]
        survivor = longer.pk if longer.is_locked else min([*parts, longer.pk])
        Appearance.objects.filter(statement_id__in=[*parts, longer.pk]).exclude(statement_id=survivor).update(
            statement_id=survivor,
        )
        if survivor != longer.pk:
            became[longer.pk] = _grow(survivor, longer)
            emptied = (emptied - {survivor}) | {longer.pk}
    return emptied, articles, became


def _grow(pk: int, longer: Statement) -> Statement:
    """Give the statement ``pk`` the words of ``longer`` (emptied of its reports, deleted here)."""
    longer.delete()  # first: its fingerprint is unique
    statement = Statement.objects.get(pk=pk)
    now = timezone.now()
    fields = ["text", "normalized_text", "quoted_text", "fingerprint", "kind"]
    for field in fields:
        setattr(statement, field, getattr(longer, field))
    statement.updated_at = now
    fields.append("updated_at")
    bulk_update_with_history([statement], Statement, fields, default_date=now)
    return statement


def statements_provenance_derive(*, statement_ids: Iterable[int]) -> int:
    """Each statement's confidence and kind from its appearances' (and a reviewer's decision).

    The best report wins: the highest confidence, the strongest kind (direct, partial,
    indirect), so a later, stronger report or a better engine raises it. A statement a
    person decided on (verified, rejected or edited: ``is_locked``) is left alone, so a
    re-run never rewrites it; verifying makes it sure (1.0, :func:`_review`). Two reads
    and one update of the rows that change. Returns how many changed.
    """
    ids = sorted(set(statement_ids))
    if not ids:
        return 0
    best: dict[int, tuple[float, str]] = {}
    for pk, kind, confidence in Appearance.objects.filter(
        statement_id__in=ids, confidence__isnull=False,
    ).values_list("statement_id", "kind", "confidence"):
        top, strongest = best.get(pk, (0.0, Statement.Kind.INDIRECT))
        if _KIND_RANK.get(kind, 2) < _KIND_RANK[strongest]:
            strongest = kind
        best[pk] = (max(top, confidence), strongest)
    changed, now = [], timezone.now()
    for statement in Statement.objects.filter(
        pk__in=ids, edited=False, review_status=Statement.Review.EXTRACTED,  # not is_locked
    ):
        confidence, kind = best.get(statement.pk, (statement.confidence, statement.kind))
        if (confidence, kind) != (statement.confidence, statement.kind):
            statement.confidence, statement.kind, statement.updated_at = confidence, kind, now
            changed.append(statement)
    if changed:
        bulk_update_with_history(changed, Statement, ["confidence", "kind", "updated_at"], default_date=now)
    return len(changed)


def _appearance(
    attribution: extraction.Attribution, *, article: Article, statement: Statement, extractor_version: str,
) -> Appearance:
    text = article.text
    source, cue, evidence = attribution.source, attribution.cue, attribution.said_on.evidence
    return Appearance(
        statement=statement, article=article, start=attribution.content.start, end=attribution.content.end,
        speaker_as_written=source.of(text)[:300] if source else "",
        source_start=source.start if source else None, source_end=source.end if source else None,
        cue=cue.of(text)[:100] if cue else "",
        cue_start=cue.start if cue else None, cue_end=cue.end if cue else None,
        context=attribution.sentence.of(text),
        said_on=attribution.said_on.value, said_on_precision=attribution.said_on.precision,
        date_evidence=evidence.of(text)[:200] if evidence else "",
        said_on_method=attribution.said_on.method if attribution.said_on.value else "unknown",
        reported_via=relay_as_shown(attribution.via.of(text))[:200] if attribution.via else "",
        kind=KIND_FROM_ENGINE.get(attribution.kind, Statement.Kind.INDIRECT),
        confidence=max(0.0, min(1.0, attribution.confidence)),
        pieces=[[piece.start, piece.end] for piece in attribution.pieces],
        origin=Appearance.Origin.EXTRACTED, extractor_version=extractor_version,
    )


@transaction.atomic(savepoint=False)  # inside the caller's transaction when there is one: no savepoint
def statements_replace_auto(
    *, article: Article, attributions: Sequence[extraction.Attribution], extractor_version: str,
) -> list[Statement]:
    """Replace the article's machine-made appearances with ``attributions``.

    Idempotent: the same input gives the same rows. Appearances of locked
    statements (a human verified, rejected or edited them) are kept, and an
    attribution at their offsets is skipped; statements left with no
    appearance and no human decision are deleted.

    In steps, each a batch for the whole article (so a fixed number of queries however
    many statements; every read by id or an index range, none over a whole table):

    1. what the article holds already (one read; the machine's unlocked appearances deleted);
    2. the attributions to store: those at a span no human holds (:func:`_todo`);
    3. speakers resolved, a fragment of a stored longer quote reported there (:func:`_fragment_homes`),
       statements found or inserted (with their dates), appearances inserted, and stored fragments
       of a new longer quote joined to it (:func:`_fragments_adopt`);
    4. statements the machine no longer finds (re-extraction, joined fragments) deleted, if nobody
       decided on them;
    5. dates reconciled for the statements that were stored before (a new one is inserted with
       its dates), confidence and kind derived from the reports, partial quotes tied to their
       wholes, counters refreshed (quotes.services.counters).

    Near duplicates are searched after commit, by the job DUPLICATES_JOB.
    """
    _article_lock(article)
    old, kept_spans = _stored_appearances(article)
    touched = {statement_id for _, statement_id, _ in old}
    stale = [pk for pk, _, locked in old if not locked]
    if stale:
        Appearance.objects.filter(pk__in=stale).delete()

    todo, quoted = _todo(article, attributions, kept_spans)
    # An article whose publication date was not found (its published_at is when it came in) gives
    # no date: not to roles (who held a title then), nor to the search for a longer quote, nor as
    # a first report.
    published = article.published_at if article.published_known else None
    day = published.date() if published else None
    people = _resolve_all([a for a, _ in todo], article.text, day)
    floor = undated_floor()
    homes = _fragment_homes(
        [(words, speakers, a.said_on.value or day)
         for (a, _), words, (speakers, _) in zip(todo, quoted, people, strict=True)], floor=floor,
    )
    fingerprints, wanted, reports = [], {}, {}
    for i, ((attribution, content), (speakers, _)) in enumerate(zip(todo, people, strict=True)):
        if i in homes:  # a fragment of a longer quote stored already: reported there
            fingerprints.append(homes[i].fingerprint)
            continue
        fingerprint = statement_fingerprint(content, [s.pk for s in speakers])
        fingerprints.append(fingerprint)
        kind = KIND_FROM_ENGINE.get(attribution.kind, Statement.Kind.INDIRECT)
        confidence = max(0.0, min(1.0, attribution.confidence))
        if fingerprint in wanted:  # reported twice here: its best report's, as statements_provenance_derive
            words, best_kind, _, best, quoted_words = wanted[fingerprint]
            kind, confidence = min(kind, best_kind, key=_KIND_RANK.__getitem__), max(confidence, best)
        else:
            words, quoted_words = content, quoted[i]
        wanted[fingerprint] = (words, kind, speakers, confidence, quoted_words)
        said_on = attribution.said_on
        reports.setdefault(fingerprint, []).append(
            (said_on.value, said_on.precision, published, said_on.method),
        )
    statements, inserted = _statements_for(wanted, reports) if wanted else ({}, set())
    statements.update({home.fingerprint: home for home in homes.values()})
    result = [statements[fp] for fp in fingerprints]
    appearances = [
        _appearance(attribution, article=article, statement=statement, extractor_version=extractor_version)
        for (attribution, _), statement in zip(todo, result, strict=True)
    ]
    plain.insert(appearances)
    plain.insert([
        Appearance.speaker_candidates.through(appearance_id=appearance.pk, speaker_id=candidate.pk)
        for appearance, (_, candidates) in zip(appearances, people, strict=True) for candidate in candidates
    ])
    adopted, reporting, became = _fragments_adopt(
        [s for s in result if s.kind == Statement.Kind.DIRECT], floor=floor,
        speakers={s.pk: {p.pk for p in wanted[s.fingerprint][2]} for s in result if s.pk in inserted},
    )
    result = [became.get(s.pk, s) for s in result]
    if adopted:  # reports moved between records: none is as it was inserted, reconcile them all
        inserted = set()

    stored = {s.pk for s in result}
    still, speakers_before = _orphans_delete((touched | adopted) - stored)
    kept = stored | still
    statements_dates_reconcile(statement_ids=kept - inserted)
    statements_provenance_derive(statement_ids=kept - inserted)
    new = [(s, wanted[s.fingerprint][2]) for s in statements.values() if s.pk in inserted]
    _link_partial_quotes(kept - inserted, known=new, floor=floor)
    derived_refresh(
        statement_ids=kept - inserted, article_ids={article.pk} | reporting, speaker_ids=speakers_before,
        inserted=[(s, [person.pk for person in people]) for s, people in new],
    )
    if result:
        jobs.enqueue_on_commit(DUPLICATES_JOB, sorted(stored))
    return result


def _article_lock(article: Article) -> None:
    """Hold the article's row until commit: one extraction of it stores at a time."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    plain.rows(f"SELECT id FROM {plain.table(Article)} WHERE id = %s{lock}", [article.pk])  # noqa: S608


def _stored_appearances(article: Article) -> tuple[list[tuple[int, int, bool]], set[tuple[int, int]]]:
    """The article's machine-made appearances as (id, statement id, statement locked), and the spans
    the machine must leave alone (a human's appearance, or one of a locked statement): one read."""
    old, kept_spans = [], set()
    for pk, statement_id, start, end, origin, edited, review in plain.rows(
        f'SELECT a.id, a.statement_id, a.start, a."end", a.origin, s.edited, s.review_status '  # noqa: S608
        f"FROM {plain.table(Appearance)} a JOIN {plain.table(Statement)} s ON s.id = a.statement_id "
        f"WHERE a.article_id = %s", [article.pk],
    ):
        locked = edited or review != Statement.Review.EXTRACTED  # Statement.is_locked
        if origin == Appearance.Origin.MANUAL or locked:
            kept_spans.add((start, end))
        if origin == Appearance.Origin.EXTRACTED:
            old.append((pk, statement_id, locked))
    return old, kept_spans


def _todo(
    article: Article, attributions: Sequence[extraction.Attribution], kept_spans: set[tuple[int, int]],
) -> tuple[list[tuple[extraction.Attribution, str]], list[str]]:
    """The attributions to store with their statement's words, and each one's folded quoted words.

    One per span, none at a kept span, none of the scorer's own reading of relayed speech
    (``extraction.SCORED``: the relay as speaker, which is not a record here).
    """
    text, todo, quoted = article.text, [], []
    kept_spans = set(kept_spans)
    for attribution in attributions:
        if attribution.view == extraction.SCORED:
            continue
        span = (attribution.content.start, attribution.content.end)
        content, words = _words(attribution, text)
        if span in kept_spans or not content:
            continue
        kept_spans.add(span)
        todo.append((attribution, content))
        quoted.append(words)
    return todo, quoted


def _orphans_delete(statement_ids: set[int]) -> tuple[set[int], set[int]]:
    """Delete those of these statements left with no appearance and no human decision.

    Returns (the ids still stored, the speaker ids of them all, deleted ones included: their
    counts change). Nothing to read on a first extraction, or when the engine found the same.
    """
    if not statement_ids:
        return set(), set()
    _, speakers = statements_touching(statement_ids=statement_ids)
    Statement.objects.filter(
        ~Exists(Appearance.objects.filter(statement=OuterRef("pk"))),
        pk__in=statement_ids, edited=False, review_status=Statement.Review.EXTRACTED,
    ).delete()
    return set(Statement.objects.filter(pk__in=statement_ids).values_list("pk", flat=True)), speakers


@transaction.atomic
def _review(statement_ids: Iterable[int], status: str, user) -> int:
    """Record a reviewer's decision on each statement, one saved row (and history entry) each.

    Saved row by row rather than with update(), so the audit trail records
    who decided what and when.
    """
    statements = list(Statement.objects.select_for_update().filter(pk__in=list(statement_ids)))
    now = timezone.now()
    fields = ["review_status", "reviewed_by", "reviewed_at", "updated_at"]
    if status == Statement.Review.VERIFIED:
        fields.append("confidence")  # a person's word: sure, whatever the machine's reports said
    for statement in statements:
        statement.review_status, statement.reviewed_by, statement.reviewed_at = status, user, now
        if status == Statement.Review.VERIFIED:
            statement.confidence = 1.0
        statement._history_user = user
        statement.save(update_fields=fields)
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
    appearance.said_on_method = (
        Statement.DateMethod.MANUAL if appearance.said_on else Statement.DateMethod.UNKNOWN
    )
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

