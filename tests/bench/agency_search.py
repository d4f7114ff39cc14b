"""Agency search (issue 17: under 20 ms at p95): GET /api/v1/agencies against the portal as ``make run`` serves it,
one request at a time over one keep-alive connection, so each figure is a request's own time, not a queue's.

The queries are what the agency pickers send: a commune's name in a province, a name anywhere in the country
(3,321 communes and 7,000 agencies), a page of every commune where birth registration is filed, a province's
departments. Names come from the administrative units, typed without accents, whole or cut short.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import httpx

from backend.core import units
from tests.browser.served_portal import start_portal


def _queries(n: int) -> dict[str, list[str]]:
    communes = [(p.code, w) for p in units.provinces() for w in units.wards(p.code)]
    step = max(1, len(communes) // n)
    picked = communes[::step][:n]
    return {
        "commune name in a province": [
            f"/api/v1/agencies?procedure=1.001193&province={p}&q={units.fold(w.short)[:6]}" for p, w in picked],
        "name anywhere in the country": [f"/api/v1/agencies?q={units.fold(w.short)}" for _, w in picked],
        "every commune, a page": [f"/api/v1/agencies?procedure=1.001193&offset={i * 20 % 3300}" for i in range(n)],
        "departments of a province": [
            f"/api/v1/agencies?level=department&province={units.provinces()[i % 34].code}" for i in range(n)],
    }


def _ms(times: list[float], q: float) -> str:
    return f"{statistics.quantiles(times, n=100, method='inclusive')[q - 1] * 1000:.1f}" if len(times) > 1 else (
        f"{times[0] * 1000:.1f}")


def agency_search_figures(data_dir: Path, n: int) -> list[list[str]]:
    """Rows: query, requests, p50 ms, p95 ms (and all queries together). ``data_dir``: a portal already migrated
    and loaded (the throughput step's)."""
    rows, every = [], []
    with start_portal(data_dir, prepared=True) as portal, httpx.Client(base_url=portal.base_url) as client:
        for _ in range(20):  # warm: the first search reads the directory into memory
            client.get("/api/v1/agencies?q=hoan+kiem").raise_for_status()
        for label, urls in _queries(n).items():
            times = []
            for url in urls:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                response.raise_for_status()
            every += times
            rows.append([label, str(len(times)), _ms(times, 50), _ms(times, 95)])
    rows.append(["all queries", str(len(every)), _ms(every, 50), _ms(every, 95)])
    return rows
