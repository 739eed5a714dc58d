"""`manage.py load_seed_articles`: submit the articles listed in fixtures/seed_articles.json.

They go through the same path as any article (article_submit), so extraction
is queued for the worker; articles already stored are skipped.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quotes.errors import DuplicateArticle
from quotes.services.articles import article_submit


class Command(BaseCommand):
    help = "Submit the seed articles from fixtures/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--manifest",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures" / "seed_articles.json",
        )

    def handle(self, *args, manifest: Path, **options):
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {manifest}: {exc}") from exc
        for entry in entries:
            path = manifest.parent / entry["file"]
            try:
                article = article_submit(
                    title=entry["title"],
                    text=path.read_text(encoding="utf-8"),
                    published_at=datetime.date.fromisoformat(entry["published"]),
                    url=entry.get("url"),
                    outlet=entry.get("outlet"),
                    author=entry.get("author") or "",
                )
            except DuplicateArticle as exc:
                self.stdout.write(
                    f"{entry['file']}: already stored as article {exc.details.get('article_id')}"
                )
                continue
            except (OSError, KeyError, ValueError) as exc:
                raise CommandError(f"{entry.get('file')}: {exc}") from exc
            self.stdout.write(f"{entry['file']}: article {article.pk} stored; extraction queued")
