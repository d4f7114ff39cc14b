"""Assisted filing's own pages (part A): the service points and their helpers (``/service-points``, for the portal
administrator and agency administrators), and a helper starting for a citizen (``/helper/start``: by a code the
citizen reads out, or ``/helper/in-person`` with their identity document). Plain forms: no JavaScript needed."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.assisted import consent, points
from backend.assisted.models import AssistConsent, ConsentMethod, ConsentState, HelperPost, ServicePoint
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.settings import Settings
from backend.storage import Storage


def point_admins_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    signed_in(connection, handler)
    if not points.runs_points(connection.state.user):
        raise PermissionDeniedException(gettext(
            "Only agency administrators and the portal administrator can run service points"))


async def helpers_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    signed_in(connection, handler)
    post_ = await points.post_of(connection.state.user)
    if post_ is None:
        raise PermissionDeniedException(gettext("Only helpers posted at a service point can file for citizens"))
    connection.state.helper_post = post_


def _notice(request: Request) -> Any:
    return request.session.pop("notice", None) if request.session else None


# Service points and their helpers

async def _points_page(request: Request, status_code: int = 200, errors: dict | None = None,
                       form: dict | None = None) -> Template:
    user = current_user(request)
    return page("assisted/points.html", status_code, errors=errors or {}, form=form or {},
                found=await points.points_page(user, page_number(request.query_params.get("page"))),
                kinds=points.kinds_for(user), kind_labels=points.KIND_LABELS, admin=user.role.value == "admin",
                notice=_notice(request))


@get("/", name="service_points")
async def points_list(request: Request) -> Template:
    return await _points_page(request)


@post("/")
async def create_point(request: Request) -> Template | Redirect:
    form = await form_dict(request)
    point, errors = await points.create_point(current_user(request), form)
    if point is None:
        return await _points_page(request, 400, errors, form)
    request.session["notice"] = gettext("Service point created. Now appoint its helpers.")
    return Redirect(f"/service-points/{point.code}")


async def _point(request: Request, code: str) -> ServicePoint:
    point = await points.point_for(current_user(request), code)
    if point is None:
        raise NotFoundException()
    return point


async def _point_page(request: Request, point: ServicePoint, status_code: int = 200, errors: dict | None = None,
                      form: dict | None = None) -> Template:
    return page("assisted/point.html", status_code, point=point, errors=errors or {}, form=form or {},
                kind_labels=points.KIND_LABELS, notice=_notice(request),
                helpers=await points.helpers_page(point, page_number(request.query_params.get("page"))))


@get("/{code:str}")
async def point_page(request: Request, code: FromPath[str]) -> Template:
    return await _point_page(request, await _point(request, code))


@post("/{code:str}/helpers")
async def appoint(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Template | Redirect:
    point = await _point(request, code)
    form = await form_dict(request)
    errors = await points.appoint(current_user(request), point, form, clock=clock)
    if errors:
        return await _point_page(request, point, 400, errors, form)
    request.session["notice"] = gettext("Helper appointed. They can sign in with their mobile number.")
    return Redirect(f"/service-points/{point.code}")


@post("/{code:str}/helpers/{post_id:int}/end")
async def end_post(request: Request, clock: NamedDependency[Clock], code: FromPath[str], post_id: FromPath[int]
                   ) -> Template | Redirect:
    point = await _point(request, code)
    errors = await points.end_post(current_user(request), point, post_id, clock=clock)
    if errors:
        return await _point_page(request, point, 400, errors)
    request.session["notice"] = gettext("Post ended. Their consents no longer open any dossier.")
    return Redirect(f"/service-points/{point.code}")


# A helper starts for a citizen

def _post(request: Request) -> HelperPost:
    return request.state.helper_post


async def _start_page(request: Request, template: str, status_code: int = 200, errors: dict | None = None,
                      form: dict | None = None) -> Template:
    """The start form (by phone, or in person); when the procedure was not found, those its words find to choose."""
    matches = (await consent.find_procedure(form))[1] if errors and "procedure" in errors and form else []
    if form and form.get("procedure_code") and not matches:  # chosen among those found: the field keeps its code
        form = {**form, "procedure": form["procedure_code"]}
    return page(template, status_code, errors=errors or {}, form=form or {}, point=_post(request).service_point,
                matches=matches)


@get("/start", name="helper_start")
async def start_page(request: Request) -> Template:
    return await _start_page(request, "assisted/start.html")


@post("/start")
async def start(request: Request, settings: NamedDependency[Settings], sms_gateway: NamedDependency[Any],
                clock: NamedDependency[Clock]) -> Template | Redirect:
    form = await form_dict(request)
    asked = await consent.ask(current_user(request), _post(request), form, settings=settings, gateway=sms_gateway,
                              clock=clock)
    if asked.consent is None:
        return await _start_page(request, "assisted/start.html", 400, asked.errors, form)
    return Redirect(f"/helper/consents/{asked.consent.id}/code")


async def _asked(request: Request, consent_id: int) -> AssistConsent:
    """The helper's own consent still waiting for its code (anyone else's, or a finished one: 404)."""
    found = await AssistConsent.get_or_none(id=consent_id, helper_id=current_user(request).id,
                                            method=ConsentMethod.SMS_CODE, state=ConsentState.ASKED)
    if found is None:
        raise NotFoundException()
    return found


@get("/consents/{consent_id:int}/code")
async def code_page(request: Request, consent_id: FromPath[int]) -> Template:
    await _asked(request, consent_id)
    return page("assisted/code.html", consent_id=consent_id, errors={})


@post("/consents/{consent_id:int}/code")
async def check_code(request: Request, settings: NamedDependency[Settings], clock: NamedDependency[Clock],
                     consent_id: FromPath[int]) -> Template | Redirect:
    form = await form_dict(request)
    dossier, errors = await consent.grant_by_code(current_user(request), consent_id, str(form.get("code", ""))[:20],
                                                  settings=settings, clock=clock)
    if dossier is None:
        return page("assisted/code.html", 400, consent_id=consent_id, errors=errors)
    return await _opened(request, dossier)


async def _opened(request: Request, dossier: Any) -> Redirect:
    await dossier.fetch_related("procedure")
    request.session["notice"] = gettext("Consent given. You can fill in this dossier for the citizen for 72 hours.")
    return Redirect(f"/dossiers/{dossier.code}/form/{dossier.procedure.form[0]['key']}")


@get("/in-person")
async def in_person_page(request: Request) -> Template:
    return await _start_page(request, "assisted/in_person.html")


@post("/in-person", request_max_body_size=12 * 1024 * 1024)  # a photo up to Settings.upload_max_bytes
async def in_person(request: Request, settings: NamedDependency[Settings], storage: NamedDependency[Storage],
                    clock: NamedDependency[Clock]) -> Template | Redirect:
    raw = await request.form()
    form = {key: raw.get(key) for key in ("procedure", "procedure_code", "agency", "document", "full_name")}
    chosen, photo = raw.get("scan"), raw.get("photo")  # a file chosen (a PDF scan too), or a photo taken now
    upload = chosen if isinstance(chosen, UploadFile) and chosen.filename else photo
    scan = (await upload.read(), upload.content_type) if isinstance(upload, UploadFile) and upload.filename else None
    dossier, errors = await consent.grant_in_person(current_user(request), _post(request), form, scan,
                                                    settings=settings, storage=storage, clock=clock)
    if dossier is None:
        return await _start_page(request, "assisted/in_person.html", 400, errors, form)
    return await _opened(request, dossier)


route_handlers = [
    Router(path="/service-points", guards=[point_admins_only], request_max_body_size=64 * 1024,
           route_handlers=[points_list, create_point, point_page, appoint, end_post]),
    Router(path="/helper", guards=[helpers_only],
           route_handlers=[start_page, start, code_page, check_code, in_person_page, in_person]),
]
