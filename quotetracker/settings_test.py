"""The settings pytest runs on: the real ones (quotetracker/settings.py), plus what only tests want.

Everything else still comes from the environment, as in development (make test sets
DATABASE_URL and CELERY_BROKER_URL). pyproject.toml names this module for pytest-django.
"""

from quotetracker.settings import *  # noqa: F403

# Every user a test makes hashes a password; PBKDF2 would dominate the run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The query-count tests measure the application's own reads: the throttles' counters, in a
# database table without CACHE_URL, would add their queries to every request. Tests keep them
# in memory; tests/quotes/api/test_throttling.py checks the real store (settings.CACHES).
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
