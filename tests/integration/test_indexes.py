"""Indexes and list pages at national scale (issue 15, item 5): every foreign key has an index, the hot queries
use theirs (PostgreSQL's plans, on a seeded data set), the models declare what migration 12 creates, and the
desk and "My dossiers" read a page of rows in a fixed number of queries, never a procedure's whole JSON."""

from __future__ import annotations

import logging
import os
import re
from datetime import timedelta

import pytest
from tortoise import Tortoise, connections
from tortoise.indexes import Index, PartialIndex
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.catalogue.models import Procedure
from backend.core import clock
from backend.desk import queries as desk_sql
from backend.desk import services as desk
from backend.dossiers import listing
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument, NotificationOutbox, SupplementRequest, TimelineEvent
from backend.notifications import outbox
from backend.payments.models import Payment
from backend.results.models import Result
from tests.integration.helpers import BIRTH
from tests.support import CITIZEN, OFFICER, Portal

POSTGRES = os.environ.get("TEST_ENGINE") == "postgres"
only_postgres = pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's catalogue and planner")


def _declared() -> list[tuple[str, Index]]:
    return [
        (model.describe(serializable=False)["table"], index)
        for model in Tortoise.apps["models"].values()
        for index in getattr(getattr(model, "Meta", None), "indexes", ())  # as each model declares them
        if isinstance(index, Index) and index.name
    ]


async def _indexes(table: str) -> dict[str, tuple[list[str], bool]]:
    """The table's indexes as the database has them: name -> (columns, partial)."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT i.relname AS name, x.indpred IS NOT NULL AS partial,"
            " array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)"
            "  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o) AS columns"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = $1::regclass",
            [table],
        )
        return {r["name"]: (list(r["columns"]), r["partial"]) for r in rows}
    found = {}
    for row in await conn.execute_query_dict(f'PRAGMA index_list("{table}")'):
        columns = await conn.execute_query_dict(f'PRAGMA index_info("{row["name"]}")')
        found[row["name"]] = ([c["name"] for c in sorted(columns, key=lambda c: c["seqno"])], bool(row["partial"]))
    return found


async def test_the_models_declare_the_indexes_the_migrations_create(portal: Portal):
    declared = _declared()
    assert len(declared) >= 32
    for table, index in declared:
        columns, partial = (await _indexes(table)).get(index.name, (None, None))
        assert columns == list(index.fields), f"{table}.{index.name}"
        assert partial == isinstance(index, PartialIndex), f"{table}.{index.name}"


@only_postgres
async def test_every_foreign_key_has_an_index_that_starts_with_it(portal: Portal):
    unindexed = await connections.get("default").execute_query_dict(
        "SELECT c.conrelid::regclass::text AS tbl, a.attname AS col FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " WHERE c.contype = 'f' AND NOT EXISTS (SELECT 1 FROM pg_index i"
        "  WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])"
    )
    assert unindexed == []


# A small country: 6,000 citizens, 40,000 dossiers spread over every agency and status, two timeline events
# and a document each, and a share of payments, supplements, results and sent notifications. Enough rows for
# the planner to prefer an index to reading the table, as it does at national scale.
SEED = """
INSERT INTO user_account (phone, full_name, role, created_at)
SELECT '08' || lpad(g::text, 8, '0'), 'Seed ' || g, 'citizen', now() FROM generate_series(1, 6000) g;
WITH a AS (SELECT array_agg(id ORDER BY id) ids FROM agency),
     u AS (SELECT array_agg(id ORDER BY id) ids FROM user_account WHERE phone LIKE '08%'),
     p AS (SELECT min(id) id FROM procedure)
INSERT INTO dossier (code, status, answers, result_form, created_at, updated_at, decision_reason, agency_id,
                     applicant_id, procedure_id, submitted_at, due_date, settled_at)
SELECT 'SEED-' || g, x.st, '{}', 'online', x.ts, x.ts, '', a.ids[1 + g % cardinality(a.ids)],
       u.ids[1 + g % cardinality(u.ids)], p.id, CASE WHEN x.st <> 'draft' THEN x.ts END,
       CASE WHEN x.st = 'in_progress' THEN current_date + (g % 30 - 10) END,
       CASE WHEN x.st IN ('approved', 'refused') THEN x.ts END
FROM generate_series(1, 40000) g CROSS JOIN a CROSS JOIN u CROSS JOIN p CROSS JOIN LATERAL (
  SELECT (ARRAY['submitted', 'in_progress', 'supplement_requested', 'approved', 'refused', 'draft',
                'withdrawn', 'approved'])[1 + g % 8] AS st, now() - g * interval '1 minute' AS ts) x;
INSERT INTO timeline_event (dossier_id, action, to_status, note, created_at)
SELECT d.id, 'submit', d.status, '', d.created_at + k * interval '1 hour' FROM dossier d, generate_series(1, 2) k;
INSERT INTO dossier_document (dossier_id, doc_key, filename, content_type, size, sha256, storage_name, superseded,
                              uploaded_at)
