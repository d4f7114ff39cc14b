"""Keeping the roll-ups: each day's counters recomputed from that day's dossiers, ratings and fees, then its month.

A day's row is recomputed whole (delete, then insert), so running a day twice gives the same rows: the roll-up is
idempotent. ``run_incremental`` (the worker's job) recomputes the days that may have changed since its last run:
every day from the last run's day to today (ratings and fees write no timeline row; whatever happened since the
last run is counted on one of those days), and the sending day of every dossier whose timeline, past the watermark,
changes what was counted on that day (``RECOUNT``: a transfer moves a dossier sent days ago to another agency, a
supplement may bring its first uploaded document).
``rebuild`` recomputes a range of days (``python -m backend.manage stats-rebuild FIRST LAST``).

Days are Viet Nam's calendar days. Each counter is attributed to the day its event happened: a dossier's sending
(received, filed online, documents, pre-filled, fee), its settling (settled, on time, days, result), a rating's
giving.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.core import clock
from backend.core.clock import VIETNAM
from backend.dossiers.constants import SETTLED, Status
from backend.dossiers.models import Dossier, DossierDocument, PrefillConsent, TimelineEvent
from backend.feedback.models import Rating
from backend.payments.models import Payment, PaymentStatus
from backend.statistics.models import COUNTERS, Counts

WATERMARK = "rollup"
EVENT_BATCH = 20_000  # timeline rows read per run at most; the next run goes on from there
CHUNK = 500  # dossier ids per IN (...) look-up
RECOUNT = ("transfer", "resubmit")  # timeline actions that change what the sending day counted
OPEN = (Status.SUBMITTED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED)
Key = tuple[int, int]  # (agency_id, procedure_id)
# ``dossier.channel`` (``assisted.models.Channel``, a layer above): the counter each channel adds to.
CHANNEL_COUNTERS = {"online": "filed_by_citizen", "post_office": "filed_at_post_office", "commune": "filed_at_commune"}


def local_day(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM).date()


def window(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=VIETNAM)
    return start, start + timedelta(days=1)


def as_date(value: Any) -> date:
    """A DATE column as read back: a ``date`` on PostgreSQL, text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def sql(conn: BaseDBAsyncClient, text: str) -> str:
    """``?`` placeholders as the connection's dialect writes them (``$1``... on PostgreSQL)."""
    if conn.capabilities.dialect != "postgres":
        return text
    parts = text.split("?")
    return "".join(f"{part}${i}" if i < len(parts) else part for i, part in enumerate(parts, start=1))


def day_value(conn: BaseDBAsyncClient, day: date) -> Any:
    return day if conn.capabilities.dialect == "postgres" else day.isoformat()


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


async def _with_any(model: Any, ids: list[int], **conditions: Any) -> set[int]:
    found: set[int] = set()
    for part in _chunks(ids):
        query = model.filter(dossier_id__in=part, **conditions).distinct()
        found.update(await query.values_list("dossier_id", flat=True))
    return found


async def count_day(day: date) -> dict[Key, Counts]:
    """Every counter of ``day``, per (agency, procedure), from the dossiers, fees and ratings of that day."""
    start, end = window(day)
    rows: dict[Key, Counts] = defaultdict(Counts)
    sent = await Dossier.filter(submitted_at__gte=start, submitted_at__lt=end).exclude(status=Status.DRAFT).values(
        "id", "agency_id", "procedure_id", "channel")
    ids = [d["id"] for d in sent]
    documents = await _with_any(DossierDocument, ids, superseded=False)
    prefilled = await _with_any(PrefillConsent, ids, granted=True)
    fees = await _with_any(Payment, ids, purpose="fee")
    paid = await _with_any(Payment, ids, purpose="fee", status=PaymentStatus.PAID)
    for d in sent:
        row = rows[(d["agency_id"], d["procedure_id"])]
        row.received += 1
        row.filed_online += 1  # filed with a helper or not, every dossier here is processed online
        channel = CHANNEL_COUNTERS.get(d["channel"])
        if channel is not None:
            setattr(row, channel, getattr(row, channel) + 1)
        row.tracked_publicly += 1  # every dossier's status is public by its code
        row.digital_documents += d["id"] in documents
        row.prefilled += d["id"] in prefilled
        row.fee_due += d["id"] in fees
        row.fee_paid_online += d["id"] in paid
    settled = await Dossier.filter(settled_at__gte=start, settled_at__lt=end, status__in=list(SETTLED)).values(
        "agency_id", "procedure_id", "status", "submitted_at", "settled_at", "due_date", "result_form")
    for d in settled:
        row = rows[(d["agency_id"], d["procedure_id"])]
        row.settled += 1
        row.settled_on_time += d["due_date"] is None or day <= d["due_date"]
        if d["submitted_at"] is not None:
            row.days_to_settle_sum += max(0, (day - local_day(d["submitted_at"])).days)
        if d["status"] == Status.APPROVED:
            row.approved += 1
            row.digital_results += d["result_form"] == "online"
    rated = await Rating.filter(created_at__gte=start, created_at__lt=end).values(
        "score", "dossier__agency_id", "dossier__procedure_id")
    for r in rated:
        row = rows[(r["dossier__agency_id"], r["dossier__procedure_id"])]
        row.ratings_count += 1
        row.ratings_sum += r["score"]
    return rows


