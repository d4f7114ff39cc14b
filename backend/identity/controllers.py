"""Verify your identity (level 2): one page, one field, an answer a person can act on."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.accounts.services import display_phone
from backend.accounts.web import current_user, signed_in
from backend.core.i18n import gettext
from backend.core.web import form_dict, page
from backend.identity import services
from backend.identity.registry import Outcome, PopulationRegistry
from backend.limits.services import Refused, refused_message
from backend.limits.web import client_host
from backend.settings import Settings

TEMPLATE = "identity/identity.html"


def _safe_next(target: str | None) -> str:
    """Only a local path: the page must never send someone to another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target:
        return target
    return ""


def _problem(outcome: str, phone: str) -> tuple[int, str | None, dict | None]:
    """Status code, the error next to the field, and a panel that says what to do next.

    A number the registry does not know, one registered with another phone and one already verified on
    another account get the same answer: anything else would tell a stranger which identity numbers exist.
    """
    if outcome in (Outcome.UNKNOWN, Outcome.MISMATCH, services.TAKEN):
        title = gettext("We could not verify this number with your mobile number")
        lines = [
            gettext(
                "Your personal identification number and the mobile number of this account (%(phone)s) must be "
                "registered together in the national population database.",
                phone=phone,
            ),
            gettext(
                "Check the 12 digits on your identity card. If another mobile number is registered with your "
                "identity card, sign in with that number, or ask the police of your commune or ward to update it "
                "(you can also do it in the VNeID app), then try again."
            ),
            gettext(
                "If you already verified another account of the portal, sign in with its mobile number. "
                "If you think this is a mistake, call the help line."
            ),
        ]
        return 400, gettext("We could not verify this number with your mobile number"), {"title": title, "lines": lines}
    title = gettext("The national population database cannot be reached")
    lines = [gettext("This is a problem on our side. Try again later: nothing has been changed on your account.")]
    return 503, None, {"title": title, "lines": lines}


async def _page(request: Request, settings: Settings, status_code: int = 200, **context) -> Template:
    user = current_user(request)
    context = {"value": "", "errors": {}, "problem": None, "verified_now": False, "next": "", **context}
    return page(
        TEMPLATE,
        status_code,
        user=user,
        masked_number=services.masked(user.identity_number),
        phone=display_phone(user.phone),
        attempts_left=await services.attempts_left(user, settings),
        **context,
    )


@get("/account/identity", guards=[signed_in], name="identity")
async def identity_page(
    request: Request, settings: NamedDependency[Settings], verified: FromQuery[str | None] = None,
    next: FromQuery[str | None] = None,
) -> Template:
    return await _page(request, settings, verified_now=verified == "1", next=_safe_next(next))


@post("/account/identity", guards=[signed_in])
async def verify_identity(
    request: Request, settings: NamedDependency[Settings], population_registry: NamedDependency[PopulationRegistry],
    sms_gateway: NamedDependency[Any],
) -> Template | Redirect:
    user = current_user(request)
    form = await form_dict(request)
    raw, next_url = form.get("id_number", ""), _safe_next(form.get("next"))
    if user.identity_level == 2:
        return Redirect("/account/identity")
    try:
        result = await services.verify(user, raw, population_registry, settings,
                                       client=client_host(request), sms=sms_gateway)
    except services.MalformedNumber:
        error = gettext("Enter the 12 digits of your personal identification number, like 001 190 012 345")
        return await _page(request, settings, 400, value=raw, errors={"id_number": error}, next=next_url)
    except services.TooManyAttempts:
        problem = {
            "title": gettext("You have tried too many times"),
            "lines": [gettext("To protect your identity, you can try again tomorrow.")],
        }
        return await _page(request, settings, 429, value=raw, problem=problem, next=next_url)
    except Refused as exc:  # too many checks from this client's address or network
        problem = {"title": gettext("You have tried too many times"), "lines": [refused_message(exc)]}
        return await _page(request, settings, 429, value=raw, problem=problem, next=next_url)
    if result.outcome == Outcome.MATCHED:
        return Redirect("/account/identity?verified=1" + (f"&next={quote(next_url)}" if next_url else ""))
    status_code, field_error, panel = _problem(result.outcome, display_phone(user.phone))
    errors = {"id_number": field_error} if field_error else {}
    return await _page(request, settings, status_code, value=raw, errors=errors, problem=panel, next=next_url)


route_handlers = [identity_page, verify_identity]
