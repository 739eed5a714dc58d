"""Template filters for the public pages: dates shown at the precision they are known.

A statement dated "some day in February 2025" is stored as 2025-02-01 with
precision "month"; printing "1 February 2025" would claim more than we know.

>>> said_on(datetime.date(2025, 2, 3), "week")
'week of 3 February 2025'
"""

from __future__ import annotations

import datetime
import functools
import json

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

UNKNOWN_DATE = "Date unknown"

# Django date-format strings per precision (week: the Monday that starts it).
_FORMATS = {"day": "j F Y", "week": "j F Y", "month": "F Y", "year": "Y"}

PRECISION_LABELS = {
    "day": "exact day",
    "week": "within the week",
    "month": "within the month",
    "year": "within the year",
    "unknown": "date unknown",
}


@register.filter
def said_on(value: datetime.date | None, precision: str) -> str:
    """Format ``value`` at ``precision``: "8 February 2025", "week of 3 February 2025",
    "February 2025", "2025"; a missing date (or precision "unknown") is "Date unknown"."""
    return said_on_label(value, precision, get_language())


def said_on_label(value: datetime.date | None, precision: str, language: str | None) -> str:
    """said_on() in ``language``: for a page that labels many dates, which asks for it once."""
    if value is None or precision not in _FORMATS:
        return UNKNOWN_DATE
    return _said_on_text(value, precision, language)


@functools.lru_cache(maxsize=4096)
def _said_on_text(value: datetime.date, precision: str, language: str | None) -> str:
    """said_on()'s label, made once per date, precision and language (a timeline page of a word
    has a heading per date: Django's date formatting, month names translated, 20-50 µs each)."""
    text = date_format(value, _FORMATS[precision])
    return f"week of {text}" if precision == "week" else text


@register.simple_tag
def published(article, date_format_string: str = "j F Y") -> str:
    """An article's publication date as a ``<time>``; one not found says so, with when it was added.

    ``published_at`` of an article whose date was not found is the time it was submitted:
    shown as that, never as its publication date.
    """
    moment = timezone.localtime(article.published_at)  # as the date filter shows it
    shown = date_format(moment, date_format_string)
    when = format_html('<time datetime="{}">{}</time>', date_format(moment, "c"), shown)
    if getattr(article, "published_known", True):
        return when
    return format_html('<span class="date-unknown">publication date not found</span> (added {})', when)


@register.filter
def precision_label(precision: str) -> str:
    """A reader's phrase for a precision: ``"month"`` becomes ``"within the month"``."""
    return PRECISION_LABELS.get(precision, precision)


@register.filter
def http_url(value: str | None) -> str:
    """``value`` if it is an http(s) URL, else "": only web addresses become links.

    Guards against ``javascript:`` and similar schemes in stored data, which
    autoescaping alone would not stop inside an ``href``.
    """
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return ""


def reported_sentence(*, text: str, speaker_as_written: str, cue: str, fallback: str = "") -> str:
    """Reported speech as the sentence it came from: who (as written) + cue + what.

    >>> reported_sentence(text="the alliance was a threat", speaker_as_written="Kim", cue="criticized")
    'Kim criticized the alliance was a threat'
    >>> reported_sentence(text="taxes will fall", speaker_as_written="", cue="", fallback="Jane Doe")
    'Jane Doe said taxes will fall'
    """
    who = speaker_as_written.strip() or fallback or "Someone"
    sentence = f"{who} {cue.strip() or 'said'} {text.strip()}"
    return sentence[:1].upper() + sentence[1:]


_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(value) -> str:
    """``value`` as JSON safe inside a ``<script type="application/ld+json">``: no ``<``, ``>`` or
    ``&`` survives, so stored text cannot close the script (as Django's json_script escapes).

    >>> str(ld_json({"text": "</script><b>"}))
    '{"text": "\\\\u003C/script\\\\u003E\\\\u003Cb\\\\u003E"}'
    """
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(_LD_ESCAPES))  # noqa: S308 - escaped
