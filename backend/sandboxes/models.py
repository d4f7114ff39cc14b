"""State kept by the local sandboxes that stand in for external services."""

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
