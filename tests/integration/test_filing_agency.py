"""Issue 17, items 3 and 4: the citizen chooses the receiving agency when starting, can change it while the dossier
is a draft, sees it on the check page and the receipt; the dossier reaches that agency's desk only."""

import pytest
from markupsafe import escape

from backend.accounts.models import Role, User
from backend.catalogue.models import Agency, Procedure
from backend.dossiers.models import Dossier
from backend.payments.models import Payment
from backend.sandboxes.citizens import LAN_ID_NUMBER
from tests.support import CITIZEN, OFFICER, OTHER_CITIZEN, fill_draft, procedure_definition

pytestmark = pytest.mark.integration
BIRTH = "1.001193"  # commune level, People's Committee; the catalogue's agency is Hoàn Kiếm ward (P01-W-HOANKIEM)
DEATH = "1.000656"  # commune level too: a last choice for one is a suggestion for the other
PASSPORT = "1.001456"  # province level, the province police; Hồ Chí Minh City (79) has its own time limit (8 days)
HAI_CHAU = "P48-W-HAICHAU"  # Hải Châu ward, Đà Nẵng: another province than the citizen's
BA_DINH = "P01-W-BADINH"
HOAN_KIEM = "P01-W-HOANKIEM"
BA_DINH_OFFICIAL = "0901000077"
PERMIT = "1.013225"  # commune level, with its own fee and time limit in provinces 79 and 01


async def name(code: str) -> str:
    """The agency's English name as the pages write it (escaped)."""
    return str(escape((await Agency.get(code=code)).name["en"]))


async def agency_of(code: str) -> str:
    return (await Dossier.get(code=code).select_related("agency")).agency.code


async def send(portal, code: str, procedure: str = BIRTH) -> None:
    definition = await procedure_definition(procedure)
    sent = await portal.post_form(f"/dossiers/{code}/submit",
                                  {"declaration": "yes", "result_form": definition["result_forms"][0]})
    assert sent.status_code in (302, 303), sent.text


async def test_without_a_suggestion_the_citizen_searches_chooses_and_files_there(portal):
    await portal.sign_in(CITIZEN)
    start = await portal.get(f"/procedures/{BIRTH}/apply")
    assert start.status_code == 200
    assert f'href="/en/procedures/{BIRTH}/agencies"' in start.text and "Start now" not in start.text, "choose first"
    # A start sent without an agency (an old page, a crafted post) goes to the picker: nothing is created.
    blind = await portal.post_form(f"/procedures/{BIRTH}/apply")
    assert blind.status_code == 303 and blind.headers["location"].endswith(f"/procedures/{BIRTH}/agencies")
    assert await Dossier.all().count() == 0

    # Province, then a search without accents; no JavaScript needed (GET forms, plain links).
    picker = await portal.get(f"/procedures/{BIRTH}/agencies")
    assert picker.status_code == 200 and '<select id="province" name="province">' in picker.text
    assert 'type="radio"' not in picker.text, "3,321 communes are not listed before a province or a search"
    found = await portal.get(f"/procedures/{BIRTH}/agencies", params={"province": "48", "q": "hai chau"})
    assert found.status_code == 200 and f'value="{HAI_CHAU}"' in found.text and await name(HAI_CHAU) in found.text
    assert '<option lang="vi" value="48" selected>' in found.text and 'value="hai chau"' in found.text
    assert found.text.count('type="radio"') == 1, "only Hải Châu matches in Đà Nẵng"
    everywhere = await portal.get(f"/procedures/{BIRTH}/agencies", params={"q": "HẢI châu"})
    assert f'value="{HAI_CHAU}"' in everywhere.text, "accents and case do not matter, nor the province"
    nothing = await portal.get(f"/procedures/{BIRTH}/agencies", params={"q": "zzqx"})
    assert "No agency matches" in nothing.text

    code = await fill_draft(portal, BIRTH, agency=HAI_CHAU)
    assert await agency_of(code) == HAI_CHAU
    check = await portal.get(f"/dossiers/{code}/check")
    assert await name(HAI_CHAU) in check.text and f'href="/en/dossiers/{code}/agency"' in check.text
    await send(portal, code)
    receipt = await portal.get(f"/dossiers/{code}/receipt")
    assert await name(HAI_CHAU) in receipt.text and "1 working day" in receipt.text
    mine = await portal.get(f"/my/dossiers/{code}")
    assert await name(HAI_CHAU) in mine.text


