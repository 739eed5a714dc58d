"""A URL's normal form: what makes two links to one story the same article.

>>> url_normalize("HTTPS://News.Example.COM:443/a/b?utm_source=x&id=3&fbclid=abc#comments")
'https://news.example.com/a/b?id=3'
>>> url_domain("https://www.Daily-Herald.example/politics/1")
'daily-herald.example'
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import courlan


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
