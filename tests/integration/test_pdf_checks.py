"""PDF and upload checks off the event loop (issue 14, findings 1, 12 and 14).

1. A signed PDF with hundreds of signature fields reusing one signature stalled the whole server while pyHanko
   checked it: checks now run in worker processes with limits and a time limit, and /healthz keeps answering.
12. A result edited after signing (metadata, junk appended, a new revision) was called unchanged.
14. A file that starts with %PDF- and goes on as HTML was stored, and served back inline.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import time

import pytest

from backend.documents.findings import Verdict
from backend.documents.pool import CheckPool, CheckTimedOut
from backend.dossiers.models import DossierDocument
from backend.results.signing import sign_pdf
from tests import signed_pdfs
from tests.integration.helpers import BIRTH, files_under, people, start_draft, upload
from tests.integration.test_results import check_file, unsigned_pdf
from tests.support import CITIZEN, OFFICER, PNG, fill_draft, procedure_definition

pytestmark = pytest.mark.integration

MEDICAL = "birth_certificate_medical"
HTML_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.text))


async def portal_signed(portal) -> bytes:
    signer = portal.adapters.issuer.pki.signer("P01-W-HOANKIEM", "Ủy ban nhân dân phường Hoàn Kiếm")
    return await sign_pdf(unsigned_pdf(), signer, reason="Kết quả giải quyết hồ sơ")


# -- finding 1: nothing waits for a check ----------------------------------------------------------------------


async def test_healthz_answers_within_200_ms_while_the_worst_pdfs_are_checked(portal):
    signed = await portal_signed(portal)
    many = signed_pdfs.many_signatures(signed, 400)  # finding 1's file: seconds of pyHanko on the event loop
    worst = signed_pdfs.worst_allowed(signed)  # what the limits still validate: about a second in a worker
    assert 60_000 < len(many) < 150_000
    await portal.get("/results/verify")
    checks = [asyncio.create_task(check_file(portal, content)) for content in (many, worst, worst)]
    latencies = []
    while not all(task.done() for task in checks):
        start = time.perf_counter()
        response = await portal.client.get("/healthz")
        latencies.append(time.perf_counter() - start)
        assert response.status_code == 200
        await asyncio.sleep(0.02)
    answers = [text(await task) for task in checks]
    assert len(latencies) >= 3, "the checks ended before /healthz could be asked during them"
    assert max(latencies) < 0.2, latencies
    assert "Not checked: this file is too complex to check" in answers[0]
    for answer in answers[1:]:
        assert "Not valid: the file was changed after it was signed" in answer
        assert "1 revision was added after signing" in answer


async def test_a_check_out_of_time_has_its_worker_killed_and_replaced():
    async with CheckPool(1, 0.5) as pool:
        first = await pool.run(os.getpid)
        with pytest.raises(CheckTimedOut):
            await pool.run(time.sleep, 30)  # a parser stuck in a loop
        second = await pool.run(os.getpid)
        assert second != first, "a new worker, not the stuck one"
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)
        assert await pool.run(os.getpid) == second, "the new worker takes the next checks"


# -- finding 12: changes after signing are named, never "unchanged" --------------------------------------------


@pytest.mark.parametrize(("change", "line"), [
    (signed_pdfs.with_metadata_edited, "Its metadata (title, author or dates) was edited after signing."),
    (lambda pdf: signed_pdfs.with_junk_appended(pdf, 9 * 1024 * 1024),  # the upload limit is 10 MB
     "Data that no signature covers was added at the end of the file: 9 MB."),
    (signed_pdfs.with_page_changed, "1 revision was added after signing."),
], ids=["metadata", "appended", "new-revision"])
async def test_the_verify_page_names_what_changed_after_signing(portal, change, line):
    signed = await portal_signed(portal)
    intact = text(await check_file(portal, signed))
    assert "Valid: the signature is intact and trusted" in intact and "after signing" not in intact
    answer = text(await check_file(portal, change(signed)))
    assert "Not valid: the file was changed after it was signed" in answer
    assert line in answer
    assert "has not been changed since" not in answer and "Valid:" not in answer


# -- findings 1 and 14: uploads are opened in a worker, and the verdict is kept -------------------------------


async def test_a_pdf_that_goes_on_as_html_is_refused_and_nothing_is_kept(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    response = await upload(portal, code, MEDICAL, "notice.pdf", HTML_PDF)
    assert response.status_code == 400
    assert "The selected file is damaged, or is not really a PDF" in text(response)
    broken = await upload(portal, code, MEDICAL, "photo.png", PNG[:-20])
    assert broken.status_code == 400 and "is not really a PNG" in text(broken)
    assert await DossierDocument.filter(dossier__code=code).count() == 0
    assert files_under(settings.upload_dir) == []


async def test_documents_are_served_as_attachments_never_sniffed(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)
    document = await DossierDocument.get(dossier__code=code)
    response = await portal.get(f"/dossiers/{code}/files/{document.id}")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_desk_shows_the_verdict_kept_at_upload_and_checks_older_files_once(portal):
    signed = await portal_signed(portal)
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        assert (await upload(citizen, code, MEDICAL, "signed.pdf", signed)).status_code in (302, 303)
        assert (await upload(citizen, code, "marriage_certificate", "many.pdf",
                             signed_pdfs.many_signatures(signed))).status_code in (302, 303)
        definition = await procedure_definition(BIRTH)
        await citizen.post_form(f"/dossiers/{code}/submit",
                                {"declaration": "yes", "result_form": definition["result_forms"][0]})
        kept = await DossierDocument.get(dossier__code=code, doc_key=MEDICAL, superseded=False)
        assert kept.signature_verdict == Verdict.VALID and kept.signatures[0]["trusted"] is True
        many = await DossierDocument.get(dossier__code=code, doc_key="marriage_certificate", superseded=False)
        assert many.signature_verdict == Verdict.TOO_COMPLEX

        page = text(await officer.get(f"/desk/dossiers/{code}"))
        assert "Digitally signed by Ủy ban nhân dân phường Hoàn Kiếm: the signature is valid" in page
        assert "This file is too complex to check its signatures" in page

        # The desk reads what was kept: a verdict changed in the database is what it shows.
        kept.signatures = [{**kept.signatures[0], "trusted": False}]
        await kept.save(update_fields=["signatures"])
        assert "but not by a trusted certificate" in text(await officer.get(f"/desk/dossiers/{code}"))

        # A file uploaded before verdicts were kept (NULL) is checked on the first view, then kept.
        await DossierDocument.filter(id=kept.id).update(signature_verdict=None, signatures=None)
        page = text(await officer.get(f"/desk/dossiers/{code}"))
        assert "Digitally signed by Ủy ban nhân dân phường Hoàn Kiếm: the signature is valid" in page
        assert (await DossierDocument.get(id=kept.id)).signature_verdict == Verdict.VALID
