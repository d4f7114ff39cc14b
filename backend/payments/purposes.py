"""What a confirmed payment does, by purpose: a registry of handlers run inside the confirmation's transaction.

``@on_paid("fee")`` below sends the dossier; other domains register their own (``"delivery"``). A handler is
``async def handler(payment, conn) -> None``; ``conn`` is the transaction: pass it as ``using_db``. The handler
runs only for the one payment accepted for a dossier and purpose, never for a duplicate charge.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from backend.accounts.models import User
from backend.core.i18n import lazy_gettext as _
from backend.dossiers import workflow
from backend.dossiers.models import Dossier

Handler = Callable[[Any, Any], Awaitable[None]]
_HANDLERS: dict[str, Handler] = {}

LABELS = {"fee": _("Fee for the procedure"), "delivery": _("Delivery of the result")}


def on_paid(purpose: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` as what a confirmed payment for ``purpose`` does (one handler per purpose)."""

    def register(handler: Handler) -> Handler:
        if purpose in _HANDLERS and _HANDLERS[purpose] is not handler:
            raise ValueError(f"a handler is already registered for {purpose!r}")
        _HANDLERS[purpose] = handler
        return handler

    return register


def handler_for(purpose: str) -> Handler | None:
    return _HANDLERS.get(purpose)


def purpose_label(purpose: str) -> str:
    return str(LABELS.get(purpose, purpose))


@on_paid("fee")
async def submit_paid_dossier(payment: Any, conn: Any) -> None:
    """The fee is paid: the dossier is sent (the workflow's conditional UPDATE lets this happen once)."""
    dossier = await Dossier.get(id=payment.dossier_id).using_db(conn)
    applicant = await User.get(id=dossier.applicant_id).using_db(conn)
    await workflow.apply(dossier, "submit", applicant)
