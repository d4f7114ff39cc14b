"""The staff audit log: every change to an agency's staff, who made it, when, and the account before and after."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User
    from backend.catalogue.models import Agency


class StaffAction(StrEnum):
    ADDED = "added"
    ROLE_CHANGED = "role_changed"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"


class StaffChange(Model):
    """One line of an agency's staff audit log. Append-only: the portal inserts rows and never updates or deletes
    one (staff/services.py has no such function); nobody's account is deleted while it is named here."""

    id = fields.IntField(primary_key=True)
    actor: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="staff_changes_made", on_delete=fields.RESTRICT,
    )
    actor_id: int
    agency: fields.ForeignKeyRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="staff_changes", on_delete=fields.RESTRICT,
    )
    agency_id: int
    target: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="staff_changes", on_delete=fields.RESTRICT,
    )
    target_id: int
    action = fields.CharEnumField(StaffAction, max_length=16)
    before: fields.JSONField[dict[str, Any]] = fields.JSONField(null=True)
    """The account's staff fields before the change (None when it was added)."""
    after: fields.JSONField[dict[str, Any]] = fields.JSONField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "staff_change"
        # Every foreign key (migration 18); the agency's log is read newest first.
        indexes = (
            Index(fields=("agency_id", "id"), name="idx_staff_change_agency"),
            Index(fields=("actor_id",), name="idx_staff_change_actor"),
            Index(fields=("target_id",), name="idx_staff_change_target"),
        )
