"""A citizen's edit racing the payment that sends the dossier: an edit checked on a draft is not applied once the
payment has sent it (answers, documents). On PostgreSQL, also with the edit really waiting for the payment's lock."""

from __future__ import annotations

import asyncio
import os

import pytest
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.core.clock import SYSTEM
from backend.dossiers import services as dossiers
from backend.dossiers import workflow
from backend.dossiers.access import visible_dossier
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from tests.integration.payment_steps import pay_and_submit
from tests.integration.test_payments import ID_CARD
from tests.support import CITIZEN, PDF, fill_draft, procedure_definition

pytestmark = pytest.mark.integration


async def test_an_edit_checked_on_the_draft_is_not_applied_once_the_payment_sent_it(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    stale = await visible_dossier(code, await User.get(phone="84" + CITIZEN[1:]))  # as the edit read it
    await pay_and_submit(portal, code, ID_CARD)  # the gateway's IPN sends it meanwhile
    sent = await Dossier.get(code=code)
    documents = await DossierDocument.filter(dossier_id=sent.id).count()
    folder = portal.settings.upload_dir / str(sent.id)
    files = set(folder.iterdir()) if folder.exists() else set()
    assert sent.status is Status.SUBMITTED and stale.status is Status.DRAFT

    definition = await procedure_definition(ID_CARD)
    page = definition["form"][0]
    with pytest.raises(workflow.TransitionRefused, match="sent or changed meanwhile"):
        await dossiers.save_answers(stale, page["fields"], {f["name"]: "" for f in page["fields"]})
    assert (await Dossier.get(code=code)).answers == sent.answers, "the sent dossier is as it was sent"

    settings = portal.settings
    with pytest.raises(workflow.TransitionRefused, match="sent or changed meanwhile"):
        await dossiers.store_document(stale, definition["documents"][0]["key"], "late.pdf", PDF,
                                      portal.adapters.storage, settings.upload_max_bytes)
    assert await DossierDocument.filter(dossier_id=sent.id).count() == documents
    assert await DossierDocument.filter(dossier_id=sent.id, superseded=True).count() == 0
    assert (set(folder.iterdir()) if folder.exists() else set()) == files, "the file written for it is removed"


@pytest.mark.skipif(os.environ.get("TEST_ENGINE") != "postgres", reason="SQLite writes one at a time: no waiting")
@pytest.mark.parametrize("edit", ["answers", "document"])
async def test_an_edit_waiting_for_the_payments_lock_is_refused_when_it_gets_it(portal, edit):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    dossier = await Dossier.get(code=code).select_related("procedure")
    applicant = await User.get(id=dossier.applicant_id)
    definition = await procedure_definition(ID_CARD)
    locked, release = asyncio.Event(), asyncio.Event()

    async def payment_sends_it() -> None:  # what confirming the fee does: lock the dossier, send it, commit
        async with in_transaction() as conn:
            await Dossier.filter(id=dossier.id).using_db(conn).select_for_update().get()
            locked.set()
            await release.wait()
            await workflow.apply(dossier, "submit", applicant, clock=SYSTEM)

    payment = asyncio.create_task(payment_sends_it())
    await locked.wait()
    if edit == "answers":
        page = definition["form"][0]
        request = portal.post_form(f"/dossiers/{code}/form/{page['key']}", {f["name"]: "" for f in page["fields"]})
    else:
        key = definition["documents"][0]["key"]
        request = portal.post_form(f"/dossiers/{code}/documents", {"doc_key": key}, files={"file": ("late.pdf", PDF)})
    citizen = asyncio.create_task(request)
    await asyncio.sleep(0.5)
    assert not citizen.done(), "the edit waits for the payment"
    release.set()
    await payment
    response = await citizen
    assert response.status_code == 409 and "sent or changed meanwhile" in response.text
    after = await Dossier.get(id=dossier.id)
    assert after.status is Status.SUBMITTED and after.answers == dossier.answers
    assert await DossierDocument.filter(dossier_id=dossier.id, filename="late.pdf").count() == 0
