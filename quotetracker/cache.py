"""Django's database cache, with an ``add`` that two processes cannot both win.

The cache without CACHE_URL (settings.CACHES) is a table every process shares: the
throttles' counters and the fetchers' per-host slots and delays (quotes.fetching) live
there. Those slots are taken with ``cache.add``, which must succeed for one caller only.
Django's ``add`` reads the row, then inserts it, or updates it when it has expired: two
processes finding the same expired row (a dead worker's slot, a past delay) both update it
and both are told they have it. Here ``add`` is one statement, an INSERT that updates the
stored row only if it has expired (``ON CONFLICT ... DO UPDATE ... WHERE``, PostgreSQL and
SQLite): the database decides, a second caller waits for the first's row and then finds it
alive. Everything else is Django's.
"""

from __future__ import annotations

import base64
import datetime
import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    """The database cache (settings.CACHES); ``add`` is atomic, whoever else asks at once."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        """Store ``value`` under ``key`` unless a live value is there; True when stored.

        Example: ``cache.add("fetch:slot:news.example:0", token, timeout=30)``.
        """
        key = self.make_and_validate_key(key, version=version)
        expiry = self.get_backend_timeout(timeout)  # seconds since the epoch; None: never (as Django's)
        if expiry is None:
            expires = datetime.datetime.max
        else:
            expires = datetime.datetime.fromtimestamp(expiry, tz=datetime.UTC)
        connection = connections[router.db_for_write(self.cache_model_class)]
        q = connection.ops.quote_name
        table, key_, value_, expires_ = q(self._table), q("cache_key"), q("value"), q("expires")
        sql = (
            f"INSERT INTO {table} ({key_}, {value_}, {expires_}) VALUES (%s, %s, %s) "  # noqa: S608 - quoted names
            f"ON CONFLICT ({key_}) DO UPDATE "
            f"SET {value_} = excluded.{value_}, {expires_} = excluded.{expires_} "
            f"WHERE {table}.{expires_} < %s RETURNING {key_}"
        )
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, pickled, adapt(expires), adapt(timezone.now())])
            return cursor.fetchone() is not None
