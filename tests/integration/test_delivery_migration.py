"""Migration 7 on SQLite: delivery times written before with another offset than UTC are rewritten in UTC.

SQLite keeps times as text and compares the text: "10:00+07:00" (03:00 UTC) sorts after "09:30+00:00". The real
migration SQL of 0 to 6, then 7, runs against a SQLite database holding rows written the old way.
"""

from __future__ import annotations

import importlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).resolve().parents[2] / "backend" / "migrations" / "models"
SQLITE = SimpleNamespace(capabilities=SimpleNamespace(dialect="sqlite"))


async def apply(conn: sqlite3.Connection, number: int) -> None:
    [path] = MIGRATIONS.glob(f"{number}_*.py")
    module = importlib.import_module(f"backend.migrations.models.{path.stem}")
    conn.executescript(await module.upgrade(SQLITE))


async def test_times_with_an_offset_are_rewritten_in_utc_and_compare_as_instants() -> None:
    conn = sqlite3.connect(":memory:")
    for number in range(7):
        await apply(conn, number)
    booking_times = {  # as Tortoise wrote them (isoformat(" ")), some with the Hà Nội offset
        "status_at": "2026-11-26 10:00:00.250000+07:00",
        "handed_over_at": "2026-11-26 08:00:00+07:00",
        "delivered_at": None,
        "created_at": "2026-11-25 23:30:00.000001-05:00",
        "updated_at": "2026-11-26 02:00:00.5+00:00",
    }
    conn.execute(
        'INSERT INTO "delivery_booking" ("dossier_id", "recipient", "phone", "province_code", "province_name",'
        ' "ward_code", "ward_name", "street", "time_window", "fee", "payment_method", "paid", "status",'
        ' "handover_nonce", "handover_code_hash", ' + ", ".join(f'"{c}"' for c in booking_times) + ")"
        " VALUES (1, 'Lan', '84912345678', '01', 'Hà Nội', '00004', 'Ba Đình', '12 Hàng Bông', 'morning',"
        " 25000, 'cod', 0, 'in_transit', 'n', 'h', ?, ?, ?, ?, ?)",
        tuple(booking_times.values()),
    )
    events = [("e1", "2026-11-26 10:00:00+07:00", "2026-11-26 03:00:01.123456+00:00"),
              ("e2", "2026-11-26 09:30:00+00:00", "2026-11-26 16:30:02+07:00")]
    for event_id, occurred, received in events:
        conn.execute(
            'INSERT INTO "delivery_event" ("booking_id", "event_id", "stage", "occurred_at", "received_at",'
            ' "payload") VALUES (1, ?, \'accepted\', ?, ?, \'{}\')',
            (event_id, occurred, received),
        )

    await apply(conn, 7)

    row = conn.execute(
        'SELECT ' + ", ".join(f'"{c}"' for c in booking_times) + ' FROM "delivery_booking"'
    ).fetchone()
    assert dict(zip(booking_times, row, strict=True)) == {
        "status_at": "2026-11-26 03:00:00.250000+00:00",
        "handed_over_at": "2026-11-26 01:00:00+00:00",
        "delivered_at": None,
        "created_at": "2026-11-26 04:30:00.000001+00:00",
        "updated_at": "2026-11-26 02:00:00.5+00:00",  # UTC already: untouched
    }
    for original, stored in zip(booking_times.values(), row, strict=True):  # the same instants
        assert original is None or datetime.fromisoformat(original) == datetime.fromisoformat(stored)
    stored = conn.execute('SELECT "event_id", "occurred_at", "received_at" FROM "delivery_event"').fetchall()
    assert stored == [("e1", "2026-11-26 03:00:00+00:00", "2026-11-26 03:00:01.123456+00:00"),
                      ("e2", "2026-11-26 09:30:00+00:00", "2026-11-26 09:30:02+00:00")]
    # Compared as text, as Tortoise's filters do on SQLite: 03:00 UTC is now before 09:30 UTC.
    later = datetime(2026, 11, 26, 5, tzinfo=UTC).isoformat(" ")
    before = conn.execute('SELECT "event_id" FROM "delivery_event" WHERE "occurred_at" <= ?', (later,)).fetchall()
    assert before == [("e1",)]
    order = conn.execute('SELECT "event_id" FROM "delivery_event" ORDER BY "occurred_at"').fetchall()
    assert order == [("e1",), ("e2",)]
