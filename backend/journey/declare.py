"""Pages of a dossier filed with help (issue 20): the citizen declares it, the helper follows it, the citizen ends
the helper's access.

``/declare/{token}``: the link texted to the citizen (``assisted.declaration``), opened signed in as themselves.
``/dossiers/{code}/declare/code``: the helper types the code the citizen reads out at the counter.
``/dossiers/{code}/declare/paper``: a citizen with no phone signs the printed declaration; its photo goes with it.
``/dossiers/{code}/declare/sent``: the helper's view of it while the consent lasts (status, the record).
``/my/dossiers/{code}/helper/end``: the citizen ends the helper's access (``assisted.services.end_consent``).
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.models import User
from backend.accounts.web import current_user, signed_in
from backend.assisted import declaration, filing
from backend.assisted import services as assisted
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.web import form_dict, page
from backend.dossiers import access, provenance, services
from backend.dossiers.access import Standing
from backend.dossiers.forms import visible_fields
from backend.dossiers.models import Dossier
from backend.dossiers.web import FORM_POST
from backend.journey.common import own_dossier
from backend.payments.fees import dossier_quote
from backend.settings import Settings
from backend.storage import Storage


async def _declare_page(dossier: Dossier, token: str, errors: dict, problems=(), status_code: int = 200,
                        ) -> Template:
    return page("assisted/declare.html", status_code, dossier=dossier, token=token, errors=errors,
                problems=list(problems), fields=visible_fields(dossier.procedure.form, dossier.answers),
                uploaded=await services.current_documents(dossier), notes=await filing.notes(dossier),
                fee=await dossier_quote(dossier))


def _refused(exc: declaration.DeclarationRefused) -> Template:
    return page("assisted/declare_refused.html", exc.status, message=str(exc), unknown=exc.status == 404)


@get("/declare/{token:str}", guards=[signed_in])
async def declare_page(request: Request, clock: NamedDependency[Clock], token: FromPath[str]) -> Template:
    """The citizen, on their own phone: the answers and documents the helper filled, and the declaration."""
    try:
        opened = await declaration.open_link(token, current_user(request), clock)
    except declaration.DeclarationRefused as exc:
        return _refused(exc)
    return await _declare_page(opened.dossier, token, {})


@post("/declare/{token:str}", guards=[signed_in], **FORM_POST)
async def declare(request: Request, clock: NamedDependency[Clock], token: FromPath[str]) -> Template | Redirect:
    citizen = current_user(request)
    try:
        opened = await declaration.open_link(token, citizen, clock)
        if (await form_dict(request)).get("declaration") != "yes":
            errors = {"declaration": gettext("Confirm that the information you gave is true")}
            return await _declare_page(opened.dossier, token, errors, status_code=400)
        problems = await declaration.declare(opened.consent, opened.dossier, citizen, declaration.LINK, clock=clock)
    except declaration.DeclarationRefused as exc:
        return _refused(exc)
    if problems:  # the draft changed since the helper asked: they fix it, and send a new link
        return await _declare_page(opened.dossier, token, {}, problems, 409)
    return Redirect(f"/my/dossiers/{opened.dossier.code}?declared=1", status_code=303)


async def _helper_dossier(request: Request, code: str) -> Dossier:
    """A dossier the signed-in helper stands to by a live consent (any status: they follow it while it lasts)."""
    dossier = await access.visible_dossier(code, current_user(request), Standing.HELPER)
    if dossier is None or not filing.helping(dossier, current_user(request)):
        raise NotFoundException()
    await dossier.fetch_related("applicant")
    return dossier


async def _filling_helper(request: Request, code: str) -> Dossier:
    """The draft the signed-in helper fills (``own_dossier``'s helper standing); its citizen cannot use these pages."""
    dossier = await own_dossier(request, code, draft=True, helper=True)
    if not filing.helping(dossier, current_user(request)):
        raise NotFoundException()
    return dossier


@get("/dossiers/{code:str}/declare/code", guards=[signed_in])
async def code_page(request: Request, code: FromPath[str]) -> Template:
    dossier = await _filling_helper(request, code)
    return page("assisted/declare_code.html", dossier=dossier, errors={})


@post("/dossiers/{code:str}/declare/code", guards=[signed_in], **FORM_POST)
async def check_code(
    request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings], code: FromPath[str],
) -> Template | Redirect:
    """The helper types the code the citizen reads out: right, the citizen's declaration sends the dossier."""
    dossier, helper = await _filling_helper(request, code), current_user(request)
    typed = str((await form_dict(request)).get("code", ""))
    try:
        consent = await declaration.check_code(dossier, helper, typed, settings=settings, clock=clock)
        citizen = await User.get(id=dossier.applicant_id)
        problems = await declaration.declare(consent, dossier, citizen, declaration.CODE, clock=clock)
    except declaration.DeclarationRefused as exc:
        if exc.status == 404:
            raise NotFoundException() from exc
        return page("assisted/declare_code.html", 400, dossier=dossier, errors={"code": str(exc)}, typed=typed)
    if problems:
        return page("assisted/declare_code.html", 409, dossier=dossier, errors={}, problems=problems)
    return Redirect(f"/dossiers/{dossier.code}/declare/sent", status_code=303)


