"""Domain events (issue 16): side events are not status changes, and subscribers run inside the transaction.

A dossier handed to the post and delivered shows each of its statuses once in the public status (API, /track)
and in its page's timeline, where the delivery events keep their own words; a subscriber that fails undoes the
change that published its event; migration 14 gives the rows written before it their kind.
"""

from __future__ import annotations

import html
import importlib
import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from backend.core.events import EVENTS, Events
from backend.delivery.models import DeliveryBooking
from backend.dossiers.constants import Status
from backend.dossiers.events import Approved, DossierEvent, StatusChanged
from backend.dossiers.history import record
from backend.dossiers.models import Dossier, NotificationOutbox, TimelineEvent
from tests.integration.helpers import act, drive, people
from tests.integration.test_delivery import courier, deliver, handed_over, sms_code
from tests.support import CITIZEN, OFFICER

pytestmark = pytest.mark.integration


def timeline_entries(page: str) -> list[str]:
    """The headings of the dossier page's "What has happened" list, in order."""
    found = re.findall(r'<p class="timeline-status"><strong>(.*?)</strong>', page, re.S)
    return [html.unescape(" ".join(entry.split())) for entry in found]


async def test_a_dossier_handed_to_the_post_shows_each_status_once(portal) -> None:
    async with handed_over(portal) as (citizen, _officer, code):
        number = await TimelineEvent.filter(dossier__code=code).count()
        tracking = (await DeliveryBooking.get(dossier__code=code)).tracking_number
        for stage in ("accepted", "in_transit"):
            assert (await courier(portal, tracking, stage)).status_code in (302, 303)
        assert (await deliver(portal, tracking, await sms_code(portal))).status_code in (302, 303)
        assert await TimelineEvent.filter(dossier__code=code).count() == number + 3

        status = (await portal.get(f"/api/v1/dossiers/{code}/status")).json()
        assert status["status"] == "approved"
        assert [e["status"] for e in status["events"]] == ["submitted", "in_progress", "approved"]

        track = (await portal.get(f"/track?code={code}")).text
        assert track.count('class="tag tag--approved"') == 1

        entries = timeline_entries((await citizen.get(f"/my/dossiers/{code}")).text)
        assert entries == [
            "Sent, waiting for the agency to receive it", "Received, being processed", "Approved",
            "Result handed to the post", "Accepted by the post", "On its way", "Delivered",
        ]
        kinds = await TimelineEvent.filter(dossier__code=code).order_by("id").values_list("kind", "action")
        assert kinds == [("status", "submit"), ("status", "receive"), ("status", "approve"),
                         ("event", "delivery_handed_over"), ("event", "delivery_accepted"),
                         ("event", "delivery_in_transit"), ("event", "delivery_delivered")]


async def test_a_failing_subscriber_undoes_the_change_that_published_the_event(portal) -> None:
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        before = await NotificationOutbox.filter(dossier__code=code).count()
        seen: list[DossierEvent] = []

        async def refuses(event: Approved, conn) -> None:
            seen.append(event)
            raise RuntimeError("subscriber down")

        EVENTS.subscribe(Approved, refuses)
        try:
            assert (await act(officer, code, "approve", note="All in order.")).status_code == 500
        finally:
            EVENTS.unsubscribe(Approved, refuses)
        assert [type(e) for e in seen] == [Approved] and seen[0].from_status == "in_progress"
        assert (await Dossier.get(code=code)).status == "in_progress"
        assert not await TimelineEvent.filter(dossier__code=code, action="approve").exists()
        assert await NotificationOutbox.filter(dossier__code=code).count() == before


def test_subscribers_of_a_base_class_hear_every_subclass_once_most_specific_first() -> None:
    events = Events()

    async def first(event, conn) -> None: ...
    async def second(event, conn) -> None: ...

    events.subscribe(DossierEvent, second)
    events.subscribe(Approved, first)
    events.subscribe(Approved, first)  # create_app runs again in tests: still once
    assert events.subscribers(Approved) == [first, second]
    assert events.subscribers(StatusChanged) == [second]
    assert EVENTS.subscribers(Approved)[-1] is record  # the timeline and outbox row, for every dossier event


MIGRATIONS = Path(__file__).resolve().parents[2] / "backend" / "migrations" / "models"
SQLITE = SimpleNamespace(capabilities=SimpleNamespace(dialect="sqlite"))


async def test_migration_14_gives_the_delivery_rows_written_before_it_their_kind() -> None:
    conn = sqlite3.connect(":memory:")

    async def apply(number: int) -> None:
        [path] = MIGRATIONS.glob(f"{number}_*.py")
        conn.executescript(await importlib.import_module(f"backend.migrations.models.{path.stem}").upgrade(SQLITE))

    for number in range(14):
        await apply(number)
    for action in ("submit", "approve", "delivery_handed_over", "delivery_delivered", "deliveryx"):
        conn.execute('INSERT INTO "timeline_event" ("dossier_id", "action", "from_status", "to_status", "note",'
                     ' "created_at") VALUES (1, ?, \'approved\', \'approved\', \'\', \'2026-12-01 10:00:00+00:00\')',
                     (action,))
    await apply(14)
    rows = conn.execute('SELECT "action", "kind" FROM "timeline_event" ORDER BY "id"').fetchall()
    assert rows == [("submit", "status"), ("approve", "status"), ("delivery_handed_over", "event"),
                    ("delivery_delivered", "event"), ("deliveryx", "status")]
