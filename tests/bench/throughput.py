"""HTTP throughput of the portal's routes beside a bare one-route Litestar app, both under uvicorn, in one run.

Each URL gets a warm-up, then a measured period with N keep-alive connections, from another process: wrk when
installed (C, light on the CPU the servers share), else ``tests.bench.load`` (asyncio + httpx). Pages that need a
person carry that person's session cookie, taken by signing in through the pages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.seed import CITIZEN, Browser, sign_in, submitted_dossier
from tests.browser.served_portal import ROOT, start_bare_litestar, start_portal

OFFICER = "0901000001"  # Hoàn Kiếm ward: settles birth registration, the dossier the bench sends
ROUTES = (  # label, path, who must be signed in
    ("status API", "/api/v1/dossiers/{code}/status", None),
    ("search API", "/api/v1/procedures?q=dang+ky+khai+sinh", None),
    ("home page", "/vi/", None),
    ("procedure page", "/vi/procedures/1.001193", None),
    ("my dossiers", "/vi/my/dossiers", CITIZEN),
    ("desk queue", "/vi/desk", OFFICER),
)
SCALING = ("status API", "home page", "procedure page")
"""Routes measured again with 4 web processes (WORKERS=4)."""

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "errors": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d}\\n',
    summary.requests, e.connect + e.read + e.write + e.timeout + e.status, summary.duration,
    latency:percentile(50), latency:percentile(95)))
end
"""


def run_json(args: list[str], env: dict[str, str] | None = None, timeout: float = 600) -> dict:
    """Run a helper process and read the JSON object on its last line of output."""
    done = subprocess.run(args, cwd=ROOT, env=env or os.environ.copy(), capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(url: str, load: str, options: argparse.Namespace, work: Path, headers: dict[str, str]) -> dict:
    flags = [part for name, value in headers.items() for part in ("--header", f"{name}: {value}")]
    if load == "wrk":
        return _measure_wrk(url, options, work, flags)
    return run_json([sys.executable, "-m", "tests.bench.load", url, "--concurrency", str(options.concurrency),
                     "--duration", str(options.duration), "--warmup", str(options.warmup), *flags])


def _measure_wrk(url: str, options: argparse.Namespace, work: Path, flags: list[str]) -> dict:
    script = work / "report.lua"
    script.write_text(WRK_REPORT)
    threads = str(min(options.concurrency, max(1, (os.cpu_count() or 1) // 2)))
    headers = [part if part != "--header" else "-H" for part in flags]

    def wrk(seconds: float) -> dict:
        return run_json(["wrk", "-t", threads, "-c", str(options.concurrency), "-d", f"{max(1, round(seconds))}s",
                         "--timeout", "30s", "-s", str(script), *headers, url])

    wrk(options.warmup)
    result = wrk(options.duration)
    seconds = result["duration_us"] / 1e6
    return {"url": url, "requests": result["requests"], "errors": result["errors"], "seconds": seconds,
            "rps": result["requests"] / seconds, "p50_ms": result["p50_us"] / 1000,
            "p95_ms": result["p95_us"] / 1000}


def signed_in_headers(base_url: str, phone: str) -> dict[str, str]:
    """The cookies of a session signed in as ``phone`` (kept open on the server for the run)."""
    browser = Browser(base_url)
    try:
        sign_in(browser, phone)
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in browser.client.cookies.items())}
    finally:
        browser.close()


def _row(label: str, r: dict, bare_rps: float) -> list[str]:
    share = f"{r['rps'] / bare_rps:.3f}" if bare_rps else "n/a"
    return [label, f"{r['rps']:.0f}", share, f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", str(r["requests"]),
            str(r["errors"])]


def http_figures(load: str, options: argparse.Namespace, work: Path) -> tuple[list[list[str]], dict]:
    """Rows for the requests table, and what the scaling figures need (the data folder, the code, req/s)."""
    data_dir = work / "portal"
    with start_bare_litestar(work / "bare") as bare:
        print("  measuring bare Litestar GET /ping ...", flush=True)
        ping = measure(f"{bare.base_url}/ping", load, options, work, {})
    rows = [_row("bare Litestar GET /ping", ping, ping["rps"])]
    found: dict = {"bare": ping["rps"], "data_dir": data_dir, "rps": {}}
    with start_portal(data_dir) as portal:
        found["code"] = code = submitted_dossier(portal.base_url)
        sessions = {phone: signed_in_headers(portal.base_url, phone) for phone in (CITIZEN, OFFICER)}
        for label, path, who in ROUTES:
            print(f"  measuring {label} ...", flush=True)
            r = measure(portal.base_url + path.format(code=code), load, options, work, sessions.get(who, {}))
            found["rps"][label] = r["rps"]
            rows.append(_row(f"{label}  GET {path}", r, ping["rps"]))
    return rows, found


def _wait_for_processes(log: Path, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count("Application startup complete") < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} web processes did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)


def scaling_figures(load: str, options: argparse.Namespace, work: Path, found: dict) -> list[list[str]]:
    """The same routes with WORKERS=4, on the same data, after the one-process portal has stopped."""
    rows = []
    with start_portal(found["data_dir"], prepared=True, extra_env={"WORKERS": "4"}) as portal:
        _wait_for_processes(portal.log, 4)  # /healthz answers from the first; the others still start (CPU)
        for label, path, _ in ROUTES:
            if label in SCALING:
                print(f"  measuring {label} with 4 workers ...", flush=True)
                r = measure(portal.base_url + path.format(code=found["code"]), load, options, work, {})
                one = found["rps"][label]
                ratio = f"{r['rps'] / one:.2f}" if one else "n/a"
                rows.append([label, f"{one:.0f}", f"{r['rps']:.0f}", ratio, str(r["errors"])])
    return rows
