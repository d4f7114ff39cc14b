"""``make bench``: how long a citizen's copy of their data takes to build (issue 21, goal: under a minute for a
citizen with 50 dossiers). A fresh SQLite portal with the demo data, then a citizen given ``--dossiers`` sent
dossiers (answers, two scanned documents each, a signed result for every other one, a payment, a timeline), and
another citizen with dossiers of their own; the worker's own code (``export.ask`` then ``build_next``) is timed.
The files are random bytes of a scan's size: they do not compress, as real scans do not.

    python -m tests.bench.data_export [--dossiers 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from backend.accounts.models import SignInEvent, User  # noqa: E402
from backend.catalogue.models import Procedure  # noqa: E402
from backend.core import clock  # noqa: E402
from backend.db import orm_lifespan  # noqa: E402
from backend.dossiers.constants import Status  # noqa: E402
from backend.dossiers.models import Dossier, DossierDocument, TimelineEvent  # noqa: E402
from backend.dossiers.storage import document_key  # noqa: E402
from backend.payments.models import Payment, PaymentStatus  # noqa: E402
from backend.privacy import export  # noqa: E402
from backend.privacy.models import DataExport  # noqa: E402
from backend.results.models import Result  # noqa: E402
from backend.results.services import ResultIssuer  # noqa: E402
from backend.storage import LocalStorage  # noqa: E402
from tests.browser.served_portal import manage, portal_env  # noqa: E402

SCAN = 250 * 1024  # a phone photo of a paper, as uploads usually are
RESULT = 80 * 1024
PROCEDURE = "1.001193"  # birth registration


async def seed_citizen(phone: str, dossiers: int, storage: LocalStorage) -> User:
    user = await User.create(phone=phone, full_name=f"Citizen {phone[-4:]}")
    procedure = await Procedure.get(code=PROCEDURE)
    now = clock.now()
    for number in range(dossiers):
        dossier = await Dossier.create(
            code=f"HS-BENCH-{phone[-4:]}-{number:04d}", procedure_id=procedure.id, agency_id=procedure.agency_id,
            applicant_id=user.id, status=Status.APPROVED if number % 2 else Status.IN_PROGRESS,
            answers={"child_full_name": f"Nguyễn Văn {number}", "child_birth_date": "2026-01-15",
                     "birth_place": "Bệnh viện Phụ sản Hà Nội", "mother_full_name": "Nguyễn Thị Lan",
                     "father_full_name": "Trần Văn Minh", "relationship": "mother"},
            submitted_at=now - timedelta(days=number), settled_at=now if number % 2 else None)
        for doc in range(2):
            row = await DossierDocument.create(
                dossier_id=dossier.id, doc_key=f"doc{doc}", filename=f"scan-{doc}.pdf", content_type="application/pdf",
                size=SCAN, sha256=secrets.token_hex(32), storage_name=f"{secrets.token_hex(16)}.pdf")
            await storage.put(document_key(row), os.urandom(SCAN))
        for action, before, after in (("submit", "draft", "submitted"), ("receive", "submitted", "in_progress")):
            await TimelineEvent.create(dossier_id=dossier.id, action=action, from_status=before, to_status=after)
        await Payment.create(txn_ref=f"B{phone[-4:]}{number:06d}", dossier_id=dossier.id, payer_id=user.id,
                             purpose="fee", amount=8000, description="Lệ phí", status=PaymentStatus.PAID,
                             expires_at=now, settled_at=now)
        if number % 2:
            result = await Result.create(
                code=f"KQ-BENCH-{phone[-4:]}-{number:04d}", dossier_id=dossier.id, agency_id=procedure.agency_id,
                issued_at=now, language="vi", storage_name=f"{secrets.token_hex(16)}.pdf", size=RESULT,
                sha256=secrets.token_hex(32), signer_fingerprint="bench")
            await storage.put(ResultIssuer.key(result), os.urandom(RESULT))
    for _ in range(30):
        await SignInEvent.create(user_id=user.id, method="code", user_agent="Chrome on Android")
    return user


async def measure(database_url: str, data_dir: Path, dossiers: int, runs: int) -> list[tuple[float, int]]:
    storage = LocalStorage(data_dir)
    async with orm_lifespan(database_url):
        citizen = await seed_citizen("84915299001", dossiers, storage)
        await seed_citizen("84915299002", 10, storage)  # someone else's data sits beside it
        figures = []
        for _ in range(runs):
            started = time.perf_counter()
            made, _new = await export.ask(citizen, "vi")
            assert await export.build_next(storage, "bench")
            seconds = time.perf_counter() - started
            row = await DataExport.get(id=made.id)
            if row.state.value != "ready":
                raise SystemExit(f"the export did not build: {row.state} {row.error}")
            figures.append((seconds, row.size))
        return figures


def export_figures(work: Path, dossiers: int, runs: int) -> tuple[float, float, int]:
    """(median seconds, worst seconds, ZIP bytes) for a citizen with ``dossiers`` dossiers."""
    work.mkdir(parents=True, exist_ok=True)
    env = portal_env(work, 0)
    manage("migrate", env)
    manage("demo", env)
    figures = asyncio.run(measure(env["DATABASE_URL"], work, dossiers, runs))
    times = [seconds for seconds, _ in figures]
    return statistics.median(times), max(times), figures[-1][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-export-bench-") as tmp:
        median, worst, size = export_figures(Path(tmp), options.dossiers, options.runs)
    print(f"\nData export (tests/bench/data_export.py): a citizen with {options.dossiers} dossiers, "
          f"{options.dossiers * 2} scanned documents, {options.dossiers // 2} signed results, {options.runs} runs")
    print(f"data export {options.dossiers} dossiers: median {median:.2f} s, worst {worst:.2f} s, "
          f"ZIP {size / 1_000_000:.1f} MB (goal: under 60 s)")


if __name__ == "__main__":
    main()
