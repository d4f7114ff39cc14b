"""Load generator, run in its own process: ``python -m tests.bench.load URL [--concurrency 32 --duration 5]
[--header "Cookie: ..."]``.

Keep-alive connections, ``concurrency`` workers each sending GETs back to back; a warm-up whose requests are
not counted, then a measured period. Prints one JSON object: requests, errors, req/s, p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import httpx


async def _workers(client: httpx.AsyncClient, url: str, concurrency: int, seconds: float,
                   latencies: list[float] | None, errors: list[str]) -> None:
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200
                if not ok:
                    errors.append(str(response.status_code))
            except httpx.HTTPError as exc:
                ok = False
                errors.append(type(exc).__name__)
            if ok and latencies is not None:
                latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def hammer(url: str, concurrency: int = 32, seconds: float = 5.0, warmup: float = 1.0,
                 headers: dict[str, str] | None = None) -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30, headers=headers) as client:
        await _workers(client, url, concurrency, warmup, None, [])
        latencies: list[float] = []
        errors: list[str] = []
        started = time.perf_counter()
        await _workers(client, url, concurrency, seconds, latencies, errors)
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return {
        "url": url, "requests": len(latencies), "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
        "seconds": round(elapsed, 3), "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000, "generator": f"httpx {httpx.__version__}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--header", action="append", default=[], help="'Name: value', sent with every request")
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    print(json.dumps(asyncio.run(hammer(args.url, args.concurrency, args.duration, args.warmup, headers))))


if __name__ == "__main__":
    main()
