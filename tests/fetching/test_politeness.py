"""quotes.fetching: politeness (User-Agent, per-host cap and delay) and the settings' policy."""

import ipaddress
import time

import pytest

from quotes.fetching import HostBusy, host_slot, policy_from_settings, user_agent


def test_the_user_agent_names_the_project_and_the_contact(settings):
    settings.FETCH_CONTACT = "https://quotes.example/about"
    assert user_agent() == "QuoteTracker/0.1 (+https://quotes.example/about)"
    settings.FETCH_CONTACT = ""
    assert user_agent() == "QuoteTracker/0.1"


def test_at_most_n_fetches_per_host_at_once(settings):
    settings.FETCH_PER_HOST_CONCURRENCY, settings.FETCH_PER_HOST_DELAY_MS = 2, 1
    with host_slot("a.example"):
        time.sleep(0.01)  # past the delay between two starts
        with host_slot("a.example"):
            time.sleep(0.01)
            with pytest.raises(HostBusy, match="already has 2"), host_slot("a.example"):
                pass
            with host_slot("b.example"):  # another host has slots of its own
                pass
    time.sleep(0.01)
    with host_slot("a.example"):  # freed when they end
        pass


def test_a_delay_between_two_fetches_of_a_host(settings):
    settings.FETCH_PER_HOST_DELAY_MS = 60_000
    with host_slot("slow.example"):
        pass
    with pytest.raises(HostBusy, match="less than 60 s ago"), host_slot("slow.example"):
        pass


def test_the_allow_list_setting_holds_addresses_networks_and_names(settings):
    settings.FETCH_ALLOW_NETWORKS = ["127.0.0.1", "10.20.0.0/16", "Wiki.Intranet.Example", "::1"]
    settings.FETCH_ALLOWED_PORTS = [80, 443, 8443]
    policy = policy_from_settings()
    assert ipaddress.ip_address("10.20.3.4") in policy.allowed_networks[1]
    assert policy.allowed_hosts == frozenset({"wiki.intranet.example"})
    assert policy.ports == frozenset({80, 443, 8443})


def test_by_default_nothing_is_allowed_despite_the_rules():
    policy = policy_from_settings()
    assert policy.allowed_networks == () and policy.allowed_hosts == frozenset()
    assert policy.ports == frozenset({80, 443}) and policy.max_bytes == 5 * 1024 * 1024
