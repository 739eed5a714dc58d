"""A feed's entries (RSS 0.9x-2.0, RSS 1.0/RDF, Atom), by feedparser. Pure: bytes in.

>>> rss = b'<rss version="2.0"><channel><title>T</title><item><title>A</title>'
>>> rss += b'<link>https://news.example/a?utm_source=rss</link></item></channel></rss>'
>>> [(e.url, e.title) for e in feed_entries(rss, url="https://news.example/feed")]
[('https://news.example/a', 'A')]
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from urllib.parse import urljoin

import feedparser

from quotes.fetching.urls import url_normalize

# What a feed is served as, in the wild (text/html included: some servers say so of RSS).
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "text/plain", "text/html",
)


class FeedUnreadable(ValueError):
    """Not a feed at all (feedparser recognised no feed format and found no entries)."""


@dataclasses.dataclass(frozen=True)
class Entry:
    url: str  # normalised
    title: str
    published: datetime.datetime | None


def feed_entries(body: bytes, *, url: str) -> list[Entry]:
    """The entries of a feed with a link, in the feed's order; relative links resolved against ``url``."""
    # feedparser is given bytes: it fetches nothing itself, and reads the XML's own encoding.
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise FeedUnreadable(f"not a feed: {parsed.get('bozo_exception')}")
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            continue
        link = urljoin(url, link)
        if not link.startswith(("http://", "https://")):
            continue
        when = item.get("published_parsed") or item.get("updated_parsed")
        published = (
            datetime.datetime.fromtimestamp(calendar.timegm(when), tz=datetime.UTC) if when else None
        )
        entries.append(Entry(url_normalize(link), (item.get("title") or "").strip(), published))
    return entries
