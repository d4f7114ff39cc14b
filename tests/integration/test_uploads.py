"""Uploads are judged by their bytes and stored whole or not at all; form pages keep what was typed."""

import hashlib
import html

import pytest

from backend.dossiers.models import Dossier, DossierDocument
from tests.integration.helpers import BIRTH, PASSPORT, files_under, start_draft, upload
from tests.support import CITIZEN, JPG, PDF, PNG, fill_draft, pdf_of_size

pytestmark = pytest.mark.integration

MEDICAL = "birth_certificate_medical"  # birth registration: pdf, jpg or png
PORTRAIT = "portrait_photo"  # passport: jpg or png only
LIMIT = 10 * 1024 * 1024  # settings.upload_max_bytes


def pdf_of(size: int) -> bytes:
    return pdf_of_size(size)  # a real PDF: uploads are parsed


REJECTED = {
    "text-named-pdf": (BIRTH, MEDICAL, "notes.pdf", b"Just some text, not a PDF at all.",
                       "The selected file must be a PDF, JPG, PNG"),
    "empty": (BIRTH, MEDICAL, "empty.pdf", b"", "The selected file is empty"),
    "one-byte-too-large": (BIRTH, MEDICAL, "big.pdf", pdf_of(LIMIT + 1),
                           "The selected file must be smaller than 10 MB"),
    "pdf-for-a-photo": (PASSPORT, PORTRAIT, "portrait.pdf", PDF, "The selected file must be a JPG, PNG"),
    "pdf-renamed-jpg-for-a-photo": (PASSPORT, PORTRAIT, "portrait.jpg", PDF, "The selected file must be a JPG, PNG"),
    "unknown-document": (BIRTH, "tax_return", "tax.pdf", PDF, "This procedure does not ask for that document"),
}


@pytest.mark.parametrize(("procedure", "doc_key", "filename", "content", "message"), REJECTED.values(),
                         ids=REJECTED.keys())
async def test_a_rejected_upload_says_why_and_stores_nothing(portal, settings, procedure, doc_key, filename,
                                                             content, message):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, procedure)
    response = await upload(portal, code, doc_key, filename, content)
    assert response.status_code == 400, response.text[:300]
    assert message in html.unescape(response.text)
    assert "There is a problem" in response.text
    assert await DossierDocument.filter(dossier__code=code).count() == 0
    assert files_under(settings.upload_dir) == [], "nothing may be half-stored"


