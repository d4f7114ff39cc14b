"""Signed results: issued on approval, downloaded by the citizen, verified by anyone, revoked and re-issued.

Signatures are checked with pyHanko directly, against the portal's own demo authority read from its data folder.
"""

from __future__ import annotations

import html
import io
import re
import stat
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, NotificationOutbox
from backend.results.constants import ResultStatus
from backend.results.models import Result, ResultFailure
from backend.results.pdf import ResultContent, render
from backend.results.pki import create_ca, issue_certificate, make_signer
from backend.results.signing import sign_pdf
from backend.settings import Settings
from tests.integration.helpers import BIRTH, act, drive, people, upload
from tests.support import (
    APPROVAL,
    CITIZEN,
    OFFICER,
    OTHER_CITIZEN,
    OTHER_OFFICER,
    fill_draft,
    procedure_definition,
    served,
)

pytestmark = pytest.mark.integration

MEDICAL = "birth_certificate_medical"
MARRIAGE = "marriage_certificate"


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.text))


def portal_root(settings: Settings) -> asn1_x509.Certificate:
    pem = (settings.pki_dir / "ca.pem").read_bytes()
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


async def pyhanko_status(pdf: bytes, root: asn1_x509.Certificate):
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
    return await async_validate_pdf_signature(signature, context)


def link_uris(pdf: bytes) -> list[str]:
    reader = PdfFileReader(io.BytesIO(pdf))
    uris = []
    for page_ref in reader.root["/Pages"]["/Kids"]:
        for annotation in page_ref.get_object().get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


async def approve(officer, code: str, note: str = "All in order."):
    response = await officer.post_form(f"/desk/dossiers/{code}/approve", {**APPROVAL, "note": note})
    assert response.status_code in (302, 303), response.text[:500]
    return response


