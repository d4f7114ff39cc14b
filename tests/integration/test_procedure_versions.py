"""Versions of a procedure (issue 18, item 4): drafts, publishing, restoring; a sent dossier keeps its version,
an open draft moves to the newest one with a notice; the API says the version; the loader records the files.
What a test publishes is undone before the next one (tests/catalogue_state.py)."""

from __future__ import annotations

import copy
import html
import json
import shutil

import pytest

from backend.catalogue import versions
from backend.catalogue.loader import DATA_DIR, PROCEDURES_DIR, load_catalogue
from backend.catalogue.models import Procedure, ProcedureVersion
from backend.dossiers.access import with_procedure
from backend.dossiers.models import Dossier
from tests.support import CITIZEN, OFFICER, fill_draft, submit_dossier

pytestmark = pytest.mark.integration
BIRTH = "1.001193"
NEW_CODE = "9.999001"


async def birth_document() -> dict:
    return copy.deepcopy((await ProcedureVersion.get(procedure_code=BIRTH, state="published")).document)


def field(document: dict, name: str) -> dict:
    return next(f for page in document["form"] for f in page["fields"] if f["name"] == name)


async def test_a_draft_changes_nothing_until_it_is_published_and_an_old_version_can_be_restored(portal):
    live = await Procedure.get(code=BIRTH)
    document = await birth_document()
    original_title = document["title"]["en"]
    document["title"]["en"] = "Registering a birth"
    draft = await versions.save_draft(BIRTH, document, None, note="New title")
    assert (draft.state, draft.source, draft.number) == ("draft", "editor", live.version + 1)
    again = await versions.save_draft(BIRTH, document, None, note="Saved again")
    assert again.number == draft.number  # the editor saving again keeps one draft
    assert (await versions.latest_draft(BIRTH)).number == draft.number
    shown = (await portal.get(f"/api/v1/procedures/{BIRTH}")).json()
    assert shown["title"] == original_title and shown["version"] == live.version

    await versions.publish(BIRTH, draft.number, None)
    shown = (await portal.get(f"/api/v1/procedures/{BIRTH}")).json()
    assert shown["title"] == "Registering a birth" and shown["version"] == draft.number
    found = (await portal.get("/api/v1/procedures", params={"q": "registering a birth"})).json()
    assert found["items"][0]["code"] == BIRTH and found["items"][0]["version"] == draft.number
    states = [(v.number, v.state) for v in await versions.history(BIRTH)]
    assert states == [(draft.number, "published"), (live.version, "archived")]

    back = await versions.restore(BIRTH, live.version, None)
    assert (back.state, back.source, back.number) == ("draft", "restore", draft.number + 1)
    edited = await versions.save_draft(BIRTH, back.document, None, note="Restored, then edited")
    assert (edited.number, edited.source) == (back.number, "restore")  # the editor goes on with the restored draft
    imported = await versions.save_draft(BIRTH, document, None, source="import")
    assert imported.number == back.number + 1  # an import never overwrites the editor's draft
    assert (await Procedure.get(code=BIRTH)).title["en"] == "Registering a birth"  # a draft is not live
    await versions.publish(BIRTH, edited.number, None)
    assert (await portal.get(f"/api/v1/procedures/{BIRTH}")).json()["title"] == original_title
    assert [c.path for c in versions.diff((await versions.version(BIRTH, draft.number)).document,
                                          edited.document)] == ["Title"]


async def test_a_document_with_problems_is_refused(portal):
    document = await birth_document()
    document["filing_level"] = "village"
    with pytest.raises(versions.DocumentRefused) as refused:
        await versions.save_draft(BIRTH, document, None)
    assert refused.value.problems
    assert await versions.latest_draft(BIRTH) is None


async def test_a_new_procedure_is_not_public_until_its_first_publish(portal):
    document = await birth_document()
    document |= {"code": NEW_CODE, "title": {"vi": "Thủ tục thử nghiệm", "en": "A trial procedure zyxwv"}}
    draft = await versions.save_draft(NEW_CODE, document, None)
    assert draft.number == 1
    procedure = await Procedure.get(code=NEW_CODE)
    assert not procedure.published and procedure.version == 0
    assert (await portal.get(f"/api/v1/procedures/{NEW_CODE}")).status_code == 404
    assert (await portal.get("/api/v1/procedures", params={"q": "zyxwv"})).json()["total"] == 0
    await versions.publish(NEW_CODE, 1, None)
    assert (await portal.get(f"/api/v1/procedures/{NEW_CODE}")).json()["version"] == 1
    assert (await portal.get("/api/v1/procedures", params={"q": "zyxwv"})).json()["total"] == 1


