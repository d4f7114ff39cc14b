"""The worker applies retention.json (issue 21): what passed its period is erased or anonymised, as the file says,
and nothing younger, nor anyone's record the file keeps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.accounts.models import SignInEvent, User
from backend.core import clock
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.dossiers.storage import document_key
from backend.privacy import retention
from tests.integration.helpers import BIRTH, people
from tests.support import fill_draft, submit_dossier

pytestmark = pytest.mark.integration

LAN = "0915210021"  # numbers no other test signs in with
MAI = "0915210022"
CIVIL_STATUS_COPY = "2.000635"


async def test_the_worker_erases_what_passed_its_period_and_nothing_else(portal):
    rules = retention.rules()
    async with people(portal, LAN) as (lan,):
        sent = await submit_dossier(lan, BIRTH)
        old_draft = await fill_draft(lan, BIRTH)  # a new draft: the one before was sent
        new_draft = await fill_draft(lan, CIVIL_STATUS_COPY)
    storage = portal.adapters.storage
    user = await User.get(phone="84" + LAN[1:])
    now = clock.now()
    drafts_days = rules["drafts"].period_days
    await Dossier.filter(code__in=[old_draft, sent]).update(updated_at=now - timedelta(days=drafts_days + 1))
    old_files = [document_key(d) for d in await DossierDocument.filter(dossier__code=old_draft)]
    kept_files = [document_key(d) for d in await DossierDocument.filter(dossier__code__in=[new_draft, sent])]
    assert old_files and kept_files
    old_sign_in = await SignInEvent.create(user_id=user.id, method="code")
    await SignInEvent.filter(id=old_sign_in.id).update(
        created_at=now - timedelta(days=rules["sign_in_history"].period_days + 1))
    recent = await SignInEvent.filter(user_id=user.id).exclude(id=old_sign_in.id).count()
    assert recent

    done = await retention.apply(now, storage)
    assert done["drafts"] == 1 and done["unsent_uploads"] == len(old_files) and done["sign_in_history"] == 1
    assert not await Dossier.filter(code=old_draft).exists()
    assert await Dossier.filter(code=new_draft, status=Status.DRAFT).exists()
    assert await Dossier.filter(code=sent).exists()  # sent long ago: not a draft, kept
    for key in old_files:
        assert not await storage.exists(key)
    for key in kept_files:
        assert await storage.exists(key)
    assert not await SignInEvent.filter(id=old_sign_in.id).exists()
    assert await SignInEvent.filter(user_id=user.id).count() == recent
    assert not any((await retention.apply(now, storage)).values())  # a second round finds nothing more


async def test_a_draft_sent_after_its_id_was_read_keeps_its_documents(portal):
    """The ids are read before the erasure: a draft sent in between is re-checked and nothing of it is erased."""
    async with people(portal, LAN, MAI) as (lan, mai):
        sent_meanwhile = await fill_draft(lan, BIRTH)
        still_draft = await fill_draft(mai, BIRTH)
    storage = portal.adapters.storage
    dossiers = {d.code: d.id for d in await Dossier.filter(code__in=[sent_meanwhile, still_draft])}
    read_earlier = sorted(dossiers.values())
    kept_files = [document_key(d) for d in await DossierDocument.filter(dossier__code=sent_meanwhile)]
    erased_files = [document_key(d) for d in await DossierDocument.filter(dossier__code=still_draft)]
    assert kept_files and erased_files
    await Dossier.filter(code=sent_meanwhile).update(status=Status.SUBMITTED)  # sent after the ids were read

    drafts, documents = await retention.erase_drafts(read_earlier, storage)
    assert (drafts, documents) == (1, len(erased_files))
    assert await DossierDocument.filter(dossier_id=dossiers[sent_meanwhile]).count() == len(kept_files)
    for key in kept_files:
        assert await storage.exists(key)
    for key in erased_files:
        assert not await storage.exists(key)

    # The uploads' applier re-checks the same way: a draft changed since (no longer old) keeps its uploads.
    async with people(portal, MAI) as (mai,):
        touched = await fill_draft(mai, BIRTH)
    touched_id = (await Dossier.get(code=touched)).id
    now = clock.now()
    cutoff = now - timedelta(days=retention.rules()["unsent_uploads"].period_days or 1)
    assert await retention.erase_documents([touched_id], storage, cutoff) == (0, 0)  # changed just now
    assert await DossierDocument.filter(dossier_id=touched_id).exists()
