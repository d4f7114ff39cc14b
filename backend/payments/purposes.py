"""What a confirmed payment does, by purpose: a registry of handlers run inside the confirmation's transaction.

``@on_paid("fee")`` below sends the dossier; other domains register their own (``"delivery"``). A handler is
``async def handler(payment, conn) -> None``; ``conn`` is the transaction: pass it as ``using_db``. The handler
runs only for the one payment accepted for a dossier and purpose, never for a duplicate charge.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from backend.accounts.models import User
from backend.core.clock import SYSTEM
from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _
from backend.core.templating import format_vnd
from backend.dossiers import services as dossiers
from backend.dossiers import workflow
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.payments.fees import count_changed, dossier_quote
from backend.payments.models import Payment

log = logging.getLogger("portal.payments")
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


async def problems_before_sending(dossier: Dossier, paid: Payment | None = None, conn: Any = None,
                                  ) -> list[dossiers.Problem]:
    """The check page's checks, again, on a draft whose declaration was given when paying: the draft can change
    while the payment is being made. With the fee ``paid``, also ``paid_count_changed``. Empty: it can be sent."""
    problems = await dossiers.problems_before_submit(dossier)
    if dossier.result_form not in dossier.procedure.result_forms:
        problems.append(dossiers.Problem(gettext("Choose how you want to receive the result"),
                                         f"/dossiers/{dossier.code}/check#result_form"))
    if dossier.declaration_at is None:
        problems.append(dossiers.Problem(gettext("Confirm that the information you gave is true"),
                                         f"/dossiers/{dossier.code}/check#declaration"))
    return problems + (await paid_count_changed(dossier, paid, conn) if paid is not None else [])


async def paid_count_changed(dossier: Dossier, paid: Payment, conn: Any = None) -> list[dossiers.Problem]:
    """The fee paid is fixed: a paid draft whose number of copies or pages changed since is not sent until the
    number paid for is given again (no second charge, no copies that were not paid for)."""
    where = count_changed(dossier, await dossier_quote(dossier, conn), paid)
    if where is None:
        return []
    return [dossiers.Problem(gettext(
        "Your fee of %(amount)s was paid for the number of copies or pages you gave then: give that number "
        "again to send your dossier", amount=format_vnd(paid.amount)), where)]


@on_paid("fee")
async def submit_paid_dossier(payment: Any, conn: Any) -> None:
    """The fee is paid: the dossier is sent if it is still complete (the workflow's conditional UPDATE lets this
    happen once). If something is missing now, it stays a draft, paid: the citizen fixes it and sends it from the
    check page without paying again."""
    dossier = await Dossier.filter(id=payment.dossier_id).using_db(conn).select_related("procedure").get()
    if dossier.status is not Status.DRAFT:
        # Sent meanwhile without this payment (under a 0 ₫ fee option): it pays for nothing, it is money to give
        # back, and it does not count as the fee.
        log.warning("payment %s confirmed, dossier %s is %s: nothing to send, refund due", payment.txn_ref,
                    dossier.code, dossier.status.value)
        await Payment.filter(id=payment.id).using_db(conn).update(refund_due=True, settles=None)
        payment.refund_due, payment.settles = True, None
        return
    problems = await problems_before_sending(dossier, payment, conn)
    if problems:
        log.warning("payment %s confirmed, dossier %s not sent: %d problem(s) to fix first", payment.txn_ref,
                    dossier.code, len(problems))
        return
    applicant = await User.get(id=dossier.applicant_id, using_db=conn)
    # Payments read the system clock for now (settled_at, receipts); the dossier is sent at the same time.
    await workflow.apply(dossier, "submit", applicant, clock=SYSTEM)
