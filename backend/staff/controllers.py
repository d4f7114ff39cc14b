"""Staff pages (``/staff``): the portal administrator picks an agency and names its administrators; an agency
administrator adds officials and leads, changes their roles, deactivates and reactivates them, and reads the
agency's staff audit log. Plain forms: everything works without JavaScript."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.accounts.models import Role
from backend.accounts.web import current_user, signed_in
from backend.catalogue.models import Agency
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.staff import services


def staff_admins_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    signed_in(connection, handler)
    if not services.runs_staff(connection.state.user):
        raise PermissionDeniedException(gettext("Only agency administrators and the portal administrator can "
                                                "run an agency's staff"))


async def _agency(request: Request, code: str) -> Agency:
    agency = await services.agency_by_code(code)
    if agency is None:
        raise NotFoundException()
    if not services.manages(current_user(request), agency):
        raise PermissionDeniedException(gettext("You can only run your own agency's staff"))
    return agency


async def _staff_page(request: Request, agency: Agency, status_code: int = 200, errors: dict | None = None,
                      form: dict | None = None) -> Template:
    user = current_user(request)
    return page(
        "staff/agency.html", status_code, agency=agency, errors=errors or {}, form=form or {},
        staff=await services.staff_page(agency, page_number(request.query_params.get("page"))),
        roles=services.roles_given_by(user), role_labels=services.ROLE_LABELS, me=user,
        notice=request.session.pop("notice", None) if request.session else None,
    )


@get("/", name="staff")
async def start(request: Request, q: FromQuery[str] = "") -> Template | Redirect:
    """An agency administrator goes to their agency; the portal administrator finds the agency first."""
    user = current_user(request)
    if user.role is not Role.ADMIN:
        agency = await Agency.get(id=user.agency_id)
        return Redirect(f"/staff/{agency.code}")
    found = await services.find_agencies(q, page_number(request.query_params.get("page")))
    return page("staff/agencies.html", q=q, found=found)


@get("/{code:str}")
async def agency_staff(request: Request, code: FromPath[str]) -> Template:
    return await _staff_page(request, await _agency(request, code))


async def _done(request: Request, agency: Agency, errors: dict, form: dict[str, Any], notice: str
                ) -> Template | Redirect:
    if errors:
        return await _staff_page(request, agency, 400, errors, form)
    request.session["notice"] = notice
    return Redirect(f"/staff/{agency.code}")


@post("/{code:str}")
async def add(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Template | Redirect:
    agency = await _agency(request, code)
    form = await form_dict(request)
    errors = await services.add_staff(current_user(request), agency, form, clock=clock)
    return await _done(request, agency, errors, form, gettext("Added. They can sign in with their mobile number."))


@post("/{code:str}/{user_id:int}/role")
async def change_role(
    request: Request, clock: NamedDependency[Clock], code: FromPath[str], user_id: FromPath[int]
) -> Template | Redirect:
    agency = await _agency(request, code)
    form = await form_dict(request)
    errors = await services.change_role(current_user(request), agency, user_id, str(form.get("agency_role", "")),
                                        clock=clock)
    return await _done(request, agency, errors, {**form, "row": user_id}, gettext("Role changed."))


@post("/{code:str}/{user_id:int}/{change:str}")
async def set_active(
    request: Request, clock: NamedDependency[Clock], code: FromPath[str], user_id: FromPath[int], change: FromPath[str]
) -> Template | Redirect:
    """Deactivate (their sessions end at once) or reactivate an official."""
    if change not in {"deactivate", "reactivate"}:
        raise NotFoundException()
    agency = await _agency(request, code)
    active = change == "reactivate"
    errors = await services.set_active(current_user(request), agency, user_id, active, clock=clock)
    notice = gettext("Reactivated.") if active else gettext("Deactivated. They were signed out everywhere.")
    return await _done(request, agency, errors, {"row": user_id}, notice)


@get("/{code:str}/audit")
async def audit(request: Request, code: FromPath[str]) -> Template:
    agency = await _agency(request, code)
    return page("staff/audit.html", agency=agency, role_labels=services.ROLE_LABELS,
                action_labels=services.ACTION_LABELS,
                changes=await services.audit_page(agency, page_number(request.query_params.get("page"))))


route_handlers = [
    Router(path="/staff", guards=[staff_admins_only], request_max_body_size=64 * 1024,  # short forms only
           route_handlers=[start, agency_staff, add, change_role, set_active, audit]),
]
