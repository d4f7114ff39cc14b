"""Dossier JSON API and the public status look-up page."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from msgspec import Meta, Struct

from backend.accounts.web import current_user, signed_in
from backend.core.clock import Clock
from backend.core.events import Events
from backend.core.i18n import localized
from backend.core.web import page
from backend.desk import services as desk
from backend.dossiers import access, services, supplements, tracking, transfers, workflow
from backend.dossiers.constants import STATUS_LABELS
from backend.dossiers.display import result_form_label
from backend.dossiers.events import StatusChanged
from backend.dossiers.models import Dossier
from backend.dossiers.tracking import MAX_CODE_LENGTH, PublicStatus
from backend.dossiers.workflow import TRANSITIONS
from backend.limits.services import MINUTE, Limit, Refused, refused_message
from backend.limits.web import limit_api, take_for_client
from backend.payments.fees import fee_due
from backend.results.template import form_from_keys
from backend.settings import Settings

# Checked at the edge (400), shown in the OpenAPI document; the look-up ignores case, as the track page does.
Code = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9-]+$", min_length=1, max_length=MAX_CODE_LENGTH)]
Action = Annotated[str, PathParameter(pattern=r"^[a-z_]+$", max_length=32, description=", ".join(TRANSITIONS))]


class StatusEvent(Struct):
    status: str
    at: datetime


class DossierStatus(Struct):
    code: FromPath[str]
    procedure_code: str
    procedure: str
    agency: str
    status: str
    status_label: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_date: date | None
    settled_at: datetime | None
    events: list[StatusEvent]
    result_form_label: str = ""  # how the result is received, in words ("At home by post"), never a code


RESULT_FIELDS_DOC = (
    "approve: what the official fills on the result, by the key of the procedure's result template "
    "(`result.official` in the procedure document), e.g. "
    '{"registration_number": "152/2026", "register_book": "01/2026", "register_page": "37"}. '
    "A field left out takes its default (`nationality`: Việt Nam); a required one without a value, or a key the "
    "template does not declare, is refused with HTTP 422 and nothing is approved."
)


class ActionRequest(Struct, kw_only=True):
    note: str = ""
    documents: list[str] = []
    fields: list[str] = []
    declaration: bool = False
    result_form: str = ""
    agency: str = ""  # transfer: the code of the agency found competent (``note``: the reason)
    result_fields: Annotated[dict[str, str], Meta(description=RESULT_FIELDS_DOC)] = {}


class ActionResult(Struct):
    code: FromPath[str]
    status: str
    status_label: str
    allowed_actions: list[str]


class Refusal(Struct):
    """The dossier's state does not allow the action (``core.web.error_page``'s body)."""

    status_code: int
    detail: str


class RecentStatuses:
    """Each dossier's public status as read in the last second, in this process: a code asked many times a second
    (a citizen's app polling, a crawler) costs one read a second, not one a request. Found answers only; every
    look-up is still counted against its client's limit before this is asked. A status change in this process
    (its ``StatusChanged`` event) forgets them all at once; another process's shows here within ``seconds``."""

    def __init__(self, seconds: float = 1.0, size: int = 10_000) -> None:
        self.seconds, self.size = seconds, size
        self.kept: OrderedDict[str, tuple[float, PublicStatus]] = OrderedDict()  # oldest first
        self.reading: dict[str, asyncio.Future[PublicStatus | None]] = {}
        self.generation = 0  # a status change since a read began: that read's answer is not kept

    async def get(self, code: str) -> PublicStatus | None:
        key, now = code.strip().upper(), time.monotonic()
        kept = self.kept.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        if key in self.reading:  # the look-ups that miss together share one read (each second's expiry)
            return await asyncio.shield(self.reading[key])
        self.reading[key] = read = asyncio.ensure_future(tracking.public_status(code))
        generation = self.generation
        try:
            status = await asyncio.shield(read)
        finally:
            self.reading.pop(key, None)
        self.kept.pop(key, None)
        while self.kept and (len(self.kept) >= self.size or next(iter(self.kept.values()))[0] <= now):
            self.kept.popitem(last=False)  # expired, or the oldest when full: memory stays bounded
        if status is not None and generation == self.generation:
            self.kept[key] = (now + self.seconds, status)
        return status

    def forget(self) -> None:
        self.kept.clear()
        self.reading.clear()
        self.generation += 1


RECENT_STATUSES = RecentStatuses()


async def _status_changed(_event: StatusChanged, _conn) -> None:
    RECENT_STATUSES.forget()


def register(events: Events) -> None:
    events.subscribe(StatusChanged, _status_changed)


def _status_limit(settings: Settings) -> Limit:
    return Limit("status", settings.status_lookups_per_ip_per_minute, MINUTE, batched=True)


@get("/track", name="track")
async def track_page(request: Request, settings: NamedDependency[Settings], code: FromQuery[str] = "") -> Template:
    """The status look-up page: the same data, and the same limit per client address, as the status API."""
    if code.strip():
        try:
            await take_for_client(request, _status_limit(settings), settings.network_limit_factor)
        except Refused as exc:
            errors = {"code": refused_message(exc)}
            return page("dossiers/track.html", 429, code=code, status=None, not_found=False, errors=errors)
    status = await RECENT_STATUSES.get(code) if code.strip() else None
    not_found = bool(code.strip()) and status is None
    return page("dossiers/track.html", 404 if not_found else 200, code=code, status=status, not_found=not_found)


@get("/api/v1/dossiers/{code:str}/status", tags=["dossiers"], raises=[NotFoundException, TooManyRequestsException])
async def dossier_status(request: Request, settings: NamedDependency[Settings], code: Code) -> DossierStatus:
    """Public status of a dossier by its code: no personal data. Limited per client address (HTTP 429)."""
    # Every look-up counted, kept answer or not.
    await limit_api(request, _status_limit(settings), settings.network_limit_factor)
    status = await RECENT_STATUSES.get(code)
    if status is None:
        raise NotFoundException(f"No dossier {code}")
    return DossierStatus(
        code=status.code,
        procedure_code=status.procedure_code,
        procedure=localized(status.procedure),
        agency=localized(status.agency),
        status=str(status.status),
        status_label=str(STATUS_LABELS[status.status]),
        submitted_at=status.submitted_at,
        received_at=status.received_at,
        due_date=status.due_date,
        settled_at=status.settled_at,
        events=[StatusEvent(s, at) for s, at in status.events],
        result_form_label=result_form_label(status.result_form),
    )


async def _take(dossier: Dossier, action: str, user, data: ActionRequest, issuer, clock: Clock) -> None:
    """Run one action; validation problems become HTTP 400 with the messages."""
    problems: list[str] = []
    match action:
        case "submit":
            problems = [p.message for p in await services.submit(dossier, user, data.declaration, data.result_form,
                                                                clock=clock, fee_due=fee_due)]
        case "resubmit":
            problems = [p.message for p in await supplements.resubmit(dossier, user, clock=clock)]
        case "request_supplement":
            errors = await desk.request_supplement(dossier, user, data.documents, data.fields, data.note, clock=clock)
            problems = list(errors.values())
        case "transfer":
            problems = list((await transfers.transfer(dossier, user, data.agency, data.note, clock=clock)).values())
        case "approve":  # issue 18: with the register's entry the result prints, as the desk's approve form asks
            workflow.check(dossier, action, user)
            await access.with_procedure(dossier)
            form, unknown = form_from_keys(dossier.procedure.result_template, data.result_fields)
            errors = {} if unknown else await desk.decide(dossier, action, user, data.note, issuer, clock=clock,
                                                          result_fields=form)
            if unknown or errors:
                missing = [f"{name.removeprefix('result_')}: {message}" for name, message in errors.items()]
                raise ValidationException("; ".join(unknown + missing), status_code=HTTP_422_UNPROCESSABLE_ENTITY,
                                          extra={"problems": unknown + missing})
        case _:
            await desk.decide(dossier, action, user, data.note, issuer, clock=clock)
    if problems:
        raise ValidationException("; ".join(problems), extra={"problems": problems})


@post("/api/v1/dossiers/{code:str}/actions/{action:str}", guards=[signed_in], tags=["dossiers"], status_code=200,
      # 403: no CSRF token, or not this person's to do; 409: not in this state, or an unknown action.
      raises=[NotAuthorizedException, PermissionDeniedException, NotFoundException, RequestEntityTooLarge],
      responses={409: ResponseSpec(Refusal, description="Not possible now", generate_examples=False),
                 422: ResponseSpec(Refusal, description="approve: a required field of the result (`result_fields`) "
                                   "is missing, or a key is unknown; nothing is approved", generate_examples=False)})
async def dossier_action(
    request: Request, clock: NamedDependency[Clock], issuer: NamedDependency[Any], code: Code, action: Action,
    data: JSONBody[ActionRequest | None] = None,
) -> ActionResult:
    """Move a dossier through its workflow. 409 when the dossier's state does not allow it."""
    user = current_user(request)
    dossier = await access.visible_dossier(code, user)  # its applicant, or an official of its agency
    if dossier is None:
        raise NotFoundException(f"No dossier {code}")
    await _take(dossier, action, user, data or ActionRequest(), issuer, clock)
    return ActionResult(
        dossier.code, str(dossier.status), str(STATUS_LABELS[dossier.status]), workflow.allowed_actions(dossier, user)
    )


page_handlers = [track_page]
route_handlers = [dossier_status, dossier_action]
