"""Writing the access log: rows are collected during a request and inserted together once its response is sent.

``record`` is the one way in (nothing updates or deletes a row). Inside a request (``AccessLogMiddleware``) it
only appends to the request's buffer, so a page pays one bulk insert after its last byte, whatever it opened;
outside one (a script, a worker) it writes at once. The reason is the route being served: ``<domain>.<handler>``
(``desk.dossier_page``), set by the middleware, so callers deep in a service need not be told it.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.accounts.models import Role, User
from backend.audit.models import AccessEntry

log = logging.getLogger(__name__)

WHAT = ("dossier", "document", "result", "account", "payment", "delivery")
"""What was opened: a dossier's page, one of its documents, a result, the citizen's account (identity, contact),
a payment, a delivery."""

@dataclass(frozen=True, slots=True)
class Access:
    """One access, as kept in a request's buffer: a plain record (a model is built only when written, after the
    response, so a page pays microseconds per row)."""

    citizen_id: int
    actor_id: int
    actor_name: str
    actor_role: str
    agency_id: int | None
    dossier_id: int | None
    what: str
    reason: str
    flagged: bool
    at: datetime

    def row(self) -> AccessEntry:
        return AccessEntry(citizen_id=self.citizen_id, actor_id=self.actor_id, actor_name=self.actor_name,
                           actor_role=self.actor_role, agency_id=self.agency_id, dossier_id=self.dossier_id,
                           what=self.what, reason=self.reason, flagged=self.flagged, at=self.at)


_buffer: ContextVar[list[Access] | None] = ContextVar("access_log_buffer", default=None)
_reason: ContextVar[str] = ContextVar("access_log_reason", default="")


def actor_role(actor: User) -> str:
    """official, lead, agency_admin (an officer's role in the agency), admin, or helper (anyone else who was let
    see a citizen's data: a helper at a service point)."""
    if actor.role is Role.OFFICER:
        return str(actor.role_in_agency)
    if actor.role is Role.ADMIN:
        return "admin"
    return "helper"


async def record(
    citizen_id: int, actor: User, what: str, *, dossier_id: int | None = None, agency_id: int | None = None,
    flagged: bool = False, reason: str = "",
) -> None:
    """``actor`` opened ``what`` of the citizen's (in ``agency_id``'s name: the actor's agency by default)."""
    if what not in WHAT:
        raise ValueError(f"unknown access kind {what!r}")
    if citizen_id == actor.id:
        return  # one's own data is not an access to log
    entry = Access(citizen_id, actor.id, actor.full_name[:200], actor_role(actor),
                   agency_id if agency_id is not None else actor.agency_id, dossier_id, what,
                   (reason or _reason.get() or "unknown")[:64], flagged, datetime.now(UTC))
    buffer = _buffer.get()
    if buffer is None:
        await write([entry])
    elif not any(_same(entry, other) for other in buffer):  # a page that loads a dossier twice opened it once
        buffer.append(entry)


def _same(one: Access, other: Access) -> bool:
    return (one.citizen_id, one.dossier_id, one.what) == (other.citizen_id, other.dossier_id, other.what)


async def write(entries: list[Access]) -> bool:
    """Insert ``entries`` in one statement. A failure is logged with what was lost (it never reaches the page,
    which is sent already): False then."""
    if not entries:
        return True
    try:
        await AccessEntry.bulk_create([entry.row() for entry in entries])
    except Exception:  # the database, whatever its error: the page is served, the loss is said loudly
        log.exception("access log: %d entries NOT written: %s", len(entries), [
            (e.citizen_id, e.actor_id, e.what, e.dossier_id, e.reason, e.at.isoformat()) for e in entries])
        return False
    return True


def reason_of(scope: Scope) -> str:
    """``desk.dossier_page``: the handler's package (after ``backend.``) and its function name."""
    handler = scope.get("route_handler")
    if handler is None:
        return ""
    module = getattr(handler.fn, "__module__", "") or ""
    parts = module.split(".")
    domain = parts[1] if len(parts) > 1 and parts[0] == "backend" else parts[0]
    return f"{domain}.{handler.handler_name}"


class AccessLogMiddleware(ASGIMiddleware):
    """Gives each request its buffer and reason, and writes the buffer in one insert once the handler is done
    (its response already sent on): a failed write is logged, never shown."""

    scopes = (ScopeType.HTTP,)

    def should_bypass_for_scope(self, scope: Scope) -> bool:
        return scope["path"].startswith(("/static/", "/sandbox/"))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        entries: list[Access] = []
        buffer_token = _buffer.set(entries)
        reason_token = _reason.set(reason_of(scope))
        try:
            await next_app(scope, receive, send)
        finally:
            _buffer.reset(buffer_token)
            _reason.reset(reason_token)
            await write(entries)
