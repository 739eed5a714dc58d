"""`manage.py requeue_stale_extractions [--minutes N]`: queue again articles stuck pending or running.

Celery beat runs the same sweep every EXTRACTION_REQUEUE_INTERVAL seconds (the
task quotes.requeue_stale_extractions); this is for doing it by hand, after a
broker outage say. Safe at any time, since extraction is idempotent.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quotes.services.articles import article_extractions_requeue_stale


class Command(BaseCommand):
    help = "Queue again the extraction of articles left pending or running for N minutes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes", type=int, default=settings.EXTRACTION_STALE_MINUTES,
            help="how long counts as stuck (default: the EXTRACTION_STALE_MINUTES setting)",
        )

    def handle(self, *args, minutes: int, **options):
        if minutes < 1:
            raise CommandError("--minutes must be at least 1")
        ids = article_extractions_requeue_stale(older_than=datetime.timedelta(minutes=minutes))
        self.stdout.write(f"{len(ids)} article(s) queued again" + (f": {ids}" if ids else ""))
