"""The access log (issue 21): who opened a citizen's dossier, document, result or account, when and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index, PartialIndex
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only
    from backend.accounts.models import User
    from backend.catalogue.models import Agency


class AccessEntry(Model):
    """Someone other than the citizen (an official, a helper, an administrator) opened the citizen's dossier,
    document, result or account. Append-only: the portal inserts rows and never updates or deletes one."""

    id = fields.BigIntField(primary_key=True)
    citizen: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="accesses_to_my_data", on_delete=fields.RESTRICT)
    citizen_id: int
    actor: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="accesses_made", on_delete=fields.RESTRICT)
    actor_id: int
    actor_name = fields.CharField(max_length=200, default="")  # as it was then: names change
    actor_role = fields.CharField(max_length=16)  # official, lead, agency_admin, helper, admin
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="accesses", null=True, on_delete=fields.RESTRICT)
    agency_id: int | None
    dossier_id = fields.IntField(null=True)  # no foreign key: the log outlives erased drafts
    what = fields.CharField(max_length=16)  # dossier, document, result, account, payment, delivery
    reason = fields.CharField(max_length=64)  # the screen or action (a route's name)
    flagged = fields.BooleanField(default=False)  # an official opened a dossier assigned to someone else
    at = fields.DatetimeField()

    class Meta:
        table = "access_log"
        indexes = (
            Index(fields=("citizen_id", "at"), name="idx_access_log_citizen"),
            Index(fields=("agency_id", "at"), name="idx_access_log_agency"),
            Index(fields=("dossier_id",), name="idx_access_log_dossier"),
            # Migration 33: the lead's filters, one official newest first and flagged rows alone (rare, so the
            # agency's index would read back through the whole log to fill a page).
            Index(fields=("actor_id", "at"), name="idx_access_log_actor_at"),
            PartialIndex(fields=("agency_id", "at"), name="idx_access_log_flagged", condition={"flagged": True}),
        )
