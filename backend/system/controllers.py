"""Health check, the accessibility statement and, in demo mode only, the SMS sandbox outbox."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery
from litestar.response import Template

from backend.accounts.services import display_phone
from backend.core.web import page
from backend.db import database_state
from backend.sandboxes.push import PushInbox
from backend.sandboxes.sms import StoredSms, recent_messages


@get("/healthz", tags=["system"], responses={
    503: ResponseSpec(dict[str, Any], description="The database does not answer", generate_examples=False)})
async def healthz() -> Response[dict[str, Any]]:
    """200 while the database answers, 503 otherwise."""
    state = await database_state()
    return Response({"status": state["status"], "database": state}, status_code=200 if state["status"] == "ok" else 503)


@get("/dev/outbox", include_in_schema=False)
async def outbox_page(push_inbox: NamedDependency[PushInbox]) -> Template:
    pushes = list(reversed(push_inbox.received))
    return page("system/outbox.html", messages=await recent_messages(), display_phone=display_phone, pushes=pushes)


@get("/dev/outbox.json", tags=["demo"])
async def outbox_json(request: Request, to: FromQuery[str | None] = None) -> list[StoredSms]:
    """Messages the sandbox SMS gateway accepted (demo mode only)."""
    return await recent_messages(to)


@get("/accessibility")
async def accessibility_statement() -> Template:
    return page("system/accessibility.html")


route_handlers = [healthz]
page_handlers = [accessibility_statement]
demo_route_handlers = [outbox_page, outbox_json]
