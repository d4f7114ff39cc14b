"""Throughput of the portal, beside a bare Litestar app as the framework's ceiling. Figures, no pass/fail.

    .venv/bin/python tests/bench/run.py [--duration 5] [--concurrency 32] [-n 200] [--load auto|httpx|wrk]

1. Serves the portal as `make run` does (migrate, demo data, uvicorn) on a temporary SQLite database, sends
   one dossier through its pages, and serves a one-route Litestar app under uvicorn the same way.
2. From a separate process (wrk when installed, else asyncio + httpx), measures requests/second and p50/p95
   latency of GET /ping (bare), the public status of that dossier, and a catalogue search.
3. Times dossier submissions through the backend services on a fresh SQLite database and, when
   TEST_DATABASE_URL is set, on that PostgreSQL database (its public schema is dropped and migrated first).
4. Times result documents (tests/bench/signing.py): rendering the PDF, signing it with an EC P-256 key (and
   RSA-2048 for comparison), checking the signature, and checking the worst PDF the check limits allow, both
   in-process and through the worker pool the portal uses.
5. Counts Web Push notifications per second and per CPU second (tests/bench/push.py): the sender alone and the
   whole outbox worker, against a receiver process that checks VAPID and decrypts every message.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.seed import submitted_dossier  # noqa: E402
from tests.browser.served_portal import manage, portal_env, start_bare_litestar, start_portal  # noqa: E402

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "errors": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d}\\n',
    summary.requests, e.connect + e.read + e.write + e.timeout + e.status, summary.duration,
    latency:percentile(50), latency:percentile(95)))
end
"""


# -- what ran where ---------------------------------------------------------------------------------------

def machine_info(load: str) -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor() or "?")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("nproc", str(usable)),
        ("CPU", cpu),
        ("memory", _memory()),
        ("system", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("litestar / uvicorn / tortoise",
         " / ".join(version(name) for name in ("litestar", "uvicorn", "tortoise-orm"))),
        ("sqlite", sqlite3.sqlite_version),
        ("load generator", load),
    ]


def _memory() -> str:
    try:
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
        return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        return "?"


