"""The access log (issue 21): an official's look at a citizen's dossier, documents and results is written, once per
request in one insert, flagged outside the official's assignment; the citizen's own look writes nothing."""

from __future__ import annotations

import pytest

from backend.accounts.models import AgencyRole, User
from backend.audit.models import AccessEntry
from backend.audit.routes import EXEMPT, LOGS, declared, in_scope, route_key
from backend.audit.words import REASON_LABELS
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.payments.models import Payment, Receipt
from backend.results.models import Result
from tests.integration.helpers import drive, people
from tests.integration.test_staff import make_staff
from tests.support import CITIZEN, OFFICER, OTHER_OFFICER, procedure_definition

ID_CARD = "2.001195"  # identity card renewal at the Hà Nội city police: a fixed fee, paid at the sandbox gateway

pytestmark = pytest.mark.integration


async def rows() -> list[tuple[str, str, str, bool]]:
    return [(row.what, row.reason, row.actor_role, row.flagged)
            for row in await AccessEntry.all().order_by("id")]


async def test_an_official_opening_a_dossier_is_logged_and_the_citizen_is_not(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        await AccessEntry.all().delete()  # the API calls that brought it here are accesses too
        assert (await citizen.get(f"/my/dossiers/{code}")).status_code == 200
        assert await rows() == []
        assert (await officer.get(f"/desk/dossiers/{code}")).status_code == 200
        entry = await AccessEntry.get()
        dossier = await Dossier.get(code=code)
        official = await User.get(phone="84" + OFFICER[1:])
        assert (entry.citizen_id, entry.actor_id, entry.dossier_id) == (dossier.applicant_id, official.id, dossier.id)
        assert (entry.what, entry.reason, entry.actor_role, entry.agency_id, entry.flagged) == (
            "dossier", "desk.dossier_page", "official", official.agency_id, False)
        assert entry.actor_name == official.full_name


@pytest.fixture
def writes(monkeypatch) -> list[str]:
    """Every insert statement the default connection runs from now on (bulk inserts go through execute_many)."""
    from tortoise import connections

    client = connections.get("default")
    seen: list[str] = []
    for name in ("execute_insert", "execute_many", "execute_query", "execute_script"):
        original = getattr(client, name)

        async def spied(query, *args, _original=original):
            seen.append(query)
            return await _original(query, *args)

        monkeypatch.setattr(client, name, spied)
    return seen


async def test_one_insert_per_request(portal, writes):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        writes.clear()
        assert (await officer.get(f"/desk/dossiers/{code}")).status_code == 200
        inserts = [sql for sql in writes if "access_log" in sql]
        assert len(inserts) == 1 and inserts[0].lstrip().upper().startswith("INSERT"), inserts


async def test_an_official_opening_a_dossier_assigned_to_another_is_flagged(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        other = await make_staff("0902100001", AgencyRole.OFFICIAL)
        await Dossier.filter(code=code).update(assignee_id=other.id)
        await AccessEntry.all().delete()
        assert (await officer.get(f"/desk/dossiers/{code}")).status_code == 200
        assert await rows() == [("dossier", "desk.dossier_page", "official", True)]


def app_routes(app) -> list[tuple[str, bool]]:
    """Every route of the app as ("GET /desk", guarded), OPTIONS and static files aside."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                found.append((route_key(method, route.path), bool(handler.resolve_guards())))
    return found


async def test_every_route_staff_can_open_logs_access_or_says_why_not(portal):
    routes = app_routes(portal.app)
    undeclared = [key for key, guarded in routes if in_scope(key.split(" ", 1)[1], guarded) and not declared(key)]
    assert not undeclared, ("Declare these routes in backend/audit/routes.py: LOGS (and a recipe in this file) or "
                            "EXEMPT with the reason:\n" + "\n".join(undeclared))
    keys = {key for key, _ in routes}
    stale = [key for key in [*LOGS, *EXEMPT] if key not in keys]
    assert not stale, f"no such route any more: {stale}"
    opened = {*RECIPES, *HELPER_RECIPES, *ELSEWHERE}
    assert opened == set(LOGS), f"every route that logs is opened by a test here: {set(LOGS) ^ opened}"


ELSEWHERE = {  # routes that log, whose rows another test checks
    "GET /admin/closures": "tests/integration/test_account_closure.py",
    "POST /admin/closures/{request_id:int}/take": "tests/integration/test_account_closure.py",
    "GET /admin/closures/{request_id:int}/complete": "tests/integration/test_account_closure.py",
    "POST /admin/closures/{request_id:int}/complete": "tests/integration/test_account_closure.py",
    "GET /desk/dossiers/{code:str}/identity-scan": "tests/integration/test_assisted_filing.py",
}

# Route -> (who opens it: "officer" of Hoàn Kiếm or "police" official, method, path with {birth} / {paid} / ...,
# form, the reason the row must carry). {birth}: an approved birth registration at Hoàn Kiếm; {paid}: an identity
# card renewal with its fee paid, at the city police.
RECIPES: dict[str, tuple[str, str, str, dict | None, str]] = {
    "GET /desk/dossiers/{code:str}": ("officer", "GET", "/desk/dossiers/{birth}", None, "desk.dossier_page"),
    "POST /desk/dossiers/{code:str}/assign": ("officer", "POST", "/desk/dossiers/{birth}/assign", {"assignee": ""},
                                              "desk.assign"),
    "POST /desk/dossiers/{code:str}/supplement": ("officer", "POST", "/desk/dossiers/{birth}/supplement", {},
                                                  "desk.request_supplement"),
    "POST /desk/dossiers/{code:str}/{action:str}": ("officer", "POST", "/desk/dossiers/{birth}/refuse", {},
                                                    "desk.decide"),
    "POST /desk/dossiers/{code:str}/transfer": ("officer", "POST", "/desk/dossiers/{birth}/transfer", {},
                                                "desk.transfer"),
    "POST /desk/dossiers/{code:str}/results/issue": ("officer", "POST", "/desk/dossiers/{birth}/results/issue", {},
                                                     "desk.issue_result"),
    "POST /desk/dossiers/{code:str}/results/{result_code:str}/revoke": (
        "officer", "POST", "/desk/dossiers/{birth}/results/{result}/revoke", {}, "desk.revoke_result"),
    "POST /desk/dossiers/{code:str}/delivery/handover": (
        "officer", "POST", "/desk/dossiers/{birth}/delivery/handover", {}, "delivery.hand_over"),
    "POST /desk/dossiers/{code:str}/delivery/new-code": (
        "officer", "POST", "/desk/dossiers/{birth}/delivery/new-code", {}, "delivery.new_handover_code"),
    "GET /desk/search": ("officer", "GET", "/desk/search?q={birth}", None, "desk.search_page"),
    "POST /desk/payments/{txn_ref:str}": ("police", "POST", "/desk/payments/{txn_ref}", {"action": "none"},
                                          "payments.desk_payment_action"),
    "GET /payments/receipts/{number:str}": ("police", "GET", "/payments/receipts/{receipt}", None,
                                            "payments.receipt_page"),
    "GET /dossiers/{code:str}/files/{document_id:int}": ("officer", "GET", "/dossiers/{birth}/files/{document}", None,
                                                         "journey.download"),
    "GET /dossiers/{code:str}/result": ("officer", "GET", "/dossiers/{birth}/result", None, "results.result_page"),
    "GET /dossiers/{code:str}/result.pdf": ("officer", "GET", "/dossiers/{birth}/result.pdf", None,
                                            "results.download_current"),
    "GET /dossiers/{code:str}/results/{result_code:str}": ("officer", "GET", "/dossiers/{birth}/results/{result}",
                                                           None, "results.download_one"),
    "POST /api/v1/dossiers/{code:str}/actions/{action:str}": (
        "officer", "API", "/api/v1/dossiers/{birth}/actions/receive", None, "journey.dossier_action"),
}


async def test_each_route_that_logs_writes_its_row(portal):
    async with people(portal, CITIZEN, OFFICER, OTHER_OFFICER) as (citizen, officer, police):
        birth = await drive(citizen, officer, Status.APPROVED)
        paid = await drive(citizen, police, Status.SUBMITTED, ID_CARD)
        dossier = await Dossier.get(code=birth)
        payment = await Payment.get(dossier__code=paid)
        names = {"birth": birth, "result": (await Result.get(dossier_id=dossier.id)).code,
                 "document": (await DossierDocument.filter(dossier_id=dossier.id).first()).id,
                 "txn_ref": payment.txn_ref, "receipt": (await Receipt.get(payment_id=payment.id)).number}
        browsers = {"officer": officer, "police": police}
        actors = {name: await User.get(phone="84" + phone[1:]) for name, phone in (("officer", OFFICER),
                                                                                  ("police", OTHER_OFFICER))}
        wrong = []
        for key, (who, method, path, form, reason) in RECIPES.items():
            await AccessEntry.all().delete()
            url = path.format(**names)
            browser = browsers[who]
            if method == "GET":
                response = await browser.get(url)
            elif method == "API":
                response = await browser.api("POST", url, json={})
            else:
                response = await browser.post_form(url, form)
            found = [(row.what, row.reason, row.actor_id, row.citizen_id) for row in await AccessEntry.all()]
            expected = (LOGS[key], reason, actors[who].id, dossier.applicant_id)
            if found != [expected]:
                wrong.append(f"{key} ({response.status_code}): {found} instead of [{expected}]")
        assert not wrong, "\n".join(wrong)


LEAD, POLICE_LEAD, COLLEAGUE = "0902100002", "0902100003", "0902100004"  # no other test signs in with these


async def test_the_lead_sees_the_agencys_accesses_and_no_other_agencys(portal):
    await make_staff(LEAD, AgencyRole.LEAD, name="Trần Văn Lãnh")
    await make_staff(POLICE_LEAD, AgencyRole.LEAD, agency="P01-CA", name="Công an Trưởng")
    colleague = await make_staff(COLLEAGUE, AgencyRole.OFFICIAL, name="Ngô Thị Đồng")
    async with people(portal, CITIZEN, OFFICER, COLLEAGUE, LEAD) as (citizen, officer, other, lead):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        await Dossier.filter(code=code).update(assignee_id=colleague.id)  # the colleague's now
        await AccessEntry.all().delete()
        assert (await officer.get(f"/desk/dossiers/{code}")).status_code == 200  # flagged: not theirs
        assert (await other.get(f"/desk/dossiers/{code}")).status_code == 200  # theirs: not flagged
        assert (await other.get("/desk/access")).status_code == 403, "officials do not read the log"
        assert "/desk/access" in (await lead.get("/desk")).text, "the queue leads the lead there"

        shown = await lead.get("/desk/access")
        assert shown.status_code == 200
        assert shown.text.count(code) == 2 and "Ngô Thị Đồng" in shown.text
        assert "Opened the dossier on the desk" in shown.text
        assert shown.text.count("<strong>Flagged</strong>") == 1
        flagged = (await lead.get("/desk/access?flagged=1")).text
        assert flagged.count(code) == 1 and "Ngô Thị Đồng" not in flagged.split("<tbody>")[1]
        only = (await lead.get(f"/desk/access?official={colleague.id}")).text
        assert only.count(code) == 1 and "Only Ngô Thị Đồng." in only

        await lead.sign_in(POLICE_LEAD)  # another agency's lead: nothing of it, even asking for the official
        theirs = await lead.get("/desk/access")
        assert theirs.status_code == 200 and code not in theirs.text and "Nothing here." in theirs.text
        assert code not in (await lead.get(f"/desk/access?official={colleague.id}")).text


# A helper at a post office with the citizen's live consent (issue 20), in this order: the draft's pages, the cash
# counter, then the paper result at the counter. {code}: the draft filed with help; {page}: its form's first page.
HELPER_RECIPES: dict[str, tuple[str, str, dict | None, str]] = {
    "GET /dossiers/{code:str}/form/{page_key:str}": ("GET", "/dossiers/{code}/form/{page}", None,
                                                     "journey.form_page"),
    "POST /dossiers/{code:str}/form/{page_key:str}": ("POST", "/dossiers/{code}/form/{page}", {},
                                                      "journey.save_form_page"),
    "POST /dossiers/{code:str}/form/{page_key:str}/files": ("POST", "/dossiers/{code}/form/{page}/files", {},
                                                            "journey.save_form_page_with_files"),
    "GET /dossiers/{code:str}/documents": ("GET", "/dossiers/{code}/documents", None, "journey.documents_page"),
    "POST /dossiers/{code:str}/documents": ("POST", "/dossiers/{code}/documents", {}, "journey.upload_document"),
    "GET /dossiers/{code:str}/check": ("GET", "/dossiers/{code}/check", None, "journey.check_page"),
    "POST /dossiers/{code:str}/submit": ("POST", "/dossiers/{code}/submit", {}, "journey.submit"),
    "GET /dossiers/{code:str}/declare/code": ("GET", "/dossiers/{code}/declare/code", None, "journey.code_page"),
    "POST /dossiers/{code:str}/declare/code": ("POST", "/dossiers/{code}/declare/code", {"code": "000000"},
                                               "journey.check_code"),
    "GET /dossiers/{code:str}/declare/paper": ("GET", "/dossiers/{code}/declare/paper", None, "journey.paper_page"),
    "POST /dossiers/{code:str}/declare/paper": ("POST", "/dossiers/{code}/declare/paper", {},
                                                "journey.declare_on_paper"),
    "GET /helper/dossiers/{code:str}/cash": ("GET", "/helper/dossiers/{code}/cash", None, "assisted.cash_page"),
    "POST /helper/dossiers/{code:str}/cash": ("POST", "/helper/dossiers/{code}/cash", {"taken": "yes", "amount": "1"},
                                              "assisted.take_cash"),
    "GET /helper/receipts/{number:str}": ("GET", "/helper/receipts/{receipt}", None, "assisted.cash_receipt"),
    "GET /dossiers/{code:str}/declare/sent": ("GET", "/dossiers/{code}/declare/sent", None, "journey.helper_status"),
    "GET /helper/dossiers/{code:str}/filing-receipt.pdf": ("GET", "/helper/dossiers/{code}/filing-receipt.pdf", None,
                                                           "assisted.helper_filing_receipt"),
    "POST /helper/results/arrived": ("POST", "/helper/results/arrived", {"arrived_code": "{code}"},
                                     "assisted.result_arrived"),
    "POST /helper/results/collect": ("POST", "/helper/results/collect", {"dossier_code": "{code}",
                                                                        "handover_code": "{handover}"},
                                     "assisted.result_collected"),
}
"""Each opened by the helper writes exactly one row: the citizen's, the helper's, with this reason."""
HELPER_WHAT = {"GET /helper/receipts/{number:str}": "payment", "POST /helper/results/arrived": "result",
               "POST /helper/results/collect": "result"}


async def test_each_route_a_helper_opens_writes_its_row(portal):
    from tests.integration.test_assisted_counter import HELPER, _collection_code, at_counter

    async with people(portal, CITIZEN, HELPER) as (lan, helper_browser):
        _, dossier, (helper,), _ = await at_counter(lan, HELPER)
        definition = await procedure_definition(ID_CARD)
        names = {"code": dossier.code, "page": definition["form"][0]["key"]}
        wrong = []
        for key, (method, path, form, reason) in HELPER_RECIPES.items():
            if key == "GET /helper/receipts/{number:str}":
                names["receipt"] = (await Receipt.get(dossier_id=dossier.id)).number
            if key == "POST /helper/results/arrived":
                await Dossier.filter(id=dossier.id).update(status=Status.APPROVED)
            if key == "POST /helper/results/collect":
                names["handover"] = await _collection_code(portal, dossier.code)
            await AccessEntry.all().delete()
            url = path.format(**names)
            if method == "GET":
                response = await helper_browser.get(url)
            else:
                response = await helper_browser.post_form(url, {k: v.format(**names) for k, v in (form or {}).items()})
            found = [(row.what, row.reason, row.actor_id, row.actor_role, row.citizen_id, row.flagged)
                     for row in await AccessEntry.all()]
            expected = (HELPER_WHAT.get(key, "dossier"), reason, helper.id, "helper", dossier.applicant_id, False)
            if found != [expected]:
                wrong.append(f"{key} ({response.status_code}): {found} instead of [{expected}]")
        assert not wrong, "\n".join(wrong)


async def test_the_citizens_own_look_writes_nothing(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.APPROVED)
        dossier = await Dossier.get(code=code)
        document = await DossierDocument.filter(dossier_id=dossier.id).first()
        await AccessEntry.all().delete()
        for path in (f"/my/dossiers/{code}", f"/dossiers/{code}/files/{document.id}", f"/dossiers/{code}/result",
                     f"/dossiers/{code}/result.pdf", "/my/dossiers"):
            assert (await citizen.get(path)).status_code == 200, path
        assert await rows() == []


async def test_a_failed_write_is_logged_and_the_page_is_served(portal, caplog):
    """The database refuses the insert (a trigger, as a full disk or a lost connection would): the page is served,
    the error log says which accesses were lost."""
    from tortoise import connections

    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    if postgres:
        await conn.execute_script(
            "CREATE FUNCTION refuse_access_log() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ "
            "LANGUAGE plpgsql; CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log "
            "FOR EACH ROW EXECUTE FUNCTION refuse_access_log();")
    else:
        await conn.execute_script("CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log "
                                  "BEGIN SELECT RAISE(ABORT, 'refused'); END;")
    try:
        async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
            code = await drive(citizen, officer, Status.IN_PROGRESS)
            caplog.clear()
            shown = await officer.get(f"/desk/dossiers/{code}")
            assert shown.status_code == 200 and code in shown.text
        assert await AccessEntry.all().count() == 0
        lost = [r for r in caplog.records if r.name == "backend.audit.log" and r.levelname == "ERROR"]
        assert lost and "1 entries NOT written" in lost[0].getMessage() and "desk.dossier_page" in lost[0].getMessage()
    finally:
        await conn.execute_script("DROP TRIGGER refuse_access_log ON access_log; DROP FUNCTION refuse_access_log();"
                                  if postgres else "DROP TRIGGER refuse_access_log;")


def test_every_logged_screen_has_plain_words():
    reasons = {recipe[-1] for recipe in [*RECIPES.values(), *HELPER_RECIPES.values()]}
    assert reasons - set(REASON_LABELS) == set(), "add them to backend/audit/words.py"


async def test_the_rows_are_written_after_the_page_is_sent(portal, writes):
    """The ASGI messages of a desk page and the statements run, in one timeline: the last byte of the page goes
    out before the access log's insert."""
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        cookie = "; ".join(f"{name}={value}" for name, value in officer.client.cookies.items())
        writes.clear()
        sent: list[str] = writes  # one timeline: statements and messages in the order they happen

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                sent.append(f"start {message['status']}")
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                sent.append("last byte")

        path = f"/en/desk/dossiers/{code}"
        await portal.app({"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                          "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
                          "root_path": "", "headers": [(b"host", b"portal.local"), (b"cookie", cookie.encode())],
                          "client": ("127.0.0.1", 50000), "server": ("portal.local", 80)}, receive, send)
        assert "start 200" in sent
        inserts = [i for i, item in enumerate(sent) if "access_log" in item]
        assert len(inserts) == 1 and sent.index("last byte") < inserts[0], sent
