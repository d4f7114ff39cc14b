"""How the web answers the workflow's refusals (``create_app`` adds these handlers to core's generic ones), and
the limits of the dossier and desk pages that post text only."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from backend.core.i18n import gettext
from backend.core.web import error_page
from backend.dossiers.forms import MAX_FORM_BODY
from backend.dossiers.workflow import NotAllowed, TransitionRefused


def handle_refused(request: Request, exc: TransitionRefused) -> Response:
    return error_page(request, 409, gettext("This cannot be done now"), str(exc))


def handle_not_allowed(request: Request, exc: NotAllowed) -> Response:
    return error_page(request, 403, gettext("You cannot do this"), str(exc))


EXCEPTION_HANDLERS: ExceptionHandlersMap = {TransitionRefused: handle_refused, NotAllowed: handle_not_allowed}


def _too_much_text(request: Request, exc: HTTPException) -> Response:
    """A form post over ``MAX_FORM_BODY``, refused unread: words about text (the app's 413 page speaks of files)."""
    return error_page(request, 413, gettext("Too much text"), gettext(
        "What you typed is too long to send: an answer can have 2,000 characters at most. Go back, shorten it and "
        "send it again."))


# Dossier and desk pages that post text only: a larger body is refused before it is parsed.
FORM_POST: dict[str, Any] = {"request_max_body_size": MAX_FORM_BODY, "exception_handlers": {413: _too_much_text}}