def print_table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(f"\n{title}\n" + line.format(*headers) + "\n" + line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    sys.stdout.flush()


def run_json(args: list[str], env: dict[str, str] | None = None, timeout: float = 600) -> dict:
    """Run a helper process and read the JSON object on its last line of output."""
    done = subprocess.run(args, cwd=ROOT, env=env or os.environ.copy(), capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- HTTP throughput --------------------------------------------------------------------------------------

def measure(url: str, load: str, options: argparse.Namespace, work: Path) -> dict:
    if load == "wrk":
        return measure_wrk(url, options, work)
    return run_json([sys.executable, "-m", "tests.bench.load", url, "--concurrency", str(options.concurrency),
                     "--duration", str(options.duration), "--warmup", str(options.warmup)])


def measure_wrk(url: str, options: argparse.Namespace, work: Path) -> dict:
    script = work / "report.lua"
    script.write_text(WRK_REPORT)
    threads = str(min(options.concurrency, max(1, (os.cpu_count() or 1) // 2)))

    def wrk(seconds: float) -> dict:
        return run_json(["wrk", "-t", threads, "-c", str(options.concurrency),
                         "-d", f"{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(script), url])

    wrk(options.warmup)
    result = wrk(options.duration)
    seconds = result["duration_us"] / 1e6
    return {"url": url, "requests": result["requests"], "errors": result["errors"], "seconds": seconds,
            "rps": result["requests"] / seconds, "p50_ms": result["p50_us"] / 1000,
            "p95_ms": result["p95_us"] / 1000}


def http_figures(load: str, options: argparse.Namespace, work: Path) -> list[list[str]]:
    with start_portal(work / "portal") as portal, start_bare_litestar(work / "bare") as bare:
        code = submitted_dossier(portal.base_url)
        targets = [
            ("bare Litestar GET /ping", f"{bare.base_url}/ping"),
            ("portal GET /api/v1/dossiers/{code}/status", f"{portal.base_url}/api/v1/dossiers/{code}/status"),
            ("portal GET /api/v1/procedures?q=dang+ky+khai+sinh",
             f"{portal.base_url}/api/v1/procedures?q=dang+ky+khai+sinh"),
        ]
        rows = []
        for label, url in targets:
            print(f"  measuring {label} ...", flush=True)
            r = measure(url, load, options, work)
            rows.append([label, f"{r['rps']:.0f}", f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}",
                         str(r["requests"]), str(r["errors"])])
        return rows


# -- submissions ------------------------------------------------------------------------------------------

def fresh_sqlite(work: Path) -> tuple[str, dict[str, str]]:
    work.mkdir(parents=True, exist_ok=True)
    env = portal_env(work, 0)
    manage("migrate", env)
    manage("demo", env)
    return env["DATABASE_URL"], env


def fresh_postgres(url: str, work: Path) -> tuple[str, dict[str, str]]:
    import asyncio

    import asyncpg

    async def reset() -> None:
        server = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            await server.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        finally:
            await server.close()

    asyncio.run(reset())
    work.mkdir(parents=True, exist_ok=True)
    env = portal_env(work, 0, database_url=url)
    manage("migrate", env)
    manage("demo", env)
    return url, env


def submission_figures(engine: str, database: tuple[str, dict[str, str]], work: Path,
                       options: argparse.Namespace) -> list[list[str]]:
    url, env = database
    rows = []
    for concurrency in options.submit_concurrency:
        print(f"  submitting {options.n} dossiers on {engine}, {concurrency} at a time ...", flush=True)
        r = run_json([sys.executable, "-m", "tests.bench.submissions", url, str(work / "uploads"),
                      "-n", str(options.n), "--concurrency", str(concurrency)], env=env)
        rows.append([engine, str(concurrency), str(r["n"]), f"{r['seconds']:.2f}", f"{r['per_second']:.0f}",
                     f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}"])
    return rows


# -- signed results ---------------------------------------------------------------------------------------

SIGNING_STEPS = (
    ("render", "render the PDF (fpdf2 + HarfBuzz, QR)"),
    ("sign_ec_p256", "sign, EC P-256 (the portal's keys)"),
    ("sign_rsa_2048", "sign, RSA-2048 (for comparison)"),
    ("check_ec_p256", "check the signature (pyHanko)"),
    ("check_worst", "check the worst PDF the limits allow"),
    ("pool_ec_p256", "check a result in the check pool"),
    ("pool_worst", "check the worst PDF in the check pool"),
)


def signing_figures(n: int) -> list[list[str]]:
    r = run_json([sys.executable, "-m", "tests.bench.signing", "-n", str(n), "--json"])
    return [[label, f"{r[key]['mean_ms']:.1f}", f"{r[key]['p50_ms']:.1f}", f"{r[key]['p95_ms']:.1f}"]
            for key, label in SIGNING_STEPS]


def push_figures(n: int) -> list[list[str]]:
    rows = run_json([sys.executable, "-m", "tests.bench.push", "-n", str(n), "--json"])
    return [[r["what"], str(r["n"]), f"{r['per_second']:.0f}", f"{r['per_cpu_second']:.0f}", str(r["received"]),
             str(r["failures"])] for r in rows]


# -- main -------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per URL")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds per URL first")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent HTTP connections")
    parser.add_argument("-n", type=int, default=200, help="dossiers submitted per figure")
    parser.add_argument("--submit-concurrency", type=int, nargs="+", default=[1, 8],
                        help="concurrent submit() calls, one figure each")
    parser.add_argument("--load", choices=["auto", "httpx", "wrk"], default="auto")
    parser.add_argument("--sign-n", type=int, default=50, help="result documents rendered and signed")
    parser.add_argument("--push-n", type=int, default=2000, help="push notifications sent")
    options = parser.parse_args()
    load = options.load if options.load != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    generator = "wrk" if load == "wrk" else f"asyncio + httpx {version('httpx')}, one process"

    print_table("Machine", ["what", "value"], [list(row) for row in machine_info(generator)])
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        work = Path(tmp)
        print(f"\nHTTP: {options.concurrency} connections, {options.warmup:g} s warm-up then "
              f"{options.duration:g} s per URL", flush=True)
        rows = http_figures(load, options, work / "http")
        print_table("Requests", ["target", "req/s", "p50 ms", "p95 ms", "requests", "errors"], rows)
        if load != "wrk":
            print("  (a Python load generator saturates near the bare /ping figure on a small machine: read "
                  "the portal rows against it, or install wrk)")

        print(f"\nSubmissions: services.submit() on {options.n} complete drafts per figure "
              "(only the calls are timed)", flush=True)
        rows = submission_figures("sqlite", fresh_sqlite(work / "sqlite"), work / "sqlite", options)
        pg_url = os.environ.get("TEST_DATABASE_URL")
        if pg_url:
            rows += submission_figures("postgres", fresh_postgres(pg_url, work / "pg"), work / "pg", options)
        else:
            print("  TEST_DATABASE_URL not set: no PostgreSQL figure")
        headers = ["engine", "concurrent", "dossiers", "seconds", "per second", "p50 ms", "p95 ms"]
        print_table("Submissions", headers, rows)

    print(f"\nSigned results: {options.sign_n} documents, no database (only CPU)", flush=True)
    print_table("Signed results", ["step", "mean ms", "p50 ms", "p95 ms"], signing_figures(options.sign_n))

    print(f"\nWeb Push: {options.push_n} notifications, receiver in another process (VAPID checked, decrypted)",
          flush=True)
    print_table("Push", ["what", "pushes", "per second", "per CPU second", "decrypted", "failed"],
                push_figures(options.push_n))


if __name__ == "__main__":
    main()
