"""`manage.py ensure_local_admin`: a staff login for local development, printed.

The password is random, made once per database and kept under var/ (never in
the repository); refused in production, where admins are made on purpose.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (once) and print a local superuser login for development."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        if settings.PRODUCTION:
            raise CommandError("refusing to create a default admin in production; use createsuperuser")
        # One file per database: SQLite and PostgreSQL runs each have their own admin.
        db = settings.DATABASES["default"]
        key = hashlib.sha256(f"{db['ENGINE']}|{db.get('HOST')}|{db['NAME']}".encode()).hexdigest()[:12]
        secret_file = settings.VAR_DIR / f"local-admin-{key}.txt"
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None or not secret_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                User.objects.create_superuser(username=username, email="", password=password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            secret_file.write_text(password, encoding="utf-8")
            secret_file.chmod(0o600)
            user = User.objects.get(username=username)
        password = secret_file.read_text(encoding="utf-8").strip()
        if not user.check_password(password):
            self.stdout.write(f"admin login: {username} (password changed since it was made; use yours)")
            return
        self.stdout.write(f"admin login: {username} / {password}")
