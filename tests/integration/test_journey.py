"""The whole journey of issue 2 through the pages: find, apply, supplement, approve, track, rate."""

import pytest

from tests.support import APPROVAL, CITIZEN, OFFICER, PDF, fill_draft, procedure_definition

pytestmark = pytest.mark.integration
BIRTH = "1.001193"


async def test_citizen_and_official_settle_a_birth_registration(portal):
    # Find it without accents.
    found = (await portal.get("/api/v1/procedures", params={"q": "dang ky khai sinh"})).json()
    assert found["items"][0]["code"] == BIRTH
    page = await portal.get("/procedures", params={"q": "dang ky khai sinh"})
    assert "Đăng ký khai sinh" in page.text

    # Apply, upload, check, declare, submit.
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)
    check = await portal.get(f"/dossiers/{code}/check")
    assert check.status_code == 200 and "Check your answers" in check.text
    refused = await portal.post_form(f"/dossiers/{code}/submit", {"result_form": "online"})
    assert refused.status_code == 400 and "Confirm that the information you gave is true" in refused.text
    definition = await procedure_definition(BIRTH)
    sent = await portal.post_form(
        f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": definition["result_forms"][0]}
    )
    assert sent.headers["location"] == f"/en/dossiers/{code}/receipt"
    receipt = await portal.get(f"/dossiers/{code}/receipt")
    assert code in receipt.text and "What happens next" in receipt.text

    # The official receives it and asks for a supplement.
    await portal.sign_in(OFFICER)
    queue = await portal.get("/desk")
    assert code in queue.text
    assert (await portal.post_form(f"/desk/dossiers/{code}/receive")).status_code == 302
    doc_key = definition["documents"][0]["key"]
    field = definition["form"][0]["fields"][0]["name"]
    asked = await portal.post_form(
        f"/desk/dossiers/{code}/supplement",
        {
            "documents[]": [doc_key],
            "fields[]": [field],
            "reason": "The photo is blurred; the name is misspelt.",
        },
    )
    assert asked.status_code == 302, asked.text

    # The citizen sees exactly what to fix, fixes only that, resubmits.
    await portal.sign_in(CITIZEN)
    mine = await portal.get(f"/my/dossiers/{code}")
    assert "The photo is blurred" in mine.text
    fix = await portal.get(f"/dossiers/{code}/supplement")
    assert f'id="{field}"' in fix.text and f"doc-{doc_key}" in fix.text
    early = await portal.post_form(f"/dossiers/{code}/supplement", {field: "Nguyễn Văn Bình"})
    assert early.status_code == 400 and "Upload a new" in early.text
    upload = await portal.post_form(
        f"/dossiers/{code}/documents", {"doc_key": doc_key}, files={"file": ("clear.pdf", PDF)}
    )
    assert upload.status_code == 302
    done = await portal.post_form(f"/dossiers/{code}/supplement", {field: "Nguyễn Văn Bình"})
    assert done.status_code == 302, done.text

    # The official approves.
    await portal.sign_in(OFFICER)
    assert (await portal.post_form(f"/desk/dossiers/{code}/approve", {**APPROVAL, "note": "Done"})).status_code == 302

    # The citizen sees the timeline and rates it.
    await portal.sign_in(CITIZEN)
    mine = await portal.get(f"/my/dossiers/{code}")
    for label in ("Sent, waiting", "Received, being processed", "needs more from you", "Approved"):
        assert label in mine.text
    rated = await portal.post_form(f"/my/dossiers/{code}/rating", {"score": "5", "comment": "Fast"})
    assert rated.status_code == 302

    # Anyone can look the status up, without personal data.
    await portal.sign_out()
    status = (await portal.get(f"/api/v1/dossiers/{code}/status")).json()
    assert status["status"] == "approved"
    assert "Nguyễn" not in str(status) and "0912" not in str(status)
    track = await portal.get("/track", params={"code": code})
    assert "Approved" in track.text
