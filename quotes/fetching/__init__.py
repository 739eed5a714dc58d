"""Fetching pages and feeds from the web, safely and politely (issue #14).

``http`` (one safe GET: the SSRF rules), ``addresses`` (which addresses may be connected
to), ``urls`` (a URL's normal form), ``page`` (an HTML page to an article, by trafilatura),
``feeds`` (a feed's entries, by feedparser) are pure and need no Django. This module
joins them to the settings and adds politeness: the User-Agent, robots.txt (the standard
library's robotparser) and a per-host cap on concurrent fetches with a delay between two,
kept in Django's cache (shared by every worker when the cache is: Redis, the database).
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from urllib import robotparser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from quotes.fetching.addresses import networks_parse
from quotes.fetching.http import FetchError, FetchFailed, FetchRefused, Policy, Reason, Response, fetch

__all__ = [
    "FetchError", "FetchFailed", "FetchRefused", "HostBusy", "Reason", "Response", "fetch_politely",
    "policy_from_settings",
]

PROJECT_AGENT = "QuoteTracker/0.1"
ROBOTS_SECONDS = 3600  # a host's robots.txt is read again after an hour


class HostBusy(Exception):
    """The host already has its share of fetches, or had one too recently: try again later."""


def user_agent() -> str:
    """``QuoteTracker/0.1 (+contact)``: the project, and how to reach whoever runs it."""
    contact = settings.FETCH_CONTACT
    return f"{PROJECT_AGENT} (+{contact})" if contact else PROJECT_AGENT


def policy_from_settings(**overrides) -> Policy:
    """The fetch policy the settings describe (FETCH_*); ``overrides`` replace fields (tests)."""
    networks, names = networks_parse(settings.FETCH_ALLOW_NETWORKS)
    values = {
        "user_agent": user_agent(), "max_bytes": settings.FETCH_MAX_BYTES,
        "total_seconds": float(settings.FETCH_TIMEOUT), "ports": frozenset(settings.FETCH_ALLOWED_PORTS),
        "allowed_networks": networks, "allowed_hosts": names,
    }
    return Policy(**{**values, **overrides})


def fetch_politely(url: str, *, accept, headers=None, policy: Policy | None = None) -> Response:
    """``fetch`` under the settings' policy, if robots.txt allows it, within the host's share.

    Raises HostBusy (nothing fetched: retry later), FetchRefused (robots.txt, or the
    SSRF rules) or FetchFailed.
    """
    policy = policy or policy_from_settings()
    if settings.FETCH_RESPECT_ROBOTS and not _robots_allow(url, policy):
        raise FetchRefused(Reason.ROBOTS, "robots.txt does not allow QuoteTracker to fetch this page")
    with host_slot(urlsplit(url).netloc.lower()):
        return fetch(url, policy=policy, accept=accept, headers=headers)


@contextmanager
def host_slot(host: str):
    """Hold one of the host's FETCH_PER_HOST_CONCURRENCY slots, FETCH_PER_HOST_DELAY_MS after the last start.

    Cache keys that expire on their own: a worker that dies holding a slot frees it
    after FETCH_TIMEOUT and a little. Raises HostBusy at once rather than waiting.
    """
    delay = settings.FETCH_PER_HOST_DELAY_MS / 1000
    if delay and not cache.add(f"fetch:next:{host}", 1, timeout=delay):
        raise HostBusy(f"{host} was fetched from less than {delay:g} s ago")
    token = uuid.uuid4().hex
    lease = settings.FETCH_TIMEOUT + 10
    for slot in range(settings.FETCH_PER_HOST_CONCURRENCY):
        key = f"fetch:slot:{host}:{slot}"
        if cache.add(key, token, timeout=lease):
            try:
                yield
            finally:
                if cache.get(key) == token:
                    cache.delete(key)
            return
    raise HostBusy(f"{host} already has {settings.FETCH_PER_HOST_CONCURRENCY} fetches running")


def _robots_allow(url: str, policy: Policy) -> bool:
    """Whether the host's robots.txt lets our User-Agent fetch ``url`` (RFC 9309's reading).

    A missing robots.txt (4xx) allows everything; one the server fails to give (5xx)
    allows nothing for now: the article fails and may be submitted again. A host that
    cannot be reached at all (no connection, no trusted TLS, no answer in time) raises
    that FetchFailed: the page could not be had either, and the article says why.
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc.lower()}"
    key = f"fetch:robots:{origin}"
    lines = cache.get(key)
    if lines is None:
        lines = _robots_lines(origin, policy)
        cache.set(key, lines, timeout=ROBOTS_SECONDS)
    parser = robotparser.RobotFileParser()
    if lines == ["\x00deny"]:
        parser.disallow_all = True
    else:
        parser.parse(lines)
    return parser.can_fetch(PROJECT_AGENT.split("/")[0], url)


def _robots_lines(origin: str, policy: Policy) -> list[str]:
    # Once an hour per host: outside the host's slots, so the page itself is not delayed by it.
    try:
        answer = fetch(f"{origin}/robots.txt", policy=policy, accept=("text/plain",))
    except FetchFailed as exc:
        if exc.reason in (Reason.UNREACHABLE, Reason.TLS, Reason.TIMEOUT):
            raise  # not cached: the host, not its robots.txt, is the matter
        if exc.status is not None and 400 <= exc.status < 500:
            return []  # no robots.txt: everything is allowed
        if exc.reason == Reason.NOT_HTML:
            return []  # not a robots.txt (an HTML error page, say): no rules
        return ["\x00deny"]
    return answer.body.decode("utf-8", "replace").splitlines()
