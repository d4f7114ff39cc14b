"""Web plumbing shared by every domain: pages, error pages, form data.

Who is signed in (the middleware, the guards) is ``accounts.web``; the workflow's refusals are ``dossiers.web``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap
from tortoise.exceptions import ValidationError

from backend.core.i18n import gettext
from backend.settings import settings_of


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


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


def handle_http(request: Request, exc: HTTPException) -> Response:
    if is_api(request):
        body = {"status_code": exc.status_code, "detail": exc.detail}
        if getattr(exc, "extra", None):
            body["extra"] = exc.extra
        return Response(body, status_code=exc.status_code, headers=exc.headers)
    if exc.status_code == 413:
        mb = settings_of(request).upload_max_bytes // (1024 * 1024)
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


def parameter_refusal(hints: Mapping[str, Callable[[], str]]) -> Callable[[Request, ValidationException], Response]:
    """An API route's handler of Litestar's refusal of a query parameter: which parameters were refused and what
    each takes (``hints``, by name), in the reader's language; Litestar's own words when none is known."""
    def refuse(request: Request, exc: ValidationException) -> Response:
        extra = exc.extra if isinstance(exc.extra, list) else []
        keys = [str(item.get("key")) for item in extra if isinstance(item, dict)]
        said = [hints[key]() for key in dict.fromkeys(keys) if key in hints]
        return Response({"status_code": 400, "detail": " ".join(said) or exc.detail}, status_code=400)
    return refuse


def handle_server_error(request: Request, exc: Exception) -> Response:
    request.logger.exception("Unhandled error", exc_info=exc)
    return error_page(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        gettext("Sorry, there is a problem with the service"),
        gettext("Try again later. What you entered has been saved."),
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    NotAuthorizedException: handle_not_authorized,
    PermissionDeniedException: handle_permission_denied,
    NotFoundException: handle_not_found,
    ValidationError: handle_invalid_value,
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
