"""Articles: submission, and the extraction lifecycle (pending, running, done, failed)."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from quotes import extraction, fetching, jobs, selectors
from quotes.errors import Conflict, DuplicateArticle, ExtractionUnavailable, InvalidInput, NotFound
from quotes.fetching.page import html_decode, page_extract
from quotes.fetching.urls import url_domain, url_normalize
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


# Publication dates a news article can have: none before 1800, none more than two days ahead
# (time zones, an embargoed piece). Outside is a typing error; at the calendar's edge it broke
# date arithmetic downstream.
PUBLISHED_EARLIEST = datetime.datetime(1800, 1, 1, tzinfo=datetime.UTC)
PUBLISHED_MAX_AHEAD = datetime.timedelta(days=2)


def article_published_check(*, published_at: datetime.datetime | datetime.date) -> datetime.datetime:
    """The publication time as stored (a date is midnight UTC); InvalidInput outside 1800 to now + 2 days.

    Example: ``article_published_check(published_at=datetime.date(2025, 2, 9))`` is 2025-02-09 00:00 UTC.
    """
    latest = timezone.now() + PUBLISHED_MAX_AHEAD
    try:
        value = _as_aware(published_at)
        within = PUBLISHED_EARLIEST <= value <= latest
    except OverflowError:  # an offset that pushes it past year 1 or 9999
        within = False
    if not within:
        message = f"The publication date must be from 1800 to {latest:%Y-%m-%d} (two days from now)."
        raise InvalidInput(message, errors={"published_at": [message]})
    return value


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
    digest = _text_hashed(text)
    stored = selectors.article_id_with_text(digest=digest, other_than=article_id)
    if stored is not None:
        raise DuplicateArticle("This article is already stored.", article_id=stored)
    return digest


def _text_hashed(text: str) -> str:
    """The content hash of an article's text, once it is known not empty nor oversized (InvalidInput)."""
    if not text or not text.strip():
        raise InvalidInput("The article text is empty.", errors={"text": ["The article text is empty."]})
    if len(text) > settings.ARTICLE_MAX_CHARS:
        message = f"The article text is longer than {settings.ARTICLE_MAX_CHARS} characters."
        raise InvalidInput(message, errors={"text": [message]})
    return content_hash(text)


