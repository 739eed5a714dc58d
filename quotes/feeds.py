"""Atom feeds (django.contrib.syndication): a speaker's newest statements, and a search's.

    /speakers/<slug>/feed/          the speaker's statements a timeline shows, newest first
    /search/feed/?q=...&kind=...    what the search page finds, best match first (newest without words)

Each feed is one page of FEED_SIZE entries, read like the pages are (quotes.selectors, an
index range): a feed reader polls often, so nothing here counts or ranks beyond that page.
A bad filter is a 400, never a 500.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.core.exceptions import BadRequest
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language

from quotes import selectors
from quotes.models import Speaker, Statement
from quotes.templatetags import quotes_extras

FEED_SIZE = 30


class StatementFeed(Feed):
    """What every statement feed shares: an entry per statement (selectors.feed_rows()), linked to its page.

    ``items(obj)`` returns plain rows, and get_feed() writes each entry from its row in one
    loop: the syndication framework's own loop looks up and introspects a dozen ``item_*``
    attributes per entry, which cost more than reading the rows. The feed it writes is the
    framework's Atom feed, entry for entry.
    """

    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        site = get_current_site(request)
        secure = request.is_secure()
        feed = self.feed_type(
            title=self.title(obj), subtitle=self.subtitle(obj), description=None, language=get_language(),
            link=add_domain(site.domain, self.link(obj), secure),
            feed_url=add_domain(site.domain, request.path, secure),
        )
        # Every entry's link is the statement page's URL: its pattern reversed once, the id put in.
        page = add_domain(site.domain, reverse("quotes:statement", args=[0]), secure)
        prefix, suffix = page.rsplit("/0/", 1)
        kinds = dict(Statement.Kind.choices)
        dates: dict[tuple, str] = {}
        for row in self.items(obj):
            text = row["text"]
            day = (row["said_on"], row["said_on_precision"])
            when = dates.get(day) or dates.setdefault(day, quotes_extras.said_on(*day))
            link = f"{prefix}/{row['id']}/{suffix}"
            feed.add_item(
                title=f"{', '.join(row['speakers']) or 'Unknown speaker'}: {text[:120]}",
                link=link, unique_id=link,
                description=f"{text} ({kinds.get(row['kind'], row['kind'])}, {when})",
                pubdate=row["first_reported_at"], updateddate=row["updated_at"],
            )
        return feed

    def subtitle(self, obj) -> str | None:
        return None

    # What Feed.__call__ asks for to send Last-Modified (the entries' dates are in get_feed()).
    def item_pubdate(self, item: dict):
        return item["first_reported_at"]

    def item_updateddate(self, item: dict):
        return item["updated_at"]


class SpeakerFeed(StatementFeed):
    """``/speakers/<slug>/feed/``: the statements the speaker's timeline shows, newest date first."""

    def get_object(self, request, slug: str) -> Speaker:
        speaker = selectors.speaker_by_slug(slug=slug)
        if speaker is None:
            raise Http404("No such speaker.")
        return speaker

    def title(self, obj: Speaker) -> str:
        return f"{obj.name}: statements on QuoteTracker"

    def link(self, obj: Speaker) -> str:
        return reverse("quotes:speaker-timeline", args=[obj.slug])

    def subtitle(self, obj: Speaker) -> str:
        return f"What {obj.name} said, newest first, with the articles that reported it."

    def items(self, obj: Speaker) -> list[dict]:
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

    def items(self, obj) -> list[dict]:
        return selectors.statements_found(obj.qs, limit=FEED_SIZE, walk_limit=settings.SPEAKER_WALK_LIMIT)
