"""The administrator gives accounts the translator or reviewer role for a language."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.models import User
from backend.accounts.services import normalise_phone
from backend.core.clock import now
from backend.core.i18n import gettext
from backend.core.languages import LANGUAGES
from backend.core.web import admin_only, form_dict, page
from backend.translations.models import TranslatorRole
from backend.translations.services import ROLES, TARGETS


async def _page(request: Request, status_code: int = 200, errors: dict | None = None, form: dict | None = None
                ) -> Template:
    held = await TranslatorRole.all().order_by("language", "role", "id").limit(500).prefetch_related("user")
    return page("translations/roles.html", status_code, held=held, errors=errors or {}, form=form or {},
                targets=[LANGUAGES[c] for c in TARGETS], roles=ROLES, languages=LANGUAGES,
                notice=request.session.pop("notice", None) if request.session else None)


@get("/translators")
async def roles_page(request: Request) -> Template:
    return await _page(request)


@post("/translators")
async def grant(request: Request) -> Template | Redirect:
    form = await form_dict(request)
    errors: dict[str, str] = {}
    phone = normalise_phone(str(form.get("phone", "")))
    user = await User.get_or_none(phone=phone) if phone else None
    if user is None:
        errors["phone"] = gettext("Enter the mobile number of an account that has signed in to the portal")
    if form.get("language") not in TARGETS:
        errors["language"] = gettext("Choose a language")
    if form.get("role") not in ROLES:
        errors["role"] = gettext("Choose a role")
    if errors:
        return await _page(request, 400, errors, form)
    await TranslatorRole.get_or_create(user=user, language=form["language"], role=form["role"],
                                       defaults={"granted_by": request.state.user, "granted_at": now()})
    request.session["notice"] = gettext("Role given.")
    return Redirect("/admin/translators")


@post("/translators/{role_id:int}/remove")
async def revoke(request: Request, role_id: FromPath[int]) -> Redirect:
    await TranslatorRole.filter(id=role_id).delete()
    request.session["notice"] = gettext("Role removed.")
    return Redirect("/admin/translators")


route_handlers = [Router(path="/admin", route_handlers=[roles_page, grant, revoke], guards=[admin_only])]
