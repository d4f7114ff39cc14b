"""``make bench``: what the access log costs a page (issue 21, goal: a few milliseconds at most). On a fresh SQLite
portal with the demo data (or ``--database-url``, e.g. PostgreSQL), the writer's own code is timed: ``record`` as
a request calls it (into the request's buffer), and the one bulk insert the middleware makes after a response, for
a dossier page (1 row) and a page of search results (30 rows, the most one page logs).

    python -m tests.bench.access_log [--runs 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from backend.accounts.models import User  # noqa: E402
from backend.audit import log  # noqa: E402
from backend.db import orm_lifespan  # noqa: E402
from tests.browser.served_portal import manage, portal_env  # noqa: E402

BATCHES = (1, 30)


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


async def measure(database_url: str, runs: int) -> dict[str, tuple[float, float]]:
    async with orm_lifespan(database_url):
        official = await User.get(phone="84901000001")
        citizen = await User.get(phone="84912345678")
        figures = {}
        spent = 0.0
        for _ in range(runs):  # a request that logs a page of search results: 30 rows into its buffer
            entries: list[log.Access] = []
            token = log._buffer.set(entries)  # as AccessLogMiddleware does for each request
            started = time.perf_counter()
            for number in range(max(BATCHES)):
                await log.record(citizen.id, official, "dossier", dossier_id=number)
            spent += time.perf_counter() - started
            log._buffer.reset(token)
        per_call = spent / (runs * max(BATCHES))
        figures["record"] = (per_call * 1_000_000, per_call * 1_000_000)
        for size in BATCHES:
            samples = []
            for run in range(runs):
                batch = [log.Access(citizen.id, official.id, official.full_name, "lead", official.agency_id,
                                    run * 100 + i, "dossier", "bench.access_log", False, entries[0].at)
                         for i in range(size)]
                started = time.perf_counter()
                assert await log.write(batch)
                samples.append(time.perf_counter() - started)
            figures[f"flush {size}"] = _ms(samples)
        return figures


def run(database_url: str, runs: int, engine: str) -> None:
    figures = asyncio.run(measure(database_url, runs))
    per_call = figures.pop("record")[0]
    print(f"access log ({engine}): record() into the request's buffer: {per_call:.1f} µs a call", flush=True)
    for label, (p50, p95) in figures.items():
        rows = label.split()[1]
        rows = f"{rows} row" if rows == "1" else f"{rows} rows"
        print(f"access log ({engine}): one insert of {rows} after the response: p50 {p50:.2f} ms, "
              f"p95 {p95:.2f} ms ({runs} runs)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.database_url:  # migrated, with the demo data
        run(args.database_url, args.runs, args.database_url.split(":", 1)[0])
        return
    with tempfile.TemporaryDirectory(prefix="portal-access-log-bench-") as tmp:
        env = portal_env(Path(tmp), 0)
        manage("migrate", env)
        manage("demo", env)
        run(env["DATABASE_URL"], args.runs, "sqlite")


if __name__ == "__main__":
    main()
