"""``make bench-scale`` cannot rot: the loader and the measurement run at a tiny size on PostgreSQL (a database
of their own beside the test database) and print every figure they claim."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from tests.bench.scale_measure import GOALS
from tests.browser.served_portal import ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("TEST_ENGINE") != "postgres", reason="the scale bench loads PostgreSQL"),
]

TABLES = ("user_account", "dossier", "timeline_event", "dossier_document", "payment")
KINDS = ("status look-up", "search", "my dossiers page", "desk queue page")


async def _drop(url: str) -> None:
    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    server = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await server.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    finally:
        await server.close()


def test_the_tiny_scale_bench_loads_and_prints_every_figure():
    parts = urlsplit(os.environ["TEST_DATABASE_URL"])
    url = urlunsplit(parts._replace(path=parts.path + "_scale_smoke"))  # never the test database itself
    env = {**os.environ, "SCALE_DATABASE_URL": url, "SCALE_DOSSIERS": "2000", "SCALE_CITIZENS": "300",
           "SCALE_PROCEDURES": "60", "SCALE_COMMUNES": "40", "SCALE_SAMPLES": "20"}
    try:
        done = subprocess.run([sys.executable, "-m", "tests.bench.scale"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=600)
    finally:
        asyncio.run(_drop(url))
    output = done.stdout
    assert done.returncode == 0, f"{output[-3000:]}\n{done.stderr[-3000:]}"

    number = r"(\d[\d,]*(?:\.\d+)?)"
    assert re.search(rf"^Load into PostgreSQL, {number} s in all$", output, re.M), output
    for table in TABLES:  # rows, seconds, rows per second
        row = re.search(rf"^  {table}\s+{number}\s+{number}\s+{number}$", output, re.M)
        assert row, f"no load figure for {table}:\n{output}"
        assert int(row.group(1).replace(",", "")) > 0, row.group(0)
    assert re.search(r"^  dossier\s+2,000\s", output, re.M), output
    assert re.search(r"^  procedure\s+\d+", output, re.M) and re.search(r"^  procedure_search\s+\d+", output, re.M)
    for kind in KINDS:  # requests, p50, p95, p99: every request answered 200
        row = re.search(rf"^  {re.escape(kind)}\s+(\d+)\s+{number}\s+{number}\s+{number}  (.*)$", output, re.M)
        assert row and int(row.group(1)) == 20, f"no latency for {kind}:\n{output}"
        if kind in GOALS:
            assert re.search(r"p9\d < \d+ ms: (met|NOT met)$", row.group(5)), row.group(0)
