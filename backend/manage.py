"""Command line: ``python -m backend.manage migrate|demo|serve|worker|stats-rebuild``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Any

from backend.settings import Settings


async def _with_orm(settings: Settings, job):
    from tortoise import Tortoise

    from backend.db import init_orm

    await init_orm(settings.database_url)
    try:
        return await job()
    finally:
        await Tortoise.close_connections()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend.manage")
    parser.add_argument("command", choices=["migrate", "demo", "serve", "worker", "stats-rebuild"])
    parser.add_argument("days", nargs="*", help="stats-rebuild: the first and last day (YYYY-MM-DD) to recompute")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command in ("serve", "worker"):
        from backend.core.calendar import HolidaysUnknown, require_years
        from backend.core.clock import SYSTEM

        try:
            require_years(SYSTEM.today())  # before any process starts: says which year to add, and where
        except HolidaysUnknown as exc:
            sys.exit(str(exc))
    if args.command == "migrate":
        from backend.db import migrate

        applied = asyncio.run(migrate(settings.database_url))
        print(f"migrations applied: {', '.join(applied) if applied else 'none (up to date)'}")
    elif args.command == "demo":
        from backend.demo import load_demo

        counts = asyncio.run(_with_orm(settings, lambda: load_demo(settings)))
        print("demo data loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    elif args.command == "worker":
        from backend.deployment import refuse_unsafe
        from backend.notifications.standalone import run_worker
        from backend.privacy.jobs import privacy_jobs
        from backend.privacy.retention import rules as retention_rules
        from backend.storage import open_storage
        from backend.subscribers import register_all

        refuse_unsafe(settings)
        retention_rules()  # a retention file it cannot apply stops the worker too
        register_all()  # its jobs settle payments, which publishes events
        jobs = privacy_jobs(open_storage(settings))  # data exports, retention, account closures
        asyncio.run(_with_orm(settings, lambda: run_worker(settings, jobs)))
    elif args.command == "stats-rebuild":
        from datetime import date, timedelta

        from backend.notifications.job_lock import alone
        from backend.statistics.rollup import rebuild

        if len(args.days) != 2:
            sys.exit("stats-rebuild FIRST LAST: the first and last day to recompute, as YYYY-MM-DD")
        first, last = (date.fromisoformat(day) for day in args.days)

        async def rebuild_alone() -> int | None:  # the worker's roll-up job takes the same lock
            async with alone("statistics roll-up", lease=timedelta(hours=6)) as mine:
                return await rebuild(first, last) if mine else None

        done = asyncio.run(_with_orm(settings, rebuild_alone))
        if done is None:
            sys.exit("the worker is rolling the statistics up right now: try again in a few minutes")
        print(f"statistics recomputed for {done} days")
    else:
        serve(settings)


def serve(settings: Settings) -> None:
    """uvicorn, with ``WORKERS`` processes. With more than one, each builds its own app from the environment
    (``backend.app:create_app``), and the outbox worker (notifications and periodic jobs) runs once beside them
    as ``manage worker``, not in every web process."""
    import subprocess

    import uvicorn

    from backend.app import create_app
    from backend.deployment import demo_exposure_warning, listen_host

    app = create_app(settings)  # refuses unsafe settings outside demo mode, naming each problem
    host = listen_host(settings, os.environ)
    if warning := demo_exposure_warning(settings, host):
        print(warning, file=sys.stderr, flush=True)
        logging.getLogger("backend").warning(warning)
    options: dict[str, Any] = {"host": host, "port": int(os.environ.get("PORT", "8000")), "proxy_headers": True}
    if settings.workers == 1:
        uvicorn.run(app, **options)
        return
    from backend.notifications.runtime import vapid_keys
    from backend.results.pki import Pki

    vapid_keys(settings), Pki(settings)  # keys made on first run: made once here, before processes race for them
    worker = None
    if settings.outbox_worker:
        os.environ["OUTBOX_WORKER"] = "0"  # read by every web process; the one worker below does the jobs
        worker = subprocess.Popen([sys.executable, "-m", "backend.manage", "worker"], env=os.environ.copy())
    try:
        # The shared socket lacks TCP_NODELAY: without this protocol every response waits 40 ms (backend.serving).
        uvicorn.run("backend.app:create_app", factory=True, workers=settings.workers,
                    http="backend.serving:NoDelayH11Protocol", **options)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()

if __name__ == "__main__":
    main()