async def test_a_much_larger_file_is_refused_before_it_is_read(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    response = await upload(portal, code, MEDICAL, "huge.pdf", pdf_of(LIMIT + LIMIT // 20))  # 10.5 MB
    assert response.status_code in (400, 413), response.status_code
    assert "smaller than 10 MB" in html.unescape(response.text)
    assert await DossierDocument.filter(dossier__code=code).count() == 0
    assert files_under(settings.upload_dir) == []


async def test_a_file_of_exactly_the_limit_is_accepted(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    response = await upload(portal, code, MEDICAL, "limit.pdf", pdf_of(LIMIT))
    assert response.status_code in (302, 303), response.status_code
    assert (await DossierDocument.get(dossier__code=code)).size == LIMIT


async def test_choosing_no_file_is_refused(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    response = await portal.post_form(f"/dossiers/{code}/documents", {"doc_key": MEDICAL})
    assert response.status_code == 400 and "Select a file to upload" in response.text
    assert await DossierDocument.filter(dossier__code=code).count() == 0


async def test_a_refusal_keeps_the_earlier_uploads_on_the_page(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)  # the medical birth notice is uploaded
    earlier = await DossierDocument.get(dossier__code=code)
    on_disk = files_under(settings.upload_dir)
    response = await upload(portal, code, "marriage_certificate", "marriage.pdf", b"plain text")
    assert response.status_code == 400
    page = html.unescape(response.text)
    assert 'id="file-marriage_certificate-error"' in page and "must be a PDF, JPG, PNG" in page
    assert f"/dossiers/{code}/files/{earlier.id}" in page and earlier.filename in page
    assert [d.id for d in await DossierDocument.filter(dossier__code=code)] == [earlier.id]
    assert files_under(settings.upload_dir) == on_disk


async def test_an_accepted_upload_is_stored_exactly_once(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    response = await upload(portal, code, MEDICAL, "giay-chung-sinh.pdf", PDF)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith(f"/en/dossiers/{code}/documents")
    dossier = await Dossier.get(code=code)
    [document] = await DossierDocument.filter(dossier=dossier)
    assert (document.doc_key, document.filename, document.content_type) == (MEDICAL, "giay-chung-sinh.pdf",
                                                                           "application/pdf")
    assert document.size == len(PDF) and document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert not document.superseded
    path = settings.upload_dir / str(dossier.id) / document.storage_name
    assert files_under(settings.upload_dir) == [path]
    assert path.read_bytes() == PDF
    download = await portal.get(f"/dossiers/{code}/files/{document.id}")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"].startswith("application/pdf")


@pytest.mark.parametrize(
    ("procedure", "doc_key", "filename", "content", "content_type"),
    [(BIRTH, MEDICAL, "scan.png", PDF, "application/pdf"), (PASSPORT, PORTRAIT, "photo.pdf", PNG, "image/png"),
     (PASSPORT, PORTRAIT, "photo.png", JPG, "image/jpeg")],
    ids=["pdf-named-png", "png-named-pdf", "jpg-named-png"],
)
async def test_the_type_is_decided_by_the_content_not_the_name(portal, settings, procedure, doc_key, filename,
                                                               content, content_type):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, procedure)
    response = await upload(portal, code, doc_key, filename, content)
    assert response.status_code in (302, 303), response.text[:300]
    document = await DossierDocument.get(dossier__code=code)
    assert document.content_type == content_type
    assert document.storage_name.endswith("." + content_type.split("/")[1].replace("jpeg", "jpg"))


async def test_a_replacement_in_a_draft_deletes_the_earlier_file(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    assert (await upload(portal, code, MEDICAL, "first.pdf", PDF)).status_code in (302, 303)
    second_pdf = PDF + b"%% second\n"
    assert (await upload(portal, code, MEDICAL, "second.pdf", second_pdf)).status_code in (302, 303)
    # The agency never received the first: row and file go (issue 14); a supplement keeps what it received.
    (second,) = await DossierDocument.filter(dossier__code=code).order_by("id")
    assert (second.filename, second.superseded) == ("second.pdf", False)
    assert len(files_under(settings.upload_dir)) == 1
    page = await portal.get(f"/dossiers/{code}/documents")
    assert "second.pdf" in page.text and "first.pdf" not in page.text
    assert (await portal.get(f"/dossiers/{code}/files/{second.id}")).content == second_pdf


async def test_a_missing_answer_is_shown_next_to_its_field_and_the_rest_is_kept(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    typed = {
        "child_full_name": "",
        "child_birth_date": "2025-03-27",
        "child_gender": "female",
        "child_birth_place": "Bệnh viện Phụ sản Hà Nội",
        "child_ethnicity": "Kinh",
        "birth_circumstance": "health_facility",
    }
    response = await portal.post_form(f"/dossiers/{code}/form/child", typed)
    assert response.status_code == 400
    page = html.unescape(response.text)
    assert "There is a problem" in page
    assert 'id="child_full_name-error"' in page and 'href="#child_full_name"' in page
    assert page.count('class="error-message"') == 1, "only the missing answer is in error"
    assert 'value="Bệnh viện Phụ sản Hà Nội"' in page
    assert 'value="2025-03-27"' in page and 'value="Kinh"' in page
    assert '<option value="female" selected>' in page
    answers = (await Dossier.get(code=code)).answers
    assert answers["child_birth_place"] == "Bệnh viện Phụ sản Hà Nội" and answers["child_full_name"] == ""


async def test_a_wrong_date_keeps_what_was_typed(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    response = await portal.post_form(f"/dossiers/{code}/form/child", {
        "child_full_name": "Nguyễn Thị Mai", "child_birth_date": "31/02/2025", "child_gender": "male",
        "child_birth_place": "Hà Nội", "child_ethnicity": "Kinh",
    })
    assert response.status_code == 400
    page = html.unescape(response.text)
    assert 'id="child_birth_date-error"' in page and "must be a real date" in page
    assert 'value="31/02/2025"' in page and 'value="Nguyễn Thị Mai"' in page
    fixed = await portal.post_form(f"/dossiers/{code}/form/child", {
        "child_full_name": "Nguyễn Thị Mai", "child_birth_date": "2025-02-28", "child_gender": "male",
        "child_birth_place": "Hà Nội", "child_ethnicity": "Kinh", "birth_circumstance": "health_facility",
    })
    assert fixed.status_code in (302, 303) and fixed.headers["location"] == f"/en/dossiers/{code}/form/birth_notice"
