"""The account page: identity level, passkeys (add, rename, remove), sign-in history, sign out everywhere."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts import passkeys, services
from backend.accounts.controllers import client_details, json_body, json_error
from backend.accounts.web import current_user, signed_in
from backend.core.i18n import gettext, local_path
from backend.core.web import form_dict, page
from backend.settings import Settings


async def _account_page(request: Request, status_code: int = 200, errors: dict | None = None, **extra) -> Template:
    user = current_user(request)
    request.session.pop("offer_passkey", None)
    return page(
        "accounts/account.html",
        status_code,
        user=user,
        passkeys=await services.user_passkeys(user),
        history=await services.sign_in_history(user),
        push_devices=await services.push_devices(user),
        notice=request.session.pop("notice", None),
        suggested_name=services.device_name_of(request.headers),
        errors=errors or {},
        **extra,
    )


@get("/account", guards=[signed_in])
async def account_page(request: Request) -> Template:
    return await _account_page(request)


@post("/account/passkeys/begin", guards=[signed_in], status_code=200)
async def add_passkey_begin(request: Request, settings: NamedDependency[Settings]) -> Response:
    options = await passkeys.registration_options(current_user(request), settings, request.session)
    return Response(options, media_type="application/json")


@post("/account/passkeys/complete", guards=[signed_in], status_code=200)
async def add_passkey_complete(request: Request, settings: NamedDependency[Settings]) -> Response:
    body = await json_body(request)
    user = current_user(request)
    name = passkeys.clean_name(body.get("name"), services.device_name_of(request.headers))
    try:
        passkey = await passkeys.register(
            user, body.get("credential") or {}, name, settings, request.session
        )
    except passkeys.PasskeyError as exc:
        return json_error(str(exc))
    request.session["notice"] = gettext(
        "Passkey “%(name)s” added. Next time, choose “Sign in with a passkey”.", name=passkey.name
    )
    return Response({"redirect": local_path("/account#passkeys")})


@post("/account/passkeys/{passkey_id:int}/rename", guards=[signed_in])
async def rename_passkey(request: Request, passkey_id: FromPath[int]) -> Template | Redirect:
    form = await form_dict(request)
    name = " ".join(str(form.get("name", "")).split())
    if not name or len(name) > passkeys.NAME_MAX:
        error = gettext("Enter a name of 1 to %(max)s characters", max=passkeys.NAME_MAX)
        return await _account_page(request, 400, {f"passkey-{passkey_id}-name": error}, typed={passkey_id: name})
    if await services.rename_passkey(current_user(request), passkey_id, name) is None:
        raise NotFoundException()
    request.session["notice"] = gettext("Passkey renamed to “%(name)s”.", name=name)
    return Redirect("/account#passkeys")


@post("/account/passkeys/{passkey_id:int}/remove", guards=[signed_in])
async def remove_passkey(request: Request, passkey_id: FromPath[int]) -> Redirect:
    if not await services.remove_passkey(current_user(request), passkey_id):
        raise NotFoundException()
    request.session["notice"] = gettext("Passkey removed. It can no longer be used to sign in to the portal.")
    return Redirect("/account#passkeys")


@post("/account/passkeys/not-now", guards=[signed_in])
async def dismiss_passkey_offer(request: Request) -> Redirect:
    request.session.pop("offer_passkey", None)
    form = await form_dict(request)
    back = str(form.get("back", ""))
    return Redirect(back if back.startswith("/") and not back.startswith("//") else "/")


@post("/account/sign-out-everywhere", guards=[signed_in], status_code=200)
async def sign_out_everywhere(request: Request) -> Template:
    await services.sign_out_everywhere(current_user(request), **client_details(request))
    request.clear_session()
    request.scope["state"]["user"] = None  # this page already shows the signed-out header
    return page("accounts/signed_out_everywhere.html")


route_handlers = [
    account_page,
    add_passkey_begin,
    add_passkey_complete,
    rename_passkey,
    remove_passkey,
    dismiss_passkey_offer,
    sign_out_everywhere,
]
