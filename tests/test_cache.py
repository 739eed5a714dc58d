"""quotetracker/cache.py: the database cache's add() stores a value only where none is alive."""

import pytest
from django.core.cache import caches

from quotetracker import settings as project_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache(settings):
    # What settings.py gives a deployment without CACHE_URL (tests/test_settings.py checks it).
    settings.CACHES = {"default": project_settings.DATABASE_CACHE}
    store = caches["default"]
    store.clear()
    return store


def test_add_stores_a_new_key_and_leaves_a_live_one_alone(cache):
    assert cache.add("slot", "first", timeout=60) is True
    assert cache.add("slot", "second", timeout=60) is False
    assert cache.get("slot") == "first"


def test_add_replaces_an_expired_value(cache):
    cache.set("slot", "dead worker", timeout=-1)  # stored, already expired
    assert cache.add("slot", {"token": 2}, timeout=60) is True
    assert cache.get("slot") == {"token": 2}


def test_add_without_a_timeout_never_expires_and_the_rest_is_djangos(cache):
    assert cache.add("forever", 1, timeout=None) is True
    assert cache.add("forever", 2, timeout=None) is False
    cache.set("forever", 3)
    assert cache.get("forever") == 3
    cache.delete("forever")
    assert cache.add("forever", 4, timeout=1) is True and cache.get("forever") == 4


def test_a_crowd_of_clients_does_not_push_a_hosts_fetch_slot_out_of_the_cache(cache):
    # Past MAX_ENTRIES every set() culls a third of the table, first keys first: ":1:fetch:..."
    # before ":1:throttle_...". Django's 300 let 300 clients' throttle counters free every slot.
    assert cache.add("fetch:slot:ledger.example:0", "a worker", timeout=60)
    for n in range(400):
        cache.set(f"throttle_anon_198.51.{n // 256}.{n % 256}", [1.0], timeout=60)
    assert cache.get("fetch:slot:ledger.example:0") == "a worker"
