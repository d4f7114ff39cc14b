"""Import and export pages of the procedure editor (``/admin/procedures/import``, ``/admin/procedures/{code}/export``):
an administrator downloads a procedure with all its languages, or uploads one, sees what it changes, then saves it
as a draft version. Plain forms (multipart upload, a hidden copy of the checked file): no JavaScript needed."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, Parameter
from litestar.response import Redirect, Response, Template

from backend.accounts.web import admin_only
from backend.catalogue import document_text, versions
from backend.core.i18n import gettext
from backend.core.web import form_dict, page
from backend.publisher import exchange_services as exchange

BASE = "/admin/procedures"
MODES = (exchange.UPDATE, exchange.NEW)


@get("/{code:str}/export")
async def export(code: FromPath[str], version: Annotated[int | None, Parameter(ge=1)] = None,
                 format: FromQuery[str] = "json") -> Response:
    """The procedure's document (the newest version, or ``?version=n``) with its translations, as a download."""
    found = await exchange.export_document(code, version)
    if found is None:
        raise NotFoundException()
    document, number = found
    as_yaml = format == "yaml"
    name = f"{code}-v{number}.{'yaml' if as_yaml else 'json'}"
    media = "application/yaml" if as_yaml else "application/json"
    return Response(exchange.serialize(document, as_yaml), media_type=f"{media}; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def _upload_page(status_code: int = 200, problems: list | None = None, mode: str = exchange.UPDATE,
                 filename: str = "", file_error: str = "") -> Template:
    return page("publisher/import.html", status_code, problems=problems or [], mode=mode, modes=MODES,
                filename=filename, file_error=file_error, max_mb=exchange.MAX_BYTES // (1024 * 1024))


@get("/import")
async def import_page() -> Template:
    return _upload_page()


@post("/import")
async def upload(request: Request) -> Template:
    """Check the uploaded file: refused with its problems, or shown with what it would change."""
    form = await request.form()
    mode = str(form.get("mode", ""))
    mode = mode if mode in MODES else exchange.UPDATE
    file = form.get("file")
    data = await file.read() if isinstance(file, UploadFile) else b""
    filename = (file.filename if isinstance(file, UploadFile) else "") or ""
    if not data or len(data) > exchange.MAX_BYTES:
        return _upload_page(400, mode=mode, file_error=gettext(
            "Choose a procedure file (.json, .yaml or .yml) of at most %(mb)s MB", mb=exchange.MAX_BYTES // 1048576))
    text = exchange.decode(data)
    if text is None:
        return _upload_page(400, mode=mode, filename=filename,
                            file_error=gettext("The file is not text in UTF-8: save it as UTF-8 and try again"))
    return await _checked(text, document_text.is_yaml(filename), mode, filename)


async def _checked(text: str, as_yaml: bool, mode: str, filename: str) -> Template:
    reading = await exchange.read_upload(text, as_yaml, mode)
    if reading.problems:
        return _upload_page(400, reading.problems, mode, filename)
    return page("publisher/import_preview.html", reading=reading, filename=filename,
                format="yaml" if as_yaml else "json")


@post("/import/apply")
async def apply(request: Request) -> Template | Redirect:
    """Save the file checked on the preview page as a draft version (checked again: the catalogue may have moved)."""
    form = await form_dict(request)
    mode = str(form.get("mode", ""))
    filename = str(form.get("filename", ""))[:200]
    reading = await exchange.read_upload(str(form.get("text", "")), form.get("format") == "yaml",
                                         mode if mode in MODES else exchange.UPDATE)
    if reading.problems:
        return _upload_page(400, reading.problems, reading.mode, filename)
    try:
        applied = await exchange.apply(reading, request.state.user, filename)
    except versions.DocumentRefused as refused:
        return _upload_page(400, list(refused.problems), reading.mode, filename)
    notice = gettext("Saved as draft version %(number)s of %(code)s.", number=applied.version.number,
                     code=reading.code)
    if applied.proposed:
        notice += " " + gettext("%(num)s translations proposed: reviewers approve them in the translation pages.",
                                num=applied.proposed)
    request.session["notice"] = notice
    request.session["import_refused"] = applied.refused[:20]
    return Redirect(f"{BASE}/import/done?code={reading.code}&version={applied.version.number}")


@get("/import/done")
async def done(request: Request, code: FromQuery[str], version: Annotated[int, Parameter(ge=1)]) -> Template:
    saved = await versions.version(code, version)
    if saved is None:
        raise NotFoundException()
    session = request.session or {}
    return page("publisher/import_done.html", saved=saved, code=code, notice=session.pop("notice", None),
                refused=session.pop("import_refused", []))


route_handlers = [Router(path=BASE, guards=[admin_only], route_handlers=[import_page, upload, apply, done, export])]
