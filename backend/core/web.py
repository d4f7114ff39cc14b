"""Web plumbing shared by every domain: who is signed in, guards, error pages, template helpers."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ASGIApp, Receive, Scope, Send
from tortoise.exceptions import ValidationError

from backend.accounts.models import Role, User
from backend.accounts.services import user_by_id
from backend.core.i18n import gettext, show_drafts
from backend.dossiers.workflow import NotAllowed, TransitionRefused


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


class UserMiddleware(ASGIMiddleware):
    """Put the signed-in account (or None) on ``request.state.user`` before guards run.

    Routes matching ``anyone`` answer everybody alike (the public JSON): they get None, without a look-up.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, anyone: tuple[str, ...] = ()) -> None:
        self.anyone = re.compile("|".join(anyone)) if anyone else None

    def should_bypass_for_scope(self, scope: Scope) -> bool:
        return scope["path"].startswith(("/static/", "/sandbox/"))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if self.anyone is not None and self.anyone.match(scope["path"]):
            scope.setdefault("state", {})["user"] = None
            await next_app(scope, receive, send)
            return
        session = scope.get("session") or {}
        user_id = session.get("uid") if isinstance(session, dict) else None
        user = await user_by_id(user_id)
        if user is not None and session.get("epoch", 0) != user.session_epoch:
            user = None  # signed out everywhere since this session began
        scope.setdefault("state", {})["user"] = user
        if user is not None and user.display_settings.get("chosen"):  # the account's choice beats the cookie's
            show_drafts.set("reviewed" not in user.display_settings.get("options", []))
        await next_app(scope, receive, send)


def current_user(request: Request) -> User:
    return request.state.user


def signed_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if getattr(connection.state, "user", None) is None:
        raise NotAuthorizedException(gettext("Sign in to continue"))


def officer_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    signed_in(connection, handler)
    user = connection.state.user
    if user.role is not Role.OFFICER or user.agency_id is None:
        raise PermissionDeniedException(gettext("Only officials of an agency can open the desk"))


def admin_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    signed_in(connection, handler)
    if connection.state.user.role is not Role.ADMIN:
        raise PermissionDeniedException(gettext("Only portal administrators can do this"))


def page(template: str, status_code: int = 200, **context: Any) -> Template:
    return Template(template_name=template, context=context, status_code=status_code)


def error_page(request: Request, status_code: int, title: str, message: str) -> Response:
    if is_api(request):
        return Response({"status_code": status_code, "detail": message}, status_code=status_code)
    return Template(
        template_name="errors/error.html",
        context={"request": request, "title": title, "message": message, "status_code": status_code},
        status_code=status_code,
    )


def handle_not_authorized(request: Request, exc: NotAuthorizedException) -> Response:
    if is_api(request):
        return error_page(request, 401, gettext("Sign in"), exc.detail)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        # A form post cannot be replayed after signing in: go back to the page the form was on.
        referer = urlsplit(request.headers.get("referer", ""))
        target = referer.path if referer.netloc == request.url.netloc and referer.path else "/"
    return Redirect(f"/sign-in?next={quote(target)}")


def handle_permission_denied(request: Request, exc: PermissionDeniedException) -> Response:
    message = exc.detail
    if "CSRF" in (message or ""):
        message = gettext("This form had expired. Go back, reload the page and send it again.")
    return error_page(request, 403, gettext("You cannot do this"), message)


def handle_not_found(request: Request, exc: NotFoundException) -> Response:
    if is_api(request):
        return error_page(request, 404, "", exc.detail)
    return error_page(
        request, 404, gettext("Page not found"), gettext("If you typed the web address, check it is correct.")
    )


def handle_invalid_value(request: Request, exc: ValidationError) -> Response:
    """A value no column can hold (an identifier far too long): nothing can match it, so not found, never a 500."""
    return handle_not_found(request, NotFoundException())


def handle_refused(request: Request, exc: TransitionRefused) -> Response:
    return error_page(request, 409, gettext("This cannot be done now"), str(exc))


def handle_not_allowed(request: Request, exc: NotAllowed) -> Response:
    return error_page(request, 403, gettext("You cannot do this"), str(exc))


def handle_http(request: Request, exc: HTTPException) -> Response:
    if is_api(request):
        body = {"status_code": exc.status_code, "detail": exc.detail}
        if getattr(exc, "extra", None):
            body["extra"] = exc.extra
        return Response(body, status_code=exc.status_code, headers=exc.headers)
    if exc.status_code == 413:
        mb = request.app.state.settings.upload_max_bytes // (1024 * 1024)
        return error_page(
            request,
            413,
            gettext("The file is too large"),
            gettext(
                "Files must be smaller than %(mb)s MB. Go back and choose a smaller file, "
                "or take the photo again at a lower resolution.",
                mb=mb,
            ),
        )
    response = error_page(request, exc.status_code, gettext("Something is wrong with the request"), exc.detail)
    for name, value in (exc.headers or {}).items():  # Allow on a 405, as HTTP requires
        response.set_header(name, value)
    return response


def handle_server_error(request: Request, exc: Exception) -> Response:
    request.logger.exception("Unhandled error", exc_info=exc)
    return error_page(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        gettext("Sorry, there is a problem with the service"),
        gettext("Try again later. What you entered has been saved."),
    )


EXCEPTION_HANDLERS = {
    NotAuthorizedException: handle_not_authorized,
    PermissionDeniedException: handle_permission_denied,
    NotFoundException: handle_not_found,
    ValidationError: handle_invalid_value,
    TransitionRefused: handle_refused,
    NotAllowed: handle_not_allowed,
    HTTPException: handle_http,
    HTTP_500_INTERNAL_SERVER_ERROR: handle_server_error,
}


async def form_dict(request: Request) -> dict[str, Any]:
    """The posted form as a dict; repeated names (checkboxes) become lists under ``name[]``."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form.keys():
        values = form.getall(key)
        data[key] = values if key.endswith("[]") else values[-1]
    return data
