"""Catalogue: agencies and the procedures they settle."""

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

LEVELS = ("ministry", "province", "department", "commune")
FILING_LEVELS = ("commune", "province", "ministry")  # a "province" procedure is filed at a province's department
PEOPLE_COMMITTEE = "people_committee"


class Agency(Model):
    """A ministry, a province's People's Committee or one of its departments (police included), or the People's
    Committee (or police) of a commune, ward or special zone. The directory is data: backend/catalogue/directory.py
    builds it from the administrative units and data/departments.json."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    name: fields.JSONField[dict[str, str]] = fields.JSONField()  # {"vi": ..., "en": ...}
    level = fields.CharField(max_length=16)  # LEVELS
    # people_committee, police, justice, construction, agriculture_environment, home_affairs, health, education,
    # finance, tax, industry_trade, culture, social_insurance, ministry...
    kind = fields.CharField(max_length=32, default=PEOPLE_COMMITTEE)
    province_code = fields.CharField(max_length=2, null=True)  # GSO code of its province; None for a ministry
    unit_code = fields.CharField(max_length=5, null=True)  # GSO code of the unit a People's Committee governs
    address: fields.JSONField[dict[str, str] | None] = fields.JSONField(null=True)  # {"vi": ..., "en": ...}
    hours: fields.JSONField[dict[str, str] | None] = fields.JSONField(null=True)  # {"vi": ..., "en": ...}
    search_key = fields.CharField(max_length=255, default="")  # names and code, lower case, no accents
    active = fields.BooleanField(default=True)
    parent: fields.ForeignKeyNullableRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="children", null=True, on_delete=fields.RESTRICT,
    )
    parent_id: int | None

    class Meta:
        table = "agency"
        # As migrations 12 and 17 name them: every foreign key, and the directory's look-ups (issue 17).
        indexes = (
            Index(fields=("parent_id",), name="idx_agency_parent"),
            Index(fields=("level", "kind", "province_code"), name="idx_agency_level_kind"),
            Index(fields=("province_code", "level"), name="idx_agency_province"),
            Index(fields=("unit_code",), name="idx_agency_unit"),
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
    # The fee schedule as published (issue 18, ``catalogue.fees``): {amount, per: {field, unit, rates, max}, groups}
    fee_schedule: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    processing_days = fields.IntField()
    result_forms: fields.JSONField[list[str]] = fields.JSONField()  # subset of online, office, post
    full_online = fields.BooleanField(default=False)
    legal_basis: fields.JSONField[list[str]] = fields.JSONField()
    faq: fields.JSONField[list[dict[str, Any]]] = fields.JSONField()
    life_events: fields.JSONField[list[str]] = fields.JSONField()
    # Where it is filed (issue 17): every active agency of that level and kind, unless offered_by lists agency codes
    # or "level:kind" (every such agency: ["commune:people_committee", "department:justice"]).
    filing_level = fields.CharField(max_length=16, default="commune")  # FILING_LEVELS
    filing_kind = fields.CharField(max_length=32, default=PEOPLE_COMMITTEE)
    offered_by: fields.JSONField[list[str] | None] = fields.JSONField(null=True)
    # {"79": {"fee": 75000, "processing_days": 5}}: a province's own fee or time limit, else fee/processing_days
    province_terms: fields.JSONField[dict[str, dict[str, int]] | None] = fields.JSONField(null=True)
    # What its e-result shows (issue 18, ``results.template``): {title, lines: [{label, answer | official | agency}],
    # official: [{key, label, required, default}]}; null: the result says only "approved"
    result_template: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    search_text = fields.TextField()  # lower-cased, accents removed: what search matches against
    published = fields.BooleanField(default=True)  # False: created in the editor, never published yet
    version = fields.IntField(default=1)  # the live version's number (``ProcedureVersion``, migration 22)

    class Meta:
        table = "procedure"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("agency_id",), name="idx_procedure_agency"),
        )


VERSION_STATES = ("draft", "published", "archived")
VERSION_SOURCES = ("file", "editor", "import", "restore")


class ProcedureVersion(Model):
    """One version of a procedure's document (issue 18, ``catalogue.versions``): drafts are edited, one version is
    published (the live ``Procedure`` row is written from it), the ones published before are archived. A version's
    document never changes once it is published, so pages may keep it in memory by (code, number)."""

    id = fields.IntField(primary_key=True)
    procedure_code = fields.CharField(max_length=40)
    number = fields.IntField()  # 1..n per code
    document: fields.JSONField[dict[str, Any]] = fields.JSONField()  # the whole procedure document
    digest = fields.CharField(max_length=64)  # sha256 of the canonical document: the loader compares files cheaply
    state = fields.CharField(max_length=12, default="draft")  # VERSION_STATES
    source = fields.CharField(max_length=12, default="editor")  # VERSION_SOURCES
    note = fields.TextField(default="")
    # An administrator (accounts sit above the catalogue: referred to by name, not imported); None for the files.
    # No constraint in the database: a procedure's history outlives accounts (and emptying the accounts table,
    # as the tests do between tests with TRUNCATE ... CASCADE, must not empty it).
    created_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.NO_ACTION, db_constraint=False,
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "procedure_version"
        unique_together = (("procedure_code", "number"),)
        # As migration 22 names them: the foreign key (the unique pair serves look-ups by code).
        indexes = (
            Index(fields=("created_by_id",), name="idx_procedure_version_user"),
        )
