"""``make bench-scale``: a national-sized data set in its own PostgreSQL database, then latencies measured on it.

``python -m tests.bench.scale [--dossiers N ...]``; every size also reads an environment variable
(``SCALE_DOSSIERS``, ``SCALE_CITIZENS``, ``SCALE_PROCEDURES``, ``SCALE_COMMUNES``, ``SCALE_SAMPLES``) and the
database is ``SCALE_DATABASE_URL`` (created if missing; its schema is dropped and migrated again).
``--measure-only`` measures the data already loaded. Exits 1 if any measured request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise

from backend.db import tortoise_config
from tests.bench import scale_catalogue
from tests.bench.scale_data import Loaded, Sizes, load_dossiers, load_users
from tests.browser.served_portal import ROOT

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_scale"


def options(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=env("SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--dossiers", type=int, default=int(env("SCALE_DOSSIERS", 10_000_000)))
    parser.add_argument("--citizens", type=int, default=int(env("SCALE_CITIZENS", 300_000)))
    parser.add_argument("--procedures", type=int, default=int(env("SCALE_PROCEDURES", 6_000)))
    parser.add_argument("--communes", type=int, default=int(env("SCALE_COMMUNES", 3_321)))
    parser.add_argument("--days", type=int, default=730, help="the dossiers' span, up to today")
    parser.add_argument("--samples", type=int, default=int(env("SCALE_SAMPLES", 500)),
                        help="measured requests per kind of page")
    parser.add_argument("--measure-only", action="store_true", help="measure the data already loaded")
    return parser.parse_args(argv)


def _asyncpg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def create_database(url: str) -> None:
    """Create the database if missing (through the server's ``postgres`` database), then empty its schema."""
    parts = urlsplit(_asyncpg_url(url))
    name = parts.path.lstrip("/")
    server = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        if not await server.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await server.execute(f'CREATE DATABASE "{name}"')
    finally:
        await server.close()
    conn = await asyncpg.connect(_asyncpg_url(url))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()
    # The real migrations, in their own process as `make run` does (aerich keeps per-process state).
    subprocess.run([sys.executable, "-m", "backend.manage", "migrate"], check=True, cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL)


async def load(args: argparse.Namespace) -> Loaded:
    loaded = Loaded()
    started = time.perf_counter()
    await create_database(args.database_url)
    loaded.seconds["(create and migrate)"] = time.perf_counter() - started
    await Tortoise.init(config=tortoise_config(args.database_url))
    try:
        began = time.perf_counter()
        agency_ids, procedure_ids, counts = await scale_catalogue.load(args.procedures, args.communes)
        loaded.rows |= counts
        loaded.seconds["agency, procedure, procedure_search"] = time.perf_counter() - began
    finally:
        await Tortoise.close_connections()
    conn = await asyncpg.connect(_asyncpg_url(args.database_url))
    try:
        await load_users(conn, agency_ids, args.citizens, loaded)
        await load_dossiers(conn, Sizes(args.dossiers, args.citizens, args.days), agency_ids, procedure_ids, loaded,
                            connect=lambda: asyncpg.connect(_asyncpg_url(args.database_url)))
        began = time.perf_counter()
        # VACUUM too: a table in service has long been vacuumed (visibility map set), so the planner may read
        # an index alone, as it would in production; right after COPY it would visit every row's page instead.
        await conn.execute("VACUUM (ANALYZE)")
        loaded.seconds["(VACUUM, ANALYZE)"] = time.perf_counter() - began
    finally:
        await conn.close()
    loaded.seconds["total"] = time.perf_counter() - started
    return loaded


def print_load(loaded: Loaded) -> None:
    """Rows, seconds and rows per second for each table COPY filled; seconds alone for the other steps."""
    print(f"\nLoad into PostgreSQL, {loaded.seconds['total']:.1f} s in all")
    print(f"  {'step or table':<38} {'rows':>12} {'seconds':>9} {'rows/s':>10}")
    for name, seconds in loaded.seconds.items():
        rows = loaded.rows.get(name)
        if name == "total":
            continue
        if rows is None:
            print(f"  {name:<38} {'':>12} {seconds:>9.1f}")
        else:
            print(f"  {name:<38} {rows:>12,} {seconds:>9.1f} {rows / max(seconds, 1e-6):>10,.0f}")
    for name, rows in loaded.rows.items():
        if name not in loaded.seconds:
            print(f"  {name:<38} {rows:>12,}   (in the step above)")


def main(argv: list[str] | None = None) -> int:
    from tests.bench.scale_measure import measure_all

    args = options(argv)
    print(f"Scale bench on {args.database_url}: {args.dossiers:,} dossiers over {args.days} days, "
          f"{args.citizens:,} citizens, {args.procedures:,} synthetic procedures, {args.communes:,} communes",
          flush=True)
    loaded = Loaded(officer_phone="0900000001", citizen_phone="0910000000")
    if not args.measure_only:
        loaded = asyncio.run(load(args))
        print_load(loaded)
    return measure_all(args, loaded)


if __name__ == "__main__":
    sys.exit(main())
