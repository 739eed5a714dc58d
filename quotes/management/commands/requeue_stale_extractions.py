"""`manage.py requeue_stale_extractions [--minutes N]`: queue again articles stuck pending or running.

Run it from cron (or by hand after a broker outage); it is safe to run at any
time, since extraction is idempotent.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from quotes.services.articles import article_extractions_requeue_stale


class Command(BaseCommand):
    help = "Queue again the extraction of articles left pending or running for N minutes."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=15, help="how long counts as stuck (default 15)")

    def handle(self, *args, minutes: int, **options):
        if minutes < 1:
            raise CommandError("--minutes must be at least 1")
        ids = article_extractions_requeue_stale(older_than=datetime.timedelta(minutes=minutes))
        self.stdout.write(f"{len(ids)} article(s) queued again" + (f": {ids}" if ids else ""))
