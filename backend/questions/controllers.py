"""Public questions (ask, read, search, the overdue board) and the desk's side (classify, answer, publish,
reassign); moderators hide abuse. Thin: the rules are in services, rules and listing."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.accounts.models import Role, User
from backend.accounts.web import current_user, officer_only, signed_in
from backend.catalogue.models import Agency, Procedure
from backend.core.clock import Clock
from backend.core.i18n import current_locale
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.questions import listing, rules, services
from backend.questions.models import Question, QuestionEvent


def _context(**extra: Any) -> dict[str, Any]:
    return {"kind_label": rules.kind_label, "deadline": rules.deadline, "action_label": rules.action_label, **extra}


@get("/questions")
async def published_page(request: Request, q: FromQuery[str] = "") -> Template:
    found = await listing.published(q[:200], page_number(request.query_params.get("page")))
    return page("questions/list.html", **_context(q=q[:200], found=found))


@get("/questions/new", guards=[signed_in])
async def ask_page(procedure: FromQuery[str] = "", agency: FromQuery[str] = "") -> Template:
    draft = services.Draft(procedure=procedure[:40], agency=agency[:40], language=current_locale.get())
    return await _ask_form(draft, {})


async def _ask_form(draft: services.Draft, errors: dict[str, str], status_code: int = 200) -> Template:
    about = await Procedure.get_or_none(code=draft.procedure, published=True) if draft.procedure else None
    agency = await Agency.get_or_none(code=draft.agency) if draft.agency else None
    return page("questions/new.html", status_code, draft=draft, errors=errors, about=about, agency=agency,
                max_text=rules.MAX_TEXT)


@post("/questions/new", guards=[signed_in])
async def ask(request: Request, clock: NamedDependency[Clock]) -> Template | Redirect:
    draft = services.Draft.of(await form_dict(request), current_locale.get())
    question, errors = await services.ask(current_user(request), draft, clock.today())
    if question is None:
        return await _ask_form(draft, errors, 400)
    return Redirect(f"/questions/{question.id}?asked=1")


@get("/questions/mine", guards=[signed_in])
async def my_questions(request: Request, clock: NamedDependency[Clock]) -> Template:
    found = await listing.mine(current_user(request), page_number(request.query_params.get("page")))
    return page("questions/mine.html", **_context(found=found, today=clock.today()))


@get("/questions/overdue")
async def overdue_board(request: Request, clock: NamedDependency[Clock], agency: FromQuery[str] = "") -> Template:
    chosen = await Agency.get_or_none(code=agency[:40]) if agency else None
    found = (await listing.overdue(chosen.id, clock.today(), page_number(request.query_params.get("page")))
             if chosen else None)
    return page("questions/overdue.html", **_context(agency=chosen, code=agency[:40], found=found,
                                                      today=clock.today()))


def _may_read(user: User | None, question: Question) -> bool:
    if question.published_at is not None and not question.hidden:
        return True
    return user is not None and (user.id == question.asker_id or services.owns(user, question)
                                 or user.role is Role.ADMIN)


@get("/questions/{question_id:int}")
async def question_page(request: Request, clock: NamedDependency[Clock], question_id: FromPath[int]) -> Template:
    user = request.state.user
    question = await Question.get_or_none(id=question_id).prefetch_related("procedure", "agency")
    if question is None or not _may_read(user, question):
        raise NotFoundException()
    own = user is not None and user.id == question.asker_id
    moderator = user is not None and services.may_moderate(user, question)
    return page("questions/show.html", **_context(question=question, own=own, today=clock.today(),
                                                   moderator=moderator))


async def _moderated(request: Request, question_id: int) -> Question:
    question = await Question.get_or_none(id=question_id)
    if question is None or not services.may_moderate(current_user(request), question):
        raise NotFoundException()
    return question


@get("/questions/{question_id:int}/hide", guards=[signed_in])
async def hide_page(request: Request, question_id: FromPath[int]) -> Template:
    question = await _moderated(request, question_id)
    return page("questions/hide.html", question=question, errors={}, reason="")


@post("/questions/{question_id:int}/hide", guards=[signed_in])
async def hide(request: Request, question_id: FromPath[int]) -> Template | Redirect:
    question = await _moderated(request, question_id)
    reason = str((await form_dict(request)).get("reason", ""))
    errors = await services.hide(question, current_user(request), reason)
    if errors:
        return page("questions/hide.html", 400, question=question, errors=errors, reason=reason)
    return Redirect(f"/questions/{question.id}?hidden=1")


# -- The desk: the official's agency's questions.

@get("/desk/questions", guards=[officer_only])
async def desk_list(request: Request, clock: NamedDependency[Clock], view: FromQuery[str] = "open") -> Template:
    view = view if view in listing.DESK_VIEWS else "open"
    found = await listing.for_desk(current_user(request), view, page_number(request.query_params.get("page")))
    return page("questions/desk_list.html", **_context(found=found, view=view, today=clock.today()))


async def _desk_page(request: Request, clock: Clock, question: Question, errors: dict[str, str] | None = None,
                     form: dict[str, Any] | None = None, status_code: int = 200) -> Template:
    await question.fetch_related("procedure", "agency", "dossier")
    user = current_user(request)
    record = await QuestionEvent.filter(question_id=question.id).order_by("id").prefetch_related("actor")
    return page("questions/desk_question.html", status_code, **_context(
        question=question, errors=errors or {}, form=form or {}, today=clock.today(), kinds=rules.kinds(),
        lead=services.is_lead(user, question), record=record,
        moderator=services.may_moderate(user, question)))


async def _owned(request: Request, question_id: int) -> Question:
    question = await Question.get_or_none(id=question_id)
    if question is None or not services.owns(current_user(request), question):
        raise NotFoundException()
    return question


@get("/desk/questions/{question_id:int}", guards=[officer_only])
async def desk_question(request: Request, clock: NamedDependency[Clock], question_id: FromPath[int]) -> Template:
    return await _desk_page(request, clock, await _owned(request, question_id))


@post("/desk/questions/{question_id:int}/classify", guards=[officer_only])
async def classify(request: Request, clock: NamedDependency[Clock], question_id: FromPath[int]) -> Template | Redirect:
    question = await _owned(request, question_id)
    form = await form_dict(request)
    errors = await services.classify(question, current_user(request), str(form.get("kind", "")))
    if errors:
        return await _desk_page(request, clock, question, errors, form, 400)
    return Redirect(f"/desk/questions/{question.id}?done=classified")


@post("/desk/questions/{question_id:int}/answer", guards=[officer_only])
async def answer(request: Request, clock: NamedDependency[Clock], question_id: FromPath[int]) -> Template | Redirect:
    question = await Question.get_or_none(id=question_id)
    if question is None:
        raise NotFoundException()
    form = await form_dict(request)
    user = current_user(request)
    errors = await services.answer(question, user, str(form.get("answer", "")),
                                   str(form.get("answer_language", "")), clock.today())
    if errors and not services.owns(user, question):  # another agency's: refused, its typed text given back
        return page("questions/refused.html", 403, errors=errors, answer=str(form.get("answer", "")))
    if errors:
        return await _desk_page(request, clock, question, errors, form, 400)
    return Redirect(f"/desk/questions/{question.id}?done=answered")


@post("/desk/questions/{question_id:int}/publish", guards=[officer_only])
async def publish(request: Request, clock: NamedDependency[Clock], question_id: FromPath[int]) -> Template | Redirect:
    question = await _owned(request, question_id)
    errors = await services.publish(question, current_user(request))
    if errors:
        return await _desk_page(request, clock, question, errors, {}, 400)
    return Redirect(f"/desk/questions/{question.id}?done=published")


@post("/desk/questions/{question_id:int}/reassign", guards=[officer_only])
async def reassign(request: Request, clock: NamedDependency[Clock], question_id: FromPath[int]
                   ) -> Template | Redirect:
    question = await _owned(request, question_id)
    form = await form_dict(request)
    errors = await services.reassign(question, current_user(request), str(form.get("agency", "")),
                                     str(form.get("reason", "")))
    if errors:
        return await _desk_page(request, clock, question, errors, form, 400)
    return Redirect("/desk/questions?done=reassigned")


route_handlers = [published_page, ask_page, ask, my_questions, overdue_board, question_page, hide_page, hide,
                  desk_list, desk_question, classify, answer, publish, reassign]
