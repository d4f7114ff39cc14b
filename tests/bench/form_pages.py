"""How long the big form pages take to make (issue 18): a form page of a 5-page procedure, and the check page of a
draft with 50 answers, each fetched by the signed-in citizen from the served portal, one request at a time.

    .venv/bin/python -m tests.bench.form_pages DATABASE_URL   # adds the procedure and the draft; prints JSON

The procedure (code ``BENCH.FORM50``, a copy of the birth registration's row with another form) has 5 pages of
10 questions of every kind (text, dates relative to today and to another answer, identity numbers, phones,
choices, yes/no, numbers, a question shown on a condition), every one answered in the demo citizen's draft.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.seed import CITIZEN, Browser, sign_in  # noqa: E402

CODE = "BENCH.FORM50"
PAGES, PER_PAGE = 5, 10
KINDS = (
    {"type": "text", "max_length": 100},
    {"type": "date", "not_after": "today"},
    {"type": "identity"},
    {"type": "phone"},
    {"type": "email"},
    {"type": "choice", "options": [{"value": v, "label": {"vi": v.upper(), "en": v}} for v in ("a", "b", "c")]},
    {"type": "yesno"},
    {"type": "number", "integer": True, "min": 0, "max": 100},
    {"type": "select", "options": [{"value": v, "label": {"vi": v.upper(), "en": v}} for v in ("x", "y")]},
    {"type": "textarea"},
)
ANSWERS = {"text": "Nguyễn Văn An", "date": "2020-03-27", "identity": "001090012345", "phone": "0912345678",
           "email": "an@example.vn", "choice": "b", "yesno": "yes", "number": "3", "select": "y",
           "textarea": "Số 1, phố Tràng Tiền, Hoàn Kiếm, Hà Nội"}


def form() -> list[dict]:
    """5 pages of 10 questions; the last of each page is asked only when its page's yes/no is yes."""
    pages = []
    for p in range(PAGES):
        fields = []
        for f, kind in enumerate(KINDS):
            name = f"q{p}_{f}"
            field = {"name": name, "label": {"vi": f"Câu {p}.{f}", "en": f"Question {p}.{f}"},
                     "hint": {"vi": "Gợi ý", "en": "Hint"}, "required": True, **kind}
            if kind["type"] == "textarea":
                field["show_if"] = [{"field": f"q{p}_6", "in": ["yes"]}]
            fields.append(field)
        pages.append({"key": f"page{p}", "title": {"vi": f"Trang {p}", "en": f"Page {p}"}, "fields": fields})
    return pages


def answers() -> dict[str, str]:
    return {field["name"]: ANSWERS[field["type"]] for page in form() for field in page["fields"]}


async def prepare(database_url: str) -> dict:
    """Add the procedure (again) and the demo citizen's draft with its 50 answers; returns the draft's code."""
    from backend.accounts.models import User
    from backend.catalogue.models import Procedure
    from backend.db import init_orm
    from backend.dossiers import services
    from backend.dossiers.forms import all_fields, check_answers
    from backend.dossiers.models import Dossier

    await init_orm(database_url)
    try:
        given = answers()
        _, errors = check_answers(all_fields(form()), given)
        if errors:
            raise RuntimeError(f"the bench's answers are refused: {errors}")
        birth = (await Procedure.filter(code="1.001193").values())[0]  # every column, agency_id included
        await Procedure.filter(code=CODE).delete()
        values = {name: value for name, value in birth.items() if name != "id"}
        values |= {"code": CODE, "form": form(), "documents": [], "fee": 0, "fee_schedule": None,
                   "fee_options": None, "result_template": None}
        procedure = await Procedure.create(**values)
        user = await User.get(phone="84" + CITIZEN[1:])  # stored as E.164 without "+"
        dossier = await services.start_or_resume_draft(user, procedure, await procedure.agency)
        await Dossier.filter(id=dossier.id).update(answers=given)
        return {"code": dossier.code, "answers": len(given)}
    finally:
        from tortoise import Tortoise

        await Tortoise.close_connections()


def measure(browser: Browser, code: str, n: int) -> dict:
    """Per page: mean, p50 and p95 milliseconds of ``n`` requests (after one unmeasured), by a signed-in citizen;
    each page must show its questions (the check page: all 50 answers)."""
    out = {}
    for label, path, shows in (("form", f"/en/dossiers/{code}/form/page2", "Question 2.9"),
                               ("check", f"/en/dossiers/{code}/check", "Question 4.9")):
        first = browser.client.get(path)
        if first.status_code != 200 or shows not in first.text:
            raise RuntimeError(f"GET {path}: {first.status_code}\n{first.text[:1000]}")
        times = []
        for _ in range(n):
            started = time.perf_counter()
            response = browser.client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code}")
        times.sort()
        out[label] = {"n": n, "mean_ms": statistics.fmean(times), "p50_ms": times[len(times) // 2],
                      "p95_ms": times[min(len(times) - 1, int(len(times) * 0.95))]}
    return out


PAGES_MEASURED = (("form", "a form page of 5 (10 questions)"), ("check", "the check page, 50 answers"))


def served_figures(work: Path, n: int) -> list[list[str]]:
    """Rows for make bench: the portal served as ``make run`` serves it, on demo data in ``work`` plus the
    5-page procedure and its draft."""
    from tests.bench.throughput import run_json
    from tests.browser.served_portal import portal_env, start_portal

    with start_portal(work) as portal:
        browser = Browser(portal.base_url)
        try:
            sign_in(browser, CITIZEN)  # the citizen's account exists from here
            draft = run_json([sys.executable, "-m", "tests.bench.form_pages", portal_env(work, 0)["DATABASE_URL"]])
            figures = measure(browser, draft["code"], n)
        finally:
            browser.close()
    return [[label, str(figures[key]["n"]), f"{figures[key]['mean_ms']:.1f}", f"{figures[key]['p50_ms']:.1f}",
             f"{figures[key]['p95_ms']:.1f}"] for key, label in PAGES_MEASURED]


def main() -> None:
    print(json.dumps(asyncio.run(prepare(sys.argv[1]))))


if __name__ == "__main__":
    main()
