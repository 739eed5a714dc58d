"""Articles: submission, and the extraction lifecycle (pending, running, done, failed)."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from quotes import extraction, jobs, selectors
from quotes.errors import Conflict, DuplicateArticle, ExtractionUnavailable, InvalidInput, NotFound
from quotes.models import Article, Outlet, Statement
from quotes.normalize import content_hash
from quotes.services.counters import derived_refresh, statements_touching
from quotes.services.rows import required, save_or_conflict
from quotes.services.statements import statements_replace_auto

logger = logging.getLogger(__name__)


def _as_aware(published_at: datetime.datetime | datetime.date) -> datetime.datetime:
    """A date becomes midnight UTC; a naive datetime is taken as UTC."""
    if not isinstance(published_at, datetime.datetime):
        published_at = datetime.datetime.combine(published_at, datetime.time())
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, datetime.UTC)
    return published_at


def outlet_get_or_create(*, name: str, domain: str | None = None) -> Outlet:
    """The outlet called ``name``, created on first use (races settled by its unique name)."""
    name = name.strip()
    if not name:
        raise InvalidInput("An outlet needs a name.")
    try:
        with transaction.atomic():
            outlet, _ = Outlet.objects.get_or_create(name=name, defaults={"domain": domain or None})
    except IntegrityError:
        outlet = Outlet.objects.get(name=name)
    return outlet


EXTRACTION_JOB = "extract_article"


def outlet_save(*, outlet: Outlet) -> Outlet:
    """Store an outlet a reviewer added or corrected; a name or domain in use is a Conflict."""
    required(outlet.name, field="name", message="An outlet needs a name.")
    outlet.domain = outlet.domain or None  # NULL, not "", so that unknown domains never clash
    return save_or_conflict(outlet, message="Another outlet has this name or domain.")


def outlet_delete(*, outlet: Outlet) -> None:
    """Delete an outlet no article names."""
    if outlet.articles.exists():
        raise Conflict(f"{outlet.name} has articles: it cannot be deleted.")
    outlet.delete()


@transaction.atomic
def article_delete(*, article: Article) -> None:
    """Delete an article and what only it reported.

    Statements left with no report are deleted unless a human decided on them
    (verified, rejected or edited): those stay, with their reviewer's word.
    """
    statement_ids = set(article.appearances.values_list("statement_id", flat=True))
    _, speakers = statements_touching(statement_ids=statement_ids)
    article.delete()
    orphans = Statement.objects.filter(pk__in=statement_ids, appearances__isnull=True)
    orphans.filter(edited=False, review_status=Statement.Review.EXTRACTED).delete()
    derived_refresh(statement_ids=Statement.objects.filter(pk__in=statement_ids).values_list("pk", flat=True),
                    speaker_ids=speakers)


def article_enqueue_extraction(*, article_id: int) -> None:
    """Queue the article's extraction once the current transaction commits.

    After commit, so the worker never looks for a row it cannot see yet. If the
    broker refuses it, the article stays pending and the recovery sweep queues it again.
    """
    jobs.enqueue_on_commit(EXTRACTION_JOB, article_id)


def article_text_check(*, text: str, article_id: int | None = None) -> str:
    """Check an article's text the one way every writer does; returns its content hash.

    Raises InvalidInput (field errors under "text") for empty or oversized text, and
    DuplicateArticle naming the stored article (other than ``article_id``) with the same text.
    A concurrent write of the same text is still refused later, by the unique constraint.
    """
    if not text or not text.strip():
        raise InvalidInput("The article text is empty.", errors={"text": ["The article text is empty."]})
    if len(text) > settings.ARTICLE_MAX_CHARS:
        message = f"The article text is longer than {settings.ARTICLE_MAX_CHARS} characters."
        raise InvalidInput(message, errors={"text": [message]})
    digest = content_hash(text)
    stored = selectors.article_id_with_text(digest=digest, other_than=article_id)
    if stored is not None:
        raise DuplicateArticle("This article is already stored.", article_id=stored)
    return digest


def article_submit(
    *, title: str, text: str, published_at: datetime.datetime | datetime.date,
    url: str | None = None, outlet: str | None = None, author: str = "", submitted_by=None,
) -> Article:
    """Store a new article and queue its extraction.

    Raises InvalidInput for empty or oversized text and DuplicateArticle when
    the same text or URL is already stored (naming the stored article).
    """
    digest = article_text_check(text=text)
    if not title or not title.strip():
        raise InvalidInput("The article needs a title.", errors={"title": ["The article needs a title."]})
    url = url or None
    with _duplicates_refused(digest=digest, url=url):
        article = Article.objects.create(
            title=title.strip(), text=text, url=url, author=author.strip(),
            published_at=_as_aware(published_at), content_hash=digest,
            outlet=outlet_get_or_create(name=outlet) if outlet else None,
            submitted_by=submitted_by,
        )
        article_enqueue_extraction(article_id=article.pk)
    return article


def article_edit(*, article: Article, fields: Iterable[str]) -> Article:
    """Store the edited ``fields`` of ``article``; a changed text is re-hashed and extracted again.

    Raises DuplicateArticle when another article has the same text or URL (naming it).
    Example: ``article.title = "Corrected"; article_edit(article=article, fields=["title"])``.
    """
    fields = [*fields, "updated_at"]
    text_changed = "text" in fields
    if text_changed:
        article.content_hash = article_text_check(text=article.text, article_id=article.pk)
        fields.append("content_hash")
    with _duplicates_refused(digest=article.content_hash, url=article.url, article_id=article.pk):
        article.save(update_fields=fields)
        if text_changed:
            # The stored offsets pointed into the old text: extract again.
            article_extraction_request(article_ids=[article.pk])
    return article


@contextmanager
def _duplicates_refused(*, digest: str, url: str | None, article_id: int | None = None) -> Iterator[None]:
    """Write an article in a savepoint; one the unique text hash or URL refuses raises DuplicateArticle.

    The constraints settle duplicates, a concurrent write's too (a look-up first could not
    see one that commits after it); the savepoint leaves a caller's transaction (the admin's
    view) usable. ``article_id`` is the article being written, if it is stored already.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        stored = _stored_article_id(digest=digest, url=url, other_than=article_id)
        if stored is None:
            raise  # not a duplicate: a bug to see, not a conflict to report
        raise DuplicateArticle("This article is already stored.", article_id=stored) from exc


