"""`manage.py add_feed URL [--outlet NAME] [--interval SECONDS]`: follow a feed (polled by Celery beat)."""

from django.core.management.base import BaseCommand, CommandError

from quotes.errors import QuoteTrackerError
from quotes.services.articles import outlet_get_or_create
from quotes.services.feeds import feed_add


class Command(BaseCommand):
    help = "Follow an RSS or Atom feed: its new entries become articles, fetched and extracted."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--outlet", help="the outlet that publishes it (created if new)")
        parser.add_argument("--interval", type=int, help="seconds between polls (default FEED_POLL_INTERVAL)")

    def handle(self, *args, url: str, outlet, interval, **options):
        try:
            feed = feed_add(
                url=url, poll_interval=interval,
                outlet=outlet_get_or_create(name=outlet) if outlet else None,
            )
        except QuoteTrackerError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"feed {feed.pk} added ({feed.url}); polled every {feed.poll_interval} s")
