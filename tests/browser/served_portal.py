"""Run the portal as `make run` does (migrate, demo, serve) in a subprocess, on a free local port.

Used by the browser tests' fixture and by tests/bench/run.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from backend.settings import RATE_LIMITS

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(data_dir: Path, port: int, database_url: str | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url or f"sqlite://{data_dir / 'portal.sqlite3'}",
        "DEMO_MODE": "1",
        "PORT": str(port),
        "HOST": "127.0.0.1",  # only this machine: nothing else should reach a test server
        "BASE_URL": f"http://localhost:{port}",
        "PYTHONUNBUFFERED": "1",
        # Every browser test signs in from 127.0.0.1, dozens of times an hour, the demo lead in six of them: the limits
        # per address and per number would refuse them as they refuse an SMS pump (test_limits checks the limits).
        **{name.upper(): "100000" for name in RATE_LIMITS if name != "network_limit_factor"},
    }


def manage(command: str, env: dict[str, str]) -> None:
    """``python -m backend.manage COMMAND``; raises with its output when it fails."""
    done = subprocess.run([sys.executable, "-m", "backend.manage", command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"manage {command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Poll ``url`` until it answers 200; fail early, with the server's log, if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:]
            raise RuntimeError(f"server exited with {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s:\n{log.read_text(errors='replace')[-4000:]}")


@dataclass
class Server:
    """A server subprocess and where it answers."""

    process: subprocess.Popen
    base_url: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def start_portal(data_dir: Path, *, database_url: str | None = None, demo: bool = True, prepared: bool = False,
                 extra_env: dict[str, str] | None = None) -> Server:
    """Migrate, load the demo data (unless ``prepared`` already), serve; returns once /healthz answers.
    ``extra_env``: more settings, ``{"WORKERS": "4"}`` say."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**portal_env(data_dir, port, database_url), **(extra_env or {})}
    if not prepared:
        manage("migrate", env)
        if demo:
            manage("demo", env)
    log = data_dir / "server.log"
    process = _spawn([sys.executable, "-m", "backend.manage", "serve"], env, log)
    server = Server(process, f"http://localhost:{port}", log, env)
    try:
        wait_for(f"{server.base_url}/healthz", process, log)
    except BaseException:
        server.stop()
        raise
    return server


BARE_APP = '''
import os, uvicorn
from litestar import Litestar, get

@get("/ping")
async def ping() -> dict[str, str]:
    return {"status": "ok"}

# Same uvicorn defaults as `manage serve` (access log on), so the comparison is fair.
uvicorn.run(Litestar([ping]), host="127.0.0.1", port=int(os.environ["PORT"]), proxy_headers=True)
'''


def start_bare_litestar(work_dir: Path) -> Server:
    """A one-route Litestar app under uvicorn, started like the portal: the framework's ceiling."""
    work_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = work_dir / "bare.log"
    process = _spawn([sys.executable, "-c", BARE_APP], {**os.environ, "PORT": str(port)}, log)
    server = Server(process, f"http://localhost:{port}", log)
    try:
        wait_for(f"{server.base_url}/ping", process, log)
    except BaseException:
        server.stop()
        raise
    return server
