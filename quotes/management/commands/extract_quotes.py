"""`manage.py extract_quotes [--published YYYY-MM-DD] FILE...`: run only the engine, print JSON lines.

One line per statement in the format ../shared/bench/score_attributions.py
reads; nothing is stored.
"""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quotes import extraction
from quotes.extraction.jsonl import attribution_to_json, scored


class Command(BaseCommand):
    help = "Extract statements from text files and print one JSON line per statement."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--published", help="publication date of the files, YYYY-MM-DD")

    def handle(self, *args, files, published, **options):
        try:
            day = datetime.date.fromisoformat(published) if published else None
        except ValueError as exc:
            raise CommandError(f"--published must be YYYY-MM-DD, not {published!r}") from exc
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
            try:
                attributions = extraction.extract(text, published=day)
            except extraction.ExtractionError as exc:
                raise CommandError(f"{path}: {exc}") from exc
            except extraction.EngineUnavailable as exc:  # the install's fault, not the file's
                raise CommandError(f"the extraction engine cannot run: {exc}") from exc
            for attribution in scored(attributions):
                row = attribution_to_json(path.stem, attribution, text)
                self.stdout.write(json.dumps(row, ensure_ascii=False))
