"""`manage.py import_wikidata FILE.json [...]`: speakers, aliases and roles from Wikidata entity files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quotes.errors import QuoteTrackerError
from quotes.services.wikidata import wikidata_file_import


class Command(BaseCommand):
    help = "Import speakers from Special:EntityData/Q….json files (offline, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE.json")

    def handle(self, *args, files: list[Path], **options):
        for path in files:
            try:
                speakers = wikidata_file_import(path=path)
            except QuoteTrackerError as exc:
                raise CommandError(exc.message) from exc
            for speaker in speakers:
                self.stdout.write(f"{speaker.wikidata_qid}\t{speaker.name}")
