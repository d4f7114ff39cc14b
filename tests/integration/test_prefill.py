"""Pre-fill from the national population database: asked once, recorded either way, marked, never overwriting."""

import dataclasses
import re

import pytest

from backend.accounts.models import User
from backend.dossiers.models import Dossier, PrefillConsent
from backend.sandboxes.citizens import LAN_ID_NUMBER, MINH_ID_NUMBER
from tests.integration.helpers import people, start_draft
from tests.support import CITIZEN, OTHER_CITIZEN, OTHER_OFFICER, Portal, reset_database, served, submit_dossier

pytestmark = pytest.mark.integration
MARITAL = "1.004873"  # pages: person (full_name, birth_date, id_number locked, residence), purpose, contact (phone)
PASSPORT = "1.001456"  # personal: full_name, birth_date, gender, id_number all locked; contact: phone
OFFER = "Fill in your details from the national population database?"
MARK = "Pre-filled from the national population database."
LAN_ADDRESS = "Số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội"


async def verify(portal: Portal) -> None:
    response = await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER})
    assert response.status_code in (302, 303), response.text


async def choose(portal: Portal, code: str, choice: str):
    return await portal.post_form(f"/dossiers/{code}/prefill", {"choice": choice})


async def answers(code: str) -> dict:
    return (await Dossier.get(code=code)).answers


def input_tag(page: str, name: str) -> str:
    return re.search(rf'<(?:input|select|textarea) id="{name}"[^>]*>', page).group(0)


async def test_with_consent_the_empty_answers_are_filled_and_marked(portal):
    await portal.sign_in(CITIZEN)
    await verify(portal)
    code = await start_draft(portal, MARITAL)
    first = await portal.get(f"/dossiers/{code}/form/person")
    assert OFFER in first.text and 'name="choice" value="yes"' in first.text and 'value="no"' in first.text
    offer = first.text.split('aria-labelledby="prefill-title"')[1].split("</section>")[0]
    assert offer.count("<li>") == 5 and "this procedure uses the registered value" in offer, "what would be copied"
    assert f'action="/dossiers/{code}/form/person"' not in first.text, "the question comes before the form"

    response = await choose(portal, code, "yes")
    assert response.headers["location"] == f"/en/dossiers/{code}/form/person?prefilled=1"
    consent = await PrefillConsent.get(dossier__code=code)
    assert consent.granted and consent.source == "population_registry"
    assert consent.fields_filled == ["full_name", "birth_date", "id_number", "residence", "phone"]
    assert await answers(code) == {
        "full_name": "Nguyễn Thị Lan",
        "birth_date": "1990-05-14",
        "id_number": LAN_ID_NUMBER,
        "residence": LAN_ADDRESS,
        "phone": "0912345678",
    }

    page = (await portal.get(response.headers["location"])).text
    assert OFFER not in page and "Your details from the national population database are filled in" in page
    assert MARK in page and 'id="full_name-source"' in page
    assert 'aria-describedby="full_name-source"' in input_tag(page, "full_name")
    assert "readonly" not in input_tag(page, "full_name"), "a name can be corrected"
    assert "readonly" in input_tag(page, "id_number") and "It cannot be changed here" in page
    contact = (await portal.get(f"/dossiers/{code}/form/contact")).text
    assert 'value="0912345678"' in input_tag(contact, "phone") and 'id="phone-source"' in contact

    check = (await portal.get(f"/dossiers/{code}/check")).text
    assert check.count("From the national population database") == 5
    assert "/form/person#full_name" in check and "/form/person#id_number" not in check, "no Change for a locked one"

    assert (await choose(portal, code, "no")).status_code in (302, 303)
    assert await PrefillConsent.filter(dossier__code=code).count() == 1, "asked and answered once"


async def test_without_consent_nothing_is_filled(portal):
    await portal.sign_in(CITIZEN)
    await verify(portal)
    code = await start_draft(portal, MARITAL)
    response = await choose(portal, code, "no")
    assert response.headers["location"] == f"/en/dossiers/{code}/form/person"
    consent = await PrefillConsent.get(dossier__code=code)
    assert consent.granted is False and consent.fields_filled == []
    assert await answers(code) == {"phone": "0912345678"}, "only the account's own number (issue 22), no registry data"
    page = (await portal.get(f"/dossiers/{code}/form/person")).text
    assert OFFER not in page and MARK not in page and 'id="full_name"' in page
    assert "readonly" not in input_tag(page, "id_number")


async def test_a_citizen_not_verified_is_not_offered_prefill(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, MARITAL)
    page = (await portal.get(f"/dossiers/{code}/form/person")).text
    assert OFFER not in page and 'name="choice"' not in page and 'id="full_name"' in page
    assert "/account/identity?next=" in page, "a way to level 2 is shown instead"
    refused = await choose(portal, code, "yes")
    assert refused.status_code == 403
    assert not await PrefillConsent.exists(dossier__code=code)
    assert await answers(code) == {"phone": "0912345678"}, "the account's own number only"


