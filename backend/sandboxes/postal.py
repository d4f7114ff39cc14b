"""Sandbox postal service: the protocol of ``backend.delivery.postal``, and a courier's page to play the post.

The page lists the parcels with only what a postman needs (name, street, ward and province, time window, cash to
collect; the phone masked); its buttons send the tracking events to the portal's webhook, signed as the real
service signs them, through the app's own HTTP client (so tests reach the portal in-process). The post knows
nothing about the handover code: the postman types what the recipient shows, the portal checks it and answers.
Its forms carry their own CSRF token (``/sandbox/`` is outside the portal's CSRF middleware): a random value in a
SameSite=Strict cookie, and in each form its HMAC under the portal's secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from datetime import UTC, datetime

import httpx
from litestar import Request, Response, Router, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.core.i18n import gettext
from backend.core.keys import SANDBOX_COURIER, derive_key
from backend.core.web import form_dict
from backend.sandboxes.models import SandboxShipment
from backend.settings import Settings

COURIER_STAGES = ("accepted", "in_transit", "out_for_delivery", "failed_attempt", "returned")
FINAL = ("delivered", "returned")
CSRF_COOKIE = "courier_csrf"
CSRF_FIELD = "courier_token"


def _answer(status_code: int, status: str, **extra) -> Response:
    return Response({"status": status, **extra}, status_code=status_code)


def _json_error(_: Request, exc: HTTPException) -> Response:
    return _answer(exc.status_code, "error", detail=exc.detail)


@post("/v1/shipments", status_code=201)
async def create_shipment(request: Request, settings: NamedDependency[Settings]) -> Response:
    if request.headers.get("authorization", "") != f"Bearer {settings.postal_api_key}":
        return _answer(401, "unauthorized", detail="Missing or wrong API key")
    try:
        data = await request.json()
        reference, address = str(data["reference"]), data["address"]
        details = {
            "recipient": str(data["recipient"]["name"]),
            "phone": str(data["recipient"]["phone"]),
            "street": str(address["street"]),
            "ward": str(address["ward"]),
            "province": str(address["province"]),
            "time_window": str(data.get("time_window", "")),
        }
        cod, callback = int(data.get("cod_amount", 0)), str(data["callback_url"])
    except (KeyError, TypeError, ValueError):
        return _answer(400, "invalid", detail="reference, recipient, address, callback_url")
    existing = await SandboxShipment.get_or_none(reference=reference)
    if existing is not None:  # the same parcel asked for twice: the same number
        return _answer(200, "created", tracking_number=existing.tracking_number)
    number = f"EB{secrets.randbelow(10**9):09d}VN"  # the UPU S10 shape of Vietnam Post's numbers
    await SandboxShipment.create(
        tracking_number=number, reference=reference, details=details, cod_amount=max(cod, 0),
        handover_code_sha256="",  # unused column: the post receives nothing about the handover code
        callback_url=callback,
    )
    return _answer(201, "created", tracking_number=number)


async def _notify(
    settings: Settings, http: httpx.AsyncClient, shipment: SandboxShipment, stage: str, **extra
) -> tuple[int, dict]:
    """Send one signed event to the sender's webhook; returns its HTTP status (0: unreachable) and JSON answer."""
    body = json.dumps({
        "event_id": uuid.uuid4().hex,
        "tracking_number": shipment.tracking_number,
        "stage": stage,
        "occurred_at": datetime.now(UTC).isoformat(),
        **extra,
    }).encode()
    timestamp = str(int(time.time()))
    secret = settings.postal_webhook_secret.encode()
    mac = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    headers = {"content-type": "application/json", "x-postal-timestamp": timestamp, "x-postal-signature": f"v1={mac}"}
    try:
        response = await http.post(shipment.callback_url, content=body, headers=headers, timeout=10)
        answer = response.json()
    except Exception:  # noqa: BLE001 - the page says the portal did not answer
        return 0, {}
    if response.is_success:
        shipment.stage = stage
        if "cash_collected" in extra:
            shipment.cash_collected = extra["cash_collected"]
        await shipment.save(update_fields=["stage", "cash_collected"])
    return response.status_code, answer if isinstance(answer, dict) else {}


# --- The courier's page ----------------------------------------------------------------------------------------


def _token(settings: Settings, nonce: str) -> str:
    key = derive_key(settings.secret_key, SANDBOX_COURIER)
    return hmac.new(key, f"sandbox-courier:{nonce}".encode(), hashlib.sha256).hexdigest()


def _token_ok(request: Request, settings: Settings, form: dict) -> bool:
    nonce, sent = request.cookies.get(CSRF_COOKIE, ""), str(form.get(CSRF_FIELD, ""))
    return bool(nonce) and sent.isascii() and hmac.compare_digest(_token(settings, nonce), sent)


