"""Celery tasks: thin wrappers that take ids and call one service.

Tasks are idempotent (extraction replaces the article's machine-made rows),
acknowledged late and re-queued if the worker dies, retried with backoff on
transient database errors only, and bounded in time. The stale-extraction
sweep is periodic: Celery beat sends it (settings.CELERY_BEAT_SCHEDULE).

This is the only module that knows Celery: services name the jobs they need
(quotes.jobs) and the senders registered here put them on the broker.
"""

import datetime
import logging
import time

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_postrun, task_prerun, worker_init, worker_process_init
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.db.backends.signals import connection_created
from kombu.exceptions import OperationalError as BrokerError

from quotes import jobs
from quotes.errors import ExtractionUnavailable, NotFound
from quotes.fetching import HostBusy
from quotes.models import Article
from quotes.services.articles import (
    EXTRACTION_JOB,
    FETCH_JOB,
    article_extract,
    article_extraction_fail,
    article_extractions_requeue_stale,
    article_fetch,
    article_fetch_fail,
    article_fetches_requeue_stale,
    extraction_engine_load,
)
from quotes.services.duplicates import DUPLICATES_JOB, duplicates_find
from quotes.services.feeds import POLL_JOB, feed_poll, feeds_poll_due

logger = logging.getLogger(__name__)


@worker_init.connect
def database_timeouts_in_this_worker(**_) -> None:
    """From now on every database connection this worker opens bounds its queries.

    Sent once as a worker starts, before it forks its pool processes (they inherit it);
    the web server, commands and migrations never get it, so they keep no limit.
    """
    connection_created.connect(database_timeouts_set, dispatch_uid=TIMEOUTS_UID)


TIMEOUTS_UID = "quotes.tasks.database_timeouts_set"


def database_timeouts_set(sender, connection, **_) -> None:
    """Bound every query of a new connection: statement_timeout and lock_timeout (settings).

    Celery's soft time limit cannot interrupt a query blocked in the database; with
    these the query fails instead (OperationalError), and the task retries. Set as the
    connection opens (Django's connection_created), so once per connection, however many
    tasks reuse it and whoever closed the one before. PostgreSQL only.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
            [f"{settings.DATABASE_STATEMENT_TIMEOUT_MS}ms", f"{settings.DATABASE_LOCK_TIMEOUT_MS}ms"],
        )


@task_prerun.connect
@task_postrun.connect
def database_connections_recycle(task=None, **_) -> None:
    """Drop the connections that are broken or older than CONN_MAX_AGE, keep the others.

    Django's rule at each request's start and end, here at each task's: a worker reuses
    its connection (settings: CELERY_DB_REUSE_MAX) instead of opening one per task, and a
    connection a database restart broke is replaced before the next task (or retry) uses it.
    Not for a task run in place (eager, tests): that is the caller's connection.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    close_old_connections()


@worker_process_init.connect
def extraction_engine_load_in_worker(**_) -> None:
    """Each pool process of a worker loads the engine as it starts, before it takes a task.

    Loading (the spaCy model) takes a second or more, and the first article would
    otherwise pay it. Only the processes of Celery's prefork pool (the default, and
    what ``make worker`` runs) get this signal: the web server, commands and tests never
    load the engine unasked, and a ``--pool=solo`` worker loads it on its first article.
    The log line tells that the worker is really ready (scripts/bench_scale.py waits for it).
    """
    started = time.monotonic()
    try:
        extraction_engine_load()
    except ExtractionUnavailable as exc:
        # The operator's error: extractions are deferred and retried (article_extract).
        logger.critical("the extraction engine cannot run in this worker: %s", exc)
        return
    logger.info("extraction engine loaded in %.1f s", time.monotonic() - started)


# Bounded retries with backoff, acknowledged after the work, queued again if the worker dies.
RETRIED_LATE_ACKED = {
    "retry_backoff": 2, "retry_backoff_max": 120, "retry_jitter": True, "max_retries": 5,
    "acks_late": True, "reject_on_worker_lost": True,
}


class WorkerTimedTask(Task):
    """A task sent without time limits: each worker applies its own.

    Celery copies the sender's limits (the task's, from the sender's settings) into every
    message, and a message's limits win over the worker's: a worker given longer limits
    still killed at the web process's. Sent with none, the worker uses the limits the task
    declares in its own process, from its own settings (CELERY_TASK_TIME_LIMIT ...).
    Retries are sent the same way.
    """

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None,
                    link_error=None, shadow=None, **options):
        options.setdefault("time_limit", None)
        options.setdefault("soft_time_limit", None)
        return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)


