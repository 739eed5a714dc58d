"""Shared helpers for the pure engine tests (no Django, no database)."""

from __future__ import annotations

import os

import pytest

from quotes.extraction import extract

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def seed_path() -> str:
    local = os.path.join(REPO, "fixtures", "kim-trilateral-threat.txt")
    if os.path.exists(local):
        return local
    return os.path.join(os.path.dirname(REPO), "shared", "seed", "kim-trilateral-threat.txt")


@pytest.fixture
def run():
    """Extract and return ``(text, attributions)`` for quick golden checks."""

    def _run(text, **kwargs):
        return text, extract(text, **kwargs)

    return _run


def find(text, attributions, fragment):
    """The attribution whose content contains ``fragment`` (exactly one expected)."""
    hits = [a for a in attributions if fragment in a.content.of(text)]
    assert hits, f"no attribution contains {fragment!r}: {[a.content.of(text) for a in attributions]}"
    return hits[0]
