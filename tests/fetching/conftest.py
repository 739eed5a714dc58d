"""Fixtures of the fetching tests."""

import pytest
import urllib3.util.connection


@pytest.fixture
def connections(monkeypatch):
    """Every address a connection is opened to (urllib3's one way of opening them)."""
    opened = []
    real = urllib3.util.connection.create_connection

    def recording(address, *args, **kwargs):
        opened.append(address[0])
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", recording)
    monkeypatch.setattr("urllib3.connection.connection.create_connection", recording)
    return opened