async def test_what_the_citizen_typed_is_never_overwritten(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, MARITAL)  # started before verifying
    typed = await portal.post_form(f"/dossiers/{code}/form/person", {"full_name": "Nguyễn Lan", "residence": " "})
    assert typed.status_code == 400, "incomplete, but what was typed is kept"
    await verify(portal)
    assert OFFER in (await portal.get(f"/dossiers/{code}/form/person")).text
    await choose(portal, code, "yes")
    saved = await answers(code)
    assert saved["full_name"] == "Nguyễn Lan" and saved["residence"] == LAN_ADDRESS
    consent = await PrefillConsent.get(dossier__code=code)
    assert "full_name" not in consent.fields_filled and "residence" in consent.fields_filled
    page = (await portal.get(f"/dossiers/{code}/form/person")).text
    assert 'id="full_name-source"' not in page and 'id="residence-source"' in page


async def test_a_value_the_procedure_takes_from_the_registry_cannot_be_changed(portal):
    await portal.sign_in(CITIZEN)
    await verify(portal)
    code = await start_draft(portal, MARITAL)
    await choose(portal, code, "yes")
    posted = {"full_name": "Nguyễn Thị Lan Anh", "birth_date": "1990-05-14", "id_number": MINH_ID_NUMBER,
              "residence": LAN_ADDRESS}
    assert (await portal.post_form(f"/dossiers/{code}/form/person", posted)).status_code in (302, 303)
    saved = await answers(code)
    assert saved["id_number"] == LAN_ID_NUMBER, "the registry value stays"
    assert saved["full_name"] == "Nguyễn Thị Lan Anh", "a correctable answer takes the correction"
    consent = await PrefillConsent.get(dossier__code=code)
    assert "full_name" not in consent.fields_filled and "id_number" in consent.fields_filled
    page = (await portal.get(f"/dossiers/{code}/form/person")).text
    assert 'id="full_name-source"' not in page, "a corrected answer is no longer marked as the registry's"

    # A select cannot be read-only: the passport's sex is shown in a read-only box and kept on the server.
    passport = await start_draft(portal, PASSPORT)
    await choose(portal, passport, "yes")
    page = (await portal.get(f"/dossiers/{passport}/form/personal")).text
    gender = input_tag(page, "gender")
    assert "readonly" in gender and ('value="Nữ"' in gender or 'value="Female"' in gender), gender
    assert '<input type="hidden" name="gender" value="female">' in page
    form = {"full_name": "X", "birth_date": "2000-01-01", "gender": "male", "id_number": MINH_ID_NUMBER,
            "birth_place": "Hà Nội"}
    assert (await portal.post_form(f"/dossiers/{passport}/form/personal", form)).status_code in (302, 303)
    saved = await answers(passport)
    assert (saved["full_name"], saved["birth_date"], saved["gender"], saved["id_number"]) == (
        "Nguyễn Thị Lan", "1990-05-14", "female", LAN_ID_NUMBER)
    assert saved["birth_place"] == "Hà Nội"


async def test_the_official_sees_which_answers_came_from_the_registry(portal):
    await portal.sign_in(CITIZEN)
    await verify(portal)
    await choose(portal, await start_draft(portal, PASSPORT), "yes")
    code = await submit_dossier(portal, PASSPORT)  # answers every page as a citizen would, locked ones included
    saved = await answers(code)
    assert saved["id_number"] == LAN_ID_NUMBER and saved["full_name"] == "Nguyễn Thị Lan"
    await portal.sign_in(OTHER_OFFICER)
    desk = (await portal.get(f"/desk/dossiers/{code}")).text
    # The four locked answers, and the phone (typed again unchanged).
    assert desk.count("From the national population database") == 5


async def test_another_citizen_cannot_answer_for_someone_else_dossier(portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, minh):
        await verify(lan)
        code = await start_draft(lan, MARITAL)
        await User.filter(phone="84" + OTHER_CITIZEN[1:]).update(identity_number=MINH_ID_NUMBER)
        assert (await choose(minh, code, "yes")).status_code == 404
        assert (await minh.get(f"/dossiers/{code}/form/person")).status_code == 404
        assert not await PrefillConsent.exists(dossier__code=code)
        assert await answers(code) == {"phone": "0912345678"}, "the account's own number only"
        assert OFFER in (await lan.get(f"/dossiers/{code}/form/person")).text, "Lan is still asked"


async def test_when_the_registry_is_down_the_question_stays(settings, tmp_path):
    down = dataclasses.replace(settings, registry_url="http://127.0.0.1:9", data_dir=tmp_path / "down")
    async with served(down) as (app, client):
        await reset_database(down.database_url)
        portal = Portal(client, app)
        await User.filter(phone="84" + CITIZEN[1:]).update(identity_number=LAN_ID_NUMBER)  # verified earlier
        await portal.sign_in(CITIZEN)
        code = await start_draft(portal, MARITAL)
        response = await choose(portal, code, "yes")
        assert response.status_code == 503
        assert "cannot be reached now" in response.text and OFFER in response.text
        assert not await PrefillConsent.exists(dossier__code=code)
