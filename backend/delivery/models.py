"""Delivery bookings (one per dossier) and the tracking events the postal service reports."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.delivery.constants import FINAL, MAX_HANDOVER_FAILURES, Stage

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.dossiers.models import Dossier


class DeliveryBooking(Model):
    """Where and when the citizen wants the paper result, and what became of it."""

    id = fields.IntField(primary_key=True)
    dossier: fields.OneToOneRelation["Dossier"] = fields.OneToOneField(
        "models.Dossier", related_name="delivery", on_delete=fields.CASCADE,
    )
    dossier_id: int
    recipient = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=20)  # 84xxxxxxxxx
    province_code = fields.CharField(max_length=8)
    province_name = fields.CharField(max_length=100)
    ward_code = fields.CharField(max_length=8)
    ward_name = fields.CharField(max_length=100)
    street = fields.CharField(max_length=300)
    time_window = fields.CharField(max_length=16)
    fee = fields.IntField()  # VND
    payment_method = fields.CharField(max_length=8)  # cod | online
    paid = fields.BooleanField(default=False)
    status = fields.CharEnumField(Stage, max_length=20, default=Stage.BOOKED)
    status_at = fields.DatetimeField(null=True)  # when the stage in ``status`` happened (the post's clock)
    tracking_number = fields.CharField(max_length=40, null=True, unique=True)
    handover_nonce = fields.CharField(max_length=32, default="")
    handover_code_hash = fields.CharField(max_length=200, default="")
    handover_failures = fields.IntField(default=0)  # wrong codes typed at the door since this code was issued
    handed_over_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    cash_collected = fields.IntField(null=True)  # VND the courier took at the door (cash on delivery)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "delivery_booking"

    @property
    def changeable(self) -> bool:
        """Until the official starts the handover (the parcel is booked with the address and amount as they are)."""
        return self.handed_over_at is None and self.status == Stage.BOOKED

    @property
    def handover_locked(self) -> bool:
        """Too many wrong codes: no delivery is accepted until the agency issues a new code."""
        return self.handover_failures >= MAX_HANDOVER_FAILURES and self.status not in FINAL

    def address_line(self) -> str:
        return ", ".join(part for part in (self.street, self.ward_name, self.province_name) if part)


class DeliveryEvent(Model):
    """One tracking event as the postal service sent it; its id makes a repeated delivery harmless."""

    id = fields.IntField(primary_key=True)
    booking: fields.ForeignKeyRelation["DeliveryBooking"] = fields.ForeignKeyField(
        "models.DeliveryBooking", related_name="events", on_delete=fields.CASCADE,
    )
    booking_id: int
    event_id = fields.CharField(max_length=64, unique=True)
    stage = fields.CharField(max_length=20)
    occurred_at = fields.DatetimeField()
    received_at = fields.DatetimeField(auto_now_add=True)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)  # the event as received

    class Meta:
        table = "delivery_event"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("booking_id",), name="idx_delivery_event_booking"),
        )
        ordering = ["occurred_at", "id"]
