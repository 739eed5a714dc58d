"""quotetracker/cache.py: the database cache's add() stores a value only where none is alive."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db
BACKEND = "quotetracker.cache.DatabaseCache"


@pytest.fixture
def cache(settings):
    # What settings.py gives a deployment without CACHE_URL (tests/test_settings.py checks it).
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": "quotetracker_cache"}}
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
