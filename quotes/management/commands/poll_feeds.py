"""`manage.py poll_feeds [--all]`: poll the due feeds now, in this process (beat's round, at once)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quotes import selectors
from quotes.fetching import HostBusy
from quotes.services.feeds import FEEDS_PER_ROUND, feed_poll


class Command(BaseCommand):
    help = "Poll the feeds that are due (every active one with --all); their new entries are queued to fetch."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every active feed, due or not")

    def handle(self, *args, all: bool, **options):  # noqa: A002 - the option's name
        now = timezone.now()
        feed_ids = selectors.feed_ids_due(now=None if all else now, limit=FEEDS_PER_ROUND)
        total = 0
        for feed_id in feed_ids:
            try:
                new = feed_poll(feed_id=feed_id)
            except HostBusy as exc:
                self.stderr.write(f"feed {feed_id}: not polled now ({exc})")
                continue
            total += new
            self.stdout.write(f"feed {feed_id}: {new} new article(s)")
        self.stdout.write(f"{len(feed_ids)} feed(s) polled, {total} new article(s) queued to fetch")
