"""Near-duplicate statements: the same words reported with small differences.

Exact repeats are already one statement (the fingerprint); this finds pairs
that read alike ("We will have relations with North Korea" / "We will have a
relationship with North Korea") and offers them to a reviewer as
DuplicateCandidate rows. It never merges anything itself.

On PostgreSQL similarity is pg_trgm's, served by the trigram index of
migration 0002; on SQLite (development) difflib's ratio stands in.

Example: ``duplicates_find(statement_ids=[42])``
1
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from django.db import connection, transaction

from quotes.models import DuplicateCandidate, Statement

# Below this many characters two texts "read alike" by accident ("Yes." / "Yes!").
MIN_CHARS = 12


def _pairs_postgresql(ids: list[int] | None, threshold: float) -> dict[tuple[int, int], float]:
    """Similar pairs by pg_trgm; ``%`` uses the GIN index, the threshold set for this transaction."""
    table = Statement._meta.db_table
    where = "a.id = ANY(%s)" if ids is not None else "TRUE"
    sql = (
        f"SELECT a.id, b.id, similarity(a.normalized_text, b.normalized_text) "  # noqa: S608 (table name only)
        f"FROM {table} a JOIN {table} b "
        f"ON a.normalized_text %% b.normalized_text AND a.id <> b.id "
        f"WHERE {where} AND length(a.normalized_text) >= %s AND length(b.normalized_text) >= %s"
    )
    params = ([ids] if ids is not None else []) + [MIN_CHARS, MIN_CHARS]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)])
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(min(a, b), max(a, b)): float(sim) for a, b, sim in rows if sim >= threshold}


def _pairs_difflib(ids: list[int] | None, threshold: float) -> dict[tuple[int, int], float]:
    """Similar pairs by difflib's ratio: quadratic, fine for a development database."""
    texts = dict(Statement.objects.values_list("pk", "normalized_text"))
    texts = {pk: t for pk, t in texts.items() if len(t) >= MIN_CHARS}
    sources = [pk for pk in (ids if ids is not None else texts) if pk in texts]
    pairs: dict[tuple[int, int], float] = {}
    for a in sources:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(texts[a])
        for b, text in texts.items():
            key = (min(a, b), max(a, b))
            if b == a or key in pairs:
                continue
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    pairs[key] = ratio
    return pairs


def _worth_review(pairs: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Keep pairs a reviewer could merge: not rejected, not a part of the other, speakers compatible.

    Speakers are compatible when they share someone or one side has nobody
    resolved (the same words with an unresolved speaker are the classic duplicate).
    """
    ids = {i for pair in pairs for i in pair}
    rows = Statement.objects.filter(pk__in=ids).values_list("pk", "review_status", "part_of_id")
    info = {pk: (status, part_of) for pk, status, part_of in rows}
    speakers: dict[int, set[int]] = {pk: set() for pk in info}
    for pk, speaker_id in Statement.speakers.through.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "speaker_id",
    ):
        speakers[pk].add(speaker_id)
    kept = {}
    for (a, b), similarity in pairs.items():
        if a not in info or b not in info:
            continue
        if Statement.Review.REJECTED in (info[a][0], info[b][0]):
            continue
        if info[a][1] == b or info[b][1] == a:
            continue
        if speakers[a] and speakers[b] and not speakers[a] & speakers[b]:
            continue
        kept[(a, b)] = similarity
    return kept


def duplicates_find(*, statement_ids: Iterable[int] | None = None, threshold: float = 0.6) -> int:
    """Offer statements that read alike as DuplicateCandidate pairs; returns how many are new.

    ``statement_ids`` limits the search to pairs involving those statements
    (all statements when None). Existing pairs, whatever their status, are left
    as they are: a dismissed pair is not offered again. Concurrent runs are
    settled by the pair's unique constraint.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    ids = None if statement_ids is None else sorted(set(statement_ids))
    if ids == []:
        return 0
    finder = _pairs_postgresql if connection.vendor == "postgresql" else _pairs_difflib
    pairs = _worth_review(finder(ids, threshold))
    if not pairs:
        return 0
    involved = {i for pair in pairs for i in pair}
    existing = set(
        DuplicateCandidate.objects.filter(first__in=involved, second__in=involved)
        .values_list("first", "second")
    )
    new = [
        DuplicateCandidate(first_id=a, second_id=b, similarity=round(sim, 4))
        for (a, b), sim in sorted(pairs.items()) if (a, b) not in existing
    ]
    DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
