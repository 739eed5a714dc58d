"""`manage.py ensure_local_admin`: a staff login for local development, printed.

The password is random, made once per database and kept under var/ (never in
the repository); refused in production, where admins are made on purpose.
"""

from django.core.management.base import BaseCommand, CommandError

from quotes.errors import QuoteTrackerError
from quotes.services.accounts import local_admin_ensure


class Command(BaseCommand):
    help = "Create (once) and print a local superuser login for development."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        try:
            login = local_admin_ensure(username=username)
        except QuoteTrackerError as exc:
            raise CommandError(exc.message) from exc
        if login.password is None:
            self.stdout.write(f"admin login: {username} (password changed since it was made; use yours)")
            return
        self.stdout.write(f"admin login: {username} / {login.password}")
