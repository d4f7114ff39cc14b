"""The demo's questions (``make run``): Lan's question in Khmer answered in Vietnamese and published, one the
ward has not classified in time (on the overdue board of P01-W-HOANKIEM), one answered privately."""

from __future__ import annotations

from datetime import date, timedelta

from backend.accounts.models import User
from backend.core.calendar import is_working_day
from backend.core.clock import SYSTEM
from backend.questions import services
from backend.questions.models import Question

BIRTH = "1.001193"


def _working_days_ago(days: int) -> date:
    day = SYSTEM.today()
    while days > 0:
        day -= timedelta(days=1)
        days -= is_working_day(day)
    return day


async def create_demo_questions() -> int:
    """Once: nothing is added when Lan has asked a question."""
    lan = await User.get(phone="84912345678")
    if await Question.filter(asker=lan).exists():
        return 0
    lead = await User.get(phone="84901000001")
    asked = [
        ("km", True, 6, "ខ្ញុំត្រូវការឯកសារអ្វីខ្លះ ដើម្បីចុះបញ្ជីកំណើតកូនរបស់ខ្ញុំ? ទូរស័ព្ទ 0912345678",
         "Chị cần tờ khai đăng ký khai sinh và giấy chứng sinh do bệnh viện cấp. Không mất lệ phí nếu đăng ký "
         "trong 60 ngày."),
        ("vi", True, 5, "Tôi nộp hồ sơ khai sinh trực tuyến rồi, bao lâu thì có kết quả?", ""),
        ("vi", False, 8, "Cán bộ có thể gọi cho tôi theo số 0912345678 để hướng dẫn không?",
         "Phường sẽ gọi chị trong giờ hành chính."),
    ]
    for language, consent, days_ago, text, answer in asked:
        question, errors = await services.ask(
            lan, services.Draft(text=text, procedure=BIRTH, language=language, consent=consent),
            _working_days_ago(days_ago))
        if question is None:
            raise ValueError(f"demo question: {errors}")
        if answer:
            await services.classify(question, lead, "question")
            await services.answer(question, lead, answer, "vi", _working_days_ago(days_ago - 2))
            if consent:
                await services.publish(question, lead)
    return len(asked)
