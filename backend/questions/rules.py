"""The clock of a question: kinds and their working days (kinds.json), when it is due, whether it is late."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from backend.core.calendar import add_working_days
from backend.core.i18n import lazy_gettext

KINDS_FILE = Path(__file__).with_name("kinds.json")
MAX_TEXT = 4000
MAX_ANSWER = 8000
MAX_REASON = 1000

KIND_LABELS = {
    "question": lazy_gettext("Question"),
    "report": lazy_gettext("Report of a problem"),
    "feedback": lazy_gettext("Feedback on a settled dossier"),
}
TO_CLASSIFY = lazy_gettext("To classify")
ACTION_LABELS = {
    "classify": lazy_gettext("Classified"),
    "answer": lazy_gettext("Answered"),
    "publish": lazy_gettext("Published"),
    "reassign": lazy_gettext("Sent to another agency"),
    "hide": lazy_gettext("Hidden"),
    "unpublish": lazy_gettext("Taken down: the asker withdrew consent to publication"),
}


@cache
def _data() -> dict[str, Any]:
    return json.loads(KINDS_FILE.read_text(encoding="utf-8"))


def kinds() -> dict[str, int]:
    """Each kind and the working days the agency has to answer it."""
    return {kind: int(spec["days"]) for kind, spec in _data()["kinds"].items()}


def classify_by(asked_on: date) -> date:
    return add_working_days(asked_on, int(_data()["classify_days"]))


def due_on(asked_on: date, kind: str) -> date:
    """Counted from the day it was asked: the days spent classifying are the agency's own."""
    return add_working_days(asked_on, kinds()[kind])


def deadline(question: Any) -> date:
    """The date that counts now: the answer's once classified, else the classification's."""
    return question.due_on or question.classify_by


def is_overdue(question: Any, today: date) -> bool:
    return question.answered_on is None and not question.hidden and deadline(question) < today


def kind_label(kind: str | None) -> str:
    return str(KIND_LABELS.get(kind or "", TO_CLASSIFY))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
