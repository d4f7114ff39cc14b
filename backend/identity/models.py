"""Verified identity: attempts to match the population registry, and consents to pre-fill forms."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User
    from backend.dossiers.models import Dossier


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


class PrefillConsent(Model):
    """A citizen's yes or no to filling a dossier's form from the registry, with what was filled."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="prefill_consents", on_delete=fields.CASCADE,
    )
    user_id: int
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="prefill_consents", on_delete=fields.CASCADE,
    )
    dossier_id: int
    granted = fields.BooleanField()
    source = fields.CharField(max_length=40, default="population_registry")
    fields_filled: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "prefill_consent"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("user_id",), name="idx_prefill_consent_user"),
            Index(fields=("dossier_id",), name="idx_prefill_consent_dossier"),
        )
