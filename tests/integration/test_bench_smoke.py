"""``make bench`` cannot rot: its quick mode runs every step in tiny sizes and prints every figure it claims."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.bench.throughput import ROUTES
from tests.browser.served_portal import ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("TEST_ENGINE") == "postgres", reason="the bench serves SQLite: run once"),
]

SIGNING = ("render the PDF", "sign, EC P-256", "check the signature", "check the worst PDF in the check pool")
PUSH = ("sender only", "outbox worker (SQLite)")
BIG_FORMS = ("a form page of 5 (10 questions)", "the check page, 50 answers")


def test_the_quick_bench_prints_every_figure():
    env = {key: value for key, value in os.environ.items() if key not in ("TEST_DATABASE_URL", "BENCH_SECONDS")}
    done = subprocess.run([sys.executable, "tests/bench/run.py", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    output = done.stdout
    assert done.returncode == 0, f"{output[-3000:]}\n{done.stderr[-3000:]}"

    number = r"(\d+(?:\.\d+)?)"
    bare = re.search(rf"^bare Litestar GET /ping\s+{number}\s+1\.000\s", output, re.M)
    assert bare and float(bare.group(1)) > 0, output
    for label, path, _ in ROUTES:  # req/s, share of bare, p50, p95, requests, errors (none)
        row = re.search(rf"^{re.escape(label)}  GET {re.escape(path)}\s+{number}\s+{number}\s+{number}\s+{number}"
                        rf"\s+(\d+)\s+(\d+)\s*$", output, re.M)
        assert row, f"no figure for {label}:\n{output}"
        assert float(row.group(1)) > 0 and float(row.group(2)) > 0 and row.group(6) == "0", row.group(0)
    assert re.search(rf"^sqlite\s+2\s+5\s+{number}\s+{number}\s", output, re.M), "submissions per second"
    agencies = re.search(rf"^all queries\s+20\s+{number}\s+{number}\s*$", output, re.M)
    assert agencies and float(agencies.group(2)) > 0, "agency search p50 and p95"
    for label in BIG_FORMS:  # requests, mean, p50, p95 (issue 18: a 5-page form page, a check page of 50 answers)
        row = re.search(rf"^{re.escape(label)}\s+3\s+{number}\s+{number}\s+{number}\s*$", output, re.M)
        assert row and float(row.group(1)) > 0, f"no figure for {label}:\n{output}"
    for step in (*SIGNING, *PUSH):
        assert re.search(rf"^{re.escape(step)}.*\d", output, re.M), f"no figure for {step}"
