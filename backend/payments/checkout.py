"""The fee on the check page: the amount (or its options) shown before sending, and "Pay and send".

The dossiers' check page includes ``payments/_check_fee.html`` and ``payments/_submit_button.html`` with the
context from ``check_context``; its POST calls ``pay_to_submit`` when the procedure has a fee. The dossier
stays a draft until the gateway confirms the payment; then ``purposes.submit_paid_dossier`` sends it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from backend.accounts.models import User
from backend.core.i18n import gettext
from backend.dossiers import services as dossiers
from backend.dossiers.models import Dossier
from backend.payments import services
from backend.payments.fees import fee_quote


async def check_context(dossier: Dossier, chosen: str = "") -> dict[str, Any]:
    """What the check page needs to show the fee: the quote, the option chosen, the last attempt to pay."""
    quote = fee_quote(dossier.procedure)
    last = await services.latest_attempt(dossier)
    if not chosen and quote.options:
        chosen = (last.option if last else "") or quote.options[0].key
    return {"fee": quote, "fee_option": chosen, "last_payment": last}


async def pay_to_submit(request: Request, dossier: Dossier, user: User, form: dict) -> list[dossiers.Problem] | str:
    """Check the draft and start paying its fee; returns the gateway URL to go to, or the problems to fix."""
    quote = fee_quote(dossier.procedure)
    option = str(form.get("fee_option", "")) if quote.options else ""
    problems = await dossiers.prepare_submission(
        dossier, user, form.get("declaration") == "yes", form.get("result_form", "")
    )
    amount = quote.amount_for(option)
    if amount is None:
        problems.append(dossiers.Problem(gettext("Choose which fee applies to you"), "#fee_option"))
    if problems:
        return problems
    try:
        payment = await services.start_payment(
            dossier, user, "fee", amount, f"Le phi ho so {dossier.code}", option=option
        )
    except services.PaymentRefused as exc:
        return [dossiers.Problem(str(exc), f"/my/dossiers/{dossier.code}")]
    return services.pay_url(request, payment)