SELECT id, 'form', 'f.pdf', 'application/pdf', 1, '', '', false, created_at FROM dossier;
INSERT INTO payment (dossier_id, payer_id, txn_ref, purpose, option, amount, description, status, refund_due,
                     gateway_code, transaction_no, bank_code, created_at, expires_at)
SELECT id, applicant_id, 'T' || id, 'fee', '', 1000, '', 'paid', false, '', '', '', created_at, created_at
FROM dossier WHERE id % 4 = 0;
INSERT INTO supplement_request (dossier_id, created_by_id, documents, fields_to_fix, reason, from_status, created_at)
SELECT id, applicant_id, '[]', '[]', 'r', 'submitted', created_at FROM dossier WHERE id % 8 = 0;
INSERT INTO result (dossier_id, agency_id, code, issued_at, language, decision, storage_name, size, sha256,
                    signer_fingerprint, signer_subject, timestamped, status, revoked_reason)
SELECT id, agency_id, 'R' || id, created_at, 'vi', '', '', 1, '', '', '', false, 'valid', ''
FROM dossier WHERE status = 'approved';
INSERT INTO notification_outbox (dossier_id, recipient_id, event, payload, created_at, attempts, state, sent_at,
                                 claimed_by, channel, delivered_to, last_error)
SELECT id, applicant_id, 'x', '{}', created_at, 1, CASE WHEN id % 2000 = 0 THEN 'pending' ELSE 'sent' END,
       CASE WHEN id % 2000 <> 0 THEN created_at END, '', '', '[]', '' FROM dossier;
ANALYZE;
"""


class _Rollback(Exception):
    """Leaves the seeded rows out of every later test."""


async def _plans(queries) -> dict[str, str]:
    """``queries()`` builds them once the seeded rows are in place: the plans, then everything rolled back."""
    plans = {}
    with pytest.raises(_Rollback):
        async with in_transaction() as conn:
            await conn.execute_script(SEED)
            for name, query in (await queries()).items():
                rows = await conn.execute_query_dict("EXPLAIN " + query.sql(params_inline=True))
                plans[name] = "\n".join(row["QUERY PLAN"] for row in rows)
            raise _Rollback()
    return plans


@only_postgres
async def test_the_hot_queries_use_their_indexes(portal: Portal):
    officer = await User.get(phone="84" + OFFICER[1:])
    agency, today, now = officer.agency_id, clock.today(), clock.now()
    expected = {  # name: (query, the index its plan must name)
        "dossier by code": (Dossier.filter(code="SEED-123"), "dossier_code_key"),
        "counts of every queue, settled capped": (desk_sql.counts_query(agency, today, 1000), "idx_dossier_queue"),
        "settled, newest first": (desk_sql.page_query(agency, "settled", today), "idx_dossier_settled"),
        "timeline": (TimelineEvent.filter(dossier_id=77).order_by("created_at", "id"), "idx_timeline_dossier"),
        "documents": (DossierDocument.filter(dossier_id=77, superseded=False), "idx_dossier_document_dossier"),
        "payments": (Payment.filter(dossier_id=76).order_by("-id"), "idx_payment_dossier"),
        "supplements": (SupplementRequest.filter(dossier_id=80).order_by("-id"), "idx_supplement_dossier"),
        "results": (Result.filter(dossier_id=80).order_by("-issued_at", "-id"), "idx_result_dossier"),
        "pending notifications": (
            NotificationOutbox.filter(outbox._due(now)).order_by("id").limit(50), "idx_outbox_pending"
        ),
        "purge of old sent notifications": (  # as backend/notifications/housekeeping.py deletes them
            NotificationOutbox.filter(state=outbox.SENT, sent_at__lt=now - timedelta(days=25)), "idx_outbox_sent"
        ),
    }
    for view in ("in_progress", "due_soon", "overdue"):
        expected[f"queue: {view}"] = (desk_sql.page_query(agency, view, today), "idx_dossier_queue")
    # Their own order, without a sort of every such dossier of the agency.
    expected["queue: new"] = (desk_sql.page_query(agency, "new", today), "idx_dossier_new")
    expected["queue: supplement"] = (desk_sql.page_query(agency, "supplement", today), "idx_dossier_supplement")

    async def queries() -> dict:
        citizen = await User.get(phone="0800003000")  # a seeded citizen, with a few dossiers among 40,000
        expected["a citizen's dossiers"] = (listing.citizen_query(citizen.id, limit=21), "idx_dossier_applicant")
        return {name: query for name, (query, _) in expected.items()}

    plans = await _plans(queries)
    assert len(plans) == 16
    wrong = {
        name: plans[name]
        for name, (_, index) in expected.items()
        if index not in plans[name] or "Seq Scan" in plans[name]
    }
    assert not wrong, "\n\n".join(f"{name}:\n{plan}" for name, plan in wrong.items())


# -- the pages: a fixed number of queries, only the columns shown, and every dossier on some page


async def _dossiers(applicant: User, n: int, status: Status = Status.SUBMITTED, first: int = 0, **extra) -> list[str]:
    """``n`` dossiers of the officer's agency, sent a minute apart in the order of their codes."""
    procedure = await Procedure.get(code=BIRTH)
    start = clock.now() - timedelta(days=30)
    rows = [
        Dossier(code=f"HS-T-{status.value[:4]}-{i:04d}", procedure=procedure, agency_id=procedure.agency_id,
                applicant=applicant, status=status, submitted_at=start + timedelta(minutes=i), **extra)
        for i in range(first, first + n)
    ]
    await Dossier.bulk_create(rows)
    return [row.code for row in rows]