class ExtractionTask(WorkerTimedTask):
    """Records the final failure on the article, after retries are spent.

    Celery calls this for a time limit too, the hard one included (from the worker's main
    process, the pool process being killed): the sweep retries those a few times.
    """

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        article_id = args[0] if args else kwargs.get("article_id")
        if isinstance(exc, ExtractionUnavailable):
            return  # not the text's fault: the article stays pending for the sweep
        if article_id is None:
            return
        if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
            error = f"timed out: past the worker's time limit ({type(exc).__name__}); the sweep retries it " \
                    f"up to {settings.EXTRACTION_TIMEOUT_RETRIES} times in a row, then leaves it failed"
            article_extraction_fail(article_id=article_id, error=error, failure=Article.Failure.TIMED_OUT)
        else:
            article_extraction_fail(article_id=article_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    bind=True,
    base=ExtractionTask,
    name="quotes.extract_article",
    # Transient database errors, and an engine the operator has yet to install or fix.
    autoretry_for=(OperationalError, InterfaceError, ExtractionUnavailable),
    **RETRIED_LATE_ACKED,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def extract_article(self, article_id: int) -> None:
    """Extract the statements of one article (by id).

    A message the broker delivers again (its worker stopped before acknowledging it)
    says so in its delivery info: article_extract counts that restart, and stops an
    article that keeps killing its worker.
    """
    try:
        article_extract(article_id=article_id, redelivered=message_redelivered(self.request))
    except NotFound:
        # Deleted before the worker got to it: nothing to do, nothing to retry.
        logger.info("article %s no longer exists; skipping extraction", article_id)


def message_redelivered(request) -> bool:
    """Whether the broker delivers this task's message again: kombu marks one it restored
    (from a worker lost, or not acknowledged in time) in its delivery info; a retry is a new message."""
    return bool((getattr(request, "delivery_info", None) or {}).get("redelivered"))


@shared_task(
    base=WorkerTimedTask,
    name="quotes.requeue_stale_extractions",
    # Periodic: the next beat tick is the retry, so no autoretry, and acknowledged on
    # receipt so a sweep that killed its worker is not delivered again and again.
    acks_late=False,
    # One query, one update and a message per stuck article: a minute is ample.
    soft_time_limit=60,
    time_limit=90,
)
def requeue_stale_extractions() -> list[int]:
    """Queue again the articles left pending or running for EXTRACTION_STALE_MINUTES.

    Running ones EXTRACTION_LOST_RETRIES times in a row at most, then failed as worker_lost;
    and those that timed out, EXTRACTION_TIMEOUT_RETRIES times at most, with backoff.

    Safe at any time (extraction is idempotent); returns the ids queued, e.g. ``[12, 40]``.
    """
    ids = article_extractions_requeue_stale(
        older_than=datetime.timedelta(minutes=settings.EXTRACTION_STALE_MINUTES),
        timeout_retries=settings.EXTRACTION_TIMEOUT_RETRIES,
    )
    if ids:
        # Stuck work means the broker or a worker failed: worth a look, not an error.
        logger.warning("queued again %d stale extraction(s): %s", len(ids), ids)
    return ids


@shared_task(
    base=WorkerTimedTask,
    name="quotes.find_duplicates",
    # Transient database errors, a statement_timeout or lock_timeout included: retried.
    autoretry_for=(OperationalError, InterfaceError),
    **RETRIED_LATE_ACKED,
    # Each statement against its neighbours only: seconds, whatever the table's size.
    soft_time_limit=settings.DUPLICATES_SOFT_TIME_LIMIT,
    time_limit=settings.DUPLICATES_SOFT_TIME_LIMIT + 30,
)
def find_duplicates(statement_ids: list[int]) -> int:
    """Offer the near-duplicates of these statements (by id) to a reviewer; idempotent.

    Statements deleted meanwhile are skipped; pairs already offered are left alone.
    Returns how many pairs are new.
    """
    return duplicates_find(statement_ids=statement_ids)


@jobs.register(DUPLICATES_JOB)
def send_duplicates(statement_ids: list[int]) -> None:
    """Put the near-duplicate search of an article's statements on the broker.

    A refusing broker is logged, not raised into the extraction that stored them:
    the pairs are a reviewer's help, and ``duplicates_find`` (any later run over these
    statements, or over all) finds them again.
    """
    try:
        find_duplicates.delay(list(statement_ids))
    except BrokerError:
        logger.exception("could not enqueue the near-duplicate search of statements %s", statement_ids)


@jobs.register(EXTRACTION_JOB)
def send_extraction(article_id: int) -> None:
    """Put one article's extraction on the broker; a refusing broker leaves it pending.

    The recovery sweep (above) queues a pending article again later, so an
    outage is logged, not raised into the request that stored the article.
    """
    try:
        extract_article.delay(article_id)
    except BrokerError:
        logger.exception("could not enqueue extraction of article %s", article_id)


# Articles from URLs and feeds (issue #14) ---------------------------------------------------

# A fetch of a host that has its share of fetches running waits this long before trying again.
HOST_BUSY_COUNTDOWN = 5
# A fetch (of a page, or a feed, robots.txt included) and what follows: transient database
# errors retried; the fetches themselves are bounded by FETCH_TIMEOUT, the rest by the margin.
FETCHING = {
    "autoretry_for": (OperationalError, InterfaceError), **RETRIED_LATE_ACKED,
    "soft_time_limit": 2 * settings.FETCH_TIMEOUT + 60, "time_limit": 2 * settings.FETCH_TIMEOUT + 90,
}


class FetchTask(WorkerTimedTask):
    """Records the final failure on the article, after retries are spent (else it stays fetching)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        article_id = args[0] if args else kwargs.get("article_id")
        if article_id is not None and not isinstance(exc, HostBusy):
            error = f"{type(exc).__name__}: {exc}"
            article_fetch_fail(article_id=article_id, reason="unreachable", error=error)


@shared_task(
    base=FetchTask,
    name="quotes.fetch_article",
    **FETCHING,
)
def fetch_article(article_id: int) -> None:
    """Fetch the page of one article submitted by URL (by id), then queue its extraction."""
    try:
        article_fetch(article_id=article_id)
    except HostBusy:
        # Politeness, not an error: sent again for later (a new message, not one of the retries,
        # which are for errors). A host is busy no longer than FETCH_TIMEOUT per fetch it runs.
        fetch_article.apply_async(args=[article_id], countdown=HOST_BUSY_COUNTDOWN)


@shared_task(base=WorkerTimedTask, name="quotes.poll_feed", **FETCHING)
def poll_feed(feed_id: int) -> int:
    """Poll one feed (by id); its new entries become articles fetched by URL. Returns how many."""
    try:
        return feed_poll(feed_id=feed_id)
    except NotFound:
        logger.info("feed %s no longer exists; not polled", feed_id)
    except HostBusy:
        poll_feed.apply_async(args=[feed_id], countdown=HOST_BUSY_COUNTDOWN)
    return 0


@shared_task(
    base=WorkerTimedTask, name="quotes.poll_due_feeds", acks_late=False, soft_time_limit=60, time_limit=90,
)
def poll_due_feeds() -> list[int]:
    """Periodic (Celery beat): queue a poll of each due feed, and the fetches a broker outage left.

    Returns the ids of the feeds queued.
    """
    stale = article_fetches_requeue_stale(
        older_than=datetime.timedelta(minutes=settings.EXTRACTION_STALE_MINUTES),
    )
    if stale:
        logger.warning("queued again %d stale fetch(es): %s", len(stale), stale)
    return feeds_poll_due()


def _delay_or_log(task, object_id: int, what: str) -> None:
    """Put ``task`` for ``object_id`` on the broker; a refusing broker is logged, not raised."""
    try:
        task.delay(object_id)
    except BrokerError:
        logger.exception("could not enqueue the %s %s", what, object_id)


@jobs.register(FETCH_JOB)
def send_fetch(article_id: int) -> None:
    """Put one article's fetch on the broker; a refusing broker leaves it fetching, for the sweep."""
    _delay_or_log(fetch_article, article_id, "fetch of article")


@jobs.register(POLL_JOB)
def send_poll(feed_id: int) -> None:
    """Put one feed's poll on the broker; a refusing broker: the feed is due again after its interval."""
    _delay_or_log(poll_feed, feed_id, "poll of feed")