@get("/dossiers/{code:str}/declare/paper", guards=[signed_in])
async def paper_page(request: Request, code: FromPath[str]) -> Template:
    """A citizen with no phone: the declaration to print and sign, and where its photo is attached."""
    return page("assisted/declare_paper.html", dossier=await _filling_helper(request, code), errors={})


@post("/dossiers/{code:str}/declare/paper", guards=[signed_in])
async def declare_on_paper(
    request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings],
    storage: NamedDependency[Storage], code: FromPath[str],
) -> Template | Redirect:
    dossier = await _filling_helper(request, code)
    upload = (await request.form()).get("paper")
    chosen = isinstance(upload, UploadFile) and bool(upload.filename)
    content = (await upload.read(), upload.filename or "") if chosen and isinstance(upload, UploadFile) else None
    try:
        problems = await declaration.declare_on_paper(dossier, current_user(request), content, storage=storage,
                                                      settings=settings, clock=clock)
    except declaration.DeclarationRefused as exc:
        if exc.status == 404:
            raise NotFoundException() from exc
        return page("assisted/declare_paper.html", 400, dossier=dossier, errors={"paper": str(exc)})
    if problems:
        return page("assisted/declare_paper.html", 409, dossier=dossier, errors={}, problems=problems)
    return Redirect(f"/dossiers/{dossier.code}/declare/sent", status_code=303)


@get("/dossiers/{code:str}/declare/sent", guards=[signed_in])
async def helper_status(request: Request, code: FromPath[str]) -> Template:
    """The helper's view while the consent lasts: asked, declared, sent, and the dossier's status."""
    dossier = await _helper_dossier(request, code)
    return page("assisted/declare_sent.html", dossier=dossier, consent=await assisted.consent_of_dossier(dossier),
                notes=await provenance.notes(dossier))


@post("/my/dossiers/{code:str}/helper/end", guards=[signed_in], **FORM_POST)
async def end_helper_access(request: Request, code: FromPath[str]) -> Redirect:
    """The citizen ends the helper's access to this dossier, at once."""
    dossier = await own_dossier(request, code)
    consent_id = str((await form_dict(request)).get("consent", ""))
    outcome = await filing.end_access(dossier, current_user(request), int(consent_id) if consent_id.isdigit() else 0)
    if outcome is assisted.Outcome.NOT_FOUND:
        raise NotFoundException()
    return Redirect(f"/my/dossiers/{dossier.code}?helper=ended", status_code=303)


route_handlers = [declare_page, declare, code_page, check_code, paper_page, declare_on_paper, helper_status,
                  end_helper_access]
