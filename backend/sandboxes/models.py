"""State kept by the local sandboxes that stand in for external services."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class SandboxSms(Model):
    """A message accepted by the sandbox SMS gateway."""

    id = fields.IntField(primary_key=True)
    message_id = fields.CharField(max_length=40, unique=True)
    to = fields.CharField(max_length=20, db_index=True)
    text = fields.TextField()
    sender = fields.CharField(max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sandbox_sms"


class SandboxShipment(Model):
    """A parcel booked with the sandbox postal service (backend/sandboxes/postal.py)."""

    id = fields.IntField(primary_key=True)
    tracking_number = fields.CharField(max_length=40, unique=True)
    reference = fields.CharField(max_length=64, unique=True)
    # recipient, address, time window, as the sender gave them
    details: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    cod_amount = fields.IntField(default=0)
    handover_code_sha256 = fields.CharField(max_length=64)
    callback_url = fields.CharField(max_length=500)
    stage = fields.CharField(max_length=20, default="created")
    cash_collected = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sandbox_shipment"
