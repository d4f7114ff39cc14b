"""Verified identity: attempts to match the population registry (a consent to pre-fill a dossier's form
is the dossier's: ``dossiers.models.PrefillConsent``)."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User


class VerificationAttempt(Model):
    """Each try to verify an identity number, kept to limit guessing and to show the citizen."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="verification_attempts", on_delete=fields.CASCADE,
    )
    user_id: int
    outcome = fields.CharField(max_length=16)  # matched, mismatch, unknown, unavailable
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "verification_attempt"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("user_id",), name="idx_verification_user"),
        )
