"""Issue 14, findings 3, 6 and part of 15: separation of duties on every desk action, storage quotas, replaced files
deleted after the commit, every answer's size checked before it is stored, the supplement's scope, and the proof a
reduced fee needs."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from backend.accounts.models import Role, User
from backend.catalogue.loader import read_procedures
from backend.dossiers import services
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.dossiers.workflow import TransitionRefused
from backend.payments.models import Payment, PaymentStatus
from backend.results.models import Result
from tests.integration.helpers import BIRTH, CRIMINAL_RECORD, act, files_under, people, start_draft, upload
from tests.integration.payment_steps import choose, open_gateway, start_paying
from tests.support import (
    APPROVAL,
    CITIZEN,
    OFFICER,
    OTHER_OFFICER,
    PDF,
    fill_draft,
    pdf_of_size,
    procedure_definition,
    submit_dossier,
)

pytestmark = pytest.mark.integration

COLLEAGUE = "0901000009"  # a second official of Hoàn Kiếm ward, made by the tests
DEATH = "1.000656"  # free, another ward: a second dossier of the same account
MEDICAL, MARRIAGE, AUTHORISATION = "birth_certificate_medical", "marriage_certificate", "authorisation"
APPLIED = "You applied for this dossier: another official must handle it."


@pytest.fixture
def settings(settings):
    """Small quotas, so that a few small files reach them."""
    return dataclasses.replace(settings, upload_dossier_quota_bytes=10_000, upload_account_quota_bytes=15_000,
                               upload_dossier_max_files=4)


async def colleague_of(phone: str) -> User:
    official = await User.get(phone="84" + phone[1:])
    return await User.create(phone="84" + COLLEAGUE[1:], full_name="Đỗ Văn Cường", role=Role.OFFICER,
                             agency_id=official.agency_id)


async def desk(who, code: str, action: str, **form):
    return await who.post_form(f"/desk/dossiers/{code}/{action}", form)


# --- Finding 3: an official never acts on a dossier in which they have a stake ---------------------------------


async def test_an_official_who_applied_at_his_own_ward_can_take_no_desk_action(portal):
    await colleague_of(OFFICER)
    async with people(portal, OFFICER, COLLEAGUE) as (official, colleague):
        code = await submit_dossier(official, BIRTH)  # as a citizen, at the ward he works for

        page = await official.get(f"/desk/dossiers/{code}")
        assert page.status_code == 200 and APPLIED in page.text
        assert f"/desk/dossiers/{code}/receive" not in page.text and f"/desk/dossiers/{code}/refuse" not in page.text
        for action, form in [("receive", {}), ("refuse", {"note": "No."}),
                             ("supplement", {"fields[]": "child_full_name", "reason": "Spelling."})]:
            refused = await desk(official, code, action, **form)
            assert refused.status_code == 403 and APPLIED in refused.text, action
        refused = await act(official, code, "receive")
        assert refused.status_code == 403 and refused.json()["detail"] == APPLIED
        assert (await Dossier.get(code=code)).status is Status.SUBMITTED

        assert (await desk(colleague, code, "receive")).status_code in (302, 303)
        for action, form in [("approve", {"note": "Fine."}), ("refuse", {"note": "No."}),
                             ("supplement", {"fields[]": "child_full_name", "reason": "Spelling."})]:
            assert (await desk(official, code, action, **form)).status_code == 403, action
            assert (await act(official, code, "request_supplement" if action == "supplement" else action,
                              note="x", fields=["child_full_name"])).status_code == 403, action
        assert (await Dossier.get(code=code)).status is Status.IN_PROGRESS

        huge = await desk(colleague, code, "approve", note="x" * (1024 * 1024))  # desk posts are text: capped too
        assert huge.status_code == 413 and (await Dossier.get(code=code)).status is Status.IN_PROGRESS
        assert (await desk(colleague, code, "approve", **APPROVAL)).status_code in (302, 303)
        result = await Result.get(dossier__code=code)
        page = (await official.get(f"/desk/dossiers/{code}")).text
        assert APPLIED in page and "/revoke" not in page and "/results/issue" not in page
        assert "/revoke" in (await colleague.get(f"/desk/dossiers/{code}")).text
        assert (await desk(official, code, f"results/{result.code}/revoke", reason="Wrong.")).status_code == 403
        assert (await desk(official, code, "results/issue", decision="Again.")).status_code == 403
        assert await Result.filter(dossier__code=code).count() == 1
        assert (await Result.get(id=result.id)).status.value == "valid"
        for step in ("delivery/handover", "delivery/new-code"):
            assert (await desk(official, code, step)).status_code == 403, step


async def test_an_official_named_in_a_dossier_cannot_handle_it(portal):
    """Filed by someone else (his wife, say), the birth registration names the official as the father."""
    official_user = await User.get(phone="84" + OFFICER[1:])
    official_user.identity_number = "001090012399"
    await official_user.save(update_fields=["identity_number"])
    async with people(portal, CITIZEN, OFFICER) as (citizen, official):
        code = await fill_draft(citizen, BIRTH)
        dossier = await Dossier.get(code=code)
        await Dossier.filter(id=dossier.id).update(answers={**dossier.answers, "father_id_number": "001090012399"})
        response = await citizen.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
        assert response.status_code in (302, 303), response.text

        page = (await official.get(f"/desk/dossiers/{code}")).text
        assert "This dossier names you" in page and f"/desk/dossiers/{code}/receive" not in page
        refused = await desk(official, code, "receive")
        assert refused.status_code == 403 and "This dossier names you" in refused.text
        assert (await Dossier.get(code=code)).status is Status.SUBMITTED


async def test_an_official_cannot_close_a_payment_of_his_own_dossier(portal):
    """The police official applies for a criminal-record certificate at his own agency; the gateway never answers."""
    async with people(portal, OTHER_OFFICER) as (official,):
        code = await fill_draft(official, CRIMINAL_RECORD)
        await open_gateway(official, await start_paying(official, code, CRIMINAL_RECORD, "standard"))
        payment = await Payment.get(dossier__code=code)
        await Payment.filter(id=payment.id).update(status=PaymentStatus.UNRESOLVED)

        listed = (await official.get("/desk/payments")).text
        assert APPLIED in listed and f'action="/en/desk/payments/{payment.txn_ref}"' not in listed
        for action in ("paid", "not_paid"):
            refused = await official.post_form(f"/desk/payments/{payment.txn_ref}", {"action": action})
            assert refused.status_code == 403 and APPLIED in refused.text
        assert (await Payment.get(id=payment.id)).status is PaymentStatus.UNRESOLVED
        assert (await Dossier.get(code=code)).status is Status.DRAFT


# --- Finding 6: every answer's size is checked before anything is stored ----------------------------------------


async def test_a_5_mib_answer_is_refused_before_it_is_parsed_and_a_long_one_is_never_stored(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    page_key = (await procedure_definition(BIRTH))["form"][0]["key"]
    huge = await portal.post_form(f"/dossiers/{code}/form/{page_key}", {"child_full_name": "A" * (5 * 1024 * 1024)})
    assert huge.status_code == 413 and "Too much text" in huge.text and "2,000 characters" in huge.text
    assert "child_full_name" not in (await Dossier.get(code=code)).answers  # nothing of it stored

    long = "Nguyễn " * 400  # 2,800 characters: under the body limit, over the field's
    response = await portal.post_form(f"/dossiers/{code}/form/{page_key}",
                                      {"child_full_name": long, "child_birth_date": "2025-03-27"})
    assert response.status_code == 400
    assert "must be 2000 characters or fewer" in response.text
    assert long.strip() in response.text, "what was typed is shown back"
    answers = (await Dossier.get(code=code)).answers
    assert "child_full_name" not in answers and answers["child_birth_date"] == "2025-03-27"


# --- Finding 6: quotas, counted under the locks ------------------------------------------------------------------


async def test_a_dossier_and_an_account_have_quotas_and_the_page_says_so(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    for name in ("a.pdf", "b.pdf"):  # the second replaces the first: it fits
        assert (await upload(portal, code, MEDICAL, name, pdf_of_size(6_000))).status_code in (302, 303)
    on_disk = files_under(settings.upload_dir)
    refused = await upload(portal, code, MARRIAGE, "c.pdf", pdf_of_size(6_000))
    assert refused.status_code == 400
    assert "There is no room left for this file in this dossier" in refused.text
    assert "Upload your documents" in refused.text and "b.pdf" in refused.text, "the rest of the page stays"
    assert files_under(settings.upload_dir) == on_disk, "refused before anything is written"

    other = await start_draft(portal, DEATH)
    doc = (await procedure_definition(DEATH))["documents"][0]["key"]
    refused = await upload(portal, other, doc, "d.pdf", pdf_of_size(9_500))
    assert refused.status_code == 400 and "Your account has no room left for this file" in refused.text
    assert not await DossierDocument.filter(dossier__code=other).exists()


async def test_parallel_uploads_cannot_pass_the_file_count(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    dossier = await Dossier.get(code=code).select_related("procedure")
    quota = services.storage.Quota(10**9, 10**9, 2)
    keys = [MEDICAL, MARRIAGE, AUTHORISATION] * 2
    outcomes = await asyncio.gather(
        *(services.store_document(dossier, key, f"{i}.pdf", PDF, portal.adapters.storage, 10**7, quota=quota)
          for i, key in enumerate(keys)),
        return_exceptions=True,
    )
    assert await DossierDocument.filter(dossier=dossier).count() <= 2
    assert sum(not isinstance(o, Exception) for o in outcomes) >= 2
    assert len(files_under(settings.upload_dir)) == await DossierDocument.filter(dossier=dossier).count()


# --- Finding 6: replaced files are deleted once the change is committed -----------------------------------------


async def test_a_replaced_draft_file_is_deleted_after_the_commit(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    await upload(portal, code, MEDICAL, "first.pdf", PDF)
    first = await DossierDocument.get(dossier__code=code)
    first_path = (settings.data_dir / services.document_key(first))
    assert first_path.exists()
    await upload(portal, code, MEDICAL, "second.pdf", PDF + b"%second\n")
    assert not first_path.exists() and not await DossierDocument.filter(id=first.id).exists()
    assert len(files_under(settings.upload_dir)) == 1


async def test_a_failed_replacement_deletes_nothing_but_its_own_file(portal, settings):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)
    stale = await Dossier.get(code=code).select_related("procedure")  # still a draft here...
    on_disk = files_under(settings.upload_dir)
    await Dossier.filter(id=stale.id).update(status=Status.SUBMITTED)  # ...sent meanwhile
    with pytest.raises(TransitionRefused):
        await services.store_document(stale, MEDICAL, "late.pdf", PDF, portal.adapters.storage, 10**7)
    assert files_under(settings.upload_dir) == on_disk
    assert await DossierDocument.filter(dossier=stale, doc_key=MEDICAL).count() == 1


async def test_a_supplement_keeps_what_the_agency_received_and_drops_the_drafts_in_between(portal, settings):
    async with people(portal, CITIZEN, OFFICER) as (citizen, official):
        code = await submit_dossier(citizen, BIRTH)
        received = await DossierDocument.get(dossier__code=code, doc_key=MEDICAL)
        assert (await desk(official, code, "receive")).status_code in (302, 303)
        asked = await desk(official, code, "supplement", **{"documents[]": MEDICAL, "reason": "Blurred."})
        assert asked.status_code in (302, 303)
        assert (await upload(citizen, code, MEDICAL, "v2.pdf", PDF + b"%v2\n")).status_code in (302, 303)
        between = await DossierDocument.get(dossier__code=code, doc_key=MEDICAL, superseded=False)
        assert (await upload(citizen, code, MEDICAL, "v3.pdf", PDF + b"%v3\n")).status_code in (302, 303)

        versions = await DossierDocument.filter(dossier__code=code, doc_key=MEDICAL).order_by("id")
        assert [(d.filename, d.superseded) for d in versions] == [(received.filename, True), ("v3.pdf", False)]
        assert (settings.data_dir / services.document_key(received)).exists(), "the record of what was received"
        assert not (settings.data_dir / services.document_key(between)).exists()


# --- Finding 15: a supplement changes only what the official asked for ------------------------------------------


async def test_a_supplement_refuses_documents_and_answers_nobody_asked_for(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, official):
        code = await submit_dossier(citizen, BIRTH)
        await desk(official, code, "receive")
        await desk(official, code, "supplement", **{"documents[]": MEDICAL, "fields[]": "child_full_name",
                                                     "reason": "Check the name and the scan."})
        page = (await citizen.get(f"/dossiers/{code}/supplement")).text
        assert f'value="{MEDICAL}"' in page and f'value="{MARRIAGE}"' not in page
        assert 'name="child_full_name"' in page and 'name="child_birth_place"' not in page

        forged = await upload(citizen, code, MARRIAGE, "marriage.pdf", PDF)
        assert forged.status_code == 400 and "The agency did not ask for this document again" in forged.text
        assert not await DossierDocument.filter(dossier__code=code, doc_key=MARRIAGE).exists()

        before = (await Dossier.get(code=code)).answers
        forged = await citizen.post_form(f"/dossiers/{code}/supplement",
                                         {"child_full_name": "Nguyễn Văn Bình", "child_birth_place": "Hải Phòng"})
        assert forged.status_code == 400 and "Only the answers the agency asked for can be changed" in forged.text
        dossier = await Dossier.get(code=code)
        assert dossier.answers == before and dossier.status is Status.SUPPLEMENT_REQUESTED


# --- Finding 15: a reduced fee needs its proof -------------------------------------------------------------------


def test_every_proof_of_a_fee_option_is_a_document_of_its_procedure():
    procedures = read_procedures()
    options = [(p, o) for p in procedures for o in [*(p.get("fee_options") or []),
                                                    *((p.get("fee_schedule") or {}).get("groups") or [])]]
    proofs = [(p, o["proof"]) for p, o in options if o.get("proof")]
    assert proofs, "the reduced fee of the criminal-record certificate needs its proof"
    for procedure, key in proofs:
        assert key in {d["key"] for d in procedure["documents"]}, (procedure["code"], key)


async def test_a_reduced_fee_without_its_proof_is_refused_and_the_desk_shows_the_proof(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await fill_draft(citizen, CRIMINAL_RECORD)
        check = (await citizen.get(f"/dossiers/{code}/check")).text
        assert "Only with a document that proves it" in check
        form = {"declaration": "yes", "result_form": "online", "fee_option": "reduced"}
        refused = await citizen.post_form(f"/dossiers/{code}/submit", form)
        assert refused.status_code == 400 and "To pay the reduced fee, upload" in refused.text
        assert not await Payment.filter(dossier__code=code).exists()

        assert (await upload(citizen, code, "fee_reduction_proof", "student-card.pdf", PDF)).status_code in (302, 303)
        url = await start_paying(citizen, code, CRIMINAL_RECORD, "reduced")
        await open_gateway(citizen, url)
        await choose(citizen, url, "succeed")
        assert (await Dossier.get(code=code)).status is Status.SUBMITTED
        assert (await Payment.get(dossier__code=code)).amount == 100_000

        page = (await police.get(f"/desk/dossiers/{code}")).text
        proof = page.split('id="fee-proof"')[1].split("</div>")[0]
        assert "Proof for the reduced fee" in proof and "student-card.pdf" in proof


async def test_the_standard_fee_needs_no_proof(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    await start_paying(portal, code, CRIMINAL_RECORD, "standard")
    assert await Payment.filter(dossier__code=code, option="standard").exists()
