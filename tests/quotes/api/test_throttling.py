"""Throttles count per real client address, on a cache every web process shares."""

import pytest
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from quotetracker import settings as project_settings

pytestmark = pytest.mark.django_db

LIST = "/api/speakers/"


@pytest.fixture
def two_a_minute(monkeypatch):
    rates = {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)


def _get(client, forwarded_for=None, remote="203.0.113.7"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.get(LIST, **extra)


def test_an_invented_forwarded_for_header_does_not_reset_the_count(api_client, two_a_minute):
    answers = [_get(api_client, forwarded_for=f"198.51.100.{i}").status_code for i in range(3)]
    assert answers == [200, 200, 429]


def test_behind_one_trusted_proxy_clients_are_told_apart_by_what_the_proxy_saw(
    api_client, two_a_minute, settings,
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    # What the client wrote before the proxy appended the address it saw is ignored.
    for spoof in ("1.1.1.1", "2.2.2.2"):
        assert _get(api_client, f"{spoof}, 192.0.2.10", remote=proxy).status_code == 200
    assert _get(api_client, "3.3.3.3, 192.0.2.10", remote=proxy).status_code == 429
    assert _get(api_client, "192.0.2.11", remote=proxy).status_code == 200  # another client


def test_the_counters_are_stored_where_another_process_reads_them(api_client, settings):
    settings.CACHES = project_settings.CACHES  # what a deployment runs (the tests' own is in memory)
    assert "locmem" not in settings.CACHES["default"]["BACKEND"].lower()  # N processes, N times the rate
    assert _get(api_client).status_code == 200
    another_process = caches.create_connection("default")  # a fresh client of the same store
    assert another_process.get("throttle_anon_203.0.113.7")



def test_an_anonymous_request_is_counted_once_at_the_anon_rate(api_client, monkeypatch):
    """The user rate is for signed-in users: anonymous reads are neither counted nor refused by it."""
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "100/minute", "user": "1/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    assert [_get(api_client).status_code for _ in range(3)] == [200, 200, 200]
    assert len(caches["default"].get("throttle_anon_203.0.113.7")) == 3
    assert caches["default"].get("throttle_user_203.0.113.7") is None


def test_a_signed_in_user_is_counted_by_their_id_at_the_user_rate(staff_client, staff_user, monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "1/minute", "user": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    assert [_get(staff_client).status_code for _ in range(3)] == [200, 200, 429]
    assert len(caches["default"].get(f"throttle_user_{staff_user.pk}")) == 2
    assert caches["default"].get("throttle_anon_203.0.113.7") is None
