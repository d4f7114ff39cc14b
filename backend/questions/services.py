"""Asking, classifying, answering, publishing, reassigning and hiding a question: every change and its news.

Each change writes its record (``QuestionEvent``) and, when the asker is told, a row of the notification outbox
in the same transaction; the outbox worker sends it by push, else SMS (``notifications.messages``: the
``question_*`` news). A service returns what it changed and the problems found (``{field: message}``), so a page
can say them beside what the person typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.transactions import in_transaction

from backend.accounts.models import AgencyRole, Role, User
from backend.catalogue import live
from backend.catalogue.models import Agency, Procedure
from backend.core import clock as system_clock
from backend.core.i18n import gettext
from backend.core.languages import CODES
from backend.core.text import fold
from backend.dossiers.models import NotificationOutbox
from backend.questions import rules
from backend.questions.models import Question, QuestionEvent
from backend.questions.redaction import redact

Errors = dict[str, str]


@dataclass
class Draft:
    """What a citizen typed on the question form, kept as typed when it is refused."""

    text: str = ""
    procedure: str = ""
    agency: str = ""
    language: str = ""
    consent: bool = False

    @classmethod
    def of(cls, form: dict[str, Any], page_language: str) -> Draft:
        return cls(text=str(form.get("text", "")), procedure=str(form.get("procedure", "")).strip()[:40],
                   agency=str(form.get("agency", "")).strip()[:40],
                   language=str(form.get("language") or page_language), consent=form.get("consent") == "yes")


async def _tell(question: Question, news: str, conn: Any) -> None:
    """The asker hears of the step, through the same outbox as a dossier's news."""
    await NotificationOutbox.create(dossier_id=None, recipient_id=question.asker_id, event=news,
                                    payload={"question": question.id, "lang": question.language}, using_db=conn)


async def _record(question: Question, action: str, actor: User | None, conn: Any, note: str = "", **agencies: int
                  ) -> None:
    await QuestionEvent.create(question_id=question.id, action=action, actor=actor, note=note, using_db=conn,
                               **agencies)


async def ask(asker: User, draft: Draft, today: date) -> tuple[Question | None, Errors]:
    """A signed-in citizen's question about a procedure (its agency answers) or an agency."""
    errors: Errors = {}
    text = draft.text.strip()
    if not text:
        errors["text"] = gettext("Write your question or the problem you want to report")
    elif len(text) > rules.MAX_TEXT:
        errors["text"] = gettext("Your question must be %(max)s characters or fewer", max=rules.MAX_TEXT)
    procedure = await Procedure.get_or_none(code=draft.procedure, published=True) if draft.procedure else None
    if draft.procedure and procedure is None:
        errors["procedure"] = gettext("There is no procedure with the code %(code)s", code=draft.procedure)
    agency = await Agency.get_or_none(code=draft.agency) if draft.agency else None
    if draft.agency and agency is None:
        errors["agency"] = gettext("There is no agency with the code %(code)s", code=draft.agency)
    if not draft.procedure and not draft.agency:
        errors["procedure"] = gettext("Give the code of the procedure or of the agency your question is about")
    if draft.language not in CODES:
        errors["language"] = gettext("Choose the language you wrote in")
    if errors:
        return None, errors
    agency_id = agency.id if agency else procedure.agency_id  # type: ignore[union-attr]
    question = await Question.create(
        asker=asker, agency_id=agency_id, procedure=procedure, kind=None, language=draft.language, text=text,
        consent=draft.consent, asked_on=today, classify_by=rules.classify_by(today))
    return question, {}


async def feedback_from_rating(dossier: Any, what_went_wrong: str, today: date, conn: Any) -> Question | None:
    """A low rating's "what went wrong": feedback to the dossier's agency, on its clock at once (its kind is known).
    One per dossier: rating again does not ask twice."""
    if await Question.filter(dossier_id=dossier.id).using_db(conn).exists():
        return None
    return await Question.create(
        asker_id=dossier.applicant_id, agency_id=dossier.agency_id, procedure_id=dossier.procedure_id,
        dossier_id=dossier.id, kind="feedback", language=dossier.language or "vi",
        text=what_went_wrong.strip()[: rules.MAX_TEXT], consent=False, asked_on=today,
        classify_by=rules.classify_by(today), due_on=rules.due_on(today, "feedback"),
        classified_at=system_clock.now(), using_db=conn)


def owns(user: User, question: Question) -> bool:
    """An official (or lead) of the agency that must answer."""
    return user.role is Role.OFFICER and user.active and user.agency_id == question.agency_id


def is_lead(user: User, question: Question) -> bool:
    return owns(user, question) and user.agency_role is AgencyRole.LEAD


def may_moderate(user: User, question: Question) -> bool:
    """Moderators: the portal's administrators, and the lead of the agency the question is with."""
    return user.role is Role.ADMIN or is_lead(user, question)


def _not_yours(user: User, question: Question) -> Errors:
    if owns(user, question):
        return {}
    return {"answer": gettext("This question is for another agency: only its officials can act on it. "
                              "Your text was not saved.")}


async def classify(question: Question, official: User, kind: str) -> Errors:
    if errors := _not_yours(official, question):
        return errors
    if kind not in rules.kinds():
        return {"kind": gettext("Choose what kind of question it is")}
    async with in_transaction() as conn:
        question.kind = kind
        question.due_on = rules.due_on(question.asked_on, kind)
        question.classified_at = system_clock.now()
        await question.save(using_db=conn, update_fields=["kind", "due_on", "classified_at"])
        await _record(question, "classify", official, conn, note=kind)
        await _tell(question, "question_classified", conn)
    return {}


