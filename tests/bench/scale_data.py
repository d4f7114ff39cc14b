"""People and dossiers for the scale bench, written with COPY in batches of text lines.

Every column comes from the row number by arithmetic (no ORM objects, no random module): the same size always
gives the same data. Dossiers are numbered in the order they were created, over ``days`` up to now; old ones are
mostly settled, recent ones still in the queues. Agencies, procedures and applicants are skewed: the first
commune and the first citizen get far more than their share (the desk and *My dossiers* at their worst).
"""

from __future__ import annotations

import asyncio
import functools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

DAY = 86400
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as backend.dossiers.services: 32 letters, 6 of them = 2**30
ANSWERS = ('{"full_name": "Nguyễn Văn An", "address": "12 Hàng Bạc, Hoàn Kiếm"}',
           '{"full_name": "Trần Thị Bình", "birth_date": "1990-04-12"}',
           '{"full_name": "Lê Minh Châu", "reason": "Mất giấy tờ"}', '{"company": "Công ty TNHH Phú Hưng"}')
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Linh", "Minh", "Nam",
         "Ngọc", "Phúc", "Quân", "Thảo", "Trang", "Tuấn", "Vy")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Hồng")
HEAVY_CITIZEN_DOSSIERS = 2000


@dataclass
class Sizes:
    dossiers: int
    citizens: int
    days: int = 730
    batch: int = 20000


@dataclass
class Loaded:
    """What the measurement needs, and the load's figures per table."""

    officer_phone: str = ""  # the official of the agency with the most dossiers
    citizen_phone: str = ""  # the citizen with the most dossiers
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@functools.lru_cache(maxsize=8192)
def _day(day: int) -> str:
    """A day number since 1970 as ISO text; cached, since a batch's rows share a few days."""
    return datetime.fromtimestamp(day * DAY, UTC).strftime("%Y-%m-%d")


def _stamp(seconds: int) -> str:
    day, rest = divmod(seconds, DAY)
    return f"{_day(day)} {rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}+00"


def _code(i: int, day: str) -> str:
    n = (i * 0x2545F491) & 0x3FFFFFFF  # an odd multiplier: one-to-one on 30 bits, so codes never repeat
    return "HS-" + day + "-" + "".join(CODE_ALPHABET[(n >> s) & 31] for s in (25, 20, 15, 10, 5, 0))


def _skewed(i: int, count: int) -> int:
    """An index in [0, count) where the low indexes are far more frequent (square of a uniform draw)."""
    u = (i * 2654435761) % 1000
    return u * u * count // 1_000_000


class Writer:
    """One batch's COPY text per table, and the time each table's generation and COPY took."""

    def __init__(self, conn, loaded: Loaded):
        self.conn, self.loaded = conn, loaded
        self.lines: dict[str, list[str]] = {}

    async def flush(self, table: str, columns: tuple[str, ...], conn=None) -> None:
        lines = self.lines.pop(table, [])
        if not lines:
            return
        started = time.perf_counter()
        data = ("\n".join(lines) + "\n").encode()
        await (conn or self.conn).copy_to_table(table, source=_chunks(data), columns=columns, format="text")
        self.loaded.seconds[table] = self.loaded.seconds.get(table, 0) + time.perf_counter() - started
        self.loaded.rows[table] = self.loaded.rows.get(table, 0) + len(lines)


async def _chunks(data: bytes, size: int = 1 << 20):
    for start in range(0, len(data), size):
        yield data[start:start + size]


USER_COLUMNS = ("id", "phone", "full_name", "role", "created_at", "agency_id")


async def load_users(conn, agency_ids: list[int], citizens: int, loaded: Loaded) -> None:
    """One official per agency (ids 1..), then the citizens; phones 84 + 9 digits, all different."""
    started, writer = time.perf_counter(), Writer(conn, loaded)
    now = int(time.time())
    lines = writer.lines.setdefault("user_account", [])
    for n, agency_id in enumerate(agency_ids, start=1):
        lines.append(f"{n}\t8490{n:07d}\tCán bộ {n}\tofficer\t{_stamp(now - 800 * DAY)}\t{agency_id}")
    for c in range(citizens):
        name = f"{FAMILY[c % 14]} {MIDDLE[c // 14 % 8]} {GIVEN[c // 112 % 20]}"
        lines.append(f"{len(agency_ids) + 1 + c}\t8491{c:07d}\t{name}\tcitizen\t{_stamp(now - 760 * DAY + c)}\t\\N")
    await writer.flush("user_account", USER_COLUMNS)
    loaded.seconds["user_account"] = time.perf_counter() - started
    loaded.officer_phone, loaded.citizen_phone = "0900000001", "0910000000"


