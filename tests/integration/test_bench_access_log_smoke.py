"""``make bench``'s access-log step cannot rot: on a fresh portal it times the writer's own code and prints what a
page pays (tests/bench/access_log.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.browser.served_portal import ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("TEST_ENGINE") == "postgres", reason="the bench uses SQLite: run once"),
]


def test_the_access_log_bench_prints_its_figures():
    env = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "tests.bench.access_log", "--runs", "5"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    call = re.search(r"^access log \(sqlite\): record\(\) into the request's buffer: (\d+\.\d) µs a call$",
                     done.stdout, re.M)
    assert call and float(call.group(1)) > 0, done.stdout
    for rows in ("1 row", "30 rows"):
        found = re.search(rf"^access log \(sqlite\): one insert of {rows} after the response: p50 (\d+\.\d\d) ms, "
                          r"p95 (\d+\.\d\d) ms \(5 runs\)$", done.stdout, re.M)
        assert found and float(found.group(1)) > 0, done.stdout
