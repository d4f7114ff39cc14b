"""Public questions (issue 19, items 5 and 6): asked in any language, classified and answered by the agency on a
clock of working days, published only with consent and without personal details; the overdue board, reassigning,
hiding abuse, another agency refused; a low rating becomes feedback the agency must answer."""

from datetime import date, timedelta

import httpx
import pytest

from backend.accounts.models import AgencyRole, Role, User
from backend.catalogue.models import Agency
from backend.core.clock import FixedClock
from backend.dossiers.constants import Status
from backend.dossiers.models import NotificationOutbox
from backend.notifications.runtime import outbox_worker
from backend.questions.listing import on_time_by_agency
from backend.questions.models import Question, QuestionEvent
from backend.questions.redaction import MARK
from backend.questions.services import answered_on_time
from backend.sandboxes.models import SandboxSms
from tests.integration.helpers import drive, people
from tests.support import CITIZEN, OFFICER, OTHER_CITIZEN, OTHER_OFFICER

pytestmark = pytest.mark.integration

BIRTH = "1.001193"  # settled by Hoàn Kiếm ward, whose lead is OFFICER
TUESDAY = date(2026, 3, 10)  # no public holiday within three weeks
SA_PA_OFFICIAL = "0901000011"
KHMER = "ខ្ញុំចង់ដឹងពីឯកសារដែលត្រូវការ។ ទូរស័ព្ទ 0912345678 អ៊ីមែល lan@example.vn"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(TUESDAY)


async def ask(citizen, text=KHMER, language="km", consent=True, procedure=BIRTH, **more):
    form = {"procedure": procedure, "language": language, "text": text, **more}
    if consent:
        form["consent"] = "yes"
    return await citizen.post_form("/questions/new", form)


async def asked(citizen, **kwargs) -> Question:
    response = await ask(citizen, **kwargs)
    assert response.status_code in (302, 303), response.text
    return await Question.all().order_by("-id").first()


async def news(question: Question) -> list[str]:
    rows = await NotificationOutbox.filter(dossier_id=None, recipient_id=question.asker_id).order_by("id")
    return [row.event for row in rows if row.payload.get("question") == question.id]


