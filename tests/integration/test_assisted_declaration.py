"""Assisted filing (issue 20): the citizen declares exactly what they were asked to declare, and nothing after.

What the helper filled is sealed when the citizen is asked (answers, result form, documents): a draft changed since
is refused, for the helper to send it again. A declaration the dossier's sending refuses is not kept. Once the
citizen has declared, the helper no longer opens the dossier's documents (its status only, while the consent lasts).
"""

from __future__ import annotations

import re

import pytest

from backend.accounts.models import User
from backend.assisted.declaration import CODE_TEXT
from backend.assisted.models import AssistConsent, AssistEvent
from backend.dossiers import services as dossier_services
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument, TimelineEvent
from backend.dossiers.workflow import TransitionRefused
from tests.integration.helpers import approved, people
from tests.integration.test_assisted_filing import (
    CITIZEN,
    HELPER,
    ask,
    code_in,
    e164,
    fill_as_helper,
    helped_draft,
    link_in,
    texts_to,
)
from tests.support import JPG, PNG

pytestmark = pytest.mark.integration


async def another_photo(helper_portal, code: str) -> None:
    """The helper replaces the document with another photo (after the citizen was asked)."""
    response = await helper_portal.post_form(
        f"/dossiers/{code}/documents", {"doc_key": "birth_certificate_medical"},
        files={"file": ("", b""), "photo": ("other.png", PNG, "image/png")})
    assert response.status_code in (302, 303), response.text


async def test_a_link_does_not_declare_a_draft_changed_after_it_was_sent(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        await ask(helper_portal, dossier.code, "link")
        link = link_in(await texts_to(portal, CITIZEN))
        await another_photo(helper_portal, dossier.code)

        shown = await citizen.get(link)
        assert shown.status_code == 409 and "changed after the helper asked you" in shown.text
        assert "other.png" not in shown.text
        declared = await citizen.post_form(link, {"declaration": "yes"})
        assert declared.status_code == 409 and "Ask the helper to send it to you again" in declared.text
        assert (await AssistConsent.get(dossier_id=dossier.id)).declared_at is None
        assert (await Dossier.get(id=dossier.id)).status is Status.DRAFT
        refused = await AssistEvent.filter(action="declare_link_refused").values_list("detail", flat=True)
        assert {"reason": "changed"} in refused  # JSON compared in Python: PostgreSQL has no json = operator

        await ask(helper_portal, dossier.code, "link")  # sent again: what the citizen now sees is what they declare
        links = [link_in([text]) for text in await texts_to(portal, CITIZEN) if "/declare/" in text]
        fresh = next(found for found in links if found != link)
        assert "other.png" in (await citizen.get(fresh)).text
        assert (await citizen.post_form(fresh, {"declaration": "yes"})).status_code == 303


async def test_a_code_does_not_declare_a_draft_changed_after_it_was_sent(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        await ask(helper_portal, dossier.code, "code")
        code = code_in(await texts_to(portal, CITIZEN), dossier.code)
        await another_photo(helper_portal, dossier.code)
        typed = await helper_portal.post_form(f"/dossiers/{dossier.code}/declare/code", {"code": code})
        assert typed.status_code == 400 and "changed after the code was sent" in typed.text
        assert (await AssistConsent.get(dossier_id=dossier.id)).declared_at is None
        assert (await Dossier.get(id=dossier.id)).status is Status.DRAFT


async def test_the_helper_opens_no_document_once_the_citizen_has_declared(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        photo = await DossierDocument.get(dossier_id=dossier.id, doc_key="birth_certificate_medical")
        url = f"/dossiers/{dossier.code}/files/{photo.id}"
        assert (await helper_portal.get(url)).content == JPG  # while filling: what they photographed
        await ask(helper_portal, dossier.code, "code")
        code = code_in(await texts_to(portal, CITIZEN), dossier.code)
        typed = await helper_portal.post_form(f"/dossiers/{dossier.code}/declare/code", {"code": code})
        assert typed.status_code == 303, typed.text
        assert (await helper_portal.get(url)).status_code == 404
        assert (await helper_portal.get(f"/dossiers/{dossier.code}/declare/sent")).status_code == 200  # the status
        assert (await citizen.get(url)).status_code == 200


async def test_a_declaration_the_sending_refuses_is_not_kept(portal, monkeypatch):
    async def refused(*args, **kwargs):
        raise TransitionRefused("sent meanwhile")

    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        await ask(helper_portal, dossier.code, "code")
        code = code_in(await texts_to(portal, CITIZEN), dossier.code)
        monkeypatch.setattr(dossier_services, "submit", refused)
        monkeypatch.setattr(dossier_services, "prepare_submission", refused)
        typed = await helper_portal.post_form(f"/dossiers/{dossier.code}/declare/code", {"code": code})
        assert typed.status_code == 400 and "the declaration was not kept" in typed.text
        consent = await AssistConsent.get(dossier_id=dossier.id)
        assert consent.declared_at is None and consent.declare_code_hash, "nothing kept, the code not used up"
        assert not await TimelineEvent.filter(dossier_id=dossier.id, action="assist_declared_code").exists()
        assert await AssistEvent.filter(consent_id=consent.id, action="declare_not_sent").exists()
        monkeypatch.undo()
        again = await helper_portal.post_form(f"/dossiers/{dossier.code}/declare/code", {"code": code})
        assert again.status_code == 303, again.text


@pytest.fixture
def reviewed_khmer():
    """The code-to-declare text approved in Khmer, for these tests only."""
    with approved("km", CODE_TEXT):
        yield


async def declare_at_counter(portal, citizen, helper_portal, read_in: str | None) -> tuple[Dossier, str]:
    """The helper fills Lan's draft on English pages and she declares with the code texted to her, having last read
    the portal in ``read_in`` (None: no page since migration 34): the dossier and that text."""
    dossier, _ = await helped_draft(citizen)
    if read_in:
        assert (await citizen.get(f"/{read_in}/my/dossiers")).status_code == 200
    else:
        await User.filter(phone=e164(CITIZEN)).update(language=None)
    await fill_as_helper(helper_portal, dossier.code)
    await ask(helper_portal, dossier.code, "code")
    text = next(text for text in await texts_to(portal, CITIZEN) if dossier.code in text)
    number = re.search(r"\b(\d{6})\b", text.replace(dossier.code, "")).group(1)  # wherever the language puts it
    typed = await helper_portal.post_form(f"/dossiers/{dossier.code}/declare/code", {"code": number})
    assert typed.status_code == 303, typed.text
    return await Dossier.get(id=dossier.id), text


async def test_declared_at_the_counter_the_dossier_speaks_the_citizens_language(portal, reviewed_khmer):
    """Lan reads the portal in Khmer, the helper's pages are in English: the code is texted in Khmer, and the
    dossier keeps Khmer for its result and news (migration 34)."""
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, text = await declare_at_counter(portal, citizen, helper_portal, "km")
    assert any("\u1780" <= ch <= "\u17ff" for ch in text) and "là mã để bạn cam đoan" not in text, text
    assert dossier.language == "km"


async def test_a_citizen_with_no_language_yet_gets_vietnamese_not_the_helpers_language(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, text = await declare_at_counter(portal, citizen, helper_portal, None)
    assert "là mã để bạn cam đoan" in text, text
    assert dossier.language == "vi"  # the helper's pages were in English
