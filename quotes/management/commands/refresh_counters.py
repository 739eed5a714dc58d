"""`manage.py refresh_counters [--check]`: recompute the stored counts and the timeline's copies.

Run it after changing TIMELINE_MIN_CONFIDENCE (what a timeline shows by default),
or to repair. ``--check`` only reports what differs and exits non-zero if anything does.
"""

from django.core.management.base import BaseCommand, CommandError

from quotes.services.counters import counters_audit, counters_refresh_all


class Command(BaseCommand):
    help = "Recompute statement, article and speaker counts and the speaker timeline copies."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="report differences, change nothing")

    def handle(self, *args, check: bool, **options):
        if check:
            wrong = counters_audit()
            for line in wrong[:50]:
                self.stdout.write(line)
            if wrong:
                raise CommandError(f"{len(wrong)} stored value(s) differ from a fresh count")
            self.stdout.write("all counts match")
            return
        visited = counters_refresh_all()
        self.stdout.write(f"refreshed the counts of {visited} statement(s)")
