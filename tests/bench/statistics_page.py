"""The public statistics at national scale (issue 19, item 4): the pages' time over roll-up rows standing for 10
million dossiers, one request at a time over one keep-alive connection.

The roll-up rows are **generated directly** (``stat_monthly`` for every agency of the directory and every month of
this year and last, ``stat_daily`` for one agency in ``DAILY_EVERY`` and for the agency measured), not rolled up
from 10 million dossier rows: the pages read nothing else, and rolling up is the worker's job, not the request's.
The portal is served with its outbox worker off, so its roll-up job does not recompute today's rows under the bench.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from backend.statistics.models import COUNTERS
from tests.browser.served_portal import start_portal

DAILY_EVERY = 50  # one agency in 50 gets daily rows too (besides the one measured)
MEASURED = "P01-W-HOANKIEM"


def _months(today: date) -> list[date]:
    return [date(year, month, 1) for year in (today.year - 1, today.year) for month in range(1, 13)
            if date(year, month, 1) <= today]


def _counts(received: int, rng: random.Random) -> list[int]:
    settled = int(received * rng.uniform(0.8, 1.0))
    approved = int(settled * 0.9)
    ratings = int(settled * 0.2)
    assisted = int(received * 0.1)
    values = {"received": received, "filed_online": received, "tracked_publicly": received,
              "filed_by_citizen": received - 2 * assisted, "filed_at_post_office": assisted,
              "filed_at_commune": assisted,
              "digital_documents": int(received * 0.9), "prefilled": int(received * 0.3),
              "fee_due": received // 2, "fee_paid_online": int(received * 0.4), "settled": settled,
              "settled_on_time": int(settled * rng.uniform(0.6, 1.0)), "days_to_settle_sum": settled * 8,
              "approved": approved, "digital_results": int(approved * 0.8), "ratings_count": ratings,
              "ratings_sum": int(ratings * 4.2)}
    return [values[name] for name in COUNTERS]


def seed(database: Path, dossiers: int, today: date) -> dict[str, int]:
    """Roll-up rows standing for ``dossiers`` dossiers sent this year and last, spread over every agency."""
    rng = random.Random(19)
    db = sqlite3.connect(database)
    agencies = db.execute('SELECT "id", "code", "province_code" FROM "agency" ORDER BY "id"').fetchall()
    procedures = [row[0] for row in db.execute('SELECT "id" FROM "procedure" ORDER BY "id" LIMIT 5')]
    months = _months(today)
    cells = len(agencies) * len(months)
    per_row, extra = max(1, dossiers // cells), dossiers % cells if dossiers >= cells else 0
    names = ", ".join(f'"{n}"' for n in COUNTERS)
    marks = ", ".join("?" * len(COUNTERS))
    for table in ("stat_daily", "stat_monthly", "stat_backlog", "stat_watermark"):
        db.execute(f'DELETE FROM "{table}"')
    db.executemany(f'INSERT INTO "stat_monthly" ("month", "agency_id", "province_code", {names}) VALUES (?, ?, ?, '
                   f'{marks})', ([m.isoformat(), a, p, *_counts(per_row + (n < extra), rng)]
                             for n, (m, (a, _, p)) in enumerate((m, a) for m in months for a in agencies)))
    daily = [a for n, (a, code, _) in enumerate(agencies) if n % DAILY_EVERY == 0 or code == MEASURED]
    days = [date.fromordinal(d) for d in range(months[0].toordinal(), today.toordinal() + 1)]
    per_day = max(1, per_row * len(months) // max(1, len(days) * len(procedures)))
    db.executemany(f'INSERT INTO "stat_daily" ("day", "agency_id", "procedure_id", {names}) VALUES (?, ?, ?, '
                   f'{marks})', ([d.isoformat(), a, p, *_counts(per_day, rng)] for a in daily for d in days
                                 for p in procedures))
    db.executemany('INSERT INTO "stat_backlog" ("agency_id", "procedure_id", "open", "overdue_open") VALUES '
                   '(?, ?, ?, ?)', ([a, procedures[0], per_row, per_row // 10] for a, _, _ in agencies))
    db.execute('INSERT INTO "stat_watermark" ("name", "last_event_id", "last_day", "run_at") VALUES (?, 0, ?, ?)',
               ["rollup", today.isoformat(), datetime.now(UTC).isoformat()])
    db.commit()
    rows = {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in ("stat_monthly",
                                                                                             "stat_daily")}
    received = db.execute('SELECT SUM("received") FROM "stat_monthly"').fetchone()[0]
    db.close()
    return {"dossiers": received, **rows}


def _ms(times: list[float], q: int) -> str:
    if len(times) == 1:
        return f"{times[0] * 1000:.1f}"
    return f"{statistics.quantiles(times, n=100, method='inclusive')[q - 1] * 1000:.1f}"


def statistics_figures(data_dir: Path, dossiers: int, n: int) -> tuple[dict[str, int], list[list[str]]]:
    """(what was seeded, rows: page, requests, first ms, p50 ms, p95 ms). ``data_dir``: a portal already migrated
    and loaded (the throughput step's)."""
    today = date.today()
    seeded = seed(data_dir / "portal.sqlite3", dossiers, today)
    month = today.strftime("%Y-%m")
    pages = [("ranking, this year", "/vi/statistics"),
             ("ranking, one month, page 5", f"/vi/statistics?period={month}&page=5"),
             ("ranking, one province", "/vi/statistics?province=01"),
             ("an agency's page", f"/vi/statistics/agencies/{MEASURED}"),
             ("open data JSON", "/api/v1/statistics/agencies?period=" + str(today.year)),
             ("open data CSV", "/api/v1/statistics/agencies.csv?period=" + str(today.year))]
    rows = []
    with start_portal(data_dir, prepared=True, extra_env={"OUTBOX_WORKER": "0"}) as portal, \
            httpx.Client(base_url=portal.base_url, timeout=120) as client:
        for label, url in pages:
            times = []
            for _ in range(n + 1):
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                response.raise_for_status()
            rows.append([label, str(n), f"{times[0] * 1000:.1f}", _ms(times[1:], 50), _ms(times[1:], 95)])
    return seeded, rows


def main() -> None:
    """``python -m tests.bench.statistics_page [--dossiers N] [-n K]``: this step alone, on a portal of its own."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("-n", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-stats-") as tmp:
        data_dir = Path(tmp)
        with start_portal(data_dir):  # migrated and the demo loaded, then stopped
            pass
        seeded, rows = statistics_figures(data_dir, options.dossiers, options.n)
    print(f"{seeded['dossiers']:,} dossiers in {seeded['stat_monthly']:,} monthly and {seeded['stat_daily']:,} "
          "daily rows (generated directly)")
    for row in rows:
        print(f"{row[0]:<28} {row[1]:>5} {row[2]:>9} {row[3]:>9} {row[4]:>9}")


if __name__ == "__main__":
    main()