async def test_the_dossier_reaches_the_chosen_agency_s_desk_only(portal):
    await User.create(phone="84" + BA_DINH_OFFICIAL[1:], full_name="Trần Văn Bình", role=Role.OFFICER,
                      agency=await Agency.get(code=BA_DINH))
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH, agency=BA_DINH)
    await send(portal, code)

    await portal.sign_in(OFFICER)  # Hoàn Kiếm ward: the catalogue's agency for this procedure, not the chosen one
    assert code not in (await portal.get("/desk")).text
    assert (await portal.get(f"/desk/dossiers/{code}")).status_code == 404
    assert (await portal.get(f"/api/v1/dossiers/{code}")).status_code == 404

    await portal.sign_in(BA_DINH_OFFICIAL)
    assert code in (await portal.get("/desk")).text
    assert (await portal.get(f"/desk/dossiers/{code}")).status_code == 200


async def test_the_citizen_changes_the_agency_while_a_draft_and_not_after_sending(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH, agency=HOAN_KIEM)
    picker = await portal.get(f"/dossiers/{code}/agency")
    assert picker.status_code == 200 and await name(HOAN_KIEM) in picker.text
    assert '<option lang="vi" value="01" selected>' in picker.text, "opens on the current agency's province"
    assert f'value="{HOAN_KIEM}" checked' in picker.text

    changed = await portal.post_form(f"/dossiers/{code}/agency", {"agency": BA_DINH})
    assert changed.status_code == 302 and changed.headers["location"] == f"/en/dossiers/{code}/check?agency=changed"
    assert await agency_of(code) == BA_DINH
    check = await portal.get(changed.headers["location"])
    assert "The agency that receives your application is changed." in check.text and await name(BA_DINH) in check.text
    # Starting again resumes the draft where it is filed, answers kept.
    again = await portal.get(f"/procedures/{BIRTH}/apply")
    assert f'name="agency" value="{BA_DINH}"' in again.text and "Your application goes there now." in again.text

    await send(portal, code)
    answers = (await Dossier.get(code=code)).answers
    refused = await portal.post_form(f"/dossiers/{code}/agency", {"agency": HOAN_KIEM})
    assert refused.status_code == 409 and "can no longer be changed" in refused.text
    assert await agency_of(code) == BA_DINH and (await Dossier.get(code=code)).answers == answers
    assert (await portal.get(f"/dossiers/{code}/agency")).status_code == 404, "no picker for a sent dossier"
    # Nobody else's dossier can be moved: its code looks unknown.
    await portal.sign_in(OTHER_CITIZEN)
    assert (await portal.post_form(f"/dossiers/{code}/agency", {"agency": HOAN_KIEM})).status_code == 404


@pytest.mark.parametrize("posted, message", [
    ("P01-CA", "does not take applications for this procedure"),  # Hà Nội police: not a commune's committee
    ("P01-SNV", "does not take applications for this procedure"),  # a province department
    ("NO-SUCH-AGENCY", "No agency has this code"),
    ("X" * 500, "No agency has this code"),
])
async def test_an_agency_that_does_not_take_the_procedure_is_refused(portal, posted, message):
    await portal.sign_in(CITIZEN)
    # At the start (a crafted post): nothing created, the search kept.
    refused = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": posted, "province": "01", "q": "ba"})
    assert refused.status_code == 400 and message in refused.text
    assert "<title>Error:" in refused.text
    assert 'href="#agency"' in refused.text and 'id="agency"' in refused.text
    assert '<option lang="vi" value="01" selected>' in refused.text and 'value="ba"' in refused.text
    assert await Dossier.all().count() == 0
    shown = await portal.get(f"/procedures/{BIRTH}/apply", params={"agency": posted})
    assert shown.status_code == 400 and message in shown.text and "Start now" not in shown.text

    # On a draft: refused, the draft and its answers as they were.
    code = await fill_draft(portal, BIRTH, agency=HOAN_KIEM)
    before = await Dossier.get(code=code)
    moved = await portal.post_form(f"/dossiers/{code}/agency", {"agency": posted})
    assert moved.status_code == 400 and message in moved.text
    after = await Dossier.get(code=code)
    assert (after.agency_id, after.answers, after.updated_at) == (before.agency_id, before.answers, before.updated_at)


async def test_the_last_choice_is_suggested_for_a_procedure_of_the_same_kind(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH, agency=HAI_CHAU)
    await send(portal, code)
    start = await portal.get(f"/procedures/{DEATH}/apply")
    assert "where you filed your last application of this kind" in start.text
    assert f'name="agency" value="{HAI_CHAU}"' in start.text and "Start now" in start.text, "one click to confirm"
    # Not for a procedure another kind of agency settles: the passport goes to a province's police.
    passport = await portal.get(f"/procedures/{PASSPORT}/apply")
    assert "last application" not in passport.text


