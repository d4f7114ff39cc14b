"""Citizens rate the settlement of their dossier."""

from __future__ import annotations

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.core.clock import Clock
from backend.core.web import form_dict, page
from backend.dossiers.access import Standing, visible_dossier
from backend.feedback.services import rate


@post("/my/dossiers/{code:str}/rating", guards=[signed_in])
async def rate_dossier(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Template | Redirect:
    dossier = await visible_dossier(code, current_user(request), Standing.APPLICANT)
    if dossier is None:
        raise NotFoundException()
    form = await form_dict(request)
    rating, errors = await rate(dossier, form.get("score", ""), form.get("comment", ""),
                                form.get("what_went_wrong", ""), today=clock.today())
    if errors:
        return page("feedback/rate.html", 400, dossier=dossier, errors=errors, form=form)
    return Redirect(f"/my/dossiers/{dossier.code}?rated=1#rating")


route_handlers = [rate_dossier]