async def write_day(day: date) -> int:
    """Replace ``day``'s rows with what ``count_day`` finds; returns how many rows it wrote."""
    rows = await count_day(day)
    names = ", ".join(f'"{n}"' for n in COUNTERS)
    async with in_transaction() as conn:
        value = day_value(conn, day)
        await conn.execute_query(sql(conn, 'DELETE FROM "stat_daily" WHERE "day" = ?'), [value])
        if rows:
            marks = ", ".join("?" * (3 + len(COUNTERS)))
            await conn.execute_many(
                sql(conn, f'INSERT INTO "stat_daily" ("day", "agency_id", "procedure_id", {names}) VALUES ({marks})'),
                [[value, agency, procedure, *counts.values()] for (agency, procedure), counts in rows.items()])
    return len(rows)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


async def write_month(month: date) -> None:
    """``stat_monthly`` for ``month``: its days summed per agency, with the agency's province (for the ranking)."""
    sums = ", ".join(f'SUM(s."{n}")' for n in COUNTERS)
    names = ", ".join(f'"{n}"' for n in COUNTERS)
    async with in_transaction() as conn:
        value, end = day_value(conn, month), day_value(conn, next_month(month))
        await conn.execute_query(sql(conn, 'DELETE FROM "stat_monthly" WHERE "month" = ?'), [value])
        await conn.execute_query(sql(conn, (
            f'INSERT INTO "stat_monthly" ("month", "agency_id", "province_code", {names})'
            f' SELECT ?, s."agency_id", a."province_code", {sums} FROM "stat_daily" s'
            ' JOIN "agency" a ON a."id" = s."agency_id" WHERE s."day" >= ? AND s."day" < ?'
            ' GROUP BY s."agency_id", a."province_code"')), [value, value, end])


async def refresh_backlog(today: date) -> None:
    """Open dossiers now, and those past their due date with the clock running (not waiting on the citizen)."""
    rows = await Dossier.filter(status__in=list(OPEN)).values("agency_id", "procedure_id", "status", "due_date")
    backlog: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for d in rows:
        counts = backlog[(d["agency_id"], d["procedure_id"])]
        counts[0] += 1
        counts[1] += d["status"] != Status.SUPPLEMENT_REQUESTED and d["due_date"] is not None and d["due_date"] < today
    async with in_transaction() as conn:
        await conn.execute_query('DELETE FROM "stat_backlog"')
        if backlog:
            await conn.execute_many(
                sql(conn, 'INSERT INTO "stat_backlog" ("agency_id", "procedure_id", "open", "overdue_open")'
                          ' VALUES (?, ?, ?, ?)'),
                [[agency, procedure, n, late] for (agency, procedure), (n, late) in backlog.items()])


async def recompute(days: set[date], today: date) -> None:
    for day in sorted(days):
        await write_day(day)
    for month in sorted({month_of(day) for day in days}):
        await write_month(month)
    await refresh_backlog(today)


async def _watermark() -> tuple[int, date | None] | None:
    conn = connections.get("default")
    rows = await conn.execute_query_dict(
        sql(conn, 'SELECT "last_event_id", "last_day" FROM "stat_watermark" WHERE "name" = ?'), [WATERMARK])
    if not rows:
        return None
    return int(rows[0]["last_event_id"]), as_date(rows[0]["last_day"]) if rows[0]["last_day"] else None


async def _save_watermark(last_event_id: int, last_day: date) -> None:
    conn = connections.get("default")
    await conn.execute_query(sql(conn, (
        'INSERT INTO "stat_watermark" ("name", "last_event_id", "last_day", "run_at") VALUES (?, ?, ?, ?)'
        ' ON CONFLICT ("name") DO UPDATE SET "last_event_id" = excluded."last_event_id",'
        ' "last_day" = excluded."last_day", "run_at" = excluded."run_at"')),
        [WATERMARK, last_event_id, day_value(conn, last_day), clock.now().isoformat()])


async def run_incremental(today: date | None = None) -> int:
    """The worker's job: recompute what changed since the last run; returns how many days it recomputed."""
    today = today or clock.today()
    mark = await _watermark()
    last_id, last_day = mark if mark else (0, None)
    events = await TimelineEvent.filter(id__gt=last_id).order_by("id").limit(EVENT_BATCH).values(
        "id", "dossier_id", "action")
    if last_day is None:  # the first run: every day since the first dossier was sent
        first = await Dossier.filter(submitted_at__not_isnull=True).order_by("submitted_at").first()
        last_day = local_day(first.submitted_at) if first and first.submitted_at else today
    days = {last_day + timedelta(days=n) for n in range((today - last_day).days + 1)}
    touched = sorted({e["dossier_id"] for e in events if e["action"] in RECOUNT})
    for part in _chunks(touched):
        for sent in await Dossier.filter(id__in=part, submitted_at__not_isnull=True).values_list(
                "submitted_at", flat=True):
            days.add(local_day(sent))  # type: ignore[arg-type]
    await recompute({d for d in days if d <= today}, today)
    await _save_watermark(events[-1]["id"] if events else last_id, today)
    return len(days)


async def rebuild(first: date, last: date, today: date | None = None) -> int:
    """Recompute every day from ``first`` to ``last`` (the command line's full rebuild); returns the days done."""
    today = today or clock.today()
    days = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    await recompute(days, today)
    mark = await _watermark()
    await _save_watermark(mark[0] if mark else 0, max(today, mark[1]) if mark and mark[1] else today)
    return len(days)
