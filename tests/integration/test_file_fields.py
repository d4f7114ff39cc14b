"""Issue 18, file fields: a document asked for inside a form page (the birth registration's evidence of the
father-child relationship, when the parents are not married) is uploaded with the page, checked and stored like the
procedure's documents, listed with a link on the check page and the desk, and required when it applies; a file
refused keeps what was typed on the page."""

import html

import pytest

from backend.catalogue.models import Procedure
from backend.dossiers.models import Dossier, DossierDocument
from tests.integration.helpers import start_draft
from tests.support import CITIZEN, OFFICER, PDF, answer_pages, pdf_of_size, procedure_definition, upload_mandatory

pytestmark = pytest.mark.integration
BIRTH = "1.001193"
NOT_MARRIED = {"parents_married": "no", "father_acknowledges": "yes"}


async def _to_the_father_page(portal) -> str:
    """A draft whose parents are not married, the father acknowledging the child: every page before his answered."""
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    form = (await procedure_definition(BIRTH))["form"]
    await answer_pages(portal, code, [p for p in form if p["key"] not in ("father", "applicant")], NOT_MARRIED)
    return code


async def _father(portal, code: str, name: str, proof: tuple | None):
    files = {"father_proof": proof} if proof else {"father_proof": ("", b"", "application/octet-stream")}
    return await portal.post_form(f"/dossiers/{code}/form/father/files",
                                  {"father_full_name": name, "father_id_number": ""}, files=files)


async def test_a_required_file_is_asked_for_and_a_refused_one_keeps_what_was_typed(portal):
    code = await _to_the_father_page(portal)
    page = await portal.get(f"/dossiers/{code}/form/father")
    assert f'action="/en/dossiers/{code}/form/father/files" enctype="multipart/form-data"' in page.text
    assert 'type="file" id="father_proof" name="father_proof" accept=".pdf,.jpg,.jpeg,.png"' in page.text

    missing = await _father(portal, code, "Cầm Bá Thước", None)
    assert missing.status_code == 400
    text = html.unescape(missing.text)
    assert "Upload Evidence of the father–child relationship" in text and 'href="#father_proof"' in text
    assert 'value="Cầm Bá Thước"' in text

    wrong = await _father(portal, code, "Cầm Bá Thước", ("proof.pdf", b"<html>not a pdf</html>", "application/pdf"))
    assert wrong.status_code == 400
    text = html.unescape(wrong.text)
    assert "The selected file must be a PDF, JPG, PNG" in text and 'value="Cầm Bá Thước"' in text
    assert (await Dossier.get(code=code)).answers["father_full_name"] == "Cầm Bá Thước"  # the text is kept
    assert not await DossierDocument.filter(dossier__code=code, doc_key="father_proof").exists()

    # The procedure's own limit (max_mb), under the portal's.
    procedure = await Procedure.get(code=BIRTH)
    for page_ in procedure.form:
        for field in page_["fields"]:
            if field["name"] == "father_proof":
                field["max_mb"] = 1
    await Procedure.filter(id=procedure.id).update(form=procedure.form)
    large = await _father(portal, code, "Cầm Bá Thước", ("big.pdf", pdf_of_size(1_200_000), "application/pdf"))
    assert large.status_code == 400 and "smaller than 1 MB" in large.text

    # The Vietnamese page says it in Vietnamese.
    portal.lang = "vi"
    vietnamese = await _father(portal, code, "Cầm Bá Thước", None)
    portal.lang = "en"
    assert vietnamese.status_code == 400 and "Chứng cứ chứng minh quan hệ cha, con" in html.unescape(vietnamese.text)


