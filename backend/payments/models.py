"""Payments: one attempt to pay at the gateway, the receipt of a confirmed one, and every callback received."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User
    from backend.dossiers.models import Dossier


class PaymentStatus(StrEnum):
    PENDING = "pending"  # sent to the gateway, no answer yet
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"  # the citizen cancelled on the gateway's page
    EXPIRED = "expired"  # never paid: the gateway's query says so after the link expired
    # Still without a trustworthy answer from the gateway days later: staff reconcile it by hand (it is no longer
    # re-checked; a late IPN still settles it).
    UNRESOLVED = "unresolved"


class Payment(Model):
    """One attempt to pay: each has its own txn_ref (vnp_TxnRef at the gateway); a new attempt is a new row."""

    id = fields.IntField(primary_key=True)
    txn_ref = fields.CharField(max_length=34, unique=True)
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="payments", on_delete=fields.RESTRICT,
    )
    dossier_id: int
    payer: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="payments", on_delete=fields.RESTRICT,
    )
    payer_id: int
    purpose = fields.CharField(max_length=32)  # "fee", "delivery": see backend/payments/purposes.py
    option = fields.CharField(max_length=32, default="")  # the fee option chosen, when the procedure has options
    amount = fields.IntField()  # VND
    description = fields.CharField(max_length=255)  # vnp_OrderInfo
    status = fields.CharEnumField(PaymentStatus, max_length=16, default=PaymentStatus.PENDING, db_index=True)
    # Set only on the one payment accepted for a dossier and purpose: unique, so a second can never be accepted.
    settles = fields.CharField(max_length=64, null=True, unique=True)
    refund_due = fields.BooleanField(default=False)  # paid, but the dossier was already paid for this purpose
    gateway_code = fields.CharField(max_length=8, default="")  # vnp_ResponseCode of the answer that settled it
    transaction_no = fields.CharField(max_length=32, default="")  # the gateway's own number (vnp_TransactionNo)
    bank_code = fields.CharField(max_length=20, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    settled_at = fields.DatetimeField(null=True)
    checked_at = fields.DatetimeField(null=True)  # last time the query job asked the gateway
    # Staff closing what the gateway left open: the official who settled an unresolved payment by hand (counted
    # as paid, or not paid; ``settled_at`` says when), and the refund of a payment that paid for nothing.
    settled_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="payments_settled", null=True, on_delete=fields.SET_NULL,
    )
    settled_by_id: int | None
    refunded_at = fields.DatetimeField(null=True)
    refunded_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="payments_refunded", null=True, on_delete=fields.SET_NULL,
    )
    refunded_by_id: int | None
    method = fields.CharField(max_length=8, default="gateway")
    """``gateway`` (paid online) or ``cash`` (paid at a service point's counter, migration 30)."""
    service_point: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.ServicePoint", related_name="cash_payments", null=True, on_delete=fields.RESTRICT,
    )
    """Cash: the counter that took it; the helper who recorded it is ``settled_by``."""
    service_point_id: int | None
    handed_over_at = fields.DatetimeField(null=True)
    """Cash: when the helper handed it over at the end of the day."""

    class Meta:
        table = "payment"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id",), name="idx_payment_dossier"),
            Index(fields=("payer_id",), name="idx_payment_payer"),
            Index(fields=("settled_by_id",), name="idx_payment_settled_by"),
            Index(fields=("refunded_by_id",), name="idx_payment_refunded_by"),
            # Migration 30: a counter's cash to hand over.
            Index(fields=("service_point_id", "handed_over_at"), name="idx_payment_service_point"),
        )


class Receipt(Model):
    """What the citizen keeps: written with the confirmation, never changed."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=24, unique=True)
    payment: fields.OneToOneRelation["Payment"] = fields.OneToOneField(
        "models.Payment", related_name="receipt", on_delete=fields.RESTRICT,
    )
    payment_id: int
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="receipts", on_delete=fields.RESTRICT,
    )
    dossier_id: int
    amount = fields.IntField()
    paid_at = fields.DatetimeField()
    payer_name = fields.CharField(max_length=200)
    purpose = fields.CharField(max_length=32)
    description = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payment_receipt"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id",), name="idx_payment_receipt_dossier"),
        )


class PaymentCallback(Model):
    """Every well-signed answer from the gateway (IPN, return, query), with what the portal made of it. Answers
    with a bad signature are only logged (anyone can send them)."""

    id = fields.IntField(primary_key=True)
    source = fields.CharField(max_length=8)  # ipn | return | query
    txn_ref = fields.CharField(max_length=100, default="", db_index=True)
    params: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    outcome = fields.CharField(max_length=40)  # confirmed, already_confirmed, bad_signature, bad_amount, ...
    remote_addr = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payment_callback"
