"""The settings pytest runs on: the real ones (quotetracker/settings.py), plus what only tests want.

Everything else still comes from the environment, as in development (make test sets
DATABASE_URL and CELERY_BROKER_URL). pyproject.toml names this module for pytest-django.
"""

from quotetracker.settings import *  # noqa: F403

# Every user a test makes hashes a password; PBKDF2 would dominate the run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
