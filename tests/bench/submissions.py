"""Dossier submissions per second through the backend services, in its own process (one database per process).

``python -m tests.bench.submissions DATABASE_URL UPLOAD_DIR -n 200 [--concurrency 1]`` against a migrated
database with the catalogue loaded. Prepares N complete drafts, one per new citizen (a citizen has at most one
draft per procedure), then times only the ``services.submit`` calls. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from tests.bench.answers import BIRTH, PDF, valid_answers


async def prepare(n: int, upload_dir: Path, phone_prefix: str) -> list[tuple]:
    from backend.accounts.models import User
    from backend.catalogue.models import Procedure
    from backend.dossiers import services
    from backend.storage import LocalStorage

    procedure = await Procedure.get(code=BIRTH)
    answers = valid_answers(procedure.form)
    drafts = []
    for i in range(n):
        user = await User.create(phone=f"{phone_prefix}{i:06d}", full_name=f"Citizen {i}")
        dossier = await services.start_or_resume_draft(user, procedure, await procedure.agency)
        dossier.answers = answers
        await dossier.save(update_fields=["answers", "updated_at"])
        for document in procedure.documents:
            if document["mandatory"]:
                await services.store_document(dossier, document["key"], "birth-notice.pdf", PDF,
                                              LocalStorage(upload_dir), 10 * 1024 * 1024)
        drafts.append((dossier, user, procedure.result_forms[0]))
    return drafts


async def submit_all(drafts: list[tuple], concurrency: int) -> tuple[float, list[float]]:
    """Submit every draft with ``concurrency`` tasks; returns (wall seconds, per-call seconds)."""
    from backend.core.clock import SYSTEM
    from backend.dossiers import services
    from backend.payments.fees import fee_due

    queue = list(reversed(drafts))
    durations: list[float] = []

    async def worker() -> None:
        while queue:
            dossier, user, result_form = queue.pop()
            start = time.perf_counter()
            problems = await services.submit(dossier, user, True, result_form, clock=SYSTEM, fee_due=fee_due)
            durations.append(time.perf_counter() - start)
            if problems:
                raise RuntimeError(f"{dossier.code} refused: {[p.message for p in problems]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, durations


async def run(database_url: str, upload_dir: Path, n: int, concurrency: int) -> dict:
    from tortoise import Tortoise, connections

    from backend.db import init_orm
    from backend.dossiers.constants import Status
    from backend.dossiers.models import Dossier

    await init_orm(database_url)
    try:
        dialect = connections.get("default").capabilities.dialect
        prepared_at = time.perf_counter()
        drafts = await prepare(n, upload_dir, phone_prefix=f"847{concurrency:02d}")
        prepare_seconds = time.perf_counter() - prepared_at
        seconds, durations = await submit_all(drafts, concurrency)
        sent = await Dossier.filter(id__in=[d.id for d, _, _ in drafts], status=Status.SUBMITTED).count()
        if sent != n:
            raise RuntimeError(f"{sent} of {n} dossiers are submitted after the run")
        cuts = statistics.quantiles(durations, n=100)
        return {
            "dialect": dialect, "n": n, "concurrency": concurrency, "seconds": seconds,
            "per_second": n / seconds, "p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000,
            "prepare_seconds": prepare_seconds,
        }
    finally:
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("upload_dir", type=Path)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.database_url, args.upload_dir, args.n, args.concurrency))))


if __name__ == "__main__":
    main()
