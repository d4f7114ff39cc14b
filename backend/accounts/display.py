"""Display settings: larger text, high contrast, reduced motion, dyslexia-friendly spacing.

Remembered per device (a cookie) and, for a signed-in person, with the account, so they follow
the person to another phone. They work without JavaScript: a form, then classes on ``<html>``.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from backend.accounts.models import User
from backend.core.i18n import lazy_gettext as _
from backend.core.web import form_dict, page

COOKIE = "portal_display"
OPTIONS = {
    "large": _("Larger text"),
    "contrast": _("High contrast"),
    "calm": _("Reduce motion"),
    "spacing": _("More space between letters, words and lines (easier to read with dyslexia)"),
    "reviewed": _("Only translations checked by native speakers: show the rest in Vietnamese, not as a draft"),
}


def _parse(raw: str | None) -> list[str]:
    return [name for name in (raw or "").split(".") if name in OPTIONS]


def current_settings(request: Request) -> list[str]:
    """The account's settings when signed in and it has some, else this device's."""
    user: User | None = request.scope.get("state", {}).get("user")
    if user is not None and user.display_settings.get("chosen"):
        return [name for name in user.display_settings.get("options", []) if name in OPTIONS]
    return _parse(request.cookies.get(COOKIE))


def html_classes(request: Request) -> str:
    return " ".join(f"display-{name}" for name in current_settings(request))


@get("/display")
async def display_page(request: Request) -> Template:
    saved = request.query_params.get("saved") == "1"
    return page("accounts/display.html", options=OPTIONS, chosen=current_settings(request), saved=saved)


@post("/display")
async def save_display(request: Request) -> Redirect:
    form = await form_dict(request)
    chosen = [name for name in form.get("display[]", []) if name in OPTIONS]
    user: User | None = request.state.user
    if user is not None:
        user.display_settings = {"chosen": True, "options": chosen}
        await user.save(update_fields=["display_settings"])
    cookie = Cookie(key=COOKIE, value=".".join(chosen) or "none", max_age=60 * 60 * 24 * 365, samesite="lax")
    return Redirect("/display?saved=1", cookies=[cookie])


route_handlers = [display_page, save_display]
