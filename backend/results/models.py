"""Results: the signed PDF an agency issues when it approves a dossier, and failed attempts to issue one."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.results.constants import RESULT_STATUS_LABELS, ResultStatus

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User
    from backend.catalogue.models import Agency
    from backend.dossiers.models import Dossier


class Result(Model):
    """One signed result document: the PDF is a file in the data folder, its hash is kept here."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="results", on_delete=fields.RESTRICT,
    )
    dossier_id: int
    agency: fields.ForeignKeyRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="results", on_delete=fields.RESTRICT,
    )
    agency_id: int
    issued_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="results_issued", null=True, on_delete=fields.SET_NULL
    )
    issued_by_id: int | None
    issued_at = fields.DatetimeField(db_index=True)
    language = fields.CharField(max_length=8)
    decision = fields.TextField(default="")
    # What the official filled at approval, by the procedure's result template's keys (issue 18)
    official_values: fields.JSONField[dict[str, str] | None] = fields.JSONField(null=True)
    storage_name = fields.CharField(max_length=128)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64, db_index=True)
    signer_fingerprint = fields.CharField(max_length=64)
    signer_subject = fields.CharField(max_length=300, default="")
    timestamped = fields.BooleanField(default=False)
    status = fields.CharEnumField(ResultStatus, max_length=16, default=ResultStatus.VALID)
    revoked_reason = fields.TextField(default="")
    revoked_at = fields.DatetimeField(null=True)
    revoked_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="results_revoked", null=True, on_delete=fields.SET_NULL
    )
    revoked_by_id: int | None
    # unique: two corrections cannot both replace the same result
    supersedes: fields.OneToOneNullableRelation["Result"] = fields.OneToOneField(
        "models.Result", related_name="superseded_by", null=True, on_delete=fields.SET_NULL
    )
    supersedes_id: int | None

    class Meta:
        table = "result"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id",), name="idx_result_dossier"),
            Index(fields=("agency_id",), name="idx_result_agency"),
            Index(fields=("issued_by_id",), name="idx_result_issued_by"),
            Index(fields=("revoked_by_id",), name="idx_result_revoked_by"),
        )

    @property
    def status_label(self) -> str:
        return str(RESULT_STATUS_LABELS[self.status])


class ResultFailure(Model):
    """An approval whose result could not be signed: the approval stands, an official issues it again."""

    id = fields.IntField(primary_key=True)
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="result_failures", on_delete=fields.CASCADE,
    )
    dossier_id: int
    error = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "result_failure"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id",), name="idx_result_failure_dossier"),
        )
