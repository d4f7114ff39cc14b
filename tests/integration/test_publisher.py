"""The procedure editor (issue 18): an administrator creates a procedure, edits its sections (every save a draft
version), is refused bad input with messages next to the fields and what was typed kept, publishes, reads the
history, compares two versions and restores one; citizens and officials are turned away, an agency administrator
edits only their agency's procedures."""

from __future__ import annotations

import re

import pytest

from backend.accounts.models import AgencyRole
from backend.catalogue.models import Procedure, ProcedureVersion
from tests.integration.helpers import people
from tests.integration.test_staff import make_staff
from tests.support import CITIZEN, OFFICER

pytestmark = pytest.mark.integration

ADMIN = "0900000000"
AGENCY_ADMIN = "0902000001"
BIRTH = "1.001193"  # Hoàn Kiếm ward
CRIMINAL_RECORD = "3.000333"  # Hà Nội police
BASE = "/admin/procedures"
NEW = "9.990001"
DETAILS = {
    "code": NEW, "title-vi": "Cấp bản sao trích lục", "title-en": "Copies of an extract",
    "summary-vi": "Cấp bản sao trích lục hộ tịch.", "summary-en": "Issues copies of a civil-status extract.",
    "applicants-vi": "Công dân", "applicants-en": "Citizens", "agency": "P01-W-HOANKIEM",
    "filing_level": "commune", "filing_kind": "people_committee", "processing_days": "2",
    "legal_basis": "Luật Hộ tịch số 60/2014/QH13\nNghị định số 123/2015/NĐ-CP", "faq-count": "1",
}


async def post(who, path: str, data: dict):
    return await who.post_form(BASE + path, data)


def redirected(response) -> None:
    assert response.status_code in (302, 303), response.text[-3000:]


def to_check(page: str) -> int:
    """The count at the top of the list: "3 procedures are to be checked..." (0 when it is not shown)."""
    found = re.search(r"(\d+) procedures? (is|are) to be checked", page)
    return int(found.group(1)) if found else 0


async def newest(code: str) -> ProcedureVersion:
    return await ProcedureVersion.filter(procedure_code=code).order_by("-number").first()


async def test_every_page_of_an_existing_procedure_opens(portal):
    async with people(portal, ADMIN) as (admin,):
        for path in ("", "?q=khai+sinh", "/new", f"/{BIRTH}", f"/{BIRTH}/sections/details",
                     f"/{BIRTH}/sections/documents", f"/{BIRTH}/sections/fee", f"/{BIRTH}/sections/delivery",
                     f"/{BIRTH}/sections/result", f"/{BIRTH}/form", f"/{BIRTH}/form/1", f"/{BIRTH}/form/1/fields/1",
                     f"/{BIRTH}/form/1/fields/new", f"/{BIRTH}/publish", f"/{BIRTH}/versions",
                     f"/{BIRTH}/versions/compare"):
            response = await admin.get(BASE + path)
            assert response.status_code == 200, (path, response.text[-3000:])
        found = await admin.get(BASE + "?q=khai+sinh")
        assert BIRTH in found.text and CRIMINAL_RECORD not in found.text


