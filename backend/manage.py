"""Command line: ``python -m backend.manage migrate|demo|serve|worker``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

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
    parser.add_argument("command", choices=["migrate", "demo", "serve", "worker"])
    args = parser.parse_args(argv)
    settings = Settings.from_env()
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

        refuse_unsafe(settings)
        asyncio.run(_with_orm(settings, lambda: run_worker(settings)))
    else:
        import uvicorn

        from backend.app import create_app
        from backend.deployment import demo_exposure_warning, listen_host

        app = create_app(settings)  # refuses unsafe settings outside demo mode, naming each problem
        host = listen_host(settings, os.environ)
        if warning := demo_exposure_warning(settings, host):
            print(warning, file=sys.stderr, flush=True)
            logging.getLogger("backend").warning(warning)
        uvicorn.run(
            app,
            host=host,
            port=int(os.environ.get("PORT", "8000")),
            proxy_headers=True,
        )


if __name__ == "__main__":
    main()
