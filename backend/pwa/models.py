"""What the server remembers so that a request sent twice (an offline draft replayed) counts once."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User


class IdempotencyRecord(Model):
    """One idempotency key of one account: the first request's outcome, replayed for any repeat."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="idempotency_records", on_delete=fields.CASCADE,
    )
    user_id: int
    key = fields.CharField(max_length=64)
    request = fields.CharField(max_length=300)  # "POST /dossiers/…/submit": a key is bound to one request
    status_code = fields.IntField(null=True)  # None while the first request is still running
    location = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "idempotency_record"
        unique_together = (("user", "key"),)