DOSSIER_COLUMNS = ("id", "code", "status", "answers", "result_form", "declaration_at", "created_at", "updated_at",
                   "submitted_at", "received_at", "due_date", "settled_at", "decision_reason", "agency_id",
                   "applicant_id", "procedure_id")
EVENT_COLUMNS = ("action", "from_status", "to_status", "note", "created_at", "actor_id", "dossier_id")
DOCUMENT_COLUMNS = ("doc_key", "filename", "content_type", "size", "sha256", "storage_name", "superseded",
                    "uploaded_at", "dossier_id")
PAYMENT_COLUMNS = ("txn_ref", "purpose", "option", "amount", "description", "status", "refund_due", "gateway_code",
                   "transaction_no", "bank_code", "created_at", "expires_at", "settled_at", "dossier_id", "payer_id")
# What happened to a dossier, by status: (action, from, to) in order; the first is the citizen's.
HISTORY = {
    "draft": (),
    "submitted": (("submit", "draft", "submitted"),),
    "in_progress": (("submit", "draft", "submitted"), ("receive", "submitted", "in_progress")),
    "supplement_requested": (("submit", "draft", "submitted"), ("receive", "submitted", "in_progress"),
                             ("request_supplement", "in_progress", "supplement_requested")),
    "approved": (("submit", "draft", "submitted"), ("receive", "submitted", "in_progress"),
                 ("approve", "in_progress", "approved")),
    "refused": (("submit", "draft", "submitted"), ("receive", "submitted", "in_progress"),
                ("refuse", "in_progress", "refused")),
    "withdrawn": (("submit", "draft", "submitted"), ("withdraw", "submitted", "withdrawn")),
}


def _status(i: int, age_days: int) -> str:
    r = (i * 40503) % 100
    if age_days > 60:
        return ("approved" if r < 85 else "refused" if r < 92 else "withdrawn" if r < 95 else "draft" if r < 97
                else "in_progress")  # the last: long overdue
    return ("draft" if r < 20 else "submitted" if r < 35 else "in_progress" if r < 75
            else "supplement_requested" if r < 82 else "approved" if r < 95 else "refused")


@dataclass(frozen=True)
class _Plan:
    sizes: Sizes
    agency_ids: list[int]
    procedure_ids: list[int]
    now: int

    @property
    def first_second(self) -> int:
        return self.now - self.sizes.days * DAY


