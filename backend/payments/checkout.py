"""The fee on the check page: the amount (or its options) shown before sending, and "Pay and send".

The dossiers' check page includes ``payments/_check_fee.html`` and ``payments/_submit_button.html`` with the
context from ``check_context``; its POST calls ``pay_to_submit`` when the procedure has a fee. The dossier
stays a draft until the gateway confirms the payment; then ``purposes.submit_paid_dossier`` sends it if it is
still complete. A draft whose fee is paid (something went missing meanwhile), or sent under a 0 ₫ fee option, is
sent like a free one: no second payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.dossiers import services as dossiers
from backend.dossiers.models import Dossier
from backend.payments import services
from backend.payments.fees import accepted_fee, dossier_quote, fee_due
from backend.payments.gateway import PaymentGateway
from backend.payments.purposes import paid_count_changed, problems_before_sending


async def check_context(dossier: Dossier, chosen: str = "") -> dict[str, Any]:
    """What the check page needs to show the fee: the quote, the option chosen, the last attempt to pay, and
    the fee already paid (with what is missing before the paid draft can be sent)."""
    quote = await dossier_quote(dossier)
    last = await services.latest_attempt(dossier)
    paid = await accepted_fee(dossier.id) if quote.charged else None
    if not chosen and quote.options:
        chosen = (last.option if last else "") or quote.options[0].key
    return {
        "fee": quote, "fee_option": chosen, "last_payment": last, "fee_paid": paid,
        "fee_paid_missing": await problems_before_sending(dossier, paid) if paid else [],
    }


@dataclass(frozen=True)
class PayToSubmit:
    """What "Pay and send" came to: the gateway URL to ``go_to``, or the ``problems`` to fix. Neither means the
    dossier was sent without going to the gateway: its fee was already paid, or the fee option chosen costs nothing.
    """

    problems: list[dossiers.Problem] = field(default_factory=list)
    go_to: str | None = None


async def pay_to_submit(
    dossier: Dossier, user: User, form: dict, *, clock: Clock, gateway: PaymentGateway, base_url: str,
    client_ip: str | None,
) -> PayToSubmit:
    """Check the draft and start paying its fee (at ``gateway``, coming back to ``base_url``)."""
    quote = await dossier_quote(dossier)
    option = str(form.get("fee_option", "")) if quote.options else ""
    declared, result_form = form.get("declaration") == "yes", form.get("result_form", "")
    amount = quote.amount_for(option)
    if (paid := await accepted_fee(dossier.id)) is not None:
        if changed := await paid_count_changed(dossier, paid):
            return PayToSubmit(changed)
        return PayToSubmit(await dossiers.submit(dossier, user, declared, result_form, fee_option=option, clock=clock,
                                                 fee_due=fee_due))
    if amount == 0:
        async with in_transaction() as conn:
            # Lock the dossier as confirming a payment does: an attempt still open could be paid while this sends
            # it, and would then pay for nothing.
            await Dossier.filter(id=dossier.id).using_db(conn).select_for_update().get()
            still_open = await services.open_attempt(dossier, "fee", conn, clock)
            if still_open is not None:
                return PayToSubmit([dossiers.Problem(services.still_open_message(still_open), "#fee_option")])
            return PayToSubmit(
                await dossiers.submit(dossier, user, declared, result_form, fee_option=option, clock=clock,
                                      fee_due=fee_due))
    problems = await dossiers.prepare_submission(dossier, user, declared, result_form, option)
    if amount is None:
        problems.append(dossiers.Problem(gettext("Choose which fee applies to you"), "#fee_option"))
    if problems or amount is None:
        return PayToSubmit(problems)
    try:
        payment = await services.start_payment(
            dossier, user, "fee", amount, f"Le phi ho so {dossier.code}", clock=clock, option=option
        )
    except services.PaymentRefused as exc:
        where = "#fee_option" if quote.options else f"/my/dossiers/{dossier.code}"
        return PayToSubmit([dossiers.Problem(str(exc), where)])
    return PayToSubmit(go_to=services.pay_url(gateway, payment, base_url=base_url, client_ip=client_ip))
