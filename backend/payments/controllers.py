"""Payment pages (return from the gateway, receipt) and the gateway's server-to-server IPN."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery, PathParameter
from litestar.response import Redirect, Template
from msgspec import Struct

from backend.accounts.web import current_user, officer_only, signed_in
from backend.core.i18n import gettext
from backend.core.web import error_page, form_dict, page
from backend.payments import services, staff
from backend.payments.gateway import PaymentGateway
from backend.payments.purposes import purpose_label


def _remote(request: Request) -> str:
    return request.client.host if request.client else ""


class IpnAnswer(Struct):
    RspCode: str
    Message: str


class PaymentState(Struct):
    status: str
    settled: bool


TxnRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9]+$", max_length=34)]  # the column's length


@get("/api/v1/payments/vnpay/ipn", tags=["payments"])
async def vnpay_ipn(request: Request, payment_gateway: NamedDependency[PaymentGateway]) -> Response[IpnAnswer]:
    """The gateway's notification (VNPay IPN): the truth about a payment. Answers with VNPay's RspCode."""
    params = {k: v for k, v in request.query_params.items()}
    try:
        code = await services.receive_ipn(payment_gateway, params, _remote(request))
    except Exception:
        services.log.exception("IPN for %r failed", params.get("vnp_TxnRef"))
        code = "99"
    return Response(IpnAnswer(code, services.IPN_MESSAGES[code]), status_code=200)


@get("/payments/return", guards=[signed_in])
async def return_page(request: Request, payment_gateway: NamedDependency[PaymentGateway]) -> Template:
    """Where the gateway sends the citizen back: shows what the portal recorded; changes nothing."""
    params = {k: v for k, v in request.query_params.items()}
    view = await services.returned(payment_gateway, params, current_user(request), _remote(request))
    if not view.signature_ok:
        return page("payments/return.html", 400, payment=None, bad_signature=True, waiting=False)
    if view.payment is None:
        raise NotFoundException()
    receipt = await services.receipt_of(view.payment)
    return page("payments/return.html", payment=view.payment, receipt=receipt, bad_signature=False,
                waiting=view.payment.status.value == "pending", purpose=purpose_label(view.payment.purpose))


@get("/api/v1/payments/{txn_ref:str}/status", guards=[signed_in], tags=["payments"],
     raises=[NotAuthorizedException, NotFoundException])
async def payment_status(request: Request, txn_ref: TxnRef) -> Response[PaymentState]:
    """Where the waiting page's script asks whether its payment is settled (the payer's own payments only)."""
    status = await services.status_for(txn_ref, current_user(request))
    if status is None:
        raise NotFoundException()
    return Response(PaymentState(status.value, status.value in services.SETTLED), headers={"Cache-Control": "no-store"})


@get("/payments/receipts/{number:str}", guards=[signed_in])
async def receipt_page(request: Request, number: FromPath[str]) -> Template:
    receipt = await services.receipt_for(number, current_user(request))
    if receipt is None:
        raise NotFoundException()
    return page("payments/receipt.html", receipt=receipt, purpose=purpose_label(receipt.purpose))


@get("/desk/payments", guards=[officer_only])
async def desk_payments(request: Request, done: FromQuery[str] = "", ref: FromQuery[str] = "") -> Template:
    """For the agency's officials: payments to refund (charged twice) and payments to check by hand."""
    user = current_user(request)
    payments = await services.needing_staff(user)
    return page("payments/desk_payments.html", payments=payments, done=done if done in staff.ACTIONS else "",
                ref=services.looks_like_txn_ref(ref), conflicts={p.id: staff.conflict(p, user) for p in payments})


@post("/desk/payments/{txn_ref:str}", guards=[officer_only])
async def desk_payment_action(request: Request, txn_ref: FromPath[str]) -> Response:
    """An official closes one: "refunded", or for a payment never confirmed "paid" (checked with the bank) or
    "not_paid". Only the official's own agency's payments (another's is not found)."""
    user = current_user(request)
    payment = await staff.agency_payment(txn_ref, user)
    if payment is None:
        raise NotFoundException()
    if (why := staff.conflict(payment, user)) is not None:  # separation of duties
        return error_page(request, 403, gettext("You cannot do this"), why)
    action = str((await form_dict(request)).get("action", ""))
    if action not in staff.ACTIONS:
        raise ValidationException(gettext("Choose what to do with this payment."))
    if not await staff.act(payment, action, user):
        return error_page(request, 409, gettext("This cannot be done now"), gettext(
            "This payment was settled meanwhile, by the payment service or a colleague. Go back to the list: it "
            "shows what is still to do."))
    return Redirect(f"/desk/payments?done={action}&ref={payment.txn_ref}", status_code=303)


page_handlers = [return_page, receipt_page, desk_payments, desk_payment_action]
route_handlers = [vnpay_ipn, payment_status]
