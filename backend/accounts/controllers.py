"""Sign in with a phone number and a one-time code; sign out."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.accounts import passkeys
from backend.accounts.models import Passkey, Role, SignInMethod, User
from backend.accounts.services import (
    CodeSender,
    SignInError,
    SignInLimited,
    display_phone,
    normalise_phone,
    record_sign_in,
    verify_code,
)
from backend.accounts.session_store import ROTATE
from backend.core.i18n import gettext, local_path
from backend.core.web import form_dict, page
from backend.limits.web import client_host
from backend.settings import Settings


def _safe_next(target: str | None) -> str | None:
    """Only local paths: never send someone to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


def home_for(role: Role) -> str:
    return "/desk" if role is Role.OFFICER else "/my/dossiers"


def client_details(request: Request) -> dict[str, str]:
    return {
        "user_agent": request.headers.get("user-agent", ""),
        "ip_address": client_host(request) or "",
    }


async def start_session(request: Request, user: User, method: SignInMethod, passkey_name: str = "") -> None:
    """A fresh session ID for the signed-in person, tied to their sign-out-everywhere epoch."""
    request.scope.setdefault("state", {})[ROTATE] = True
    session: dict[str, Any] = {"uid": user.id, "epoch": user.session_epoch}
    if method is SignInMethod.CODE and not await Passkey.exists(user=user):
        session["offer_passkey"] = True
    request.set_session(session)
    await record_sign_in(user, method, passkey_name=passkey_name, **client_details(request))


def json_error(message: str, status_code: int = 400) -> Response:
    return Response({"error": message}, status_code=status_code)


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except Exception:  # a malformed body is the browser's problem, not a server error
        body = None
    return body if isinstance(body, dict) else {}


@get("/sign-in", name="sign_in")
async def sign_in_page(next: FromQuery[str | None] = None) -> Template:
    return page("accounts/sign_in.html", next=_safe_next(next) or "", phone="", errors={})


@post("/sign-in")
async def send_code(
    request: Request, settings: NamedDependency[Settings], sms_gateway: NamedDependency[Any]
) -> Template | Redirect:
    form = await form_dict(request)
    raw, next_url = form.get("phone", ""), _safe_next(form.get("next")) or ""
    phone = normalise_phone(raw)
    if phone is None:
        error = gettext("Enter a Vietnamese mobile number, like 0912 345 678")
        return page("accounts/sign_in.html", 400, next=next_url, phone=raw, errors={"phone": error})
    sender = CodeSender(settings, sms_gateway)
    try:
        await sender.send(phone, client_host(request))
    except SignInError as exc:  # over a limit, or the SMS gateway failed
        status_code = 429 if isinstance(exc, SignInLimited) else 503
        return page("accounts/sign_in.html", status_code, next=next_url, phone=raw, errors={"phone": str(exc)})
    request.session["pending_phone"] = phone
    return Redirect(f"/sign-in/code?next={quote(next_url)}" if next_url else "/sign-in/code")


@get("/sign-in/code")
async def code_page(request: Request, next: FromQuery[str | None] = None) -> Template | Redirect:
    phone = request.session.get("pending_phone")
    if not phone:
        return Redirect("/sign-in")
    return page("accounts/code.html", phone=display_phone(phone), next=_safe_next(next) or "", errors={})


@post("/sign-in/code")
async def check_code(request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
    form = await form_dict(request)
    phone = request.session.get("pending_phone")
    next_url = _safe_next(form.get("next")) or ""
    if not phone:
        return Redirect("/sign-in")
    code = "".join(ch for ch in form.get("code", "") if ch.isdigit())
    try:
        if len(code) != 6:
            raise SignInError(gettext("Enter the 6-digit code from the text message"))
        user = await verify_code(phone, code, settings, client_host(request))
    except SignInError as exc:
        status_code = 429 if isinstance(exc, SignInLimited) else 400
        return page("accounts/code.html", status_code, phone=display_phone(phone), next=next_url,
                    errors={"code": str(exc)})
    await start_session(request, user, SignInMethod.CODE)
    return Redirect(next_url or home_for(user.role))


@post("/sign-out")
async def sign_out(request: Request) -> Redirect:
    request.clear_session()
    return Redirect("/")


@post("/sign-in/passkey/begin", status_code=200)
async def passkey_sign_in_begin(request: Request, settings: NamedDependency[Settings]) -> Response:
    options = passkeys.authentication_options(settings, request.session)
    return Response(options, media_type="application/json")


@post("/sign-in/passkey/complete", status_code=200)
async def passkey_sign_in_complete(request: Request, settings: NamedDependency[Settings]) -> Response:
    body = await json_body(request)
    try:
        passkey = await passkeys.authenticate(body.get("credential"), settings, request.session)
    except passkeys.PasskeyError as exc:
        return json_error(str(exc))
    await start_session(request, passkey.user, SignInMethod.PASSKEY, passkey.name)
    return Response({"redirect": local_path(_safe_next(body.get("next")) or home_for(passkey.user.role))})


route_handlers = [
    sign_in_page,
    send_code,
    code_page,
    check_code,
    sign_out,
    passkey_sign_in_begin,
    passkey_sign_in_complete,
]