def article_submit(
    *, title: str, text: str, published_at: datetime.datetime | datetime.date,
    url: str | None = None, outlet: str | None = None, author: str = "", submitted_by=None,
) -> Article:
    """Store a new article and queue its extraction.

    Raises InvalidInput for empty or oversized text and DuplicateArticle when
    the same text or URL is already stored (naming the stored article): the unique
    constraints say so as the row is inserted, with no look-up first.
    """
    digest = _text_hashed(text)
    published_at = article_published_check(published_at=published_at)
    if not title or not title.strip():
        raise InvalidInput("The article needs a title.", errors={"title": ["The article needs a title."]})
    url = url or None
    with _duplicates_refused(digest=digest, url=url):
        article = Article.objects.create(
            title=title.strip(), text=text, url=url, author=author.strip(),
            published_at=published_at, content_hash=digest,
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
    if "published_at" in fields:
        article.published_at = article_published_check(published_at=article.published_at)
        article.published_known = True  # a person gave it
        fields.append("published_known")
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


def article_extraction_request(*, article_ids: list[int], retry: bool = False) -> int:
    """Mark articles pending and queue their extraction again; returns how many.

    A person asking starts the counts of timeouts and restarts afresh; the sweep's ``retry`` keeps them.
    """
    reset = {} if retry else {"extraction_timeouts": 0, "extraction_restarts": 0}
    with transaction.atomic():
        found = list(
            Article.objects.select_for_update().filter(pk__in=article_ids).values_list("pk", flat=True)
        )
        Article.objects.filter(pk__in=found).update(
            extraction_status=Article.Status.PENDING, extraction_error="", extraction_failure="",
            updated_at=timezone.now(), **reset,
        )
        for article_id in found:
            article_enqueue_extraction(article_id=article_id)
    return len(found)


@transaction.atomic
def article_extractions_requeue_stale(
    *, older_than: datetime.timedelta, timeout_retries: int = 0, lost_retries: int | None = None,
) -> list[int]:
    """Queue again the articles left pending or running for longer than ``older_than``.

    An article stays pending when the broker was down at submission, and running when
    its worker died past the broker's redelivery; this is the sweep that recovers both.
    One left running is sent again up to ``lost_retries`` times in a row (default: the
    EXTRACTION_LOST_RETRIES setting), then failed as ``worker_lost``: an article that kills
    its worker each time stops there, for a reviewer to look at and ask for again.
    An article that failed on the time limit is queued again too, up to ``timeout_retries``
    times in a row, each after twice the wait of the one before (``older_than``, then 2x,
    4x ...); then it stays failed, with the reason. Returns the ids queued.
    """
    now = timezone.now()
    lost_retries = settings.EXTRACTION_LOST_RETRIES if lost_retries is None else lost_retries
    left_running = Q(extraction_status=Article.Status.RUNNING, updated_at__lt=now - older_than)
    _extractions_lost_fail(Article.objects.filter(left_running, extraction_restarts__gte=lost_retries),
                           times=lost_retries + 1)
    waiting = [Article.Status.PENDING, Article.Status.RUNNING]
    stuck = Q(extraction_status__in=waiting, updated_at__lt=now - older_than)
    for count in range(1, timeout_retries + 1):
        stuck |= Q(
            extraction_status=Article.Status.FAILED, extraction_failure=Article.Failure.TIMED_OUT,
            extraction_timeouts=count, updated_at__lt=now - older_than * 2 ** (count - 1),
        )
    stale = list(Article.objects.filter(stuck).values_list("pk", flat=True))
    restarted = Article.objects.filter(left_running, pk__in=stale)
    restarted.update(extraction_restarts=F("extraction_restarts") + 1)
    article_extraction_request(article_ids=stale, retry=True)
    return stale


def _extractions_lost_fail(articles, *, times: int) -> None:
    """Fail the ``articles`` (left running ``times`` times in a row) as ``worker_lost``, in one update.

    One update, of the rows still running: none that a worker finished meanwhile.
    """
    lost = list(articles.values_list("pk", flat=True))
    error = (f"left running by a stopped worker (killed, out of memory?) {times} times in a row; "
             "not sent again: ask for its extraction again to retry")
    articles.filter(pk__in=lost).update(
        extraction_status=Article.Status.FAILED, extraction_failure=Article.Failure.WORKER_LOST,
        extraction_error=error, updated_at=timezone.now(),
    )
    if lost:
        logger.warning("articles %s: extraction failed (worker_lost): %s", lost, error)


def article_extraction_fail(
    *, article_id: int, error: str, failure: Article.Failure = Article.Failure.ERROR,
) -> None:
    """Record that extraction failed and why (``failure``, in short; ``error`` in full, for staff).

    The article's statements stay as they were; a timeout adds one to its count in a row.
    """
    timed_out = failure == Article.Failure.TIMED_OUT
    timeouts = {"extraction_timeouts": F("extraction_timeouts") + 1} if timed_out else {}
    Article.objects.filter(pk=article_id).update(
        extraction_status=Article.Status.FAILED, extraction_error=error[:2000], extraction_failure=failure,
        updated_at=timezone.now(), **timeouts,
    )
    logger.warning("article %s: extraction failed (%s): %s", article_id, failure, error)


def article_extraction_defer(*, article_id: int, reason: str) -> None:
    """Put an article back to pending: the engine could not run, through no fault of its text.

    The recovery sweep (and the task's retries) queue it again; the reason is shown to staff.
    """
    Article.objects.filter(pk=article_id).update(
        extraction_status=Article.Status.PENDING, extraction_error=reason[:2000],
        extraction_failure=Article.Failure.ENGINE_UNAVAILABLE, updated_at=timezone.now(),
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
    extraction: the article stays "running" (or pending, if the "running" mark, written the
    same way, was lost too), and the stale sweep extracts it again. What a human wrote is
    never in such a transaction (it is set only when the extraction's transaction is the
    outermost one, as in the worker).
    Saves the wait for the flush at each article's commit (4-7 ms on the shared machine).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _cached_plans_drop() -> None:
    """Make this connection plan its foreign-key checks and trigger queries afresh (PostgreSQL only).

    PostgreSQL keeps those plans for the connection's life, and a worker's connection serves
    task after task (CONN_MAX_AGE). Planned while a table was nearly empty (a new deployment,
    an empty database), they read it whole: every appearance and speaker link stored then
    scans all statements, and the cost grows with the table until autovacuum's next analyze,
    a minute or more later, has them made again. Dropped once per stored article, they cost a
    few plans each time (about 0.4 ms of planning an article); kept stale they cost 70 blocks
    read per inserted row in bench-scale's empty database (storing's PostgreSQL time 1.02 ->
    0.61 s for 84 articles).
    Django and psycopg2 prepare nothing themselves: nothing else is dropped.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DISCARD PLANS")


def article_extract(*, article_id: int, redelivered: bool = False) -> Article:
    """Run the engine on one article and replace its machine-made appearances.

    Idempotent: running it twice leaves the same statements. Engine input
    errors mark the article failed. An engine that cannot run here (its model
    missing: the operator's error) puts the article back to pending and raises
    ExtractionUnavailable for the task to retry; anything else propagates to the
    caller (the task retries transient database errors).

    ``redelivered``: the broker hands this job back because the worker that had it
    stopped (acks_late, reject_on_worker_lost). If the article is still marked running,
    that worker died on it: one more restart in a row, and past EXTRACTION_LOST_RETRIES
    it is failed as ``worker_lost`` without running the engine, as the sweep does, so an
    article that kills its worker is not handed from worker to worker for ever.
    """
    outermost = not connection.in_atomic_block
    counted = {}  # a job handed back that finds its article still running: that worker died on it
    if redelivered:
        restarts = F("extraction_restarts")
        counted["extraction_restarts"] = Case(
            When(extraction_status=Article.Status.RUNNING, then=restarts + 1), default=restarts,
            output_field=Article._meta.get_field("extraction_restarts"),
        )
    with transaction.atomic():
        if outermost:  # lost in a crash, the mark leaves the article pending, which the sweep sends again
            _commit_without_waiting_for_the_disk()
        updated = Article.objects.filter(pk=article_id).update(
            extraction_status=Article.Status.RUNNING, updated_at=timezone.now(), **counted,
        )
        if not updated:
            raise NotFound(f"Article {article_id} does not exist.")
        article = Article.objects.get(pk=article_id)
        if article.extraction_restarts > settings.EXTRACTION_LOST_RETRIES:
            _extractions_lost_fail(Article.objects.filter(pk=article_id), times=article.extraction_restarts)
            article.refresh_from_db()
            return article
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        # No anchor for "on Saturday" when the publication date is not known: left unresolved.
        published = article.published_at.date() if article.published_known else None
        attributions = extraction.extract(article.text, published=published)
    except extraction.ExtractionError as exc:
        article_extraction_fail(
            article_id=article_id, error=f"extraction error: {exc}", failure=Article.Failure.INVALID_TEXT,
        )
        article.refresh_from_db()
        return article
    except extraction.EngineUnavailable as exc:
        logger.critical("the extraction engine cannot run (article %s stays pending): %s", article_id, exc)
        reason = "The extraction engine is unavailable on the worker; extraction will be retried."
        article_extraction_defer(article_id=article_id, reason=reason)
        raise ExtractionUnavailable(str(exc)) from exc
    found, found_cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        if outermost:  # its commit is this one's alone, not a caller's
            _commit_without_waiting_for_the_disk()
        _cached_plans_drop()
        statements_replace_auto(
            article=article, attributions=attributions, extractor_version=extraction.ENGINE_VERSION,
        )
        article.extraction_status = Article.Status.DONE
        article.extraction_error = article.extraction_failure = ""
        article.extraction_timeouts = article.extraction_restarts = 0
        article.extractor_version = extraction.ENGINE_VERSION
        article.extracted_at = timezone.now()
        article.save(update_fields=[
            "extraction_status", "extraction_error", "extraction_failure", "extraction_timeouts",
            "extraction_restarts", "extractor_version", "extracted_at", "updated_at",
        ])
    # Wall time and this process's CPU time: storing waits on the database, the engine should not.
    logger.debug(
        "article %s: %d attributions found in %.3f s (%.3f s CPU), stored in %.3f s (%.3f s CPU)",
        article_id, len(attributions), found - started, found_cpu - started_cpu,
        time.perf_counter() - found, time.process_time() - found_cpu,
    )
    return article


# Articles from a URL (issue #14) -------------------------------------------------------------

FETCH_JOB = "fetch_article"
# HTML pages trafilatura reads; an AMP page is text/html too.
PAGE_TYPES = ("text/html", "application/xhtml+xml")


def article_url_check(*, url: str) -> str:
    """A URL's normal form, if it can be fetched at all (http or https, with a host).

    Raises InvalidInput under "url" otherwise. Whether its address may be fetched is the
    worker's to find out (it resolves the name then): a refusal is reported on the article.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 1000:
        message = "Give an http or https URL with a host name (at most 1000 characters)."
        raise InvalidInput(message, errors={"url": [message]})
    return url_normalize(url)


def article_submit_url(
    *, url: str, submitted_by=None, feed_id: int | None = None, title: str = "",
    published_at: datetime.datetime | None = None,
) -> Article:
    """Store an article known only by its URL, as ``fetching``, and queue the fetch of its page.

    Raises InvalidInput for a URL that cannot be fetched and DuplicateArticle when an article
    is known by this URL already (canonical or as given). Until the page is fetched the title
    is ``title`` or the URL, and the publication time ``published_at`` (a feed's), else now
    with ``published_known`` False: a time to order it by, not its date.
    """
    normal = article_url_check(url=url)
    stored = selectors.article_id_with_url(url=normal)
    if stored is not None:
        raise DuplicateArticle("An article with this URL is already stored.", article_id=stored)
    with _duplicates_refused(digest="", url=normal):
        article = Article.objects.create(
            title=(title.strip() or normal)[:500], text="", url=normal, source_url=normal, feed_id=feed_id,
            published_at=published_at or timezone.now(), published_known=published_at is not None,
            content_hash=None,
            extraction_status=Article.Status.FETCHING, submitted_by=submitted_by,
        )
        jobs.enqueue_on_commit(FETCH_JOB, article.pk)
    return article


def article_fetch(*, article_id: int) -> Article | None:
    """Fetch a ``fetching`` article's page, fill in its text and metadata, and queue its extraction.

    Idempotent: an article no longer fetching (or gone) is left alone and None returned.
    A fetch that fails or is refused marks the article failed with the reason
    (Article.FetchReason); HostBusy propagates, for the task to try again later.
    """
    article = Article.objects.filter(pk=article_id, extraction_status=Article.Status.FETCHING).first()
    if article is None:
        return None
    try:
        answer = fetching.fetch_politely(article.source_url or article.url, accept=PAGE_TYPES)
        page = page_extract(html_decode(answer.body, answer.charset), url=answer.url)
    except fetching.FetchError as exc:
        return _fetch_fail(article, exc.reason, exc.message)
    if not page.text:
        return _fetch_fail(article, fetching.Reason.NO_TEXT, "no article text was found on the page")
    if len(page.text) > settings.ARTICLE_MAX_CHARS:
        return _fetch_fail(article, fetching.Reason.TOO_LARGE,
                           f"the text is longer than {settings.ARTICLE_MAX_CHARS} characters")
    canonical = page.canonical_url or url_normalize(answer.url)
    digest = content_hash(page.text)
    stored = selectors.article_id_with_url(url=canonical, other_than=article.pk)
    stored = stored or selectors.article_id_with_text(digest=digest, other_than=article.pk)
    if stored is not None:
        return _fetch_fail(article, fetching.Reason.DUPLICATE, f"the same story is article {stored}")
    article.text, article.content_hash, article.url = page.text, digest, canonical
    article.title = (page.title or article.title)[:500]
    article.author = page.author[:300]
    if page.published is not None:
        article.published_at, article.published_known = _as_aware(page.published), True
    article.outlet = outlet_for_domain(domain=url_domain(canonical), name=page.outlet)
    article.extraction_status, article.extraction_error, article.fetch_reason = Article.Status.PENDING, "", ""
    try:
        with _duplicates_refused(digest=digest, url=canonical, article_id=article.pk):
            article.save(update_fields=[
                "text", "content_hash", "url", "title", "author", "published_at", "published_known", "outlet",
                "extraction_status", "extraction_error", "fetch_reason", "updated_at",
            ])
            article_enqueue_extraction(article_id=article.pk)
    except DuplicateArticle as exc:  # stored by another worker since the look-up above
        return _fetch_fail(article, fetching.Reason.DUPLICATE,
                           f"the same story is article {exc.details['article_id']}")
    return article


def _fetch_fail(article: Article, reason: str, message: str) -> Article:
    article_fetch_fail(article_id=article.pk, reason=reason, error=message)
    article.refresh_from_db()
    return article


def article_fetch_fail(*, article_id: int, reason: str, error: str) -> None:
    """Record that an article's page could not be had, and why (reason: Article.FetchReason)."""
    Article.objects.filter(pk=article_id, extraction_status=Article.Status.FETCHING).update(
        extraction_status=Article.Status.FAILED, fetch_reason=reason, extraction_error=error[:2000],
        updated_at=timezone.now(),
    )


def article_fetches_requeue_stale(*, older_than: datetime.timedelta) -> list[int]:
    """Queue the fetch again of articles left ``fetching`` longer than ``older_than`` (a broker outage).

    Each is marked fresh as it is queued (as the extraction sweep does), so the next sweep leaves
    it alone until it is stale again, rather than sending it on every tick.
    """
    now = timezone.now()
    stale = list(
        Article.objects.filter(extraction_status=Article.Status.FETCHING, updated_at__lt=now - older_than)
        .values_list("pk", flat=True)[:1000]
    )
    Article.objects.filter(pk__in=stale).update(updated_at=now)
    for article_id in stale:
        jobs.enqueue_on_commit(FETCH_JOB, article_id)
    return stale


def outlet_for_domain(*, domain: str, name: str = "") -> Outlet | None:
    """The outlet known by ``domain``, created on first sight (named ``name``, else the domain).

    A stored outlet of that name with no domain yet takes this one; another domain's outlet
    of the same name leaves the new one named by its domain.
    """
    if not domain:
        return None
    outlet = selectors.outlet_with_domain(domain=domain)
    if outlet is not None:
        return outlet
    name = (name or domain).strip()[:200]
    try:
        with transaction.atomic():
            updated = Outlet.objects.filter(name=name, domain__isnull=True).update(domain=domain)
            if not updated:
                taken = Outlet.objects.filter(name=name).exists()
                Outlet.objects.create(name=f"{name} ({domain})"[:200] if taken else name, domain=domain)
    except IntegrityError:
        pass  # another worker created it first
    return selectors.outlet_with_domain(domain=domain)
