"""The fetching settings (issue #14): from the environment, nothing allowed by default, bad ports refused."""

import pytest

from tests.test_settings import load_settings


def test_nothing_is_allowed_despite_the_address_rules_by_default():
    result = load_settings("FETCH_ALLOW_NETWORKS, settings.FETCH_ALLOWED_PORTS")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] [80, 443]"


def test_the_allow_list_and_ports_come_from_the_environment():
    result = load_settings(
        "FETCH_ALLOW_NETWORKS, settings.FETCH_ALLOWED_PORTS",
        FETCH_ALLOW_NETWORKS="127.0.0.1, 10.8.0.0/16,wiki.intranet.example",
        FETCH_ALLOWED_PORTS="80,443,8080",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', '10.8.0.0/16', 'wiki.intranet.example'] [80, 443, 8080]"


@pytest.mark.parametrize("value", ["http", "0", "70000", "80;443"])
def test_a_bad_port_list_refuses_to_start(value):
    result = load_settings(FETCH_ALLOWED_PORTS=value)
    assert result.returncode != 0
    assert "FETCH_ALLOWED_PORTS must be port numbers" in result.stderr


def test_beat_polls_the_due_feeds_every_feeds_poll_every_seconds():
    result = load_settings("CELERY_BEAT_SCHEDULE['poll-due-feeds']['schedule']", FEEDS_POLL_EVERY="30")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "30.0"
