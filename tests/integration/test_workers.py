"""``manage serve`` with WORKERS=2: two web processes answer, and one outbox worker beside them does the jobs.

The portal is served as ``make run`` serves it (a subprocess, demo data, SQLite in a temporary folder), so this
runs once, on SQLite, whatever the engine of the test session.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from tests.bench.seed import submitted_dossier
from tests.browser.served_portal import start_portal

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("TEST_ENGINE") == "postgres", reason="served on SQLite: the SQLite pass runs it"),
]


def test_two_web_processes_answer_and_notifications_go_out_once(tmp_path):
    with start_portal(tmp_path / "portal", extra_env={"WORKERS": "2", "OUTBOX_WORKER": "1"}) as portal:
        with httpx.Client(base_url=portal.base_url, timeout=30) as client:  # one kept-alive connection
            times = []
            for _ in range(21):
                started = time.perf_counter()
                assert client.get("/healthz").status_code == 200
                times.append(time.perf_counter() - started)
            assert client.get("/vi/").status_code == 200
        # Without TCP_NODELAY every answer waited for the client's delayed ACK: 40 ms each (backend.serving).
        assert sorted(times)[10] < 0.035, f"median {sorted(times)[10] * 1000:.0f} ms per request"
        code = submitted_dossier(portal.base_url)  # signs in, fills, uploads, sends: across both processes

        database = sqlite3.connect(tmp_path / "portal" / "portal.sqlite3")
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                rows = database.execute(
                    "SELECT o.state, o.attempts FROM notification_outbox o JOIN dossier d ON d.id = o.dossier_id "
                    "WHERE d.code = ?", (code,)).fetchall()
                if rows and all(state != "pending" for state, _ in rows):
                    break
                time.sleep(0.5)
        finally:
            database.close()
        assert rows and all(state == "sent" and attempts == 1 for state, attempts in rows), rows

        log = portal.log.read_text(errors="replace")
        web = set(re.findall(r"Started server process \[(\d+)\]", log))
        assert len(web) == 2, log[-3000:]
        for pid in web:  # no web process runs the outbox worker: the one ``manage worker`` does
            assert b"OUTBOX_WORKER=0" in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        workers = re.findall(r"outbox worker (\S+) started", log)
        assert len(workers) == 1, f"one outbox worker for the machine: {workers}"
