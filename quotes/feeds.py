"""Atom feeds (django.contrib.syndication): a speaker's newest statements, and a search's.

    /speakers/<slug>/feed/          the speaker's statements a timeline shows, newest first
    /search/feed/?q=...&kind=...    what the search page finds, best match first (newest without words)

Each feed is one page of FEED_SIZE entries, read like the pages are (quotes.selectors, an
index range): a feed reader polls often, so nothing here counts or ranks beyond that page.
A bad filter is a 400, never a 500.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from quotes import selectors
from quotes.models import Speaker, Statement
from quotes.templatetags import quotes_extras

FEED_SIZE = 30


class StatementFeed(Feed):
    """What every statement feed shares: an entry per statement, linked to its page."""

    feed_type = Atom1Feed

    def item_title(self, item: Statement) -> str:
        who = ", ".join(s.name for s in item.speakers.all()) or "Unknown speaker"
        return f"{who}: {item.text[:120]}"

    def item_description(self, item: Statement) -> str:
        when = quotes_extras.said_on(item.said_on, item.said_on_precision)
        return f"{item.text} ({item.get_kind_display()}, {when})"

    def item_link(self, item: Statement) -> str:
        return reverse("quotes:statement", args=[item.pk])

    def item_pubdate(self, item: Statement):
        return item.first_reported_at

    def item_updateddate(self, item: Statement):
        return item.updated_at


class SpeakerFeed(StatementFeed):
    """``/speakers/<slug>/feed/``: the statements the speaker's timeline shows, newest date first."""

    def get_object(self, request, slug: str) -> Speaker:
        return get_object_or_404(selectors.speaker_refs(), slug=slug)

    def title(self, obj: Speaker) -> str:
        return f"{obj.name}: statements on QuoteTracker"

    def link(self, obj: Speaker) -> str:
        return reverse("quotes:speaker-timeline", args=[obj.slug])

    def subtitle(self, obj: Speaker) -> str:
        return f"What {obj.name} said, newest first, with the articles that reported it."

    def items(self, obj: Speaker) -> list[Statement]:
        return selectors.speaker_feed(speaker=obj, min_confidence=settings.TIMELINE_MIN_CONFIDENCE,
                                      limit=FEED_SIZE)


class SearchFeed(StatementFeed):
    """``/search/feed/?q=...``: the search page's results (the same filters), one page of them."""

    def get_object(self, request):
        from quotes.api.filters import StatementFilter

        found = StatementFilter(request.GET, queryset=selectors.statement_cards(), request=request)
        if not found.is_valid():
            raise BadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in found.errors.items()))
        return found  # one per request: the feed object itself is shared by every request

    def title(self, obj) -> str:
        words = obj.form.cleaned_data.get("q") or "every statement"
        return f"QuoteTracker search: {words}"

    def link(self, obj) -> str:
        return f"{reverse('quotes:search')}?{obj.data.urlencode()}"

    def items(self, obj) -> list[Statement]:
        return selectors.statements_found(obj.qs, limit=FEED_SIZE)
