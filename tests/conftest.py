"""Shared fixtures: API clients and users, and a test database of our own."""

import os

import pytest


def _client(user=None):
    # Imported here so the pure engine tests can run without Django (-p no:django).
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


@pytest.fixture
def api_client():
    return _client()


@pytest.fixture
def staff_user(db):
    from tests.factories import StaffFactory

    return StaffFactory()


@pytest.fixture
def staff_client(staff_user):
    return _client(staff_user)


@pytest.fixture
def user_client(db):
    from tests.factories import UserFactory

    return _client(UserFactory())


@pytest.fixture(autouse=True)
def _no_throttle_cache_leak():
    # Throttle counters live in the cache; clear it so tests do not throttle each other.
    from django.conf import settings

    if settings.configured:  # not under -p no:django
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """Give each test run its own PostgreSQL test database.

    Several runs on one server (developers, CI, a worker under test) must
    not drop each other's database; the name ends with the process id.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_{os.getpid()}"


@pytest.fixture
def web(settings):
    """A local HTTP server (tests/fetch_server.py) that fetches may reach: only 127.0.0.1 is allowed."""
    from tests.fetch_server import FixtureServer

    settings.FETCH_ALLOW_NETWORKS = ["127.0.0.1"]
    settings.FETCH_PER_HOST_DELAY_MS = 1
    with FixtureServer() as server:
        yield server


@pytest.fixture
def test_hosts(monkeypatch):
    """Host names that fetches resolve to a test's addresses: ``test_hosts["news.example"] = "127.0.0.1"``.

    A stub resolver in the fetch policy the settings make (quotes.fetching); a name not in the
    table does not resolve, so no test ever asks the real DNS.
    """
    from quotes import fetching

    table: dict[str, str] = {}
    real = fetching.policy_from_settings

    def resolve(host, port):
        if host not in table:
            raise OSError(f"{host} is not a test host")
        return [table[host]]

    monkeypatch.setattr(fetching, "policy_from_settings", lambda **kwargs: real(resolver=resolve, **kwargs))
    return table


@pytest.fixture
def loopback_port():
    """A free TCP port on 127.0.0.1 for a server a test starts.

    Taken from QUOTETRACKER_TEST_PORTS ("8750-8759") when set, so runs that share a machine
    keep to their own ports; otherwise the system picks one.
    """
    import socket

    first, _, last = os.environ.get("QUOTETRACKER_TEST_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    pytest.skip("no free port in QUOTETRACKER_TEST_PORTS")
