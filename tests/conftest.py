"""Shared fixtures: API clients and users."""

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
