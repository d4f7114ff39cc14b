"""``make bench``'s public statistics step cannot rot: in tiny sizes it seeds the roll-ups, serves the pages and
prints a time for each (tests/bench/statistics_page.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.browser.served_portal import ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("TEST_ENGINE") == "postgres", reason="the bench serves SQLite: run once"),
]
PAGES = ("ranking, this year", "ranking, one month, page 5", "ranking, one province", "an agency's page",
         "open data JSON", "open data CSV")


def test_the_statistics_bench_prints_every_page():
    env = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "tests.bench.statistics_page", "--dossiers", "200000", "-n", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert re.search(r"^200,000 dossiers in [\d,]+ monthly and [\d,]+ daily rows", done.stdout, re.M), done.stdout
    number = r"(\d+\.\d)"
    for label in PAGES:
        row = re.search(rf"^{re.escape(label)}\s+2\s+{number}\s+{number}\s+{number}\s*$", done.stdout, re.M)
        assert row and float(row.group(2)) > 0, f"no figure for {label}:\n{done.stdout}"
