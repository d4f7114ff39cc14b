"""Web Push notifications per second: the portal's sender (pywebpush: aes128gcm + VAPID) and the whole outbox
worker (claim from the database, compose, encrypt, send, record), against a push receiver in another process
that checks every VAPID signature and decrypts every message.

    .venv/bin/python -m tests.bench.push [-n 2000] [--concurrency 16] [--json]

"per CPU second" divides by the sending process's own CPU time (the receiver runs elsewhere): pushes per
second per core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import httpx  # noqa: E402

from backend.notifications.push import Outcome, PushSender  # noqa: E402
from backend.notifications.vapid import load_or_create  # noqa: E402


def serve(devices: int) -> None:
    """The receiver process: prints its subscriptions, counts what it decrypted, exits when stdin closes."""
    from backend.sandboxes.push import PushReceiver

    async def main() -> None:
        receiver = await PushReceiver().start()
        subscriptions = [receiver.inbox.add(f"d{i}").subscription(receiver.base_url) for i in range(devices)]
        print(json.dumps(subscriptions), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        print(json.dumps({"received": len(receiver.inbox.received), "rejected": len(receiver.inbox.rejected)}))
        await receiver.stop()

    asyncio.run(main())


class Receiver:
    def __init__(self, devices: int) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.bench.push", "--serve", str(devices)],
                                        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.subscriptions = json.loads(self.process.stdout.readline())

    def close(self) -> dict:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        counts = json.loads(self.process.stdout.readline())
        self.process.wait(timeout=10)
        return counts


class Sub:  # what PushSender reads of a PushSubscription row
    def __init__(self, info: dict) -> None:
        self.endpoint, self.p256dh, self.auth = info["endpoint"], info["keys"]["p256dh"], info["keys"]["auth"]


def timed(run) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(run())
    return time.perf_counter() - wall, time.process_time() - cpu


def sender_figure(n: int, concurrency: int, keys) -> dict:
    receiver = Receiver(concurrency)
    subs = [Sub(info) for info in receiver.subscriptions]
    payload = {"title": "Hồ sơ HS-261125-ABCDEF", "body": "Cơ quan đã tiếp nhận hồ sơ của bạn.",
               "url": "/vi/my/dossiers/HS-261125-ABCDEF", "tag": "dossier-HS-261125-ABCDEF", "lang": "vi"}
    failures = 0

    async def run() -> None:
        nonlocal failures
        async with aiohttp.ClientSession() as session:
            sender = PushSender(keys, session)
            queue = iter(range(n))

            async def lane(sub: Sub) -> None:
                nonlocal failures
                for _ in queue:
                    failures += (await sender.send(sub, payload)).outcome is not Outcome.DELIVERED

            await asyncio.gather(*(lane(sub) for sub in subs))

    wall, cpu = timed(run)
    counts = receiver.close()
    return {"what": f"sender only, {concurrency} concurrent", "n": n, "seconds": wall, "cpu_seconds": cpu,
            "failures": failures, **counts}


def worker_figure(n: int, concurrency: int, keys, work: Path) -> dict:
    """The outbox worker on a fresh SQLite database: n rows for n dossiers of one citizen with one device."""
    from tortoise import Tortoise

    from backend.accounts.models import PushSubscription, User
    from backend.catalogue.loader import load_catalogue
    from backend.catalogue.models import Procedure
    from backend.db import init_orm, migrate
    from backend.demo import create_demo_users
    from backend.dossiers.models import Dossier, NotificationOutbox
    from backend.notifications.worker import OutboxWorker
    from backend.sms.gateway import HttpSmsGateway

    url = f"sqlite://{work / 'push.sqlite3'}"
    asyncio.run(migrate(url))
    receiver = Receiver(1)

    async def prepare() -> None:
        await init_orm(url)
        await load_catalogue()
        await create_demo_users()
        user = await User.get(phone="84912345678")
        await PushSubscription.create(user=user, endpoint=receiver.subscriptions[0]["endpoint"],
                                      p256dh=receiver.subscriptions[0]["keys"]["p256dh"],
                                      auth=receiver.subscriptions[0]["keys"]["auth"])
        procedure = await Procedure.get(code="1.001193")
        dossiers = [Dossier(code=f"HS-261125-B{i:05d}", procedure=procedure, agency_id=procedure.agency_id,
                            applicant=user, status="in_progress", language="vi") for i in range(n)]
        await Dossier.bulk_create(dossiers, batch_size=500)
        ids = await Dossier.all().values_list("id", flat=True)
        await NotificationOutbox.bulk_create([
            NotificationOutbox(dossier_id=i, recipient=user, event="receive", payload={"code": f"HS-{i}"})
            for i in ids], batch_size=500)
        await Tortoise.close_connections()

    asyncio.run(prepare())

    async def run() -> None:
        await init_orm(url)
        async with aiohttp.ClientSession() as session, httpx.AsyncClient() as client:
            worker = OutboxWorker(PushSender(keys, session), HttpSmsGateway("http://127.0.0.1:9", "", client),
                                  "http://localhost:8000", batch=200, concurrency=concurrency)
            while await worker.run_once():
                pass
        await Tortoise.close_connections()

    wall, cpu = timed(run)
    counts = receiver.close()
    return {"what": f"outbox worker (SQLite), {concurrency} concurrent", "n": n, "seconds": wall,
            "cpu_seconds": cpu, "failures": n - counts["received"], **counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        return serve(options.serve)
    with tempfile.TemporaryDirectory(prefix="push-bench-") as tmp:
        keys = load_or_create(Path(tmp) / "vapid.pem", "mailto:bench@portal.example.vn")
        rows = [sender_figure(options.n, options.concurrency, keys),
                worker_figure(options.n, options.concurrency, keys, Path(tmp))]
    for row in rows:
        row["per_second"] = row["n"] / row["seconds"]
        row["per_cpu_second"] = row["n"] / row["cpu_seconds"]
    if options.json:
        print(json.dumps(rows))
        return
    print(f"{'what':45} {'pushes':>7} {'seconds':>8} {'per s':>8} {'per CPU s':>10} {'decrypted':>10} {'failed':>7}")
    for r in rows:
        print(f"{r['what']:45} {r['n']:7d} {r['seconds']:8.2f} {r['per_second']:8.0f} {r['per_cpu_second']:10.0f} "
              f"{r['received']:10d} {r['failures']:7d}")


if __name__ == "__main__":
    main()
