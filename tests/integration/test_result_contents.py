"""What a result says (issue 18): the procedure's result template's lines, from the answers and from what the
official fills at approval, printed in the signed PDF in Vietnamese beside the citizen's language."""

from __future__ import annotations

import html
import re

import pytest

from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.results.models import Result, ResultFailure
from backend.results.template import date_in_words_vi
from tests.integration.helpers import act, drive, people
from tests.pdf_text import pdf_text
from tests.support import CITIZEN, OFFICER

pytestmark = pytest.mark.integration

CHILD = "Trần Thị Bảo Ngọc"
REGISTRY = {"result_registration_number": "152/2026", "result_register_book": "01/2026",
            "result_register_page": "37", "note": "All in order."}


async def birth_in_progress(citizen, officer) -> str:
    code = await drive(citizen, officer, Status.IN_PROGRESS)
    dossier = await Dossier.get(code=code)  # the child's own name: not the name every other answer carries
    await Dossier.filter(id=dossier.id).update(answers={**dossier.answers, "child_full_name": CHILD})
    return code


async def test_the_birth_extract_carries_the_birth_and_the_registration(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await birth_in_progress(citizen, officer)
        page = await officer.get(f"/desk/dossiers/{code}")
        assert 'name="result_registration_number"' in page.text and 'value="Việt Nam"' in page.text

        response = await officer.post_form(f"/desk/dossiers/{code}/approve", REGISTRY)
        assert response.status_code in (302, 303), response.text[:500]
        result = await Result.get(dossier__code=code)
        assert result.official_values == {"nationality": "Việt Nam", "personal_id": "",
                                          "registration_number": "152/2026", "register_book": "01/2026",
                                          "register_page": "37"}

        pdf = await citizen.get(f"/dossiers/{code}/result.pdf")
        assert pdf.status_code == 200
        text = " ".join(pdf_text(pdf.content).split())  # a long value wraps onto the next line
        assert "TRÍCH LỤC KHAI SINH" in text and "Birth registration extract" in text, text
        for expected in (CHILD, "27 tháng 3, 2025", "March 27, 2025", date_in_words_vi("2025-03-27"), "152/2026",
                         "01/2026", "Ngày, tháng, năm sinh", "Date of birth", "Số đăng ký", "Quốc tịch", "Việt Nam",
                         "Nơi đăng ký"):
            assert expected in text, (expected, text)
        assert "Giới tính Sex Nam Male Dân tộc" in text, "a choice by its label in both languages, not its code"

        # Its HTML twin, linked from the dossier page, says the same, each language marked.
        mine = await citizen.get(f"/my/dossiers/{code}")
        assert f'href="/en/dossiers/{code}/result"' in mine.text
        twin = await citizen.get(f"/dossiers/{code}/result")
        assert twin.status_code == 200 and twin.text.count("<h1") == 1
        page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", twin.text)).split())
        for expected in ("TRÍCH LỤC KHAI SINH", "Birth registration extract", CHILD, "March 27, 2025",
                         date_in_words_vi("2025-03-27"), "152/2026", "01/2026", "Số đăng ký", "Nơi đăng ký",
                         "Giới tính Sex Nam Male Dân tộc", result.code):
            assert expected in page, (expected, page)
        assert '<article class="result-doc" lang="vi"' in twin.text and 'lang="en">Sex<' in twin.text
        assert re.search(r'<img class="result-doc__qr" src="data:image/png;base64,[^"]+" alt="Mã QR: [^"]*'
                         + re.escape(result.code), twin.text), "the QR code, with its text"


async def test_a_required_registration_field_left_empty_is_refused_and_nothing_issued(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await birth_in_progress(citizen, officer)
        typed = {**REGISTRY, "result_registration_number": "  ", "note": "Kept as typed."}
        response = await officer.post_form(f"/desk/dossiers/{code}/approve", typed)
        assert response.status_code == 400
        body = html.unescape(re.sub(r"\s+", " ", response.text))
        assert "There is a problem" in body and "Registration number" in body
        assert 'href="#result_registration_number"' in body and 'aria-invalid="true"' in body
        assert 'value="01/2026"' in response.text and "Kept as typed." in body, "what was typed is kept"
        assert (await Dossier.get(code=code)).status is Status.IN_PROGRESS
        assert not await Result.filter(dossier__code=code).exists()
        assert not await ResultFailure.filter(dossier__code=code).exists()


async def test_the_api_approves_with_the_register_entry_and_the_pdf_prints_it(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await birth_in_progress(citizen, officer)
        entry = {"registration_number": "208/2026", "register_book": "02/2026", "register_page": "41"}
        response = await act(officer, code, "approve", note="All in order.", result_fields=entry)
        assert response.status_code == 200, response.text
        result = await Result.get(dossier__code=code)
        assert result.official_values == {**entry, "nationality": "Việt Nam", "personal_id": ""}, "default applied"
        text = " ".join(pdf_text((await citizen.get(f"/dossiers/{code}/result.pdf")).content).split())
        for expected in ("208/2026", "02/2026", "Số đăng ký", "Registration number", "Việt Nam", CHILD):
            assert expected in text, (expected, text)


@pytest.mark.parametrize("fields, named", [
    ({"register_book": "02/2026"}, "registration_number: Enter Registration number"),
    ({"registration_number": "208/2026", "register_book": " "}, "register_book: Enter Register book"),
    ({"registration_number": "208/2026", "register_book": "02/2026", "registration_no": "1"}, "registration_no"),
])
async def test_the_api_refuses_an_approval_without_a_required_register_field(portal, fields, named):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await birth_in_progress(citizen, officer)
        response = await act(officer, code, "approve", note="All in order.", result_fields=fields)
        assert response.status_code == 422, response.text
        assert named in response.text
        assert (await Dossier.get(code=code)).status is Status.IN_PROGRESS, "nothing approved"
        assert not await Result.filter(dossier__code=code).exists()
        assert not await ResultFailure.filter(dossier__code=code).exists()
        # Who may comes first: the applicant is refused as before, whatever the fields.
        assert (await act(citizen, code, "approve", result_fields={})).status_code == 403


def test_dates_in_vietnamese_words():
    assert date_in_words_vi("2025-03-27") == "Ngày hai mươi bảy tháng ba năm hai nghìn không trăm hai mươi lăm"
    assert date_in_words_vi("2001-04-15") == "Ngày mười lăm tháng tư năm hai nghìn không trăm lẻ một"
    assert date_in_words_vi("1999-12-21") == "Ngày hai mươi mốt tháng mười hai năm một nghìn chín trăm chín mươi chín"
    assert date_in_words_vi("not a date") == ""



async def test_a_corrected_result_can_correct_the_registration_and_keeps_the_rest(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await birth_in_progress(citizen, officer)
        await officer.post_form(f"/desk/dossiers/{code}/approve", REGISTRY)
        desk = await officer.get(f"/desk/dossiers/{code}")
        assert 'value="152/2026"' in desk.text, "the corrected-result form starts from the current values"

        refused = await officer.post_form(f"/desk/dossiers/{code}/results/issue",
                                          {**REGISTRY, "result_register_book": "", "decision": "Typed."})
        assert refused.status_code == 400 and 'href="#result_register_book"' in refused.text
        assert "Typed." in refused.text and await Result.filter(dossier__code=code).count() == 1

        fixed = {**REGISTRY, "result_registration_number": "153/2026", "decision": "Registration number corrected."}
        response = await officer.post_form(f"/desk/dossiers/{code}/results/issue", fixed)
        assert response.status_code in (302, 303), response.text[:500]
        new = await Result.filter(dossier__code=code).order_by("-id").first()
        assert new is not None and new.official_values["registration_number"] == "153/2026"
        text = " ".join(pdf_text((await citizen.get(f"/dossiers/{code}/result.pdf")).content).split())
        assert "153/2026" in text and "152/2026" not in text and CHILD in text and "01/2026" in text
