"""An article page to an article: its main text and metadata, by trafilatura (and htmldate).

Pure: bytes in, a Page out; no network, no Django. The text is what trafilatura keeps of
the story (navigation, related links, cookie banners, comments and scripts left out).
"""

from __future__ import annotations

import dataclasses
import datetime

import htmldate
import trafilatura
from trafilatura.settings import use_config

from quotes.fetching.urls import same_site, url_normalize

# Trafilatura's default config has a per-document time-out built on signals, which only the
# main thread may use: a Celery worker's pool process is fine, a thread is not. Off here;
# the task's time limit bounds it instead.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


# A page whose text has no paragraph this long is a section front or a list of links.
MIN_PARAGRAPH_WORDS = 10


@dataclasses.dataclass(frozen=True)
class Page:
    text: str
    title: str
    author: str
    published: datetime.date | None
    outlet: str
    canonical_url: str | None


def html_decode(body: bytes, charset: str | None) -> str:
    """The page's text: the charset the server declared, else what trafilatura's detection finds."""
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return trafilatura.utils.decode_file(body)


def page_extract(html: str, *, url: str) -> Page:
    """The story on ``html`` (fetched from ``url``); ``text`` is empty when none is found.

    ``published`` is trafilatura's date, else htmldate's original-date search, else None:
    left unknown rather than guessed. ``canonical_url`` is the page's rel=canonical or
    og:url, normalised, if it names an http(s) page on the same site as ``url``
    (quotes.fetching.urls.url_site): a page may say which of its own site's URLs is the
    story's, not take another site's URL, and with it that story's identity.
    """
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=False, config=_CONFIG,
    )
    if document is None:
        return Page("", "", "", None, "", None)
    text = (document.text or "").strip()
    if not any(len(line.split()) >= MIN_PARAGRAPH_WORDS for line in text.splitlines()):
        text = ""  # menus and link lists, no story
    published = _date(document.date) or _date(
        htmldate.find_date(html, url=url, original_date=True, extensive_search=False)
    )
    canonical = document.url if document.url and document.url != url else None
    if canonical and not (canonical.startswith(("http://", "https://")) and same_site(canonical, url)):
        canonical = None
    return Page(
        text=text,
        title=(document.title or "").strip(),
        author=(document.author or "").strip(),
        published=published,
        outlet=(document.sitename or "").strip(),
        canonical_url=url_normalize(canonical) if canonical else None,
    )


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
