"""Changing HARDTECH_* variables in a test: the settings object is read once per process,
so it must be re-read after a change, and again after monkeypatch undoes it."""
from __future__ import annotations

import pytest

from hardtech.settings import reload_settings


@pytest.fixture(autouse=True)
def settings_follow_env():
    """Set up before ``monkeypatch`` and torn down after it: re-reads the settings once the
    test's environment changes are undone."""
    yield
    reload_settings()


def set_env(monkeypatch: pytest.MonkeyPatch, **variables: str | None) -> None:
    """Set (or, with None, unset) environment variables and re-read the settings."""
    for name, value in variables.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    reload_settings()
