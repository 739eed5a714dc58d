"""Shared fixtures: API clients and users, and a test database of our own."""

import os

import pytest
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_user(db):
    return StaffFactory()


@pytest.fixture
def staff_client(staff_user):
    client = APIClient()
    client.force_authenticate(user=staff_user)
    return client


@pytest.fixture
def user_client(db):
    client = APIClient()
    client.force_authenticate(user=UserFactory())
    return client


@pytest.fixture(autouse=True)
def _no_throttle_cache_leak(settings):
    # Throttle counters live in the cache; clear it so tests do not throttle each other.
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
