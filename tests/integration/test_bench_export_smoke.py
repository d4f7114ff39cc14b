"""``make bench``'s data-export step cannot rot: on a fresh portal it seeds a citizen with a few dossiers, builds
their copy with the worker's code and prints the time (tests/bench/data_export.py)."""

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


def test_the_export_bench_prints_its_time():
    env = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "tests.bench.data_export", "--dossiers", "4", "--runs", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    found = re.search(r"^data export 4 dossiers: median (\d+\.\d\d) s, worst (\d+\.\d\d) s, ZIP (\d+\.\d) MB",
                      done.stdout, re.M)
    assert found and float(found.group(1)) > 0 and float(found.group(3)) > 0, done.stdout
