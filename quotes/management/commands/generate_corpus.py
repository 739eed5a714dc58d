"""`manage.py generate_corpus --statements N [--seed S] [--replace]`: an invented corpus at scale.

Fills the configured database with invented speakers, outlets, articles,
statements and appearances shaped like a real one (quotes/corpus.py says how),
for benchmarks. Refuses a database that holds real data; ``--replace`` first
deletes a corpus made before. PostgreSQL takes any N; other databases only small ones.

    manage.py generate_corpus --statements 1000000 --seed 1
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from quotes import corpus

# Row-by-row INSERTs (databases other than PostgreSQL) are fine up to about this many statements.
SLOW_PATH_LIMIT = 20_000


class Command(BaseCommand):
    help = "Fill the database with an invented corpus of N statements (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, default=1_000_000, help="how many statements (1000000)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same corpus (1)")
        parser.add_argument("--articles", type=int, help="how many articles (N / 5)")
        parser.add_argument("--speakers", type=int, help="how many speakers (N / 500, at least 20)")
        parser.add_argument("--replace", action="store_true", help="delete a corpus generated before")

    def handle(self, *args, statements, seed, articles, speakers, replace, verbosity=1, **options):
        self.verbosity = verbosity
        if statements < 1:
            raise CommandError("--statements must be at least 1")
        if connection.vendor != "postgresql" and statements > SLOW_PATH_LIMIT:
            raise CommandError(f"more than {SLOW_PATH_LIMIT} statements needs PostgreSQL (DATABASE_URL)")
        shape = corpus.CorpusShape.for_statements(statements, articles=articles, speakers=speakers)
        started = time.monotonic()
        try:
            corpus.corpus_generate(shape=shape, seed=seed, replace=replace, progress=self._progress)
        except corpus.CorpusRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"generated {shape.statements} statements, {shape.appearances} appearances, "
            f"{shape.articles} articles, {shape.speakers} speakers, {shape.outlets} outlets "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _progress(self, message: str) -> None:
        if self.verbosity > 1:
            self.stderr.write(f"{time.strftime('%H:%M:%S')} {message}")