def masked_phone(phone: str) -> str:
    """Only the last three digits: enough to tell the recipient's number from another, not to call it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return gettext("phone ending in %(digits)s", digits=digits[-3:]) if len(digits) >= 3 else ""


async def _page(request: Request, settings: Settings, status_code: int = 200, **context) -> Template:
    # /sandbox/ skips the portal's user middleware; the layout asks who is signed in: nobody, on the post's page.
    request.state.user = None
    nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    shipments = await SandboxShipment.all().order_by("-id").limit(50)
    parcels = [
        {
            "number": s.tracking_number,
            "recipient": s.details.get("recipient", ""),
            "phone": masked_phone(s.details.get("phone", "")),
            "street": s.details.get("street", ""),
            "area": ", ".join(part for part in (s.details.get("ward"), s.details.get("province")) if part),
            "time_window": s.details.get("time_window", ""),
            "cod_amount": s.cod_amount,
            "stage": s.stage,
            "cash_collected": s.cash_collected,
        }
        for s in shipments
    ]
    context = {"problem": None, "problem_for": "", "field": "", "sent": None, "values": {}, **context}
    cookie = Cookie(key=CSRF_COOKIE, value=nonce, path="/sandbox/postal", httponly=True, samesite="strict",
                    secure=request.url.scheme == "https")
    return Template("sandboxes/courier.html", context={"parcels": parcels, "stages": COURIER_STAGES,
                                                       "final": FINAL, "token": _token(settings, nonce),
                                                       "token_field": CSRF_FIELD, **context},
                    status_code=status_code, cookies=[cookie])


async def _form(request: Request, settings: Settings) -> dict | Template:
    """The posted form, or the page with a 403 when its token is missing or forged (a request from elsewhere)."""
    form = await form_dict(request)
    if not _token_ok(request, settings, form):
        problem = gettext("This form has expired or did not come from this page. Reload the page and try again.")
        return await _page(request, settings, 403, problem=problem)
    return form


@get("/courier")
async def courier_page(
    request: Request, settings: NamedDependency[Settings], sent: FromQuery[str | None] = None,
    stage: FromQuery[str | None] = None,
) -> Template:
    return await _page(request, settings, sent={"number": sent, "stage": stage} if sent and stage else None)


async def _shipment(number: str) -> SandboxShipment:
    shipment = await SandboxShipment.get_or_none(tracking_number=number)
    if shipment is None:
        raise NotFoundException("No such parcel")
    return shipment


@post("/courier/{number:str}/events")
async def post_event(
    request: Request, settings: NamedDependency[Settings], http: NamedDependency[httpx.AsyncClient],
    number: FromPath[str],
) -> Redirect | Template:
    form = await _form(request, settings)
    if isinstance(form, Template):
        return form
    shipment = await _shipment(number)
    stage = form.get("stage", "")
    if stage not in COURIER_STAGES or shipment.stage in FINAL:
        problem = gettext("This event cannot be sent for this parcel.")
        return await _page(request, settings, 400, problem=problem, problem_for=number)
    status, _answer_body = await _notify(settings, http, shipment, stage)
    if status != 200:
        problem = gettext("The portal did not take the event (HTTP %(status)s).", status=status)
        return await _page(request, settings, 502, problem=problem, problem_for=number)
    return Redirect(f"/sandbox/postal/courier?sent={number}&stage={stage}")


@post("/courier/{number:str}/deliver")
async def deliver(
    request: Request, settings: NamedDependency[Settings], http: NamedDependency[httpx.AsyncClient],
    number: FromPath[str],
) -> Redirect | Template:
    """The recipient shows the code; the courier types it (and, for cash on delivery, the cash taken) and the
    portal, which alone can check it, answers: delivered, wrong code (with the tries left), or locked."""
    form = await _form(request, settings)
    if isinstance(form, Template):
        return form
    shipment = await _shipment(number)
    code, cash_text = form.get("code", "").strip(), form.get("cash", "").strip().replace(".", "")
    values = {"number": number, "code": code, "cash": form.get("cash", "")}
    if shipment.stage in FINAL:
        problem = gettext("This parcel is closed already.")
        return await _page(request, settings, 409, problem=problem, problem_for=number, values=values)
    if not cash_text.isdigit() and shipment.cod_amount:
        problem = gettext("Enter the cash collected, in dong (digits only).")
        return await _page(request, settings, 400, problem=problem, problem_for=number, field="cash", values=values)
    cash = int(cash_text) if cash_text.isdigit() else 0
    status, answer = await _notify(settings, http, shipment, "delivered", handover_code=code, cash_collected=cash)
    if status == 200:
        return Redirect(f"/sandbox/postal/courier?sent={number}&stage=delivered")
    if answer.get("detail") == "wrong_code":
        problem = gettext(
            "Wrong handover code: do not hand the parcel over. Ask the recipient for the 6-digit code again. "
            "Tries left: %(tries)s.",
            tries=answer.get("tries_left", 0),
        )
        return await _page(request, settings, 400, problem=problem, problem_for=number, field="code", values=values)
    if answer.get("detail") == "handover_locked":
        problem = gettext(
            "The handover code is locked after too many wrong codes: do not hand the parcel over. "
            "The agency will send the recipient a new code."
        )
        return await _page(request, settings, 409, problem=problem, problem_for=number, field="code", values=values)
    problem = gettext("The portal refused the delivery (HTTP %(status)s).", status=status)
    return await _page(request, settings, 502, problem=problem, problem_for=number, values=values)


postal_sandbox_router = Router(
    path="/sandbox/postal",
    route_handlers=[create_shipment, courier_page, post_event, deliver],
    exception_handlers={HTTPException: _json_error},
    include_in_schema=False,
)
