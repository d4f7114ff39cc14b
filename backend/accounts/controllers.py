"""Sign in with a phone number and a one-time code; sign out."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.accounts.models import Role
from backend.accounts.services import CodeSender, SignInError, display_phone, normalise_phone, verify_code
from backend.core.i18n import gettext
from backend.core.web import form_dict, page


def _safe_next(target: str | None) -> str | None:
    """Only local paths: never send someone to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


def home_for(role: Role) -> str:
    return "/desk" if role is Role.OFFICER else "/my/dossiers"


@get("/sign-in", name="sign_in")
async def sign_in_page(next: FromQuery[str | None] = None) -> Template:
    return page("accounts/sign_in.html", next=_safe_next(next) or "", phone="", errors={})


@post("/sign-in")
async def send_code(request: Request) -> Template | Redirect:
    form = await form_dict(request)
    raw, next_url = form.get("phone", ""), _safe_next(form.get("next")) or ""
    phone = normalise_phone(raw)
    if phone is None:
        error = gettext("Enter a Vietnamese mobile number, like 0912 345 678")
        return page("accounts/sign_in.html", 400, next=next_url, phone=raw, errors={"phone": error})
    sender = CodeSender(request.app.state.settings, request.app.state.sms_gateway)
    try:
        await sender.send(phone)
    except SignInError as exc:
        return page("accounts/sign_in.html", 429, next=next_url, phone=raw, errors={"phone": str(exc)})
    request.session["pending_phone"] = phone
    return Redirect(f"/sign-in/code?next={quote(next_url)}" if next_url else "/sign-in/code")


@get("/sign-in/code")
async def code_page(request: Request, next: FromQuery[str | None] = None) -> Template | Redirect:
    phone = request.session.get("pending_phone")
    if not phone:
        return Redirect("/sign-in")
    return page("accounts/code.html", phone=display_phone(phone), next=_safe_next(next) or "", errors={})


@post("/sign-in/code")
async def check_code(request: Request) -> Template | Redirect:
    form = await form_dict(request)
    phone = request.session.get("pending_phone")
    next_url = _safe_next(form.get("next")) or ""
    if not phone:
        return Redirect("/sign-in")
    code = "".join(ch for ch in form.get("code", "") if ch.isdigit())
    try:
        if len(code) != 6:
            raise SignInError(gettext("Enter the 6-digit code from the text message"))
        user = await verify_code(phone, code, request.app.state.settings)
    except SignInError as exc:
        return page("accounts/code.html", 400, phone=display_phone(phone), next=next_url, errors={"code": str(exc)})
    request.set_session({"uid": user.id})
    return Redirect(next_url or home_for(user.role))


@post("/sign-out")
async def sign_out(request: Request) -> Redirect:
    request.clear_session()
    return Redirect("/")


route_handlers = [sign_in_page, send_code, code_page, check_code, sign_out]