async def test_a_verified_citizen_is_offered_the_commune_of_their_permanent_address(portal):
    await portal.sign_in(CITIZEN)
    verified = await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER})
    assert verified.status_code in (302, 303), verified.text
    start = await portal.get(f"/procedures/{BIRTH}/apply")  # Lan lives in Hoàn Kiếm ward, Hà Nội
    assert "from your permanent address in the national population database" in start.text
    assert f'name="agency" value="{HOAN_KIEM}"' in start.text and await name(HOAN_KIEM) in start.text
    started = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": HOAN_KIEM})
    assert started.status_code in (302, 303)
    # Province level: the police of her province.
    passport = await portal.get(f"/procedures/{PASSPORT}/apply")
    assert 'name="agency" value="P01-CA"' in passport.text


async def test_fee_and_time_limit_come_from_the_chosen_agency_s_province(portal):
    await portal.sign_in(CITIZEN)
    # The construction permit: 75,000 ₫ and 7 days by default, 50,000 ₫ and 10 days in Hà Nội.
    hanoi = await portal.get(f"/procedures/{PERMIT}/apply", params={"agency": BA_DINH})
    assert "Time limit: 10 working days" in hanoi.text and "50,000" in hanoi.text and "You chose it." in hanoi.text
    da_nang = await portal.get(f"/procedures/{PERMIT}/apply", params={"agency": HAI_CHAU})
    assert "Time limit: 7 working days" in da_nang.text and "75,000" in da_nang.text
    code = await fill_draft(portal, PERMIT, agency=BA_DINH)
    check = await portal.get(f"/dossiers/{code}/check")
    assert "10 working days from when the agency receives it" in check.text
    amount = check.text.split('class="fee-amount"')[1].split("</p>")[0]
    assert "50,000" in amount, "what is paid is the Hà Nội fee"
    moved = await portal.post_form(f"/dossiers/{code}/agency", {"agency": HAI_CHAU})
    assert moved.status_code == 302
    check = await portal.get(f"/dossiers/{code}/check")
    assert "75,000" in check.text.split('class="fee-amount"')[1].split("</p>")[0]
    await portal.post_form(f"/dossiers/{code}/agency", {"agency": BA_DINH})
    await send(portal, code, PERMIT)  # to the payment gateway first
    assert [p.amount for p in await Payment.filter(dossier__code=code)] == [50000]


async def test_a_province_procedure_lists_one_agency_per_province(portal):
    await portal.sign_in(CITIZEN)
    picker = await portal.get(f"/procedures/{PASSPORT}/agencies")
    assert "34 agencies match" in picker.text
    hcmc = await portal.get(f"/procedures/{PASSPORT}/agencies", params={"province": "79"})
    assert hcmc.text.count('type="radio"') == 1 and 'value="P79-CA"' in hcmc.text


async def test_a_procedure_filed_at_one_agency_asks_nothing(portal):
    procedure = await Procedure.get(code=PASSPORT)
    saved = (procedure.filing_level, procedure.filing_kind)
    await Procedure.filter(id=procedure.id).update(filing_level="ministry", filing_kind="ministry")
    try:
        await portal.sign_in(CITIZEN)
        start = await portal.get(f"/procedures/{PASSPORT}/apply")
        assert "Where your application goes" not in start.text and 'name="agency"' not in start.text
        assert (await portal.get(f"/procedures/{PASSPORT}/agencies")).status_code == 404
        ignored = await portal.get(f"/procedures/{PASSPORT}/apply", params={"agency": "P79-CA"})
        assert ignored.status_code == 200 and 'name="agency"' not in ignored.text
        crafted = await portal.post_form(f"/procedures/{PASSPORT}/apply", {"agency": "P79-CA"})
        assert crafted.status_code == 400 and await Dossier.all().count() == 0
        started = await portal.post_form(f"/procedures/{PASSPORT}/apply")
        assert started.status_code in (302, 303), started.text
        code = started.headers["location"].split("/")[3]
        assert (await Dossier.get(code=code)).agency_id == procedure.agency_id
        assert (await portal.get(f"/dossiers/{code}/agency")).status_code == 404
        assert f'href="/en/dossiers/{code}/agency"' not in (await portal.get(f"/dossiers/{code}/check")).text
    finally:
        await Procedure.filter(id=procedure.id).update(filing_level=saved[0], filing_kind=saved[1])


async def test_a_draft_whose_agency_closed_meanwhile_is_not_sent_there(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH, agency=BA_DINH)
    await Agency.filter(code=BA_DINH).update(active=False)
    try:
        refused = await portal.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
        assert refused.status_code == 400 and "no longer takes applications for this procedure" in refused.text
        assert f'href="/en/dossiers/{code}/agency"' in refused.text
        assert (await Dossier.get(code=code)).status.value == "draft"
        assert (await portal.post_form(f"/dossiers/{code}/agency", {"agency": HAI_CHAU})).status_code == 302
        await send(portal, code)
        assert (await Dossier.get(code=code)).status.value == "submitted"
    finally:
        await Agency.filter(code=BA_DINH).update(active=True)
