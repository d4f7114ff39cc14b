"""Verify your identity (level 2): one page, one field, an answer a person can act on."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.accounts.services import display_phone
from backend.core.i18n import gettext
from backend.core.web import current_user, form_dict, page, signed_in
from backend.identity import services
from backend.identity.registry import Outcome

TEMPLATE = "identity/identity.html"


def _safe_next(target: str | None) -> str:
    """Only a local path: the page must never send someone to another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target:
        return target
    return ""


def _problem(outcome: str, phone: str) -> tuple[int, str | None, dict | None]:
    """Status code, the error next to the field, and a panel that says what to do next."""
    if outcome == Outcome.UNKNOWN:
        return 400, gettext("We could not find this number. Check the 12 digits on your identity card."), None
    if outcome == Outcome.MISMATCH:
        title = gettext("Your mobile number does not match the national population database")
        lines = [
            gettext(
                "To verify your identity, the mobile number of your account (%(phone)s) must be the one "
                "registered with your identity card in the national population database.",
                phone=phone,
            ),
            gettext(
                "If you have another number registered, sign in with that number. Otherwise, ask the police "
                "of your commune or ward to update the number registered with your identity card (you can "
                "also do it in the VNeID app), then try again."
            ),
        ]
        return 409, gettext("This number is registered with another mobile number"), {"title": title, "lines": lines}
    if outcome == services.TAKEN:
        title = gettext("This identity number is already in use")
        lines = [
            gettext(
                "Another account of the portal is verified with this identity number. One person can verify "
                "only one account. If it is an old account of yours, sign in with its mobile number."
            ),
            gettext("If you do not know that account, call the help line: someone may be using your number."),
        ]
        error = gettext("This identity number is already verified on another account")
        return 409, error, {"title": title, "lines": lines}
    title = gettext("The national population database cannot be reached")
    lines = [gettext("This is a problem on our side. Try again later: nothing has been changed on your account.")]
    return 503, None, {"title": title, "lines": lines}


async def _page(request: Request, status_code: int = 200, **context) -> Template:
    user = current_user(request)
    limit = request.app.state.settings.identity_max_attempts_per_day
    context = {"value": "", "errors": {}, "problem": None, "verified_now": False, "next": "", **context}
    return page(
        TEMPLATE,
        status_code,
        user=user,
        masked_number=services.masked(user.identity_number),
        phone=display_phone(user.phone),
        attempts_left=await services.attempts_left(user, limit),
        **context,
    )


@get("/account/identity", guards=[signed_in], name="identity")
async def identity_page(
    request: Request, verified: FromQuery[str | None] = None, next: FromQuery[str | None] = None
) -> Template:
    return await _page(request, verified_now=verified == "1", next=_safe_next(next))


@post("/account/identity", guards=[signed_in])
async def verify_identity(request: Request) -> Template | Redirect:
    user = current_user(request)
    form = await form_dict(request)
    raw, next_url = form.get("id_number", ""), _safe_next(form.get("next"))
    if user.identity_level == 2:
        return Redirect("/account/identity")
    settings = request.app.state.settings
    try:
        result = await services.verify(
            user, raw, request.app.state.population_registry, settings.identity_max_attempts_per_day
        )
    except services.MalformedNumber:
        error = gettext("Enter the 12 digits of your personal identification number, like 001 190 012 345")
        return await _page(request, 400, value=raw, errors={"id_number": error}, next=next_url)
    except services.TooManyAttempts:
        problem = {
            "title": gettext("You have tried too many times"),
            "lines": [gettext("To protect your identity, you can try again tomorrow.")],
        }
        return await _page(request, 429, value=raw, problem=problem, next=next_url)
    if result.outcome == Outcome.MATCHED:
        return Redirect("/account/identity?verified=1" + (f"&next={quote(next_url)}" if next_url else ""))
    status_code, error, problem = _problem(result.outcome, display_phone(user.phone))
    errors = {"id_number": error} if error else {}
    return await _page(request, status_code, value=raw, errors=errors, problem=problem, next=next_url)


route_handlers = [identity_page, verify_identity]
