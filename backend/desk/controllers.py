"""Officer desk pages: the agency's queue, one dossier, and the decisions on it."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.core import clock
from backend.core.web import current_user, form_dict, officer_only, page
from backend.desk import services
from backend.dossiers import services as dossiers
from backend.dossiers.forms import all_fields
from backend.dossiers.workflow import allowed_actions, apply
from backend.identity import prefill


async def _dossier(request: Request, code: str):
    dossier = await services.agency_dossier(code, current_user(request))
    if dossier is None:
        raise NotFoundException()
    return dossier


async def _dossier_page(request: Request, dossier, errors=None, status_code: int = 200, form=None) -> Template:
    return page(
        "desk/dossier.html",
        status_code,
        dossier=dossier,
        events=await dossiers.timeline(dossier),
        uploaded=await dossiers.current_documents(dossier),
        fields=all_fields(dossier.procedure.form),
        actions=allowed_actions(dossier, current_user(request)),
        supplements=await services.supplement_history(dossier),
        errors=errors or {},
        form=form or {},
        today=clock.today(),
        prefill=await prefill.state(dossier),
    )


@get("/", name="desk")
async def queue_page(request: Request, view: FromQuery[str] = "new") -> Template:
    queue = await services.queue(current_user(request), view)
    if queue is None:
        raise NotFoundException()
    return page("desk/queue.html", queue=queue, views=services.QUEUE_VIEWS, today=clock.today())


@get("/dossiers/{code:str}")
async def dossier_page(request: Request, code: FromPath[str]) -> Template:
    return await _dossier_page(request, await _dossier(request, code))


@post("/dossiers/{code:str}/supplement")
async def request_supplement(request: Request, code: FromPath[str]) -> Template | Redirect:
    dossier = await _dossier(request, code)
    form = await form_dict(request)
    errors = await services.request_supplement(
        dossier, current_user(request), form.get("documents[]", []), form.get("fields[]", []), form.get("reason", "")
    )
    if errors:
        return await _dossier_page(request, dossier, errors, 400, form)
    return Redirect(f"/desk/dossiers/{code}?done=request_supplement")


@post("/dossiers/{code:str}/{action:str}")
async def decide(request: Request, code: FromPath[str], action: FromPath[str]) -> Template | Redirect:
    """Receive, approve or refuse (the workflow refuses anything else)."""
    if action not in {"receive", "approve", "refuse"}:
        raise NotFoundException()
    dossier = await _dossier(request, code)
    form = await form_dict(request)
    await apply(dossier, action, current_user(request), note=form.get("note", ""))
    return Redirect(f"/desk/dossiers/{code}?done={action}")


desk_router = Router(
    path="/desk", guards=[officer_only], route_handlers=[queue_page, dossier_page, request_supplement, decide]
)
route_handlers = [desk_router]
