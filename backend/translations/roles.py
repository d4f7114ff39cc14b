"""The administrator gives accounts the translator or reviewer role for a language."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.services import normalise_phone
from backend.accounts.web import admin_only
from backend.core.i18n import gettext
from backend.core.languages import LANGUAGES
from backend.core.web import form_dict, page
from backend.translations.services import ROLES, give_role, remove_role, roles_given
from backend.translations.texts import TARGETS


async def _page(request: Request, status_code: int = 200, errors: dict | None = None, form: dict | None = None
                ) -> Template:
    held = await roles_given()
    return page("translations/roles.html", status_code, held=held, errors=errors or {}, form=form or {},
                targets=[LANGUAGES[c] for c in TARGETS], roles=ROLES, languages=LANGUAGES,
                notice=request.session.pop("notice", None) if request.session else None)


@get("/translators")
async def roles_page(request: Request) -> Template:
    return await _page(request)


@post("/translators")
async def grant(request: Request) -> Template | Redirect:
    form = await form_dict(request)
    phone = normalise_phone(str(form.get("phone", ""))) or ""
    errors = await give_role(phone, str(form.get("language", "")), str(form.get("role", "")), request.state.user)
    if errors:
        return await _page(request, 400, errors, form)
    request.session["notice"] = gettext("Role given.")
    return Redirect("/admin/translators")


@post("/translators/{role_id:int}/remove")
async def revoke(request: Request, role_id: FromPath[int]) -> Redirect:
    await remove_role(role_id)
    request.session["notice"] = gettext("Role removed.")
    return Redirect("/admin/translators")


route_handlers = [Router(path="/admin", route_handlers=[roles_page, grant, revoke], guards=[admin_only])]
