"""Result pages: public verification (by code, by QR link, by uploading the PDF) and the download."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import File, Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.core.i18n import gettext
from backend.core.web import page
from backend.documents.checks import CheckPoolBusy, busy_message
from backend.documents.findings import Verdict
from backend.documents.pool import CheckPool
from backend.dossiers.uploads import sniff
from backend.limits.services import HOUR, Limit, Refused, refused_message
from backend.limits.web import take_for_client
from backend.results import services
from backend.results.constants import ResultStatus
from backend.settings import Settings
from backend.storage.web import stored_file


@get("/results/verify", name="verify_result")
async def verify_page(code: FromQuery[str] = "") -> Template | Redirect:
    """Enter a result's code, or upload its PDF."""
    if code.strip():
        return Redirect(f"/results/verify/{quote(services.normalize_code(code), safe='')}")
    return page("results/verify.html", code="", found=None, upload=None, errors={})


@get("/results/verify/{code:str}")
async def verify_code(code: FromPath[str], issuer: NamedDependency[services.ResultIssuer]) -> Template:
    """Where the QR code leads: does this result exist, who issued it, when, is it still valid, and what it says
    (its HTML twin: whoever holds a printed copy compares it line by line)."""
    found = await services.public_result(code)
    errors = {} if found else {"code": gettext("No result has this code. Check it against the document.")}
    doc = None
    if found and found.result.status is not ResultStatus.REVOKED:  # a revoked one may name the wrong person
        doc = await services.twin(found.result, issuer)
    return page("results/verify.html", 200 if found else 404, code=code, found=found, upload=None, errors=errors,
                doc=doc)


@post("/results/verify")
async def verify_upload(
    request: Request, settings: NamedDependency[Settings], issuer: NamedDependency[services.ResultIssuer],
    file_checks: NamedDependency[CheckPool],
) -> Template:
    """Check an uploaded PDF's signature: intact, by a trusted agency certificate, unchanged since signing."""
    hourly = settings.result_checks_per_ip_per_hour
    try:  # before the body is parsed: checks cost the server, so each client address gets a share
        await take_for_client(request, Limit("result-check", hourly, HOUR), settings.network_limit_factor)
    except Refused as exc:
        return page("results/verify.html", 429, code="", found=None, upload=None, errors={"file": refused_message(exc)})
    form = await request.form()
    upload = form.get("file")
    error = ""
    content = b""
    if not isinstance(upload, UploadFile) or not upload.filename:
        error = gettext("Select the PDF file to check")
    else:
        content = await upload.read()
        if len(content) > settings.upload_max_bytes:
            error = gettext("The selected file must be smaller than %(mb)s MB", mb=settings.upload_max_bytes // 1048576)
        elif sniff(content[:16]) != "pdf":
            error = gettext("The selected file must be a PDF")
    if error:
        return page("results/verify.html", 400, code="", found=None, upload=None, errors={"file": error})
    assert isinstance(upload, UploadFile)  # else ``error`` said so
    try:  # in a worker process, with a time limit: the event loop never validates a signature
        checked = await services.check_upload(content, issuer, file_checks)
    except CheckPoolBusy:
        return page("results/verify.html", 503, code="", found=None, upload=None, errors={"file": busy_message()})
    if checked.check.verdict is Verdict.UNREADABLE:
        errors = {"file": gettext("This file could not be read as a PDF. Check that it is the whole file.")}
        return page("results/verify.html", 400, code="", found=None, upload=None, errors=errors)
    return page("results/verify.html", code="", found=None, upload=checked, errors={}, filename=upload.filename)


@get("/dossiers/{code:str}/result", guards=[signed_in])
async def result_page(
    request: Request, issuer: NamedDependency[services.ResultIssuer], code: FromPath[str]
) -> Template:
    """The dossier's valid result as a page (its HTML twin), to the same people as its PDF."""
    result = await services.readable_result(code, current_user(request))
    if result is None:
        raise NotFoundException()
    return page("results/result.html", result=result, doc=await services.twin(result, issuer), dossier_code=code)


@get("/dossiers/{code:str}/result.pdf", guards=[signed_in])
async def download_current(
    request: Request, issuer: NamedDependency[services.ResultIssuer], code: FromPath[str]
) -> File:
    """The dossier's valid result, to its applicant or an official of the issuing agency."""
    return await _file(request, issuer, code, None)


@get("/dossiers/{code:str}/results/{result_code:str}", guards=[signed_in])
async def download_one(
    request: Request, issuer: NamedDependency[services.ResultIssuer], code: FromPath[str], result_code: FromPath[str]
) -> File:
    """Any result of the dossier (also revoked or replaced ones), to the same people."""
    return await _file(request, issuer, code, result_code)


async def _file(request: Request, issuer: services.ResultIssuer, code: str, result_code: str | None) -> File:
    result = await services.readable_result(code, current_user(request), result_code)
    if result is None:
        raise NotFoundException()
    return await stored_file(
        issuer.files, issuer.key(result),
        filename=f"{result.code}.pdf",
        media_type="application/pdf",
        disposition="inline",
        sha256=result.sha256,
        # Private and checked with the portal each time: on a shared phone, the next person must not reopen it
        # from the browser's cache after this citizen signed out. (The signed PDF can be saved to the phone.)
        headers={"cache-control": "private, no-cache"},
    )


route_handlers = [verify_page, verify_code, verify_upload, result_page, download_current, download_one]
