"""`manage.py ingest_url URL`: store an article by its URL; a worker fetches the page and extracts it."""

from django.core.management.base import BaseCommand, CommandError

from quotes.errors import QuoteTrackerError
from quotes.services.articles import article_submit_url


class Command(BaseCommand):
    help = "Store an article known by its URL; a Celery worker fetches its page, then extracts it."

    def add_arguments(self, parser):
        parser.add_argument("url")

    def handle(self, *args, url: str, **options):
        try:
            article = article_submit_url(url=url)
        except QuoteTrackerError as exc:
            details = "".join(f" ({k}={v})" for k, v in exc.details.items() if k != "errors")
            raise CommandError(f"{exc.message}{details}") from exc
        self.stdout.write(f"article {article.pk} stored ({article.url}); fetch queued")
