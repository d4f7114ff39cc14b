"""/my/data (what the portal holds, who opened it, the consents to withdraw) and /privacy (the notice). Thin: the
queries are in services, the withdrawals in consents, the notice's retention periods in notice."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.core.clock import Clock
from backend.core.web import page
from backend.privacy import closure, consents, notice, services

CONSENTS = "/my/data#consents-status"  # the status message, focusable: the browser focuses it


@get("/my/data", guards=[signed_in], name="my_data")
async def my_data(request: Request) -> Template:
    numbers = services.page_numbers(request.query_params)
    user = current_user(request)
    return page("privacy/my_data.html", held=await services.held(user, numbers),
                closure=await closure.latest(user.id), notice=request.session.pop("notice", None))


def _done(request: Request, message: str | None) -> Redirect:
    if message is None:
        raise NotFoundException()
    request.session["notice"] = message
    return Redirect(CONSENTS)


@post("/my/data/consents/prefill/withdraw", guards=[signed_in])
async def withdraw_prefill(request: Request, clock: NamedDependency[Clock]) -> Redirect:
    return _done(request, await consents.withdraw_prefill(current_user(request), clock))


@post("/my/data/consents/push/withdraw", guards=[signed_in])
async def withdraw_push(request: Request) -> Redirect:
    return _done(request, await consents.withdraw_push(current_user(request)))


@post("/my/data/consents/helpers/{consent_id:int}/withdraw", guards=[signed_in])
async def withdraw_helper(request: Request, clock: NamedDependency[Clock], consent_id: FromPath[int]) -> Redirect:
    return _done(request, await consents.withdraw_helper(current_user(request), consent_id, clock))


@post("/my/data/consents/questions/{question_id:int}/withdraw", guards=[signed_in])
async def withdraw_publication(request: Request, question_id: FromPath[int]) -> Redirect:
    return _done(request, await consents.withdraw_publication(current_user(request), question_id))


@get("/privacy", name="privacy_notice")
async def privacy_notice() -> Template:
    return page("privacy/notice.html", retention=notice.retention_rows())


route_handlers = [
    my_data,
    withdraw_prefill,
    withdraw_push,
    withdraw_helper,
    withdraw_publication,
    privacy_notice,
]