async def test_a_file_kept_is_linked_on_the_check_page_and_the_desk_and_is_required_to_send(portal):
    code = await _to_the_father_page(portal)
    form = (await procedure_definition(BIRTH))["form"]
    # The father's page left without its file: the check page refuses to send.
    await _father(portal, code, "Cầm Bá Thước", None)
    await answer_pages(portal, code, [p for p in form if p["key"] == "applicant"])
    await upload_mandatory(portal, code, BIRTH)
    refused = await portal.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
    assert refused.status_code == 400
    assert f'href="/en/dossiers/{code}/form/father#father_proof"' in refused.text

    sent = await _father(portal, code, "Cầm Bá Thước", ("proof.pdf", PDF, "application/pdf"))
    assert sent.status_code == 303 or sent.status_code == 302
    assert sent.headers["location"] == f"/en/dossiers/{code}/form/applicant"
    answer = (await Dossier.get(code=code)).answers["father_proof"]
    assert answer["filename"] == "proof.pdf" and answer["size"] == len(PDF)
    page = await portal.get(f"/dossiers/{code}/form/father")
    assert f'href="/en/dossiers/{code}/files/{answer["id"]}">proof.pdf</a>' in page.text  # kept: no new choice needed
    again = await _father(portal, code, "Cầm Bá Thước", None)
    assert again.status_code in (302, 303)  # the file kept stands

    check = await portal.get(f"/dossiers/{code}/check")
    assert f'href="/en/dossiers/{code}/files/{answer["id"]}">proof.pdf</a>' in check.text
    assert (await portal.get(f"/dossiers/{code}/files/{answer['id']}")).content == PDF
    done = await portal.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
    assert done.status_code in (302, 303), done.text

    await portal.sign_in(OFFICER)
    desk = await portal.get(f"/desk/dossiers/{code}")
    assert f'href="/en/dossiers/{code}/files/{answer["id"]}">proof.pdf</a>' in desk.text
    assert (await portal.get(f"/dossiers/{code}/files/{answer['id']}")).content == PDF


async def test_a_file_for_a_question_skipped_since_is_not_sent(portal):
    code = await _to_the_father_page(portal)
    await _father(portal, code, "Cầm Bá Thước", ("proof.pdf", PDF, "application/pdf"))
    # The parents are married after all: the evidence is no longer asked for.
    await portal.post_form(f"/dossiers/{code}/form/parents", {
        "mother_full_name": "Lò Thị Hoa", "mother_id_number": "014190012345", "parents_married": "yes"})
    form = (await procedure_definition(BIRTH))["form"]
    await answer_pages(portal, code, [p for p in form if p["key"] == "applicant"])
    await upload_mandatory(portal, code, BIRTH)
    check = await portal.get(f"/dossiers/{code}/check")
    assert "proof.pdf" not in check.text and "Cầm Bá Thước" in check.text
    done = await portal.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
    assert done.status_code in (302, 303), done.text
    assert "father_proof" not in (await Dossier.get(code=code)).answers
    assert not await DossierDocument.filter(dossier__code=code, doc_key="father_proof", superseded=False).exists()
    await portal.sign_in(OFFICER)
    assert "proof.pdf" not in (await portal.get(f"/desk/dossiers/{code}")).text


async def test_a_file_field_the_official_flags_is_uploaded_anew_in_the_supplement(portal):
    code = await _to_the_father_page(portal)
    await _father(portal, code, "Cầm Bá Thước", ("proof.pdf", PDF, "application/pdf"))
    form = (await procedure_definition(BIRTH))["form"]
    await answer_pages(portal, code, [p for p in form if p["key"] == "applicant"])
    await upload_mandatory(portal, code, BIRTH)
    sent = await portal.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
    assert sent.status_code in (302, 303), sent.text

    await portal.sign_in(OFFICER)
    assert (await portal.post_form(f"/desk/dossiers/{code}/receive")).status_code == 302
    asked = await portal.post_form(f"/desk/dossiers/{code}/supplement",
                                   {"fields[]": ["father_proof"], "reason": "The DNA report is not signed."})
    assert asked.status_code == 302, asked.text

    await portal.sign_in(CITIZEN)
    fix = await portal.get(f"/dossiers/{code}/supplement")
    assert 'id="doc-father_proof"' in fix.text and 'name="doc_key" value="father_proof"' in fix.text
    early = await portal.post_form(f"/dossiers/{code}/supplement", {})
    assert early.status_code == 400 and "Upload a new Evidence of the father–child relationship" in early.text
    upload = await portal.post_form(f"/dossiers/{code}/documents", {"doc_key": "father_proof"},
                                    files={"file": ("signed.pdf", PDF, "application/pdf")})
    assert upload.status_code == 302, upload.text
    assert (await Dossier.get(code=code)).answers["father_proof"]["filename"] == "signed.pdf"
    done = await portal.post_form(f"/dossiers/{code}/supplement", {})
    assert done.status_code == 302, done.text
