"""Accounts: the one login QuoteTracker makes by itself, for a newcomer's local run.

Production admins are made on purpose (``createsuperuser``); this refuses there.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from quotes.errors import InvalidInput


@dataclass(frozen=True)
class LocalAdmin:
    """The login to print; ``password`` is None when someone changed it since it was made."""

    username: str
    password: str | None


def _secret_file() -> Path:
    # One file per database: SQLite and PostgreSQL runs each have their own admin.
    db = settings.DATABASES["default"]
    key = hashlib.sha256(f"{db['ENGINE']}|{db.get('HOST')}|{db['NAME']}".encode()).hexdigest()[:12]
    return settings.VAR_DIR / f"local-admin-{key}.txt"


@transaction.atomic
def local_admin_ensure(*, username: str = "admin") -> LocalAdmin:
    """Create (once) a superuser with a random password kept under var/, never in the repository.

    Idempotent: the same login every time for one database. Raises InvalidInput in production.
    """
    if settings.PRODUCTION:
        raise InvalidInput("refusing to create a default admin in production; use createsuperuser")
    secret_file = _secret_file()
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None or not secret_file.exists():
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_superuser(username=username, email="", password=password)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        secret_file.write_text(password, encoding="utf-8")
        secret_file.chmod(0o600)
    password = secret_file.read_text(encoding="utf-8").strip()
    return LocalAdmin(username, password if user.check_password(password) else None)
