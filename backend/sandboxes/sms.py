"""Sandbox SMS gateway: accepts messages over the gateway protocol and keeps them for the demo outbox."""

from __future__ import annotations

import secrets

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, ValidationException
from litestar.params import FromQuery, JSONBody
from msgspec import Struct

from backend.core.clock import VIETNAM
from backend.sandboxes.models import SandboxSms
from backend.settings import Settings


class OutgoingSms(Struct):
    to: str
    sender: str
    text: str


class AcceptedSms(Struct):
    id: str
    status: str


class StoredSms(Struct):
    id: str
    to: str
    sender: str
    text: str
    created_at: str


def _check_key(request: Request, settings: Settings) -> None:
    expected = settings.sms_api_key
    if request.headers.get("authorization", "") != f"Bearer {expected}":
        raise NotAuthorizedException("Missing or wrong API key")


@post("/v1/messages", status_code=202)
async def accept_message(
    request: Request, settings: NamedDependency[Settings], data: JSONBody[OutgoingSms]
) -> AcceptedSms:
    _check_key(request, settings)
    if not data.to.isdigit() or not data.text:
        raise ValidationException("'to' must be digits and 'text' must not be empty")
    message = await SandboxSms.create(message_id=secrets.token_hex(8), to=data.to, sender=data.sender, text=data.text)
    return AcceptedSms(id=message.message_id, status="queued")


async def recent_messages(to: str | None = None, limit: int = 50) -> list[StoredSms]:
    query = SandboxSms.all().order_by("-id").limit(limit)
    if to:
        query = query.filter(to=to)
    return [
        StoredSms(id=m.message_id, to=m.to, sender=m.sender, text=m.text,
                  created_at=m.created_at.astimezone(VIETNAM).isoformat())
        for m in await query
    ]


@get("/v1/messages")
async def list_messages(
    request: Request, settings: NamedDependency[Settings], to: FromQuery[str | None] = None
) -> list[StoredSms]:
    _check_key(request, settings)
    return await recent_messages(to)


sms_sandbox_router = Router(
    path="/sandbox/sms", route_handlers=[accept_message, list_messages], include_in_schema=False
)
