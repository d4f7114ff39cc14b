"""Latencies on the scale data: the portal served by uvicorn on that database, requests one at a time through
HTTP (a request's own time, not a queue's), each kind over varied URLs: p50/p95/p99 beside the issue's goals."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

from backend.settings import RATE_LIMITS
from tests.bench.scale_catalogue import search_queries
from tests.bench.scale_data import Loaded
from tests.bench.throughput import signed_in_headers
from tests.browser.served_portal import start_portal

DESK_VIEWS = ("new", "in_progress", "supplement", "due_soon", "overdue", "settled")
GOALS = {"status look-up": ("p99", 20.0), "search": ("p95", 50.0), "desk queue page": ("p95", 100.0)}


async def _sample_codes(url: str, count: int) -> list[str]:
    """Existing codes of sent dossiers (a draft's code answers 404 to everyone), spread over the table."""
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        highest = await conn.fetchval("SELECT max(id) FROM dossier") or 0
        ids = [1 + (k * 2654435761) % highest for k in range(count * 4)] if highest else []
        rows = await conn.fetch("SELECT code FROM dossier WHERE id = ANY($1::int[]) AND status <> 'draft'", ids)
    finally:
        await conn.close()
    return [row["code"] for row in rows][:count]


def _urls(kind: str, samples: int, codes: list[str]) -> list[str]:
    if kind == "status look-up":
        return [f"/api/v1/dossiers/{code}/status" for code in codes]
    if kind == "search":
        queries = search_queries()
        return [f"/api/v1/procedures?q={queries[k % len(queries)]}" + ("&offset=20" if k % 5 == 4 else "")
                for k in range(samples)]
    if kind == "my dossiers page":
        return [f"/vi/my/dossiers?page={1 + k % 5}" for k in range(samples)]
    return [f"/vi/desk?view={DESK_VIEWS[k % len(DESK_VIEWS)]}&page={1 + k // len(DESK_VIEWS) % 3}"
            for k in range(samples)]


async def _timed(base_url: str, urls: list[str], headers: dict[str, str]) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as client:
        for url in urls[:max(3, len(urls) // 10)]:  # warm-up: connections, template caches
            await client.get(url)
        for url in urls:
            started = time.perf_counter()
            response = await client.get(url)
            elapsed = time.perf_counter() - started
            if response.status_code == 200:
                latencies.append(elapsed * 1000)
            else:
                errors.append(f"{response.status_code} {url}")
    return latencies, errors


def _percentiles(latencies: list[float]) -> dict[str, float]:
    if len(latencies) < 2:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def measure_all(args: argparse.Namespace, loaded: Loaded) -> int:
    """Serve the portal on the scale database, measure every kind of page, print the table; 1 on any error."""
    codes = asyncio.run(_sample_codes(args.database_url, args.samples))
    limits = {name.upper(): "1000000000" for name in RATE_LIMITS if name != "network_limit_factor"}
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as work:
        with start_portal(Path(work), database_url=args.database_url, prepared=True, extra_env=limits) as portal:
            sessions = {"citizen": signed_in_headers(portal.base_url, loaded.citizen_phone),
                        "officer": signed_in_headers(portal.base_url, loaded.officer_phone)}
            kinds = (("status look-up", {}), ("search", {}), ("my dossiers page", sessions["citizen"]),
                     ("desk queue page", sessions["officer"]))
            print(f"\nLatency, one request at a time through HTTP (uvicorn, one process), {args.samples} "
                  "requests each after a warm-up")
            print(f"  {'request':<18} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  goal")
            for kind, headers in kinds:
                latencies, errors = asyncio.run(_timed(portal.base_url, _urls(kind, args.samples, codes), headers))
                cut = _percentiles(latencies)
                goal = ""
                if kind in GOALS:
                    name, limit = GOALS[kind]
                    goal = f"{name} < {limit:.0f} ms: {'met' if cut[name] < limit else 'NOT met'}"
                print(f"  {kind:<18} {len(latencies):>5} {cut['p50']:>8.1f} {cut['p95']:>8.1f} {cut['p99']:>8.1f}"
                      f"  {goal}", flush=True)
                for error in errors[:5]:
                    print(f"    failed: {error}")
                failed += len(errors)
    if failed:
        print(f"{failed} requests failed")
    return 1 if failed else 0
