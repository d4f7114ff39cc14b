"""What several citizen pages share: the applicant's own dossier, the documents and supplement page renderers."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Template

from backend.accounts.models import User
from backend.accounts.web import current_user
from backend.assisted import filing
from backend.core.web import page
from backend.dossiers import access, prefill, redraft, services
from backend.dossiers.access import Standing
from backend.dossiers.constants import Status
from backend.dossiers.forms import visible_fields
from backend.dossiers.models import Dossier


async def own_dossier(request: Request, code: str, *, draft: bool = False, helper: bool = False) -> Dossier:
    """The applicant's dossier; with ``helper``, also a helper's with the citizen's live consent (issue 20: only
    the pages that fill a draft, and its check page, name it), their applicant loaded to say whose it is."""
    user = current_user(request)
    as_ = (Standing.APPLICANT, Standing.HELPER) if helper else (Standing.APPLICANT,)
    dossier = await access.visible_dossier(code, user, *as_)
    if dossier is None or (draft and dossier.status is not Status.DRAFT):
        raise NotFoundException()
    if dossier.applicant_id != user.id:  # a helper fills drafts only; the pages name the citizen they file for
        if not await filing.filling(dossier):  # declared: as the citizen saw it
            raise NotFoundException()
        await dossier.fetch_related("applicant")
    if changes := await redraft.move_to_live(dossier):  # its procedure changed: told on this page or the next
        request.session[redraft.NOTICE] = changes
    return dossier


def citizen_of(request: Request, dossier: Dossier) -> User:
    """Whose dossier this is: the one signed in, or the citizen a helper files for (loaded by ``own_dossier``)."""
    user = current_user(request)
    return user if dossier.applicant_id == user.id else dossier.applicant


async def documents_template(
    dossier: Dossier, errors: dict, template: str, status_code: int = 200, **extra
) -> Template:
    uploaded = await services.current_documents(dossier)
    return page(template, status_code, dossier=dossier, uploaded=uploaded, errors=errors, **extra)


async def supplement_template(dossier: Dossier, errors: dict, status_code: int = 200, problems=()) -> Template:
    request_ = await services.open_supplement(dossier)
    if request_ is None:
        raise NotFoundException()
    fields = [f for f in visible_fields(dossier.procedure.form, dossier.answers)
              if f["name"] in request_.fields_to_fix and f.get("type") != "file"]
    documents = [d for d in dossier.procedure.documents if d["key"] in request_.documents]
    documents += [d for d in services.file_documents(dossier) if d["key"] in request_.fields_to_fix]  # uploaded anew
    return await documents_template(
        dossier,
        errors,
        "dossiers/supplement.html",
        status_code,
        supplement=request_,
        fields=fields,
        documents=documents,
        problems=list(problems),
        prefill=await prefill.state(dossier),
    )