async def test_asked_in_khmer_answered_in_vietnamese_published_without_personal_details(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        question = await asked(citizen)
        assert (question.language, question.kind, question.consent) == ("km", None, True)
        assert question.classify_by == date(2026, 3, 12)
        own = await citizen.get(f"/questions/{question.id}")
        assert 'lang="km"' in own.text and "To classify" in own.text

        desk = await officer.get("/desk/questions")
        assert f"/desk/questions/{question.id}" in desk.text and "To classify" in desk.text
        assert (await officer.post_form(f"/desk/questions/{question.id}/classify", {"kind": "question"})
                ).status_code in (302, 303)
        await question.refresh_from_db()
        assert (question.kind, question.due_on) == ("question", date(2026, 3, 19))  # 7 working days
        answer = "Cần tờ khai và giấy chứng sinh. Liên hệ 024 3825 1234 hoặc hoankiem@hanoi.gov.vn."
        response = await officer.post_form(f"/desk/questions/{question.id}/answer",
                                           {"answer": answer, "answer_language": "vi"})
        assert response.status_code in (302, 303), response.text
        assert (await portal.client.get("/en/questions")).text.count("question-pair") == 0  # not yet published
        assert (await officer.post_form(f"/desk/questions/{question.id}/publish")).status_code in (302, 303)
        assert await news(question) == ["question_classified", "question_answered", "question_published"]

        await citizen.sign_out()
        for url in ("/en/questions", f"/en/questions/{question.id}", f"/en/procedures/{BIRTH}",
                    "/en/questions?q=giay chung sinh"):
            page = (await citizen.client.get(url)).text
            assert 'lang="km"' in page and "ខ្ញុំចង់ដឹងពីឯកសារដែលត្រូវការ" in page, url
            assert 'lang="vi">Cần tờ khai' in page, url
            for detail in ("0912345678", "lan@example.vn", "3825", "hoankiem@hanoi.gov.vn", "Nguyễn Thị Lan"):
                assert detail not in page, (url, detail)
            assert MARK in page
        nothing = (await citizen.client.get("/en/questions?q=passport")).text
        assert "No published question matches" in nothing


async def test_published_only_with_consent(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        question = await asked(citizen, text="Bao lâu thì có kết quả?", language="vi", consent=False)
        await officer.post_form(f"/desk/questions/{question.id}/classify", {"kind": "question"})
        await officer.post_form(f"/desk/questions/{question.id}/answer", {"answer": "3 ngày.", "answer_language": "vi"})
        response = await officer.post_form(f"/desk/questions/{question.id}/publish")
        assert response.status_code == 400
        assert "did not agree to publication" in response.text and 'class="error-summary"' in response.text
        await question.refresh_from_db()
        assert question.published_at is None and "question_published" not in await news(question)
        await citizen.sign_out()
        assert (await citizen.client.get(f"/en/questions/{question.id}")).status_code == 404
        assert "Bao lâu" not in (await citizen.client.get("/en/questions")).text


@pytest.mark.parametrize(("form", "message"), [
    ({"text": "   "}, "Write your question"),
    ({"text": "x" * 4001}, "4000 characters or fewer"),
    ({"procedure": "9.999999", "text": "Thủ tục này ở đâu?"}, "There is no procedure with the code 9.999999"),
    ({"procedure": "", "text": "Hỏi gì đó"}, "Give the code of the procedure or of the agency"),
])
async def test_bad_questions_are_refused_and_the_text_kept(portal, form, message):
    async with people(portal, CITIZEN) as (citizen,):
        response = await ask(citizen, **{"language": "vi", **form})
    assert response.status_code == 400 and message in response.text
    assert 'class="error-summary"' in response.text
    if form["text"].strip():
        assert form["text"] in response.text
    assert await Question.all().count() == 0


async def test_asking_needs_a_signed_in_citizen(portal):
    response = await portal.get(f"/questions/new?procedure={BIRTH}")
    assert response.status_code in (302, 303, 401)


async def test_deadlines_in_working_days_and_the_overdue_board(portal, clock):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        late = await asked(citizen, text="Vì sao chậm?", language="vi")
        prompt = await asked(citizen, text="Cần mang gì?", language="vi")
        agency = await Agency.get(id=late.agency_id)
        board = f"/en/questions/overdue?agency={agency.code}"
        assert "answered every question in time" in (await portal.client.get(board)).text

        clock.set(FixedClock.on(date(2026, 3, 13)).now())  # Friday: past the 2 working days to classify
        page = (await portal.client.get(board)).text
        assert "2 questions not answered in time" in page and "To classify" in page and "Vì sao" not in page

        await officer.post_form(f"/desk/questions/{late.id}/classify", {"kind": "question"})
        await officer.post_form(f"/desk/questions/{prompt.id}/classify", {"kind": "report"})
        await late.refresh_from_db()
        await prompt.refresh_from_db()
        assert (late.due_on, prompt.due_on) == (date(2026, 3, 19), date(2026, 3, 24))  # 7 and 10 working days
        assert "answered every question in time" in (await portal.client.get(board)).text

        clock.set(FixedClock.on(date(2026, 3, 20)).now())  # Friday after: the question is late, the report not
        page = (await portal.client.get(board)).text
        assert "1 question not answered in time" in page and f"<td data-label=\"Number\">{late.id}</td>" in page
        assert "Nguyễn" not in page and "Vì sao" not in page
        assert "overdue" in (await officer.get("/desk/questions")).text
        await officer.post_form(f"/desk/questions/{late.id}/answer", {"answer": "Xin lỗi.", "answer_language": "vi"})
        await officer.post_form(f"/desk/questions/{prompt.id}/answer", {"answer": "Tờ khai.", "answer_language": "vi"})
        assert "answered every question in time" in (await portal.client.get(board)).text

    march = await answered_on_time(agency.id, "2026-03")
    assert (march.due, march.on_time, march.share) == (2, 1, 0.5)
    assert (await answered_on_time(agency.id, date(2026, 4, 1))).share is None
    # the statistics' satisfaction group reads the same through its hook (statistics.index.feedback_on_time)
    assert await on_time_by_agency([agency.id], date(2026, 3, 1), date(2026, 3, 31)) == {agency.id: (2, 1)}
    assert await on_time_by_agency([agency.id], date(2026, 3, 20), date(2026, 3, 31)) == {agency.id: (1, 1)}
    unknown = await portal.client.get("/en/questions/overdue?agency=NOPE")
    assert "There is no agency with the code NOPE" in unknown.text


async def staff(phone: str, agency_code: str, role: AgencyRole) -> Agency:
    agency = await Agency.get(code=agency_code)
    await User.update_or_create(defaults={"role": Role.OFFICER, "agency": agency, "agency_role": role},
                                phone="84" + phone[1:])
    return agency


async def test_a_lead_reassigns_with_a_reason(portal):
    await staff(OFFICER, "P01-W-HOANKIEM", AgencyRole.LEAD)
    sa_pa_agency = await staff(SA_PA_OFFICIAL, "P15-W-SAPA", AgencyRole.OFFICIAL)
    async with people(portal, CITIZEN, OFFICER, SA_PA_OFFICIAL) as (citizen, lead, sa_pa):
        question = await asked(citizen, text="Tôi ở Sa Pa", language="vi")
        refused = await lead.post_form(f"/desk/questions/{question.id}/reassign",
                                       {"agency": sa_pa_agency.code, "reason": ""})
        assert refused.status_code == 400
        assert "Say why" in refused.text and sa_pa_agency.code in refused.text
        moved = await lead.post_form(f"/desk/questions/{question.id}/reassign",
                                     {"agency": sa_pa_agency.code, "reason": "Người hỏi ở Sa Pa"})
        assert moved.status_code in (302, 303)
        assert (await lead.get(f"/desk/questions/{question.id}")).status_code == 404
        assert f"/desk/questions/{question.id}" in (await sa_pa.get("/desk/questions")).text
        record = await QuestionEvent.get(question_id=question.id, action="reassign")
        assert (record.note, record.to_agency_id) == ("Người hỏi ở Sa Pa", sa_pa_agency.id)
        # an official (not a lead) may not send it on
        assert "Only a lead" in (await sa_pa.post_form(f"/desk/questions/{question.id}/reassign",
                                                        {"agency": "P01-W-HOANKIEM", "reason": "x"})).text


async def test_a_moderator_hides_abuse_with_a_reason_kept(portal):
    await staff(OFFICER, "P01-W-HOANKIEM", AgencyRole.LEAD)
    async with people(portal, CITIZEN, OFFICER, OTHER_CITIZEN) as (citizen, lead, other):
        question = await asked(citizen, text="Lời lẽ xúc phạm", language="vi")
        await lead.post_form(f"/desk/questions/{question.id}/classify", {"kind": "report"})
        await lead.post_form(f"/desk/questions/{question.id}/answer", {"answer": "Đã nhận.", "answer_language": "vi"})
        await lead.post_form(f"/desk/questions/{question.id}/publish")
        assert "Lời lẽ" in (await portal.client.get("/en/questions")).text
        anyone = httpx.AsyncClient(transport=httpx.ASGITransport(app=portal.app), base_url=portal.client.base_url)
        assert "Lời lẽ" in (await anyone.get(f"/en/procedures/{BIRTH}")).text  # now in the public pages' cache
        assert (await other.get(f"/questions/{question.id}/hide")).status_code == 404  # not a moderator
        empty = await lead.post_form(f"/questions/{question.id}/hide", {"reason": " "})
        assert empty.status_code == 400 and "Say why the question is hidden" in empty.text
        hidden = await lead.post_form(f"/questions/{question.id}/hide", {"reason": "Xúc phạm cán bộ"})
        assert hidden.status_code in (302, 303)
        assert "Lời lẽ" not in (await portal.client.get("/en/questions")).text
        assert (await other.get(f"/questions/{question.id}")).status_code == 404  # the asker still sees it
        assert "Lời lẽ" not in (await anyone.get(f"/en/procedures/{BIRTH}")).text  # its copy dropped at once
        await anyone.aclose()
        await question.refresh_from_db()
        assert question.hidden and question.text == "Lời lẽ xúc phạm"  # in the record, not deleted
        assert (await QuestionEvent.get(question_id=question.id, action="hide")).note == "Xúc phạm cán bộ"


async def test_an_answer_from_another_agency_is_refused_and_kept(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        question = await asked(citizen, text="Hỏi phường", language="vi")
        assert (await police.get(f"/desk/questions/{question.id}")).status_code == 404
        response = await police.post_form(f"/desk/questions/{question.id}/answer",
                                          {"answer": "Câu trả lời của công an", "answer_language": "vi"})
        assert response.status_code == 403
        assert "This question is for another agency" in response.text and "Câu trả lời của công an" in response.text
        assert "Hỏi phường" not in response.text
        await question.refresh_from_db()
        assert question.answer == "" and question.answered_on is None


async def test_a_low_rating_becomes_feedback_on_the_clock(portal, clock):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.APPROVED)
        fine = await drive(citizen, officer, Status.APPROVED)
        form = (await citizen.get(f"/my/dossiers/{code}")).text
        assert 'name="what_went_wrong"' in form
        assert (await citizen.post_form(f"/my/dossiers/{fine}/rating", {"score": "4", "what_went_wrong": "x"})
                ).status_code in (302, 303)
        assert await Question.all().count() == 0
        response = await citizen.post_form(f"/my/dossiers/{code}/rating",
                                           {"score": "1", "what_went_wrong": "Phải đến phường ba lần"})
        assert response.status_code in (302, 303)
        feedback = await Question.get(dossier__code=code)
        assert "The agency must answer what went wrong" in (await citizen.get(response.headers["location"])).text
        assert (feedback.kind, feedback.text, feedback.consent) == ("feedback", "Phải đến phường ba lần", False)
        assert feedback.due_on == TUESDAY + timedelta(days=14)  # 10 working days: two weeks
        assert f"/desk/questions/{feedback.id}" in (await officer.get("/desk/questions")).text
        assert f'href="/en/desk/dossiers/{code}"' in (await officer.get(f"/desk/questions/{feedback.id}")).text
        again = await citizen.post_form(f"/my/dossiers/{code}/rating", {"score": "2", "what_went_wrong": "Chậm"})
        assert again.status_code in (302, 303) and await Question.all().count() == 1  # asked once
        answered = await officer.post_form(f"/desk/questions/{feedback.id}/answer",
                                           {"answer": "Xin lỗi chị.", "answer_language": "vi"})
        assert answered.status_code in (302, 303)
        assert "question_answered" in await news(feedback)


async def test_each_step_reaches_the_asker_by_sms_in_the_language_of_the_question(portal):
    """Through the dossiers' outbox and its worker: no device to push to, so an SMS, its link to the question."""
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        question = await asked(citizen, language="en", text="Which documents do I need?")
        await officer.post_form(f"/desk/questions/{question.id}/classify", {"kind": "question"})
        await officer.post_form(f"/desk/questions/{question.id}/answer",
                                {"answer": "Tờ khai.", "answer_language": "vi"})
        await officer.post_form(f"/desk/questions/{question.id}/publish")
    async with outbox_worker(portal.settings, portal.adapters.sms_gateway, []) as worker:
        while await worker.run_once():
            pass
    rows = await NotificationOutbox.filter(dossier_id=None).order_by("id")
    assert [(row.state, row.channel) for row in rows] == [("sent", "sms")] * 3
    texts = [sms.text for sms in await SandboxSms.filter(to="84" + CITIZEN[1:]).order_by("id")]
    for news in ("has classified your question", "has answered your question", "are now published"):
        assert any(news in text and f"/en/questions/{question.id}" in text for text in texts), news