def _stored_article_id(*, digest: str, url: str | None, other_than: int | None = None) -> int | None:
    """The id of the article stored with this text hash, else with this URL (but ``other_than``)."""
    articles = Article.objects.exclude(pk=other_than) if other_than is not None else Article.objects.all()
    stored = articles.filter(content_hash=digest).values_list("pk", flat=True).first()
    if stored is None and url:
        stored = articles.filter(url=url).values_list("pk", flat=True).first()
    return stored


def article_extraction_request(*, article_ids: list[int]) -> int:
    """Mark articles pending and queue their extraction again; returns how many."""
    with transaction.atomic():
        found = list(
            Article.objects.select_for_update().filter(pk__in=article_ids).values_list("pk", flat=True)
        )
        Article.objects.filter(pk__in=found).update(
            extraction_status=Article.Status.PENDING, extraction_error="", updated_at=timezone.now(),
        )
        for article_id in found:
            article_enqueue_extraction(article_id=article_id)
    return len(found)


def article_extractions_requeue_stale(*, older_than: datetime.timedelta) -> list[int]:
    """Queue again the articles left pending or running for longer than ``older_than``.

    An article stays pending when the broker was down at submission, and
    running when its worker died past the broker's redelivery; this is the
    sweep that recovers both. Returns the ids queued.
    """
    cutoff = timezone.now() - older_than
    stale = list(
        Article.objects.filter(
            extraction_status__in=[Article.Status.PENDING, Article.Status.RUNNING], updated_at__lt=cutoff,
        ).values_list("pk", flat=True)
    )
    article_extraction_request(article_ids=stale)
    return stale


def article_extraction_fail(*, article_id: int, error: str) -> None:
    """Record that extraction failed; the article's statements stay as they were."""
    Article.objects.filter(pk=article_id).update(
        extraction_status=Article.Status.FAILED, extraction_error=error[:2000],
        updated_at=timezone.now(),
    )


