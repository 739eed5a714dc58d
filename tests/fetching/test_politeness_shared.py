"""The per-host politeness limits are one for every worker: kept in the cache a deployment runs.

The tests' own cache is in memory (quotetracker/settings_test.py); these use the real store,
the database cache table (no CACHE_URL, the default) or Redis (CACHE_URL), from two processes
or two connections, as two workers would.
"""

import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from quotetracker import settings as project_settings
from tests.integration.processes import ROOT, database_url

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_CACHE = {"default": project_settings.DATABASE_CACHE}  # settings.py's, without CACHE_URL


REDIS_BACKEND = "django_redis.cache.RedisCache"


def redis_url() -> str:
    url = os.environ.get("CACHE_URL") or settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.skip("no Redis: set CACHE_URL or CELERY_BROKER_URL=redis://... (make test does)")
    return url


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """The cache a deployment runs, database or Redis, here and for the processes a test starts."""
    if connection.vendor != "postgresql":
        pytest.skip("two processes need a database server they can share with the test")
    if request.param == "redis":
        # A prefix of this test's own: the Redis database may be shared (never cleared here).
        url, prefix = redis_url(), f"qt-test-{uuid.uuid4().hex}"
        settings.CACHES = {"default": {**project_settings.CACHES["default"], "BACKEND": REDIS_BACKEND,
                                       "LOCATION": url, "KEY_PREFIX": prefix}}
        env = {"CACHE_URL": url, "CACHE_KEY_PREFIX_FOR_TEST": prefix}
    else:
        settings.CACHES = DATABASE_CACHE
        env = {"CACHE_URL": "", "REDIS_URL": "", "CACHE_KEY_PREFIX_FOR_TEST": ""}
    settings.FETCH_PER_HOST_CONCURRENCY, settings.FETCH_PER_HOST_DELAY_MS = 1, 1
    return {**env, "FETCH_PER_HOST_CONCURRENCY": "1", "FETCH_PER_HOST_DELAY_MS": "1"}


TRY_A_SLOT = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "quotetracker.settings"
django.setup()
from django.conf import settings
prefix = os.environ["CACHE_KEY_PREFIX_FOR_TEST"]
if prefix:
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
from quotes.fetching import HostBusy, host_slot
try:
    with host_slot(sys.argv[1]):
        print("fetched")
except HostBusy as busy:
    print("busy:", busy)
"""


def another_worker(host: str, env: dict[str, str]) -> str:
    """What another worker process, on the same settings, is told when it asks for a slot of ``host``."""
    done = subprocess.run(
        [sys.executable, "-c", TRY_A_SLOT, host], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": database_url(), **env},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_hosts_slots_are_shared_with_another_worker_process(store):
    from quotes.fetching import host_slot

    with host_slot("ledger.example"):
        assert another_worker("ledger.example", store).startswith("busy: ledger.example already has 1")
        time.sleep(0.01)
        assert another_worker("quay.example", store) == "fetched"  # another host has its own
    time.sleep(0.01)
    assert another_worker("ledger.example", store) == "fetched"  # freed when the fetch ends


def test_the_delay_between_two_fetches_of_a_host_is_shared_with_another_worker_process(store, settings):
    from quotes.fetching import host_slot

    settings.FETCH_PER_HOST_DELAY_MS = 60_000
    with host_slot("ledger.example"):
        pass
    assert another_worker("ledger.example", store).startswith("busy: ledger.example was fetched from")


def test_of_two_workers_taking_a_slot_left_expired_only_one_gets_it(settings):
    # A worker died holding the slot: its lease expired, the row is still in the cache table.
    # Two workers asking at once must not both get it (Django's add() let both win: each saw
    # the expired row, and the second's UPDATE waited for the first's, then overwrote it).
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once need a database server")
    settings.CACHES = DATABASE_CACHE
    cache = caches["default"]
    cache.set("fetch:slot:ledger.example:0", "dead worker", timeout=-1)  # stored, expired
    first_holds = threading.Event()
    won = {}

    def worker(name: str, before=None, after=None) -> None:
        store = caches.create_connection("default")  # a client of its own, on this thread's connection
        try:
            with transaction.atomic():  # the first keeps its write uncommitted a moment
                if before:
                    before.wait(10)
                won[name] = store.add("fetch:slot:ledger.example:0", name, timeout=60)
                if after:
                    after.set()
                    time.sleep(0.5)  # the second asks meanwhile, and waits on the row
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=("first", None, first_holds)),
               threading.Thread(target=worker, args=("second", first_holds, None))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(won.values()) == [False, True], won
    assert cache.get("fetch:slot:ledger.example:0") == [name for name, ok in won.items() if ok][0]