def _generate(plan: _Plan, start: int, stop: int) -> tuple[dict[str, list[str]], float]:
    """COPY lines for dossiers ``start``..``stop`` and what hangs from them; and the seconds it took."""
    began, sizes, now = time.perf_counter(), plan.sizes, plan.now
    officers = len(plan.agency_ids)  # user ids 1..officers, in agency order; citizens after them
    heavy_every = max(1, sizes.dossiers // HEAVY_CITIZEN_DOSSIERS)
    dossiers, events, documents, payments = [], [], [], []
    for i in range(start, stop):
        created = plan.first_second + i * sizes.days * DAY // sizes.dossiers + 3600 * 7
        status = _status(i, (now - created) // DAY)
        a = _skewed(i, officers)
        applicant = officers + 1 + (0 if i % heavy_every == 0 else (i * 7919) % sizes.citizens)
        procedure = plan.procedure_ids[_skewed(i * 31 + 7, len(plan.procedure_ids))]
        code = _code(i + 1, _day(created // DAY)[2:].replace("-", ""))
        history = HISTORY[status]
        steps = [created + 3600, created + DAY, created + min(8 * DAY, max(2 * DAY, (now - created) // 2))]
        sent = _stamp(steps[0]) if history else "\\N"
        received = _stamp(steps[1]) if len(history) > 1 and history[1][0] == "receive" else "\\N"
        settled = _stamp(steps[2]) if status in ("approved", "refused") else "\\N"
        due = _day(steps[1] // DAY + 15) if received != "\\N" else "\\N"
        updated = _stamp(steps[len(history) - 1]) if history else _stamp(created)
        reason = "Hồ sơ không đủ điều kiện theo quy định." if status == "refused" else ""
        dossiers.append(
            f"{i + 1}\t{code}\t{status}\t{ANSWERS[i % 4]}\tonline\t{sent}\t{_stamp(created)}\t{updated}\t"
            f"{sent}\t{received}\t{due}\t{settled}\t{reason}\t{plan.agency_ids[a]}\t{applicant}\t{procedure}")
        for step, (action, before, after) in enumerate(history):
            actor = applicant if action in ("submit", "withdraw") else a + 1
            events.append(f"{action}\t{before}\t{after}\t\t{_stamp(steps[step])}\t{actor}\t{i + 1}")
        for d in range(2 if i % 10 < 7 else 1):
            documents.append(f"{'identity_card' if d else 'application_form'}\tgiay-to-{d}.pdf\tapplication/pdf\t"
                             f"{40000 + i % 90000}\t{i:060x}{d:04x}\t{i:030x}{d:02x}.pdf\tf\t"
                             f"{_stamp(created + 1800)}\t{i + 1}")
        if history and i % 2 == 0:
            payments.append(
                f"SC{i:012d}\tfee\t\t{50000 + i % 7 * 25000}\tLe phi ho so {code}\tpaid\tf\t00\t{14000000 + i}\t"
                f"NCB\t{_stamp(created + 1200)}\t{_stamp(created + 2100)}\t{_stamp(created + 1500)}\t{i + 1}\t"
                f"{applicant}")
    lines = {"dossier": dossiers, "timeline_event": events, "dossier_document": documents, "payment": payments}
    return lines, time.perf_counter() - began


CHILDREN = (("timeline_event", EVENT_COLUMNS), ("dossier_document", DOCUMENT_COLUMNS), ("payment", PAYMENT_COLUMNS))


async def load_dossiers(conn, sizes: Sizes, agency_ids: list[int], procedure_ids: list[int], loaded: Loaded,
                        connect=None) -> None:
    """Dossiers with their timeline, documents (1.7 each) and payments (one every other sent dossier).

    The next batch is generated in a thread while PostgreSQL copies this one; a batch's dossiers are copied
    first (the others' foreign keys point at them), then its three other tables at once on their own
    connections (``connect()`` opens one), so both cores work."""
    plan, writer = _Plan(sizes, agency_ids, procedure_ids, int(time.time())), Writer(conn, loaded)
    extra = [await connect() for _ in CHILDREN] if connect else [conn] * len(CHILDREN)
    starts = list(range(0, sizes.dossiers, sizes.batch))
    upcoming = None
    try:
        for k, start in enumerate(starts):
            current = upcoming or asyncio.create_task(
                asyncio.to_thread(_generate, plan, start, min(start + sizes.batch, sizes.dossiers)))
            writer.lines, generated = await current
            loaded.seconds["(generation in Python, beside COPY)"] = loaded.seconds.get(
                "(generation in Python, beside COPY)", 0) + generated
            upcoming = None
            if k + 1 < len(starts):
                stop = min(starts[k + 1] + sizes.batch, sizes.dossiers)
                upcoming = asyncio.create_task(asyncio.to_thread(_generate, plan, starts[k + 1], stop))
            await writer.flush("dossier", DOSSIER_COLUMNS)
            if connect:
                pairs = zip(CHILDREN, extra, strict=True)
                await asyncio.gather(*(writer.flush(table, columns, other) for (table, columns), other in pairs))
            else:
                for table, columns in CHILDREN:
                    await writer.flush(table, columns)
    finally:
        if connect:
            for other in extra:
                await other.close()
    await conn.execute("SELECT setval('dossier_id_seq', (SELECT coalesce(max(id), 0) + 1 FROM dossier), false);"
                       "SELECT setval('user_account_id_seq', (SELECT max(id) + 1 FROM user_account), false)")
