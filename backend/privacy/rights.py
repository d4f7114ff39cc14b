"""The citizen's rights over their data, as pages (issue 21): a copy of my data (``/my/data/export``), closing my
account (``/my/data/close``), and the administrator's list of closure requests (``/admin/closures``). Plain forms
and links: everything works without JavaScript. The /my/data page itself links here."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from backend.accounts.web import admin_only, current_user, signed_in
from backend.audit.log import record
from backend.core.i18n import current_locale, gettext
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.privacy import closure, export
from backend.privacy.models import ClosureRequest, ClosureState, ExportState
from backend.privacy.retention import rules
from backend.storage import Storage
from backend.storage.web import stored_file

NO_STORE = {"cache-control": "no-store"}
REFUSALS = {  # status, title, what to do
    export.Refusal.UNKNOWN: (404, lambda: gettext("This download link is not valid"),
                             lambda: gettext("Check that you copied the whole link, or ask for a new copy.")),
    export.Refusal.OTHER_ACCOUNT: (403, lambda: gettext("This download link is not for this account"),
                                   lambda: gettext("Only the person who asked for this copy can download it. "
                                                   "Sign in with your own account to ask for your copy.")),
    export.Refusal.USED: (410, lambda: gettext("This download link was already used"),
                          lambda: gettext("A link works only once. If you need the file again, ask for a new "
                                          "copy of your data.")),
    export.Refusal.EXPIRED: (410, lambda: gettext("This download link has expired"),
                             lambda: gettext("A link works for a limited time. Ask for a new copy of your data.")),
}


def _notice(request: Request) -> str | None:
    return request.session.pop("notice", None) if request.session else None


@get("/my/data/export", name="data_export")
async def export_start(request: Request) -> Template:
    user = current_user(request)
    return page("privacy/export.html", exports=await export.recent(user), notice=_notice(request),
                hours=rules().export_link_hours)


@post("/my/data/export")
async def export_ask(request: Request) -> Redirect:
    made, new = await export.ask(current_user(request), current_locale.get())
    if not new:
        request.session["notice"] = gettext("You already asked for a copy. It is being prepared: here is how far "
                                            "it has got.")
    return Redirect(f"/my/data/export/{made.id}")


@get("/my/data/export/{export_id:int}")
async def export_status(request: Request, export_id: FromPath[int]) -> Template:
    found = await export.mine(current_user(request), export_id)
    if found is None:
        raise NotFoundException()
    return page("privacy/export_status.html", export=found, states=ExportState, notice=_notice(request),
                preparing=found.state in export.OPEN)


@post("/my/data/export/{export_id:int}/link")
async def export_link(request: Request, export_id: FromPath[int]) -> Template | Redirect:
    """The one-time link, shown once on this page (never stored: only its hash is)."""
    found = await export.mine(current_user(request), export_id)
    if found is None:
        raise NotFoundException()
    token = await export.issue_link(found)
    if token is None:
        request.session["notice"] = gettext("A download link was already made for this copy, or it is no longer "
                                            "ready. Ask for a new copy if you need one.")
        return Redirect(f"/my/data/export/{export_id}")
    template = page("privacy/export_link.html", export=found, token=token)
    template.headers.update(NO_STORE)
    return template


@get("/my/data/export/download/{token:str}")
async def export_download(request: Request, storage: NamedDependency[Storage], token: FromPath[str]
                          ) -> Response | Template:
    taken = await export.take_download(current_user(request), token)
    if isinstance(taken, export.Refusal):
        status, title, advice = REFUSALS[taken]
        return page("privacy/export_refused.html", status, title=title(), advice=advice())
    return await stored_file(storage, taken.storage_name, filename=f"my-data-{taken.id}.zip",
                             media_type="application/zip", disposition="attachment", headers=NO_STORE)


async def _closure_page(request: Request, status_code: int = 200, errors: dict | None = None) -> Template:
    user = current_user(request)
    current = await closure.latest(user.id)
    kept, erased = await closure.outlook(user.id)
    return page("privacy/close.html", status_code, request_=current, states=ClosureState, kept=kept, erased=erased,
                waiting=await closure.unsettled(user.id), errors=errors or {}, notice=_notice(request),
                due_days=rules().closure_due_days, open=current is not None and current.state in closure.OPEN)


@get("/my/data/close", name="close_account")
async def close_start(request: Request) -> Template:
    return await _closure_page(request)


@post("/my/data/close")
async def close_ask(request: Request) -> Template | Redirect:
    form = await form_dict(request)
    if form.get("understood") != "yes":
        return await _closure_page(request, 400, {"understood": gettext(
            "Tick the box to say you understand what closing your account does")})
    made, new = await closure.ask(current_user(request))
    request.session["notice"] = (gettext("Your request to close your account has been received.") if new else
                                 gettext("You have already asked to close your account. Here is where it stands."))
    return Redirect("/my/data/close")


@post("/my/data/close/withdraw")
async def close_withdraw(request: Request) -> Redirect:
    withdrawn = await closure.withdraw(current_user(request))
    request.session["notice"] = (gettext("You withdrew your request. Your account stays open.") if withdrawn else
                                 gettext("There is no open request to withdraw."))
    return Redirect("/my/data/close")


@get("/admin/closures", name="admin_closures")
async def admin_closures(request: Request) -> Template:
    state = request.query_params.get("state", "")
    found = await closure.admin_page(page_number(request.query_params.get("page")), state)
    for row in found.items:  # names and numbers of who asked: the citizen sees the administrator looked
        await record(row.user_id, current_user(request), "account")
    return page("privacy/admin_closures.html", found=found, state=state, states=ClosureState,
                notice=_notice(request), me=current_user(request).id)


async def _taken(request: Request, request_id: int) -> ClosureRequest | Redirect:
    """The open request this administrator has taken; otherwise back to the list, saying why."""
    found = await ClosureRequest.get_or_none(id=request_id).prefetch_related("user")
    if found is None:
        raise NotFoundException()
    admin = current_user(request)
    await record(found.user_id, admin, "account")
    if not closure.handled_by(found, admin):
        request.session["notice"] = (gettext("This request is already finished.") if found.state not in closure.OPEN
                                     else gettext("Take this request before you close the account: only the "
                                                  "administrator handling it can."))
        return Redirect("/admin/closures")
    return found


@post("/admin/closures/{request_id:int}/take")
async def admin_closure_take(request: Request, request_id: FromPath[int]) -> Redirect:
    found = await ClosureRequest.get_or_none(id=request_id)
    if found is None:
        raise NotFoundException()
    admin = current_user(request)
    await record(found.user_id, admin, "account")
    taken = await closure.take(request_id, admin)
    request.session["notice"] = (gettext("You are now handling this request.") if taken else
                                 gettext("Someone already handles this request, or it is finished."))
    return Redirect("/admin/closures")


@get("/admin/closures/{request_id:int}/complete", name="admin_closure_confirm")
async def admin_closure_confirm(request: Request, request_id: FromPath[int]) -> Template | Redirect:
    """Check before closing: whose account, and what is kept and erased."""
    found = await _taken(request, request_id)
    if isinstance(found, Redirect):
        return found
    kept, erased = await closure.outlook(found.user_id)
    return page("privacy/admin_closure_confirm.html", r=found, kept=kept, erased=erased,
                waiting=await closure.unsettled(found.user_id))


@post("/admin/closures/{request_id:int}/complete")
async def admin_closure_complete(request: Request, storage: NamedDependency[Storage], request_id: FromPath[int]
                                 ) -> Redirect:
    """Complete a request this administrator took (it waits instead while a dossier is being settled)."""
    found = await _taken(request, request_id)
    if isinstance(found, Redirect):
        return found
    state = await closure.complete(found, storage, handler=current_user(request))
    request.session["notice"] = {
        ClosureState.DONE: gettext("The account is closed. What the law keeps was kept."),
        ClosureState.WAITING: gettext("A dossier of this citizen is still being settled: the request waits "
                                      "and the account will be closed once it is settled."),
    }.get(state, gettext("This request is already finished."))
    return Redirect("/admin/closures")


route_handlers = [
    Router(path="/", guards=[signed_in], request_max_body_size=16 * 1024, route_handlers=[
        export_start, export_ask, export_status, export_link, export_download, close_start, close_ask,
        close_withdraw]),
    Router(path="/", guards=[admin_only], request_max_body_size=16 * 1024, route_handlers=[
        admin_closures, admin_closure_take, admin_closure_confirm, admin_closure_complete]),
]
