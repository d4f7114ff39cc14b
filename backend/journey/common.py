"""What several citizen pages share: the applicant's own dossier, the documents and supplement page renderers."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Template

from backend.accounts.web import current_user
from backend.core.web import page
from backend.dossiers import access, prefill, redraft, services
from backend.dossiers.access import Standing
from backend.dossiers.constants import Status
from backend.dossiers.forms import visible_fields
from backend.dossiers.models import Dossier


async def own_dossier(request: Request, code: str, *, draft: bool = False) -> Dossier:
    dossier = await access.visible_dossier(code, current_user(request), Standing.APPLICANT)
    if dossier is None or (draft and dossier.status is not Status.DRAFT):
        raise NotFoundException()
    if changes := await redraft.move_to_live(dossier):  # its procedure changed: told on this page or the next
        request.session[redraft.NOTICE] = changes
    return dossier


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
