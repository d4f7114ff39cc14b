"""How the web answers the workflow's refusals; ``create_app`` adds these handlers to core's generic ones."""

from __future__ import annotations

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap

from backend.core.i18n import gettext
from backend.core.web import error_page
from backend.dossiers.workflow import NotAllowed, TransitionRefused


def handle_refused(request: Request, exc: TransitionRefused) -> Response:
    return error_page(request, 409, gettext("This cannot be done now"), str(exc))


def handle_not_allowed(request: Request, exc: NotAllowed) -> Response:
    return error_page(request, 403, gettext("You cannot do this"), str(exc))


EXCEPTION_HANDLERS: ExceptionHandlersMap = {TransitionRefused: handle_refused, NotAllowed: handle_not_allowed}
