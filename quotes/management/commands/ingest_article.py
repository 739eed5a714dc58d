"""`manage.py ingest_article FILE --published YYYY-MM-DD`: store an article and queue its extraction."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quotes.errors import QuoteTrackerError
from quotes.services.articles import article_submit


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--published must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Store an article from a UTF-8 text file and queue its extraction."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--published", required=True, help="publication date, YYYY-MM-DD")
        parser.add_argument("--title", help="defaults to the file's first line")
        parser.add_argument("--url")
        parser.add_argument("--outlet")
        parser.add_argument("--author", default="")

    def handle(self, *args, file: Path, published: str, title, url, outlet, author, **options):
        day = _date(published)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        title = title or text.strip().split("\n", 1)[0][:200] or file.stem
        try:
            article = article_submit(
                title=title, text=text, published_at=day, url=url, outlet=outlet, author=author,
            )
        except QuoteTrackerError as exc:
            details = "".join(f" ({k}={v})" for k, v in exc.details.items())
            raise CommandError(f"{exc.message}{details}") from exc
        self.stdout.write(f"article {article.pk} stored; extraction queued")
