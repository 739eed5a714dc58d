"""A URL's normal form: what makes two links to one story the same article; and its site.

>>> url_normalize("HTTPS://News.Example.COM:443/a/b?utm_source=x&id=3&fbclid=abc#comments")
'https://news.example.com/a/b?id=3'
>>> url_domain("https://www.Daily-Herald.example/politics/1")
'daily-herald.example'
>>> url_site("https://amp.tidings.co.uk/a"), url_site("https://someone.github.io/b")
('tidings.co.uk', 'someone.github.io')
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import courlan
from tld import get_fld
from tld.utils import MozillaTLDSourceParser, get_tld_names

from quotes.fetching.addresses import ip_literal


def url_normalize(url: str) -> str:
    """Scheme and host lower-cased, default port, tracking parameters (utm_*, fbclid...) and fragment dropped.

    courlan (trafilatura's URL library) knows the tracking parameters; the query's
    other parameters are kept, in a fixed order.
    """
    normal = courlan.normalize_url(url.strip())
    return urlunsplit(urlsplit(normal)._replace(fragment=""))


def url_domain(url: str) -> str:
    """The host an outlet is known by: lower-case, without ``www.`` and the port."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    return host.removeprefix("www.")


class _BundledSuffixes(MozillaTLDSourceParser):
    """The Public Suffix List that the ``tld`` package ships (private domains included).

    Never downloaded: ``tld`` fetches the list from the network when its copy cannot be
    read; this parser refuses to, so a worker never makes a request nobody checked, and
    a missing list only makes url_site fall back to its default rule.
    """

    uid = "quotetracker_bundled"

    @classmethod
    def update_tld_names(cls, fail_silently: bool = False) -> bool:
        return False


def url_site(url: str) -> str:
    """The site ``url`` is on: its host's registrable domain (the Public Suffix List's), or the host.

    Hosts under one registrable domain are one outlet's (``www.``, ``amp.``, ``m.`` of
    ``tidings.co.uk``); hosts under a shared suffix are not (``a.github.io`` and
    ``b.github.io`` are two people's, the list's private section says so). A suffix the
    list does not know counts as one label, as the list's own default rule ``*`` says.
    An IP address, or a name of one label, is its own site.
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host or "." not in host or ip_literal(host) is not None:
        return host
    found = None
    if get_tld_names(fail_silently=True, parser_class=_BundledSuffixes) is not None:  # None: no list
        found = get_fld(host, fix_protocol=True, fail_silently=True, parser_class=_BundledSuffixes)
    return found or ".".join(host.split(".")[-2:])


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one site (url_site).

    >>> same_site("https://www.news.example/a", "http://amp.news.example/b")
    True
    >>> same_site("https://news.example/a", "https://news.example.evil.example/a")
    False
    """
    site = url_site(url)
    return bool(site) and site == url_site(other)
