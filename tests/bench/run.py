"""Throughput of the portal, beside a bare Litestar app as the framework's ceiling. Figures, no pass/fail.

    .venv/bin/python tests/bench/run.py [--duration 5] [--concurrency 32] [-n 200] [--load auto|httpx|wrk]
    .venv/bin/python tests/bench/run.py --quick      # a smoke run of every step in tiny sizes (make test runs it)

BENCH_SECONDS sets the measured seconds per URL (--duration).

1. Serves a bare one-route Litestar app under uvicorn, then the portal as `make run` does (migrate, demo data,
   uvicorn) on a temporary SQLite database, sends one dossier through its pages and signs in a citizen and an
   official (tests/bench/throughput.py).
2. From a separate process (wrk when installed, else asyncio + httpx), measures requests/second and p50/p95
   latency of GET /ping (bare), then the status API, the catalogue search, the home page, a procedure page,
   the citizen's dossiers and the desk queue, each as a share of the bare app's requests/second.
   Then the agency search, one request at a time, p50 and p95 per kind of query (tests/bench/agency_search.py).
3. Serves the same portal with WORKERS=4 and measures some routes again: the scaling from 1 to 4 processes.
4. Times dossier submissions through the backend services on a fresh SQLite database and, when
   TEST_DATABASE_URL is set, on that PostgreSQL database (its public schema is dropped and migrated first).
5. Times result documents (tests/bench/signing.py): rendering the PDF, signing it with an EC P-256 key (and
   RSA-2048 for comparison), checking the signature, and checking the worst PDF the check limits allow, both
   in-process and through the worker pool the portal uses.
6. Counts Web Push notifications per second and per CPU second (tests/bench/push.py): the sender alone and the
   whole outbox worker, against a receiver process that checks VAPID and decrypts every message.
7. Weighs home, search, a procedure page and a form page (tests/bench/page_weight.py): the bytes a first visit
   transfers with everything it loads, compressed, and what a repeat visit asks for again.
8. Times the big form pages (tests/bench/form_pages.py): a form page of a 5-page procedure and the check page of
   a draft with 50 answers, as the signed-in citizen gets them, one request at a time.
9. Times the public statistics (tests/bench/statistics_page.py) over roll-up rows standing for 10 million
   dossiers, generated directly into the throughput step's database: the ranking, an agency, the open data.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.agency_search import agency_search_figures  # noqa: E402
from tests.bench.form_pages import served_figures as form_page_figures  # noqa: E402
from tests.bench.page_weight import HEADERS as PAGE_WEIGHT_HEADERS  # noqa: E402
from tests.bench.page_weight import served_figures as page_weight_figures  # noqa: E402
from tests.bench.statistics_page import statistics_figures  # noqa: E402
from tests.bench.throughput import http_figures, run_json, scaling_figures  # noqa: E402
from tests.browser.served_portal import manage, portal_env  # noqa: E402

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
    ("render", "render the PDF (WeasyPrint, PDF/UA, QR)"),
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

QUICK = {"duration": 0.5, "warmup": 0.2, "concurrency": 4, "n": 5, "submit_concurrency": [2], "sign_n": 2,
         "push_n": 20, "load": "httpx", "workers": False, "agency_n": 5, "form_n": 3,
         "stats_dossiers": 10_000, "stats_n": 2}
"""--quick: every step runs and prints its figures, in seconds rather than minutes (the smoke test in make test)."""


def options_from(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_SECONDS") or 5),
                        help="measured seconds per URL (BENCH_SECONDS)")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds per URL first")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent HTTP connections")
    parser.add_argument("-n", type=int, default=200, help="dossiers submitted per figure")
    parser.add_argument("--submit-concurrency", type=int, nargs="+", default=[1, 8],
                        help="concurrent submit() calls, one figure each")
    parser.add_argument("--load", choices=["auto", "httpx", "wrk"], default="auto")
    parser.add_argument("--sign-n", type=int, default=50, help="result documents rendered and signed")
    parser.add_argument("--push-n", type=int, default=2000, help="push notifications sent")
    parser.add_argument("--agency-n", type=int, default=200, help="agency searches per kind of query")
    parser.add_argument("--form-n", type=int, default=50, help="requests per big form page")
    parser.add_argument("--stats-dossiers", type=int, default=10_000_000,
                        help="dossiers the statistics' roll-up rows stand for")
    parser.add_argument("--stats-n", type=int, default=20, help="requests per statistics page")
    parser.add_argument("--no-workers", dest="workers", action="store_false", help="skip the 1 vs 4 processes")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run of every step")
    options = parser.parse_args(argv)
    if options.quick:
        vars(options).update(QUICK)
    return options


def main(argv: list[str] | None = None) -> None:
    options = options_from(argv)
    load = options.load if options.load != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    generator = "wrk" if load == "wrk" else f"asyncio + httpx {version('httpx')}, one process"

    print_table("Machine", ["what", "value"], [list(row) for row in machine_info(generator)])
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        work = Path(tmp)
        print(f"\nHTTP: {options.concurrency} connections, {options.warmup:g} s warm-up then "
              f"{options.duration:g} s per URL", flush=True)
        rows, found = http_figures(load, options, work / "http")
        print_table("Requests (x bare: the route's req/s as a share of bare Litestar's, same run)",
                    ["target", "req/s", "x bare", "p50 ms", "p95 ms", "requests", "errors"], rows)
        if load != "wrk":
            print("  (a Python load generator saturates near the bare /ping figure on a small machine: read "
                  "the portal rows against it, or install wrk)")
        print(f"\nAgency search: GET /api/v1/agencies, {options.agency_n} requests per query, one at a time",
              flush=True)
        print_table("Agency search (goal: p95 under 20 ms)", ["query", "requests", "p50 ms", "p95 ms"],
                    agency_search_figures(found["data_dir"], options.agency_n))
        if options.workers:
            print("\nWeb processes: the same portal and data with WORKERS=4 (goal: 1.6x on 2 cores)", flush=True)
            print_table("Workers", ["route", "1 worker req/s", "4 workers req/s", "4 / 1", "errors"],
                        scaling_figures(load, options, work / "http", found))
            print(f"  the load generator shares the machine's {os.cpu_count()} cores with the servers")

        print(f"\nPublic statistics: roll-up rows for {options.stats_dossiers:,} dossiers, generated directly "
              f"(tests/bench/statistics_page.py), {options.stats_n} requests per page, one at a time", flush=True)
        seeded, rows = statistics_figures(found["data_dir"], options.stats_dossiers, options.stats_n)
        print(f"  {seeded['dossiers']:,} dossiers in {seeded['stat_monthly']:,} monthly and "
              f"{seeded['stat_daily']:,} daily rows")
        print_table("Public statistics (first: before the ranking is kept in memory)",
                    ["page", "requests", "first ms", "p50 ms", "p95 ms"], rows)

        print(f"\nSubmissions: services.submit() on {options.n} complete drafts per figure "
              "(only the calls are timed)", flush=True)
        rows = submission_figures("sqlite", fresh_sqlite(work / "sqlite"), work / "sqlite", options)
        pg_url = os.environ.get("TEST_DATABASE_URL")
        if pg_url and not options.quick:
            rows += submission_figures("postgres", fresh_postgres(pg_url, work / "pg"), work / "pg", options)
        else:
            print("  no PostgreSQL figure (TEST_DATABASE_URL not set, or --quick)")
        headers = ["engine", "concurrent", "dossiers", "seconds", "per second", "p50 ms", "p95 ms"]
        print_table("Submissions", headers, rows)

        print("\nPage weight: a first visit (empty cache, brotli) and a repeat visit, bytes transferred", flush=True)
        print_table("Page weight (goal: first visit <= 50 KB; repeat: no asset asked again)", PAGE_WEIGHT_HEADERS,
                    page_weight_figures(work / "weight"))

        print(f"\nBig forms: the signed-in citizen's pages of a 5-page procedure with 50 answers, {options.form_n} "
              "requests each, one at a time (tests/bench/form_pages.py)", flush=True)
        print_table("Big forms (time to make and send the page)", ["page", "requests", "mean ms", "p50 ms", "p95 ms"],
                    form_page_figures(work / "forms", options.form_n))

    print(f"\nSigned results: {options.sign_n} documents, no database (only CPU)", flush=True)
    print_table("Signed results", ["step", "mean ms", "p50 ms", "p95 ms"], signing_figures(options.sign_n))

    print(f"\nWeb Push: {options.push_n} notifications, receiver in another process (VAPID checked, decrypted)",
          flush=True)
    print_table("Push", ["what", "pushes", "per second", "per CPU second", "decrypted", "failed"],
                push_figures(options.push_n))


if __name__ == "__main__":
    main()