def article_extraction_defer(*, article_id: int, reason: str) -> None:
    """Put an article back to pending: the engine could not run, through no fault of its text.

    The recovery sweep (and the task's retries) queue it again; the reason is shown to staff.
    """
    Article.objects.filter(pk=article_id).update(
        extraction_status=Article.Status.PENDING, extraction_error=reason[:2000], updated_at=timezone.now(),
    )


# A few lines that take every step of the engine (a quote, reported speech, a quote nobody
# is named for), so that loading it (the spaCy model, the learned models) is paid here.
_ENGINE_WARM_UP_TEXT = (
    '"We will rebuild the bridge before winter," Mayor Jane Okafor said on Tuesday. '
    "Critics argued that the plan was too expensive.\n"
    '"It is a waste," one resident told reporters.\n"Nobody asked us."'
)


def extraction_engine_load() -> None:
    """Load the extraction engine in this process now, rather than on the first article.

    A worker calls it as its process starts (quotes.tasks), so the first article it
    takes costs what the others do. Raises ExtractionUnavailable when the engine
    cannot run here (the articles then wait pending, as ``article_extract`` says).
    """
    try:
        extraction.extract(_ENGINE_WARM_UP_TEXT)
    except extraction.EngineUnavailable as exc:
        raise ExtractionUnavailable(str(exc)) from exc


def _commit_without_waiting_for_the_disk() -> None:
    """The current transaction's commit returns before its WAL reaches the disk (PostgreSQL only).

    For the machine's own writes, which it can make again: ``SET LOCAL synchronous_commit``
    holds for this transaction alone. If the database crashed in the fraction of a second
    before the write reached the disk, it would come back consistent, without this
    extraction: the article stays "running" (committed before, synchronously), and the
    stale sweep extracts it again. What a human wrote is never in such a transaction (it
    is set only when the extraction's transaction is the outermost one, as in the worker).
    Saves the wait for the flush at each article's commit (4-7 ms on the shared machine).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def article_extract(*, article_id: int) -> Article:
    """Run the engine on one article and replace its machine-made appearances.

    Idempotent: running it twice leaves the same statements. Engine input
    errors mark the article failed. An engine that cannot run here (its model
    missing: the operator's error) puts the article back to pending and raises
    ExtractionUnavailable for the task to retry; anything else propagates to the
    caller (the task retries transient database errors).
    """
    updated = Article.objects.filter(pk=article_id).update(
        extraction_status=Article.Status.RUNNING, updated_at=timezone.now(),
    )
    if not updated:
        raise NotFound(f"Article {article_id} does not exist.")
    article = Article.objects.get(pk=article_id)
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        attributions = extraction.extract(article.text, published=article.published_at.date())
    except extraction.ExtractionError as exc:
        article_extraction_fail(article_id=article_id, error=f"extraction error: {exc}")
        article.refresh_from_db()
        return article
    except extraction.EngineUnavailable as exc:
        logger.critical("the extraction engine cannot run (article %s stays pending): %s", article_id, exc)
        reason = "The extraction engine is unavailable on the worker; extraction will be retried."
        article_extraction_defer(article_id=article_id, reason=reason)
        raise ExtractionUnavailable(str(exc)) from exc
    found, found_cpu = time.perf_counter(), time.process_time()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # its commit is this one's alone, not a caller's
            _commit_without_waiting_for_the_disk()
        statements_replace_auto(
            article=article, attributions=attributions, extractor_version=extraction.ENGINE_VERSION,
        )
        article.extraction_status = Article.Status.DONE
        article.extraction_error = ""
        article.extractor_version = extraction.ENGINE_VERSION
        article.extracted_at = timezone.now()
        article.save(update_fields=[
            "extraction_status", "extraction_error", "extractor_version", "extracted_at", "updated_at",
        ])
    # Wall time and this process's CPU time: storing waits on the database, the engine should not.
    logger.debug(
        "article %s: %d attributions found in %.3f s (%.3f s CPU), stored in %.3f s (%.3f s CPU)",
        article_id, len(attributions), found - started, found_cpu - started_cpu,
        time.perf_counter() - found, time.process_time() - found_cpu,
    )
    return article
