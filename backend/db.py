"""Database: Tortoise configuration, lifespan registration and aerich migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections

from backend.settings import ROOT, Settings

MODEL_MODULES = [
    "backend.catalogue.models",
    "backend.accounts.models",
    "backend.dossiers.models",
    "backend.feedback.models",
    "backend.identity.models",
    "backend.sandboxes.models",
    "backend.results.models",
    "backend.delivery.models",
    "backend.payments.models",
    "backend.sandboxes.payment_models",
    "backend.pwa.models",
    "backend.translations.models",
    "backend.limits.models",
    "backend.staff.models",
    "backend.questions.models",
    "backend.assisted.models",
    "backend.privacy.models",
    "backend.audit.models",
]
MIGRATIONS_DIR = ROOT / "backend" / "migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise config for one database URL, with aerich's own table."""
    return {
        "connections": {"default": _with_sqlite_pragmas(database_url)},
        "apps": {
            "models": {"models": [*MODEL_MODULES, "aerich.models"], "default_connection": "default"},
        },
        "use_tz": True,
        # UTC, as clock.now() is: SQLite compares stored datetimes as text, so every stored value and every
        # filter value must carry the same offset. Pages convert to Viet Nam's time when they show one.
        "timezone": "UTC",
    }


def _with_sqlite_pragmas(database_url: str) -> str:
    """SQLite (the embedded default) runs in WAL mode; ``synchronous=NORMAL`` is SQLite's advice for WAL: no
    corruption on a crash, and a commit is not fsynced on its own (the last ones can be lost on power loss, never
    half-written). It makes a rate-limit count or a session write about 7 times cheaper. A URL that sets its own
    ``synchronous`` keeps it; PostgreSQL, the production database, is untouched."""
    if not database_url.startswith("sqlite://") or "synchronous=" in database_url:
        return database_url
    return database_url + ("&" if "?" in database_url else "?") + "synchronous=NORMAL"


def __getattr__(name: str) -> Any:
    # aerich reads ``backend.db.TORTOISE_ORM``; building it lazily keeps imports free of env reads.
    if name == "TORTOISE_ORM":
        return tortoise_config(Settings.from_env().database_url)
    raise AttributeError(name)


def ensure_sqlite_dir(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


async def init_orm(database_url: str) -> None:
    ensure_sqlite_dir(database_url)
    # Litestar runs the lifespan in another task than requests: share the context globally.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


@asynccontextmanager
async def orm_lifespan(database_url: str) -> AsyncIterator[None]:
    await init_orm(database_url)
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def migrate(database_url: str) -> list[str]:
    """Apply pending aerich migrations; returns the versions applied."""
    from aerich import Command

    ensure_sqlite_dir(database_url)
    command = Command(tortoise_config=tortoise_config(database_url), app="models", location=str(MIGRATIONS_DIR))
    await command.init()
    try:
        return await command.upgrade(run_in_transaction=True)
    finally:
        await Tortoise.close_connections()


async def database_state() -> dict[str, Any]:
    """What /healthz reports: can we reach the database, and which engine is it."""
    conn = connections.get("default")
    try:
        await conn.execute_query("SELECT 1")
        return {"status": "ok", "dialect": conn.capabilities.dialect}
    except Exception as exc:  # noqa: BLE001 - health checks report, they do not raise
        return {"status": "error", "dialect": conn.capabilities.dialect, "error": type(exc).__name__}
