"""Catalogue: agencies and the procedures they settle."""

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class Agency(Model):
    """A ministry, a province or centrally-run city (or one of its departments), or a commune or ward."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    name: fields.JSONField[dict[str, str]] = fields.JSONField()  # {"vi": ..., "en": ...}
    level = fields.CharField(max_length=16)  # ministry | province | commune
    parent: fields.ForeignKeyNullableRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="children", null=True, on_delete=fields.RESTRICT,
    )
    parent_id: int | None

    class Meta:
        table = "agency"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("parent_id",), name="idx_agency_parent"),
        )


class Procedure(Model):
    """An administrative procedure as the public catalogue describes it."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    title: fields.JSONField[dict[str, str]] = fields.JSONField()
    summary: fields.JSONField[dict[str, str]] = fields.JSONField()
    agency: fields.ForeignKeyRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="procedures", on_delete=fields.RESTRICT,
    )
    agency_id: int
    applicants: fields.JSONField[dict[str, str]] = fields.JSONField()
    documents: fields.JSONField[list[dict[str, Any]]] = fields.JSONField()  # [{key, name, mandatory, types}]
    form: fields.JSONField[list[dict[str, Any]]] = fields.JSONField()  # [{key, title, fields: [...]}]
    fee = fields.IntField(default=0)  # VND
    fee_note: fields.JSONField[dict[str, str] | None] = fields.JSONField(null=True)
    # [{key, label: {vi, en}, amount}]: the citizen chooses one
    fee_options: fields.JSONField[list[dict[str, Any]] | None] = fields.JSONField(null=True)
    processing_days = fields.IntField()
    result_forms: fields.JSONField[list[str]] = fields.JSONField()  # subset of online, office, post
    full_online = fields.BooleanField(default=False)
    legal_basis: fields.JSONField[list[str]] = fields.JSONField()
    faq: fields.JSONField[list[dict[str, Any]]] = fields.JSONField()
    life_events: fields.JSONField[list[str]] = fields.JSONField()
    search_text = fields.TextField()  # lower-cased, accents removed: what search matches against
    published = fields.BooleanField(default=True)

    class Meta:
        table = "procedure"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("agency_id",), name="idx_procedure_agency"),
        )
