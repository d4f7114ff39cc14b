"""Citizen pages that start an application and fill its form, page by page, with the registry pre-fill."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.catalogue.services import get_procedure
from backend.core.i18n import gettext
from backend.core.web import form_dict, page
from backend.dossiers import prefill, services
from backend.dossiers.models import Dossier
from backend.dossiers.web import FORM_POST
from backend.identity.registry import Outcome, PopulationRegistry
from backend.journey.common import own_dossier
from backend.pwa.idempotency import idempotent  # offline drafts (issue 6): a form sent twice counts once


def _next_step(dossier: Dossier, page_key: str) -> str:
    keys = [p["key"] for p in dossier.procedure.form]
    index = keys.index(page_key)
    if index + 1 < len(keys):
        return f"/dossiers/{dossier.code}/form/{keys[index + 1]}"
    return f"/dossiers/{dossier.code}/documents" if dossier.procedure.documents else f"/dossiers/{dossier.code}/check"


async def _form_page(
    request: Request, dossier: Dossier, page_key: str, errors: dict, status_code: int = 200, **extra
) -> Template:
    form = dossier.procedure.form
    index = next(i for i, p in enumerate(form) if p["key"] == page_key)
    back = (
        f"/dossiers/{dossier.code}/form/{form[index - 1]['key']}" if index else f"/procedures/{dossier.procedure.code}"
    )
    return page(
        "dossiers/form_page.html",
        status_code,
        dossier=dossier,
        form_page=form[index],
        step=index + 1,
        steps=len(form),
        errors=errors,
        back=back,
        prefill=await prefill.state(dossier, current_user(request)),
        **extra,
    )


@get("/procedures/{code:str}/apply", guards=[signed_in])
async def start_page(code: FromPath[str]) -> Template:
    """Where signing in leads back to: one button starts (or resumes) the application."""
    procedure = await get_procedure(code)
    if procedure is None:
        raise NotFoundException()
    return page("dossiers/start.html", procedure=procedure)


@post("/procedures/{code:str}/apply", guards=[signed_in])
@idempotent
async def start_application(request: Request, code: FromPath[str]) -> Redirect:
    procedure = await get_procedure(code)
    if procedure is None:
        raise NotFoundException()
    dossier = await services.start_or_resume_draft(current_user(request), procedure)
    return Redirect(f"/dossiers/{dossier.code}/form/{procedure.form[0]['key']}")


@get("/dossiers/{code:str}/form/{page_key:str}", guards=[signed_in])
async def form_page(
    request: Request, code: FromPath[str], page_key: FromPath[str], prefilled: FromQuery[str | None] = None
) -> Template:
    dossier = await own_dossier(request, code, draft=True)
    if not any(p["key"] == page_key for p in dossier.procedure.form):
        raise NotFoundException()
    return await _form_page(request, dossier, page_key, {}, just_prefilled=prefilled == "1")


@post("/dossiers/{code:str}/prefill", guards=[signed_in], **FORM_POST)
async def choose_prefill(
    request: Request, population_registry: NamedDependency[PopulationRegistry], code: FromPath[str]
) -> Template | Redirect:
    """The citizen's yes or no to filling the form from the national population database."""
    dossier = await own_dossier(request, code, draft=True)
    choice = (await form_dict(request)).get("choice")
    first = dossier.procedure.form[0]["key"]
    if choice not in ("yes", "no"):
        return Redirect(f"/dossiers/{dossier.code}/form/{first}")
    try:
        await prefill.record_choice(dossier, current_user(request), choice == "yes", population_registry)
    except prefill.PrefillRefused as exc:
        raise PermissionDeniedException(
            gettext("Verify your identity first to fill in forms from the national population database.")
        ) from exc
    except prefill.RegistryFailed as exc:
        down = exc.outcome is Outcome.UNAVAILABLE
        if down:  # literal strings in each gettext call, so that Babel extracts them
            problem = gettext("The national population database cannot be reached now. Try again later, or type them.")
        else:
            problem = gettext("We could not get your details from the national population database. Type them in.")
        return await _form_page(request, dossier, first, {}, 503 if down else 409, prefill_problem=problem)
    suffix = "?prefilled=1" if choice == "yes" else ""
    return Redirect(f"/dossiers/{dossier.code}/form/{first}{suffix}")


@post("/dossiers/{code:str}/form/{page_key:str}", guards=[signed_in], **FORM_POST)
@idempotent
async def save_form_page(request: Request, code: FromPath[str], page_key: FromPath[str]) -> Template | Redirect:
    dossier = await own_dossier(request, code, draft=True)
    errors = await services.save_page(dossier, page_key, await form_dict(request))
    if errors is None:
        raise NotFoundException()
    if errors:
        return await _form_page(request, dossier, page_key, errors, 400)
    return Redirect(_next_step(dossier, page_key))