async def test_an_administrator_creates_edits_publishes_and_restores_a_procedure(portal):
    async with people(portal, ADMIN) as (admin,):
        redirected(await post(admin, "/new", DETAILS))
        procedure = await Procedure.get(code=NEW)
        assert not procedure.published and (await newest(NEW)).state == "draft"
        assert "Copies of an extract" in (await admin.get(f"{BASE}/{NEW}")).text

        redirected(await post(admin, f"/{NEW}/sections/documents", {
            "doc-count": "1", "doc-0-name-vi": "Giấy tờ tùy thân", "doc-0-name-en": "Identity paper",
            "doc-0-mandatory": "yes", "doc-0-types[]": ["pdf", "jpg"], "doc-0-max_mb": "5"}))
        added = await post(admin, f"/{NEW}/form", {"title-vi": "Yêu cầu", "title-en": "Request", "key": "request"})
        assert added.headers["location"] == f"/en{BASE}/{NEW}/form/1"  # the new page, to add its questions
        redirected(await post(admin, f"/{NEW}/form/1/fields/new", {
            "name": "copies", "type": "number", "label-vi": "Số bản sao", "label-en": "Number of copies",
            "required": "yes", "integer": "yes", "min": "1", "max": "10", "rule-count": "1"}))
        redirected(await post(admin, f"/{NEW}/form/1/fields/new", {
            "name": "married", "type": "yesno", "label-vi": "Đã kết hôn?", "label-en": "Married?",
            "required": "yes", "rule-count": "1"}))
        redirected(await post(admin, f"/{NEW}/form", {"title-vi": "Vợ chồng", "title-en": "Spouse"}))
        redirected(await post(admin, f"/{NEW}/form/2/fields/new", {
            "name": "spouse_id", "type": "identity", "label-vi": "Số định danh của vợ/chồng",
            "label-en": "Spouse's ID number", "required": "yes", "rule-count": "1"}))
        redirected(await post(admin, f"/{NEW}/form/2", {
            "title-vi": "Vợ chồng", "title-en": "Spouse", "rule-count": "2",
            "rule-0-field": "married", "rule-0-op": "in", "rule-0-values": "yes", "rule-1-field": ""}))
        redirected(await post(admin, f"/{NEW}/sections/fee", {
            "amount": "8000", "per_field": "copies", "per_unit": "copy", "rate-count": "1", "rate-0-from": "2",
            "rate-0-amount": "8000", "group-count": "1", "province-count": "1"}))
        redirected(await post(admin, f"/{NEW}/sections/delivery", {"result_forms[]": ["online", "office"]}))
        redirected(await post(admin, f"/{NEW}/sections/result", {
            "title-vi": "Bản sao trích lục", "title-en": "Extract copy", "official-count": "2",
            "official-0-key": "register_number", "official-0-label-vi": "Số đăng ký",
            "official-0-label-en": "Registration number", "official-0-required": "yes",
            "line-count": "3", "line-0-label-vi": "Số bản", "line-0-label-en": "Copies",
            "line-0-shows": "answer:copies",
            "line-1-label-vi": "Số đăng ký", "line-1-shows": "official:register_number", "line-2-shows": "agency"}))
        draft = await newest(NEW)
        document = draft.document
        assert draft.number == 1 and draft.state == "draft"  # the editor keeps saving into its one draft
        assert document["documents"][0] == {"key": "identity_paper", "mandatory": True, "types": ["pdf", "jpg"],
                                            "name": {"vi": "Giấy tờ tùy thân", "en": "Identity paper"}, "max_mb": 5}
        assert [p["key"] for p in document["form"]] == ["request", "spouse"]
        assert document["form"][1]["show_if"] == [{"field": "married", "in": ["yes"]}]
        assert document["fee_schedule"]["per"] == {"field": "copies", "unit": "copy",
                                                   "rates": [{"from": 2, "amount": 8000}]}
        assert document["result_forms"] == ["online", "office"]
        assert [list(line)[-1] for line in document["result"]["lines"]] == ["answer", "official"]

        overview = await admin.get(f"{BASE}/{NEW}")
        assert "Publish draft 1" in overview.text and "Not published yet" in overview.text
        redirected(await post(admin, f"/{NEW}/publish", {}))
        procedure = await Procedure.get(code=NEW)
        assert procedure.published and procedure.version == 1 and procedure.fee == 8000
        assert (await portal.get(f"/procedures/{NEW}")).status_code == 200  # the public page

        to_check_before = to_check((await admin.get(BASE)).text)
        taken = await post(admin, "/new", DETAILS)
        assert taken.status_code == 400 and f"A procedure with code {NEW} already exists" in taken.text
        changed = {**DETAILS, "title-en": "Copies of a civil-status extract", "to_check": "yes",
                   "check_note": "Code not yet in the national database"}
        del changed["code"]
        redirected(await post(admin, f"/{NEW}/sections/details", changed))
        assert (await newest(NEW)).number == 2
        listed = await admin.get(f"{BASE}?q={NEW}")
        assert to_check(listed.text) == to_check_before + 1 and "To be checked</strong>" in listed.text
        assert "Code not yet in the national database" in (await admin.get(f"{BASE}/{NEW}")).text
        history = await admin.get(f"{BASE}/{NEW}/versions")
        assert "Live" in history.text and "Draft" in history.text and "Editor" in history.text
        compare = await admin.get(f"{BASE}/{NEW}/versions/compare?old=1&new=2")
        assert "Title: changed" in compare.text and "Copies of a civil-status extract" in compare.text

        redirected(await post(admin, f"/{NEW}/versions/1/restore", {}))
        restored = await newest(NEW)
        assert restored.number == 3 and restored.source == "restore"
        assert restored.document["title"]["en"] == "Copies of an extract"
        listed = await admin.get(f"{BASE}?q={NEW}")
        assert "Draft 3 waiting" in listed.text


async def test_bad_input_is_refused_next_to_its_field_and_kept(portal):
    async with people(portal, ADMIN) as (admin,):
        before = await ProcedureVersion.filter(procedure_code=BIRTH).count()
        response = await post(admin, f"/{BIRTH}/sections/details", {
            **{k: v for k, v in DETAILS.items() if k != "code"}, "processing_days": "three", "title-vi": ""})
        assert response.status_code == 400
        assert "There is a problem" in response.text and 'href="#processing_days"' in response.text
        assert 'id="processing_days-error"' in response.text and 'value="three"' in response.text
        assert "Summary" in response.text and "Công dân" in response.text  # the rest as typed

        # The document's own checks: a fee per copy counts a number question, not a text one.
        response = await post(admin, f"/{BIRTH}/sections/fee", {
            "amount": "5000", "per_field": "child_full_name", "per_unit": "copy", "rate-count": "1",
            "rate-0-from": "1", "rate-0-amount": "5000", "group-count": "1", "province-count": "1"})
        assert response.status_code == 400 and "There is a problem" in response.text
        assert "counts a number field" in response.text and 'value="5000"' in response.text
        response = await post(admin, f"/{BIRTH}/form/1/fields/new", {
            "name": "child_full_name", "type": "select", "label-vi": "", "options": "a | A", "rule-count": "1"})
        assert response.status_code == 400 and 'id="label-vi-error"' in response.text
        assert await ProcedureVersion.filter(procedure_code=BIRTH).count() == before  # nothing saved