async def answer(question: Question, official: User, text: str, language: str, today: date) -> Errors:
    if errors := _not_yours(official, question):
        return errors
    text = text.strip()
    errors = {}
    if question.kind is None:
        errors["kind"] = gettext("Classify the question before you answer it")
    if not text:
        errors["answer"] = gettext("Write the answer")
    elif len(text) > rules.MAX_ANSWER:
        errors["answer"] = gettext("The answer must be %(max)s characters or fewer", max=rules.MAX_ANSWER)
    if language not in CODES:
        errors["answer_language"] = gettext("Choose the language of the answer")
    if errors:
        return errors
    async with in_transaction() as conn:
        question.answer, question.answer_language = text, language
        question.answered_on, question.answered_by_id = today, official.id
        await question.save(using_db=conn,
                            update_fields=["answer", "answer_language", "answered_on", "answered_by_id"])
        await _record(question, "answer", official, conn)
        await _tell(question, "question_answered", conn)
    return {}


async def publish(question: Question, official: User) -> Errors:
    """Only with the asker's consent, only once answered; what is published has its personal details removed."""
    if errors := _not_yours(official, question):
        return {"publish": errors["answer"]}
    if not question.answer:
        return {"publish": gettext("Answer the question before publishing it")}
    if not question.consent:
        return {"publish": gettext("The asker did not agree to publication: the question and its answer stay "
                                   "private")}
    if question.published_at is not None:
        return {}
    async with in_transaction() as conn:
        question.public_text, question.public_answer = redact(question.text), redact(question.answer)
        question.search_key = fold(f"{question.public_text} {question.public_answer}")
        question.published_at = system_clock.now()
        await question.save(using_db=conn, update_fields=["public_text", "public_answer", "search_key",
                                                          "published_at"])
        await _record(question, "publish", official, conn)
        await _tell(question, "question_published", conn)
    live.pages_changed()  # the procedure page shows it (other web processes: when their copies expire)
    return {}


async def reassign(question: Question, lead: User, agency_code: str, reason: str) -> Errors:
    """A lead sends the question on to the agency that should answer it; the reason stays in its record."""
    if not is_lead(lead, question):
        return {"agency": gettext("Only a lead of the agency the question is with can send it to another agency")}
    errors = {}
    target = await Agency.get_or_none(code=agency_code.strip()) if agency_code.strip() else None
    if target is None:
        errors["agency"] = gettext("Give the code of an agency")
    elif target.id == question.agency_id:
        errors["agency"] = gettext("The question is already with this agency")
    if not reason.strip():
        errors["reason"] = gettext("Say why the other agency should answer")
    elif len(reason) > rules.MAX_REASON:
        errors["reason"] = gettext("The reason must be %(max)s characters or fewer", max=rules.MAX_REASON)
    if errors or target is None:
        return errors
    async with in_transaction() as conn:
        before = question.agency_id
        question.agency_id = target.id
        await question.save(using_db=conn, update_fields=["agency_id"])
        await _record(question, "reassign", lead, conn, note=reason.strip(), from_agency_id=before,
                      to_agency_id=target.id)
    return {}


async def hide(question: Question, moderator: User, reason: str) -> Errors:
    """Abuse is hidden from the public, never deleted: the question and the reason stay in the record."""
    if not may_moderate(moderator, question):
        return {"reason": gettext("Only the portal's administrators and the agency's lead can hide a question")}
    if not reason.strip():
        return {"reason": gettext("Say why the question is hidden")}
    if len(reason) > rules.MAX_REASON:
        return {"reason": gettext("The reason must be %(max)s characters or fewer", max=rules.MAX_REASON)}
    async with in_transaction() as conn:
        question.hidden = True
        await question.save(using_db=conn, update_fields=["hidden"])
        await _record(question, "hide", moderator, conn, note=reason.strip())
    live.pages_changed()
    return {}


async def withdraw_consent(question: Question, asker: User) -> bool:
    """The asker withdraws consent to publication, at once: a published question and answer are taken down (the
    record keeps when). False when there was no consent to withdraw (asking twice changes nothing)."""
    if question.asker_id != asker.id or not question.consent:
        return False
    async with in_transaction() as conn:
        changed = await Question.filter(id=question.id, consent=True).using_db(conn).update(
            consent=False, published_at=None, public_text="", public_answer="", search_key="")
        if changed:
            await _record(question, "unpublish", asker, conn, note="consent withdrawn")
    if changed:
        live.pages_changed()
    return bool(changed)


async def consent_withdrawn_at(question: Question) -> datetime | None:
    """When the asker withdrew consent to publication, or None."""
    event = await QuestionEvent.filter(question_id=question.id, action="unpublish").order_by("-id").first()
    return event.at if event else None


# The statistics (issue 19, satisfaction group) read the on-time share from here.
from backend.questions.listing import OnTime, answered_on_time  # noqa: E402

__all__ = ["Draft", "OnTime", "answer", "answered_on_time", "ask", "classify", "feedback_from_rating", "hide",
           "publish", "reassign", "withdraw_consent", "consent_withdrawn_at"]
