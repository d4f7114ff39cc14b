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