@asynccontextmanager
async def approved(portal, citizen_phone: str = CITIZEN):
    """A dossier received, then approved by the official through the desk page; returns the browsers and code."""
    async with people(portal, citizen_phone, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        await approve(officer, code)
        yield citizen, officer, code


async def check_file(who, content: bytes, name: str = "result.pdf"):
    await who.get("/results/verify")
    return await who.post_form("/results/verify", files={"file": (name, content, "application/pdf")})


def one_byte_changed(pdf: bytes) -> bytes:
    """Flip one byte inside the first content stream: still a PDF, no longer what was signed."""
    start = pdf.index(b"stream\n") + len(b"stream\n") + 20
    changed = bytearray(pdf)
    changed[start] ^= 0x01
    return bytes(changed)


def unsigned_pdf(code: str = "KQ-000000-TESTTEST") -> bytes:
    from datetime import UTC, datetime

    return render(ResultContent(
        code=code, dossier_code="HS-000000-TEST00", procedure={"vi": "Thử", "en": "Test"},
        agency={"vi": "Cơ quan lạ", "en": "Unknown agency"}, applicant="Nguyễn Văn A", decision="",
        issued_at=datetime.now(UTC), verify_url=f"http://elsewhere.example/{code}", language="en",
    ))


async def signed_by_unknown_authority() -> bytes:
    ca_key, ca_cert = create_ca("Somebody else's CA")
    key, certificate = issue_certificate(ca_key, ca_cert, "Ủy ban nhân dân phường Hoàn Kiếm")
    return await sign_pdf(unsigned_pdf(), make_signer(key, certificate, [ca_cert]), reason="test")


# -- issuing and downloading ------------------------------------------------------------------------------------


async def test_approval_issues_a_signed_result_that_pyhanko_validates(portal, settings):
    async with approved(portal) as (citizen, officer, code):
        result = await Result.get(dossier__code=code)
        assert result.status is ResultStatus.VALID and result.code.startswith("KQ-")
        assert result.language == "en", "the citizen applied in English: the result is in English beside Vietnamese"
        assert (await Dossier.get(code=code)).status is Status.APPROVED

        page = await citizen.get(f"/my/dossiers/{code}")
        assert page.status_code == 200
        assert f"/en/dossiers/{code}/result.pdf" in page.text and "Download the result" in page.text
        assert f"/en/results/verify/{result.code}" in page.text

        response = await citizen.get(f"/dossiers/{code}/result.pdf")
        assert response.status_code == 200, response.text[:300]
        assert response.headers["content-type"] == "application/pdf"
        assert "private" in response.headers["cache-control"]
        assert "no-cache" in response.headers["cache-control"], "not reopened from cache after signing out"
        pdf = response.content
        assert pdf.startswith(b"%PDF-")
        status = await pyhanko_status(pdf, portal_root(settings))
        assert status.intact and status.valid and status.trusted and status.bottom_line
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert status.signing_cert.sha256.hex() == result.signer_fingerprint
        assert "Hoàn Kiếm" in status.signing_cert.subject.native["common_name"]

        verify_url = f"{settings.base_url}/results/verify/{result.code}"
        assert verify_url in link_uris(pdf), "the QR code and the printed address link to the verification page"
        info = PdfFileReader(io.BytesIO(pdf)).trailer["/Info"]
        assert result.code in str(info["/Title"])



async def test_the_api_approval_issues_the_result_too(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        response = await act(officer, code, "approve", note="Fine.")
        assert response.status_code == 200, response.text
        assert await Result.filter(dossier__code=code, status=ResultStatus.VALID).count() == 1


async def test_only_the_applicant_and_the_agency_can_download(portal):
    async with approved(portal) as (citizen, officer, code):
        assert (await officer.get(f"/dossiers/{code}/result.pdf")).status_code == 200
        await citizen.sign_in(OTHER_CITIZEN)
        assert (await citizen.get(f"/dossiers/{code}/result.pdf")).status_code == 404
        await citizen.sign_in(OTHER_OFFICER)  # another agency
        assert (await citizen.get(f"/dossiers/{code}/result.pdf")).status_code == 404
        await citizen.sign_out()
        response = await citizen.get(f"/dossiers/{code}/result.pdf")
        assert response.status_code in (302, 303) and "/sign-in" in response.headers["location"]


async def test_the_pdf_is_in_the_language_the_citizen_applied_in(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        citizen.lang = "km"
        code = await fill_draft(citizen, BIRTH)
        definition = await procedure_definition(BIRTH)
        response = await citizen.post_form(
            f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": definition["result_forms"][0]}
        )
        assert response.status_code in (302, 303)
        citizen.lang = "en"
        await act(officer, code, "receive")
        await approve(officer, code)
        result = await Result.get(dossier__code=code)
        assert result.language == "km"


# -- verification -----------------------------------------------------------------------------------------------


async def test_anyone_can_verify_by_code_and_by_the_qr_link(portal, settings):
    async with approved(portal) as (citizen, _officer, code):
        result = await Result.get(dossier__code=code)
        await citizen.sign_out()  # no account needed

        form = await citizen.get("/results/verify")
        assert form.status_code == 200 and "Check a result" in form.text
        assert form.text.count("<h1") == 1 and 'for="code"' in form.text and 'for="file"' in form.text

        by_code = await citizen.get("/results/verify", params={"code": result.code.lower()})
        assert by_code.status_code in (302, 303)
        assert by_code.headers["location"] == f"/en/results/verify/{result.code}"

        qr_path = f"{settings.base_url}/results/verify/{result.code}".removeprefix(settings.base_url)
        redirect = await citizen.client.get(qr_path)  # as a phone camera opens it: no language in the path
        assert redirect.status_code in (302, 303) and redirect.headers["location"] == f"/en{qr_path}"
        page = await citizen.client.get(redirect.headers["location"])
        assert page.status_code == 200
        body = text(page)
        assert 'role="status"' in page.text
        assert "This result exists and is valid." in body
        assert "People's Committee of Hoan Kiem Ward" in body
        assert result.signer_fingerprint[:8] + " " + result.signer_fingerprint[8:16] in body
        # Its HTML twin: what the document says, so whoever holds a printed copy compares it (issue 18).
        assert "What the result says" in body and "Nguyễn Thị Lan" in body and result.code in body
        assert page.text.count("<h1") == 1 and 'lang="vi"' in page.text

        missing = await citizen.get("/results/verify/KQ-000000-NOTHERE0")
        assert missing.status_code == 404
        assert "There is a problem" in missing.text and "No result has this code" in text(missing)


async def test_uploading_the_result_checks_its_signature_and_one_changed_byte_is_caught(portal):
    async with approved(portal) as (citizen, _officer, code):
        pdf = (await citizen.get(f"/dossiers/{code}/result.pdf")).content
        result = await Result.get(dossier__code=code)
        await citizen.sign_out()

        good = await check_file(citizen, pdf)
        assert good.status_code == 200, good.text[:500]
        body = text(good)
        assert "Valid: the signature is intact and trusted" in body
        assert f"This file is result {result.code}" in body

        bad = await check_file(citizen, one_byte_changed(pdf))
        assert bad.status_code == 200
        body = text(bad)
        assert "Not valid: the file was changed after it was signed" in body
        assert "Valid: the signature" not in body


async def test_a_pdf_signed_by_an_unknown_certificate_is_not_trusted(portal):
    foreign = await signed_by_unknown_authority()
    response = await check_file(portal, foreign)
    assert response.status_code == 200
    body = text(response)
    assert "Not trusted: signed by a certificate the portal does not know" in body
    assert "but not by a trusted certificate" in body


async def test_unsigned_and_non_pdf_files_are_explained(portal):
    unsigned = await check_file(portal, unsigned_pdf())
    assert unsigned.status_code == 200 and "this PDF has no digital signature" in text(unsigned)
    not_pdf = await check_file(portal, b"hello, not a pdf", "notes.pdf")
    assert not_pdf.status_code == 400
    assert "There is a problem" in not_pdf.text and "The selected file must be a PDF" in text(not_pdf)
    nothing = await portal.post_form("/results/verify")
    assert nothing.status_code == 400 and "Select the PDF file to check" in text(nothing)


# -- revoking and re-issuing ------------------------------------------------------------------------------------


async def test_a_revoked_result_is_reported_as_revoked(portal):
    async with approved(portal) as (citizen, officer, code):
        result = await Result.get(dossier__code=code)
        pdf = (await citizen.get(f"/dossiers/{code}/result.pdf")).content

        empty = await officer.post_form(f"/desk/dossiers/{code}/results/{result.code}/revoke", {"reason": " "})
        assert empty.status_code == 400
        assert "There is a problem" in empty.text and 'href="#revoke-reason"' in empty.text

        response = await officer.post_form(f"/desk/dossiers/{code}/results/{result.code}/revoke",
                                           {"reason": "Issued for the wrong child."})
        assert response.status_code in (302, 303)
        await result.refresh_from_db()
        assert result.status is ResultStatus.REVOKED and result.revoked_at is not None

        page = text(await citizen.get(f"/results/verify/{result.code}"))
        assert "This result was revoked by the agency" in page and "Issued for the wrong child." in page
        assert "What the result says" not in page, "a revoked result's contents are no longer shown to anyone"
        upload_check = text(await check_file(citizen, pdf))
        assert "The agency has revoked it." in upload_check and "Issued for the wrong child." in upload_check
        mine = text(await citizen.get(f"/my/dossiers/{code}"))
        assert f"The agency revoked your result {result.code}" in mine
        assert (await citizen.get(f"/dossiers/{code}/result.pdf")).status_code == 404, "no valid result now"


async def test_only_officials_of_the_issuing_agency_can_revoke(portal):
    async with approved(portal) as (citizen, _officer, code):
        result = await Result.get(dossier__code=code)
        response = await citizen.post_form(f"/desk/dossiers/{code}/results/{result.code}/revoke", {"reason": "x"})
        assert response.status_code == 403
        await citizen.sign_in(OTHER_OFFICER)
        response = await citizen.post_form(f"/desk/dossiers/{code}/results/{result.code}/revoke", {"reason": "x"})
        assert response.status_code == 404
        await result.refresh_from_db()
        assert result.status is ResultStatus.VALID


async def test_a_corrected_result_supersedes_the_old_one(portal, settings):
    async with approved(portal) as (citizen, officer, code):
        old = await Result.get(dossier__code=code)
        desk = await officer.get(f"/desk/dossiers/{code}")
        assert old.code in desk.text and "Issue a corrected result" in desk.text

        response = await officer.post_form(f"/desk/dossiers/{code}/results/issue",
                                           {**APPROVAL, "decision": "Corrected: the child's name is Nguyễn Văn An."})
        assert response.status_code in (302, 303), response.text[:500]
        await old.refresh_from_db()
        new = await Result.get(dossier__code=code, status=ResultStatus.VALID)
        assert old.status is ResultStatus.SUPERSEDED and new.supersedes_id == old.id
        assert new.decision.startswith("Corrected")
        assert await NotificationOutbox.filter(dossier__code=code, event="result_reissued").count() == 1

        current = (await citizen.get(f"/dossiers/{code}/result.pdf")).content
        assert (await pyhanko_status(current, portal_root(settings))).bottom_line
        assert settings.base_url + f"/results/verify/{new.code}" in link_uris(current)
        earlier = await citizen.get(f"/dossiers/{code}/results/{old.code}")
        assert earlier.status_code == 200 and earlier.content != current

        page = text(await citizen.get(f"/results/verify/{old.code}"))
        assert "This result was replaced by a newer one." in page and new.code in page
        page = text(await citizen.get(f"/results/verify/{new.code}"))
        assert "This result exists and is valid." in page and old.code in page


async def test_a_signing_failure_keeps_the_approval_and_the_result_can_be_issued_again(migrated, tmp_path):
    """Production configuration without a certificate for the agency: approval stands, the failure shows."""
    from tests.support import Portal, reset_database

    folder = tmp_path / "signing"
    folder.mkdir()
    settings = Settings(database_url=migrated, data_dir=tmp_path / "data", demo_mode=True, secret_key="t",
                        results_signing_dir=folder, results_trust_roots=(folder / "root.pem",))
    ca_key, ca_cert = create_ca("Agency root")
    from cryptography.hazmat.primitives import serialization

    (folder / "root.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    async with served(settings) as (app, client):
        await reset_database(settings.database_url)
        async with people(Portal(client, app), CITIZEN, OFFICER) as (citizen, officer):
            code = await drive(citizen, officer, Status.IN_PROGRESS)
            await approve(officer, code)
            assert (await Dossier.get(code=code)).status is Status.APPROVED
            assert await Result.filter(dossier__code=code).count() == 0
            failure = await ResultFailure.get(dossier__code=code)
            assert "No signing certificate" in failure.error and failure.resolved_at is None
            desk = text(await officer.get(f"/desk/dossiers/{code}"))
            assert "The result could not be issued." in desk and "Issue the result" in desk
            assert "Your result is being prepared" in text(await citizen.get(f"/my/dossiers/{code}"))

            again = await officer.post_form(f"/desk/dossiers/{code}/results/issue", {**APPROVAL, "decision": ""})
            assert again.status_code == 503 and "could not be signed" in text(again)

            key, certificate = issue_certificate(ca_key, ca_cert, "UBND phường Hoàn Kiếm")
            (folder / "P01-W-HOANKIEM.key").write_bytes(key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            (folder / "P01-W-HOANKIEM.pem").write_bytes(b"".join(
                c.public_bytes(serialization.Encoding.PEM) for c in (certificate, ca_cert)))
            again = await officer.post_form(f"/desk/dossiers/{code}/results/issue", {**APPROVAL, "decision": ""})
            assert again.status_code in (302, 303), again.text[:500]
            assert await Result.filter(dossier__code=code, status=ResultStatus.VALID).count() == 1
            assert await ResultFailure.filter(dossier__code=code, resolved_at__isnull=True).count() == 0
            pdf = (await citizen.get(f"/dossiers/{code}/result.pdf")).content
            assert "Valid: the signature is intact and trusted" in text(await check_file(citizen, pdf))
            assert not (settings.pki_dir / "ca.pem").exists(), "no demo authority when certificates are configured"


# -- signed attachments -----------------------------------------------------------------------------------------


async def test_the_desk_shows_whether_signed_attachments_are_valid(portal, settings):
    trusted_signer = portal.adapters.issuer.pki.signer("P01-CA", "Công an thành phố Hà Nội")
    trusted = await sign_pdf(unsigned_pdf(), trusted_signer, reason="Bản sao điện tử")
    foreign = await signed_by_unknown_authority()
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        for key, name, content in ((MEDICAL, "certified-copy.pdf", trusted), (MARRIAGE, "foreign.pdf", foreign),
                                   ("authorisation", "changed.pdf", one_byte_changed(trusted))):
            response = await upload(citizen, code, key, name, content)
            assert response.status_code in (302, 303), response.text[:300]
        definition = await procedure_definition(BIRTH)
        await citizen.post_form(f"/dossiers/{code}/submit",
                                {"declaration": "yes", "result_form": definition["result_forms"][0]})
        page = text(await officer.get(f"/desk/dossiers/{code}"))
        assert "Digitally signed by Công an thành phố Hà Nội: the signature is valid" in page
        assert "Signed by Ủy ban nhân dân phường Hoàn Kiếm, but not by a trusted certificate." in page
        assert "Signed, but the signature is not valid" in page


# -- keys on disk -----------------------------------------------------------------------------------------------


async def test_demo_keys_live_in_the_data_folder_with_tight_permissions(portal, settings):
    async with approved(portal):
        keys = sorted(settings.pki_dir.rglob("*key.pem"))
        assert len(keys) == 2, keys  # the authority and the ward
        for path in keys:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(settings.pki_dir.stat().st_mode) == 0o700
        assert not any(Path(__file__).resolve().parents[2].joinpath("backend").rglob("*key.pem"))