async def test_publishing_asks_to_confirm_when_open_drafts_break(portal, monkeypatch):
    from backend.catalogue import versions

    async def two(code, document):
        return 2

    monkeypatch.setattr(versions, "drafts_broken_by", two)
    async with people(portal, ADMIN) as (admin,):
        changed = {k: v for k, v in DETAILS.items() if k not in ("code", "agency")} | {"agency": "P01-W-HOANKIEM"}
        redirected(await post(admin, f"/{BIRTH}/sections/details", changed))
        page = await admin.get(f"{BASE}/{BIRTH}/publish")
        assert "2 citizens&#39; drafts no longer fit" in page.text or "2 citizens' drafts" in page.text
        refused = await post(admin, f"/{BIRTH}/publish", {})
        assert refused.status_code == 400 and 'href="#confirm"' in refused.text
        assert (await newest(BIRTH)).state == "draft"
        redirected(await post(admin, f"/{BIRTH}/publish", {"confirm": "yes"}))
        assert (await newest(BIRTH)).state == "published"


async def test_citizens_and_officials_are_turned_away(portal):
    for phone in (CITIZEN, OFFICER):
        async with people(portal, phone) as (someone,):
            assert (await someone.get(BASE)).status_code == 403
            assert (await someone.get(f"{BASE}/{BIRTH}")).status_code == 403
            assert (await post(someone, f"/{BIRTH}/versions/1/restore", {})).status_code == 403
    await portal.sign_out()
    assert (await portal.get(BASE)).status_code in (302, 303, 401)  # sent to sign in


async def test_an_agency_administrator_edits_only_their_agencys_procedures(portal):
    await make_staff(AGENCY_ADMIN, AgencyRole.AGENCY_ADMIN)
    async with people(portal, AGENCY_ADMIN) as (agency_admin,):
        listed = await agency_admin.get(BASE)
        assert listed.status_code == 200 and BIRTH in listed.text and CRIMINAL_RECORD not in listed.text
        assert (await agency_admin.get(f"{BASE}/{BIRTH}/sections/fee")).status_code == 200
        assert (await agency_admin.get(f"{BASE}/{CRIMINAL_RECORD}")).status_code == 403
        refused = await post(agency_admin, "/new", {**DETAILS, "agency": "P01-CA"})
        assert refused.status_code == 400 and "your own agency" in refused.text
        moved = {k: v for k, v in DETAILS.items() if k != "code"} | {"agency": "P01-CA"}
        refused = await post(agency_admin, f"/{BIRTH}/sections/details", moved)
        assert refused.status_code == 400 and "your own agency" in refused.text


async def test_conditions_are_edited_and_a_move_that_breaks_one_is_refused(portal):
    async with people(portal, ADMIN) as (admin,):
        before = await ProcedureVersion.filter(procedure_code=BIRTH).count()
        question = await admin.get(f"{BASE}/{BIRTH}/form/3/fields/2")  # the witness's ID: once a name is given
        assert '<option value="witness_full_name" selected>' in question.text
        assert '<option value="answered" selected>' in question.text
        # Page 2 (on a birth at a health facility) cannot come before page 1, where that is asked.
        refused = await post(admin, f"/{BIRTH}/form/order", {"action": "up:1"})
        assert refused.status_code == 400 and "There is a problem" in refused.text
        assert "no field “birth_circumstance” is asked before this" in refused.text
        refused = await post(admin, f"/{BIRTH}/form/3/order", {"action": "up:1"})
        assert refused.status_code == 400 and 'id="order"' in refused.text and "Page 3: " in refused.text
        assert await ProcedureVersion.filter(procedure_code=BIRTH).count() == before

        # A question asked only when the mother's ID is not given, and moved down, then removed.
        redirected(await post(admin, f"/{BIRTH}/form/5/fields/new", {
            "name": "mother_address", "type": "textarea", "label-vi": "Nơi cư trú của mẹ",
            "label-en": "Mother's address", "max_length": "200", "rule-count": "1",
            "rule-0-field": "mother_id_number", "rule-0-op": "unanswered"}))
        fields = (await newest(BIRTH)).document["form"][4]["fields"]
        assert fields[-1] == {"name": "mother_address", "type": "textarea", "required": False, "max_length": 200,
                              "label": {"vi": "Nơi cư trú của mẹ", "en": "Mother's address"},
                              "show_if": [{"field": "mother_id_number", "answered": False}]}
        redirected(await post(admin, f"/{BIRTH}/form/5/order", {"action": "up:3"}))
        assert [f["name"] for f in (await newest(BIRTH)).document["form"][4]["fields"]][-2:] == [
            "mother_address", "parents_married"]
        redirected(await post(admin, f"/{BIRTH}/form/5/order", {"action": "remove:2"}))
        assert "mother_address" not in str((await newest(BIRTH)).document["form"][4])