class _Queries(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", message, re.IGNORECASE):
            self.sql.append(message)


async def _queries(portal: Portal, url: str) -> tuple[list[str], str]:
    """The SQL one page view runs, and the page."""
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Queries(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        response = await portal.get(url)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert response.status_code == 200, url
    return handler.sql, response.text


def _codes(html: str) -> list[str]:
    return re.findall(r">(HS-T-[a-z_]+-\d{4})<", html)


async def test_the_desk_queue_pages_every_dossier_in_a_fixed_number_of_queries(portal: Portal):
    await portal.sign_in(OFFICER)
    citizen = await User.get(phone="84" + CITIZEN[1:])
    codes = await _dossiers(citizen, 5)
    few, _ = await _queries(portal, "/desk?view=new")
    codes += await _dossiers(citizen, desk.PAGE_SIZE * 4 + 3 - 5, first=5)  # 203: issue 22 lost those past 200
    many, page = await _queries(portal, "/desk?view=new")
    assert len(many) == len(few), "the queue's query count grows with its dossiers"
    assert not [q for q in many if '"form"' in q or '"documents"' in q], "a queue read a procedure's JSON"
    assert sum("COUNT(" in q.upper() for q in many) <= 1  # one statement counts every tab
    assert "Page 1 of 5" in page and 'rel="next"' in page
    seen = []
    for number in range(1, 6):
        seen += _codes((await portal.get(f"/desk?view=new&page={number}")).text)
    assert seen == codes, "a dossier beyond the first page was lost or shown twice"
    last = (await portal.get("/desk?view=new&page=5")).text
    assert "Page 5 of 5" in last and 'rel="prev"' in last and 'rel="next"' not in last
    for junk in ("0", "-3", "abc", "99999999999"):
        assert _codes((await portal.get(f"/desk?view=new&page={junk}")).text) == seen[: desk.PAGE_SIZE]


async def test_the_settled_count_is_capped_and_its_pages_still_follow(portal: Portal, monkeypatch):
    monkeypatch.setattr(desk, "SETTLED_COUNT_CAP", 3)
    monkeypatch.setattr(desk, "PAGE_SIZE", 2)
    await portal.sign_in(OFFICER)
    citizen = await User.get(phone="84" + CITIZEN[1:])
    codes = await _dossiers(citizen, 5, status=Status.APPROVED, settled_at=clock.now())
    await Dossier.filter(code=codes[0]).update(settled_at=clock.now() - timedelta(days=1))
    first = (await portal.get("/desk?view=settled")).text
    assert "(over 3)" in first and "Page 1" in first and "Page 1 of" not in first and 'rel="next"' in first
    last = (await portal.get("/desk?view=settled&page=3")).text
    assert _codes(last) == [codes[0]] and 'rel="next"' not in last  # the oldest settled, last
    with_three = (await portal.get("/desk?view=new")).text
    assert "(over 3)" in with_three  # every view shows the capped count


async def test_my_dossiers_pages_newest_first_without_procedure_json(portal: Portal):
    await portal.sign_in(CITIZEN)
    citizen = await User.get(phone="84" + CITIZEN[1:])
    await _dossiers(citizen, 3)
    few, _ = await _queries(portal, "/my/dossiers")
    await _dossiers(citizen, listing.PAGE_SIZE * 2 + 2, status=Status.IN_PROGRESS)
    many, first = await _queries(portal, "/my/dossiers")
    # One COUNT more once there is more than a page (a single page's rows are its total): never one per row.
    assert len(many) <= len(few) + 1, "My dossiers' query count grows with the dossiers"
    assert not [q for q in many if '"form"' in q or '"documents"' in q], "My dossiers read a procedure's JSON"
    assert "Page 1 of 3" in first and len(_codes(first)) == listing.PAGE_SIZE
    newest = [c for c, in await Dossier.filter(applicant=citizen).order_by("-updated_at", "-id").values_list("code")]
    shown = []
    for number in (1, 2, 3):
        shown += _codes((await portal.get(f"/my/dossiers?page={number}")).text)
    assert shown == newest


async def test_a_draft_in_my_dossiers_links_to_its_form(portal: Portal):
    await portal.sign_in(CITIZEN)
    citizen = await User.get(phone="84" + CITIZEN[1:])
    [code] = await _dossiers(citizen, 1, status=Status.DRAFT)
    first_page = (await Procedure.get(code=BIRTH)).form[0]["key"]
    assert f"/dossiers/{code}/form/{first_page}" in (await portal.get("/my/dossiers")).text
