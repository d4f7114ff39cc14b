"""Personal data (issue 21): data exports and account-closure requests (the access log is ``backend.audit``)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only
    from backend.accounts.models import User


class ExportState(StrEnum):
    QUEUED = "queued"
    BUILDING = "building"
    READY = "ready"
    DOWNLOADED = "downloaded"  # the link works once
    EXPIRED = "expired"
    FAILED = "failed"


class DataExport(Model):
    """A citizen's download of everything the portal holds about them, built in the background."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="data_exports", on_delete=fields.CASCADE)
    user_id: int
    state = fields.CharEnumField(ExportState, max_length=12, default=ExportState.QUEUED)
    progress = fields.IntField(default=0)  # percent
    token_hash = fields.CharField(max_length=200, default="")  # the one-time download link's secret, hashed
    storage_name = fields.CharField(max_length=128, default="")
    size = fields.IntField(default=0)
    requested_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    ready_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)
    downloaded_at = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, default="")
    claimed_until = fields.DatetimeField(null=True)
    error = fields.TextField(default="")

    class Meta:
        table = "data_export"
        indexes = (
            Index(fields=("user_id", "id"), name="idx_data_export_user"),
            Index(fields=("state", "id"), name="idx_data_export_state"),
        )


class ClosureState(StrEnum):
    RECEIVED = "received"
    WAITING = "waiting"  # a dossier is still being settled: closed once it is
    DONE = "done"
    WITHDRAWN = "withdrawn"


class ClosureRequest(Model):
    """A citizen asked to close their account: a due date, a state they can see, a person who handles it, and
    what was kept (with the retention rule) and what was erased."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="closure_requests", on_delete=fields.RESTRICT)
    user_id: int
    state = fields.CharEnumField(ClosureState, max_length=12, default=ClosureState.RECEIVED)
    requested_at = fields.DatetimeField()
    due_on = fields.DateField()
    handler: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="closures_handled", null=True, on_delete=fields.SET_NULL)
    handler_id: int | None
    done_at = fields.DatetimeField(null=True)
    note = fields.TextField(default="")
    kept: fields.JSONField[list[Any]] = fields.JSONField(default=list)  # [{kind, count, until, rule}]
    erased: fields.JSONField[list[Any]] = fields.JSONField(default=list)  # [{kind, count}]

    class Meta:
        table = "closure_request"
        indexes = (
            Index(fields=("user_id",), name="idx_closure_request_user"),
            Index(fields=("state", "due_on"), name="idx_closure_request_state"),
            Index(fields=("handler_id",), name="idx_closure_request_handler"),
        )
