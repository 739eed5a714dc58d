"""Feeds: adding them, and polling the due ones for new articles (issue #14).

A poll is a conditional GET (the stored ETag and Last-Modified); each entry whose URL no
article is known by becomes an article fetched by URL (``article_submit_url``). A feed
that fails waits its interval doubled for each failure in a row, up to a day, and keeps
the error for the admin; the other feeds are polled as usual.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quotes import fetching, jobs, selectors
from quotes.errors import Conflict, DuplicateArticle, InvalidInput, NotFound
from quotes.fetching.feeds import FEED_TYPES, FeedUnreadable, feed_entries
from quotes.models import Feed, Outlet
from quotes.services.articles import article_submit_url, article_url_check
from quotes.services.rows import save_or_conflict

logger = logging.getLogger(__name__)

POLL_JOB = "poll_feed"
MAX_BACKOFF = 24 * 3600  # a failing feed is tried at least once a day
ENTRIES_PER_POLL = 200  # new entries taken per poll; a feed with more has the rest taken at the next
ENTRIES_READ = 2000  # entries of one feed looked at (and looked up) at all
FEEDS_PER_ROUND = 500


def feed_add(
    *, url: str, outlet: Outlet | None = None, poll_interval: int | None = None, title: str = "",
    active: bool = True,
) -> Feed:
    """Store a feed to poll (from its next round on). Raises InvalidInput or Conflict (URL stored).

    Example: ``feed_add(url="https://news.example/rss.xml")``.
    """
    feed = Feed(
        url=feed_url_check(url=url), outlet=outlet, title=title.strip(), active=active,
        poll_interval=poll_interval or settings.FEED_POLL_INTERVAL,
    )
    return feed_save(feed=feed)


def feed_save(*, feed: Feed) -> Feed:
    """Store a new or edited feed; a URL another feed has is a Conflict."""
    feed.url = feed_url_check(url=feed.url)
    if feed.poll_interval < 60:
        raise InvalidInput("A feed is polled at most once a minute.",
                           errors={"poll_interval": ["At least 60 seconds."]})
    return save_or_conflict(feed, message="A feed with this URL is already stored.")


def feed_delete(*, feed: Feed) -> None:
    """Delete a feed; the articles found through it stay."""
    feed.delete()


def feed_url_check(*, url: str) -> str:
    """A feed URL's normal form; InvalidInput (under "url") if it is not http(s) with a host."""
    return article_url_check(url=url)



def feeds_poll_now(*, feed_ids: list[int]) -> int:
    """Queue a poll of these feeds now (after commit), whether due or not; returns how many."""
    found = list(Feed.objects.filter(pk__in=feed_ids).values_list("pk", flat=True))
    for feed_id in found:
        jobs.enqueue_on_commit(POLL_JOB, feed_id)
    return len(found)


def feeds_poll_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue a poll of each due feed, and move its next poll on so the next round skips it.

    Returns the ids queued. Claimed with a conditional update, so two rounds at once
    (two beats by mistake) queue each feed once.
    """
    now = now or timezone.now()
    queued = []
    for feed_id in selectors.feed_ids_due(now=now, limit=FEEDS_PER_ROUND):
        with transaction.atomic():
            feed = Feed.objects.select_for_update(skip_locked=True).filter(pk=feed_id).first()
            if feed is None or (feed.next_poll_at and feed.next_poll_at > now):
                continue
            # Until the poll records its outcome: a lost message is polled again by then.
            feed.next_poll_at = now + datetime.timedelta(seconds=feed.poll_interval)
            feed.save(update_fields=["next_poll_at", "updated_at"])
            jobs.enqueue_on_commit(POLL_JOB, feed_id)
        queued.append(feed_id)
    return queued


def feed_poll(*, feed_id: int) -> int:
    """Poll one feed now; returns how many new articles it gave (0 when unchanged).

    Never raises for the feed's fault: the error is stored on the feed, which backs off.
    HostBusy propagates (the feed's host is busy: the task tries again shortly).
    """
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        raise NotFound(f"Feed {feed_id} does not exist.")
    conditional = {}
    if feed.etag:
        conditional["If-None-Match"] = feed.etag
    if feed.last_modified:
        conditional["If-Modified-Since"] = feed.last_modified
    try:
        answer = fetching.fetch_politely(feed.url, accept=FEED_TYPES, headers=conditional)
        entries = [] if answer.status == 304 else feed_entries(answer.body, url=answer.url)
    except (fetching.FetchError, FeedUnreadable) as exc:
        _failed(feed, str(exc))
        return 0
    new, more = _entries_store(feed, entries[:ENTRIES_READ])
    now = timezone.now()
    if more:
        answer.headers.pop("etag", None)  # not a conditional GET next time: the rest is still to take
        answer.headers.pop("last-modified", None)
    if answer.status != 304:
        feed.etag = answer.headers.get("etag", "")[:500]
        feed.last_modified = answer.headers.get("last-modified", "")[:100]
    feed.last_polled_at, feed.last_error, feed.consecutive_failures = now, "", 0
    feed.next_poll_at = now + datetime.timedelta(seconds=feed.poll_interval)
    if new:
        feed.last_new_entry_at = now
    feed.save(update_fields=[
        "etag", "last_modified", "last_polled_at", "last_error", "consecutive_failures", "next_poll_at",
        "last_new_entry_at", "updated_at",
    ])
    return new


def _entries_store(feed: Feed, entries) -> tuple[int, bool]:
    """Submit up to ENTRIES_PER_POLL entries no article is known by.

    Returns how many were new, and whether unknown entries are left for the next poll.
    """
    known = selectors.article_urls_known(urls=[entry.url for entry in entries])
    unknown = list({entry.url: entry for entry in entries if entry.url not in known}.values())
    new = 0
    for entry in unknown[:ENTRIES_PER_POLL]:
        try:
            article_submit_url(
                url=entry.url, feed_id=feed.pk, title=entry.title, published_at=entry.published,
            )
        except (DuplicateArticle, InvalidInput, Conflict):
            continue  # found meanwhile through another feed, or a link that is no page
        new += 1
    return new, len(unknown) > ENTRIES_PER_POLL


def _failed(feed: Feed, error: str) -> None:
    """Record a failed poll: the error, and the next poll after a doubled wait (at most a day)."""
    now = timezone.now()
    failures = feed.consecutive_failures + 1
    wait = min(feed.poll_interval * 2 ** min(failures, 20), MAX_BACKOFF)
    Feed.objects.filter(pk=feed.pk).update(
        consecutive_failures=failures, last_error=error[:2000], last_polled_at=now,
        next_poll_at=now + datetime.timedelta(seconds=wait), updated_at=now,
    )
    logger.info("feed %s failed (%d in a row, next try in %d s): %s", feed.pk, failures, wait, error)
