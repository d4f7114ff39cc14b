"""Shared fixtures: a database migrated with the real migrations, and the portal behind a test client."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.core.clock import SYSTEM, Clock
from backend.core.i18n import current_locale
from backend.settings import Settings
from tests.support import Portal, reset_database, served


@pytest.fixture(autouse=True)
def english():
    """Tests read messages in English, the source language, whatever the portal's default."""
    token = current_locale.set("en")
    yield
    current_locale.reset(token)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """SQLite by default; PostgreSQL when TEST_ENGINE=postgres (the Makefile runs the suite once per engine,
    in separate processes, because Tortoise binds its query builders to the first database it meets)."""
    if os.environ.get("TEST_ENGINE") == "postgres":
        return os.environ["TEST_DATABASE_URL"]
    return f"sqlite://{tmp_path_factory.mktemp('db') / 'portal.sqlite3'}"


@pytest.fixture(scope="session")
async def migrated(database_url: str) -> str:
    await reset_database(database_url, drop=True)
    return database_url


@pytest.fixture
def settings(migrated: str, tmp_path: Path) -> Settings:
    return Settings(database_url=migrated, data_dir=tmp_path, demo_mode=True, secret_key="test-secret")


@pytest.fixture
def clock() -> Clock:
    """The portal's time in ``portal``: the system's. A module whose rules depend on the date overrides this
    fixture with a ``FixedClock`` (tests/integration/test_workflow.py), so it passes on every day of the year."""
    return SYSTEM


@pytest.fixture
async def portal(settings: Settings, clock: Clock) -> AsyncIterator[Portal]:
    async with served(settings, clock) as (app, client):
        await reset_database(settings.database_url)
        yield Portal(client, app)


@pytest.fixture
def statements(monkeypatch) -> list[str]:
    """Every SQL statement the default connection runs from now on, in order (for tests of what a request costs)."""
    from tortoise import connections

    client = connections.get("default")
    seen: list[str] = []
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(client, name)

        async def spied(query, values=None, _original=original):
            seen.append(query)
            return await _original(query, values)

        monkeypatch.setattr(client, name, spied)
    return seen
