"""Translation review in the portal: who may translate or review a language, proposals, their history."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User


class TranslatorRole(Model):
    """An account may propose (``translator``) or approve (``reviewer``) translations for one language."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="translator_roles", on_delete=fields.CASCADE,
    )
    user_id: int
    language = fields.CharField(max_length=12)
    role = fields.CharField(max_length=16)
    granted_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="translator_roles_granted", null=True, on_delete=fields.SET_NULL,
    )
    granted_by_id: int | None
    granted_at = fields.DatetimeField()

    class Meta:
        table = "translator_role"
        unique_together = (("user", "language", "role"),)


class Proposal(Model):
    """A proposed translation of one text; once approved (twice for critical texts) it is what pages show."""

    id = fields.IntField(primary_key=True)
    language = fields.CharField(max_length=12)
    domain = fields.CharField(max_length=16)
    key = fields.CharField(max_length=32, db_index=True)
    """``text_key(domain, msgid)``: short enough for URLs and indexes."""
    msgid = fields.TextField()
    text = fields.TextField()
    state = fields.CharField(max_length=16, default="proposed")
    """proposed, approved, returned or superseded."""
    proposed_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="proposals", null=True, on_delete=fields.SET_NULL,
    )
    proposed_by_id: int | None
    proposed_at = fields.DatetimeField()
    approvals: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    """[{"by": user id, "name": ..., "at": iso time}]"""
    comment = fields.TextField(default="")
    """The reviewer's reason when sent back."""
    decided_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "translation_proposal"
        indexes = (("language", "key", "state"),)


class TranslationEvent(Model):
    """Every change to a translation: who, when, what it was before and after. Append-only."""

    id = fields.IntField(primary_key=True)
    language = fields.CharField(max_length=12)
    key = fields.CharField(max_length=32)
    action = fields.CharField(max_length=16)
    """proposed, approved, returned, imported, superseded."""
    before = fields.TextField(default="")
    after = fields.TextField(default="")
    comment = fields.TextField(default="")
    by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="translation_events", null=True, on_delete=fields.SET_NULL,
    )
    by_id: int | None
    at = fields.DatetimeField()

    class Meta:
        table = "translation_event"
        indexes = (("language", "key"),)
