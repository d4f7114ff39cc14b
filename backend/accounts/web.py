"""Who is signed in, on the web: the middleware that finds the account, the guards and handlers that ask for it."""

from __future__ import annotations

import re

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.accounts.models import Role, User
from backend.accounts.services import remember_language, user_by_id
from backend.core.i18n import gettext, show_drafts


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
        session = scope.get("session")
        if not isinstance(session, dict):
            session = {}
        user_id = session.get("uid")
        user = await user_by_id(user_id)
        if user is not None and (session.get("epoch", 0) != user.session_epoch or not user.active):
            user = None  # signed out everywhere since this session began, or deactivated
        state = scope.setdefault("state", {})
        state["user"] = user
        if (user is not None and user.role is Role.CITIZEN and state.get("language_read")
                and user.language != state.get("language")):  # a citizen's: the texts sent to them follow it
            await remember_language(user, state["language"])
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
    if user.role is not Role.OFFICER or user.agency_id is None or not user.active:
        raise PermissionDeniedException(gettext("Only officials of an agency can open the desk"))


def admin_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    signed_in(connection, handler)
    if connection.state.user.role is not Role.ADMIN:
        raise PermissionDeniedException(gettext("Only portal administrators can do this"))