async def test_a_sent_dossier_keeps_the_version_it_was_started_on(portal):
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, BIRTH)
    started = (await Dossier.get(code=code)).procedure_version
    assert started == (await Procedure.get(code=BIRTH)).version
    document = await birth_document()
    field(document, "child_full_name")["label"]["en"] = "Name given to the baby"
    title = document["title"]["en"]
    document["title"]["en"] = "Registering a baby"
    await versions.publish(BIRTH, (await versions.save_draft(BIRTH, document, None)).number, None)

    receipt = await portal.get(f"/dossiers/{code}/receipt")
    assert receipt.status_code == 200 and title in receipt.text and "Registering a baby" not in receipt.text
    await portal.sign_in(OFFICER)
    desk = html.unescape((await portal.get(f"/desk/dossiers/{code}")).text)
    assert "Child's full name" in desk and "Name given to the baby" not in desk
    sent = await with_procedure(await Dossier.get(code=code))  # what the approval and the result read
    assert sent.procedure_version == started and sent.procedure.title["en"] == title
    assert field({"form": sent.procedure.form}, "child_full_name")["label"]["en"] == "Child's full name"


async def test_an_open_draft_moves_to_the_new_version_keeping_the_answers_that_fit(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)
    before = (await Dossier.get(code=code)).answers
    document = await birth_document()
    page = document["form"][0]
    gender = field(document, "child_gender")
    gender["options"] = [{"value": "boy", "label": {"vi": "Nam", "en": "Boy"}},
                         {"value": "girl", "label": {"vi": "Nữ", "en": "Girl"}}]
    applicant = next(p for p in document["form"] if p["key"] == "applicant")
    applicant["fields"] = [f for f in applicant["fields"] if f["name"] != "email"]
    field(document, "child_full_name")["hint"] = {"vi": "Có dấu.", "en": "With diacritics."}
    assert await versions.drafts_broken_by(BIRTH, document) == 1
    assert await versions.drafts_broken_by(BIRTH, await birth_document()) == 0
    await versions.publish(BIRTH, (await versions.save_draft(BIRTH, document, None)).number, None)

    response = await portal.get(f"/dossiers/{code}/form/{page['key']}")
    shown = html.unescape(response.text)
    assert response.status_code == 200 and "This service's form changed since you started" in shown
    assert "Form › page “About the child” › field “Child's full name” › hint: changed" in shown, shown
    assert "Your answer to “Email” no longer fits the form" in shown
    assert "Your answer to “Sex” no longer fits the form" in shown
    dossier = await Dossier.get(code=code)
    assert dossier.procedure_version == (await Procedure.get(code=BIRTH)).version
    assert "child_gender" not in dossier.answers and "email" not in dossier.answers and before["email"]
    assert dossier.answers["child_full_name"] == before["child_full_name"]
    assert "changed since you started" not in (await portal.get(f"/dossiers/{code}/form/{page['key']}")).text


async def test_the_api_says_each_procedure_s_version(portal):
    listed = (await portal.get("/api/v1/procedures")).json()["items"]
    assert listed and all(item["version"] >= 1 for item in listed)
    assert (await portal.get(f"/api/v1/procedures/{BIRTH}")).json()["version"] >= 1


async def test_the_loader_publishes_a_changed_file_once(portal, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / PROCEDURES_DIR / f"{BIRTH}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    live = await Procedure.get(code=BIRTH)
    await load_catalogue(data)  # unchanged: nothing recorded
    assert await ProcedureVersion.filter(procedure_code=BIRTH).count() == live.version

    document["summary"]["en"] = "Changed by a deploy."
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    await load_catalogue(data)
    newest = (await versions.history(BIRTH))[0]
    assert (newest.number, newest.source, newest.state) == (live.version + 1, "file", "published")
    assert (await Procedure.get(code=BIRTH)).summary["en"] == "Changed by a deploy."
    await load_catalogue(data)  # the same file again: no new version
    assert (await versions.history(BIRTH))[0].number == newest.number

    # An administrator's version is left alone while the file does not change.
    edited = copy.deepcopy(document)
    edited["summary"]["en"] = "Changed by an administrator."
    await versions.publish(BIRTH, (await versions.save_draft(BIRTH, edited, None)).number, None)
    await load_catalogue(data)
    assert (await Procedure.get(code=BIRTH)).summary["en"] == "Changed by an administrator."
