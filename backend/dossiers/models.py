"""Dossiers: a citizen's application for one procedure, its documents and its history."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index, PartialIndex
from tortoise.models import Model

from backend.dossiers.constants import Status

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.accounts.models import User
    from backend.catalogue.models import Agency, Procedure


class Dossier(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    procedure: fields.ForeignKeyRelation["Procedure"] = fields.ForeignKeyField(
        "models.Procedure", related_name="dossiers", on_delete=fields.RESTRICT,
    )
    procedure_id: int
    procedure_version = fields.IntField(null=True)
    """The procedure's version the dossier was started on (migration 22; None for older dossiers): a sent dossier
    reads its form, documents and result from it (``catalogue.versions.definition_for``)."""
    agency: fields.ForeignKeyRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="dossiers", on_delete=fields.RESTRICT,
    )
    agency_id: int
    applicant: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="dossiers", on_delete=fields.RESTRICT,
    )
    applicant_id: int
    assignee: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="assigned_dossiers", null=True, on_delete=fields.SET_NULL,
    )
    """The official a lead gave this dossier to (migration 18); None: anyone of the agency may take it."""
    assignee_id: int | None
    status = fields.CharEnumField(Status, max_length=24, default=Status.DRAFT, db_index=True)
    answers: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    result_form = fields.CharField(max_length=16, default="online")
    declaration_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    submitted_at = fields.DatetimeField(null=True)
    received_at = fields.DatetimeField(null=True)
    due_date = fields.DateField(null=True)
    paused_since = fields.DateField(null=True)  # the clock stops while the citizen supplements
    settled_at = fields.DatetimeField(null=True)
    decision_reason = fields.TextField(default="")
    language = fields.CharField(max_length=8, default="vi")  # the citizen's language at submission: results use it
    search_key = fields.CharField(max_length=500, default="")
    """Code, applicant and the names in the answers, folded: what the desk's search matches (migration 27)."""
    channel = fields.CharField(max_length=16, default="online")
    """How it was filed (``assisted.models.Channel``, migration 30): online by the citizen, or with a helper."""
    service_point: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.ServicePoint", related_name="dossiers", null=True, on_delete=fields.RESTRICT,
    )
    """Where a helper filed it (migration 30); the result can be collected there."""
    service_point_id: int | None

    class Meta:
        table = "dossier"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("agency_id", "status", "due_date"), name="idx_dossier_queue"),
            Index(fields=("agency_id", "settled_at"), name="idx_dossier_settled"),
            Index(fields=("applicant_id", "updated_at"), name="idx_dossier_applicant"),
            Index(fields=("procedure_id",), name="idx_dossier_procedure"),
            # Migration 15: the desk's New and Awaiting supplement views, each in its own order.
            PartialIndex(fields=("agency_id", "submitted_at", "id"), name="idx_dossier_new",
                         condition={"status": "submitted"}),
            PartialIndex(fields=("agency_id", "updated_at", "id"), name="idx_dossier_supplement",
                         condition={"status": "supplement_requested"}),
            # Migration 18: the desk's "assigned to me" filter, and the foreign key.
            Index(fields=("assignee_id", "agency_id"), name="idx_dossier_assignee"),
            # Migration 28: the statistics' roll-up reads a day of sending and of settling (statistics/rollup.py).
            Index(fields=("submitted_at",), name="idx_dossier_submitted_at"),
            Index(fields=("settled_at",), name="idx_dossier_settled_at"),
            # Migration 30: the foreign key to the service point a helper filed it at.
            Index(fields=("service_point_id",), name="idx_dossier_service_point"),
        )


class DossierDocument(Model):
    """An uploaded file. A replaced file stays, marked superseded, so the history is complete."""

    id = fields.IntField(primary_key=True)
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField("models.Dossier", related_name="documents")
    dossier_id: int
    doc_key = fields.CharField(max_length=64)
    filename = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=64)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    storage_name = fields.CharField(max_length=128)
    superseded = fields.BooleanField(default=False)
    uploaded_at = fields.DatetimeField(auto_now_add=True)
    signature_verdict = fields.CharField(max_length=16, null=True)
    """What the upload check found (``backend.documents.findings.Verdict``); NULL: not checked yet."""
    signatures: fields.JSONField[Any] = fields.JSONField(null=True)
    """Each signature the check found: signer, fingerprint, date, verdict and changes after signing."""

    class Meta:
        table = "dossier_document"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id",), name="idx_dossier_document_dossier"),
        )


class SupplementRequest(Model):
    """What an official asked the citizen to fix, and why."""

    id = fields.IntField(primary_key=True)
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="supplement_requests",
    )
    dossier_id: int
    documents: fields.JSONField[list[Any]] = fields.JSONField(default=list)  # document keys to upload again
    fields_to_fix: fields.JSONField[list[Any]] = fields.JSONField(default=list)  # form field names to answer again
    reason = fields.TextField()
    from_status = fields.CharEnumField(Status, max_length=24)
    created_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="supplement_requests_made", on_delete=fields.RESTRICT
    )
    created_by_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "supplement_request"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id",), name="idx_supplement_dossier"),
            Index(fields=("created_by_id",), name="idx_supplement_created_by"),
        )


class TimelineEvent(Model):
    id = fields.IntField(primary_key=True)
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField("models.Dossier", related_name="events")
    dossier_id: int
    kind = fields.CharField(max_length=8, default="status")
    """``status``: a status change (the public status lists these); ``event``: another event (``dossiers.events``)."""
    action = fields.CharField(max_length=32)
    from_status = fields.CharField(max_length=24, null=True)
    to_status = fields.CharField(max_length=24)
    actor: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="dossier_events", null=True, on_delete=fields.SET_NULL,
    )
    actor_id: int | None
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "timeline_event"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id", "created_at"), name="idx_timeline_dossier"),
            Index(fields=("actor_id",), name="idx_timeline_actor"),
        )
        ordering = ["created_at", "id"]


class NotificationOutbox(Model):
    """A message to send about a dossier (or a public question: no dossier, migration 29); written with the
    change, delivered later."""

    id = fields.IntField(primary_key=True)
    dossier: fields.ForeignKeyNullableRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="notifications", null=True,
    )
    dossier_id: int | None
    recipient: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField("models.User", related_name="notifications")
    recipient_id: int
    event = fields.CharField(max_length=32)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    # Delivery (backend/notifications/worker.py): pending -> sent | failed; a claim is a lease a worker holds.
    state = fields.CharField(max_length=12, default="pending")  # indexed per state: see Meta
    next_attempt_at = fields.DatetimeField(null=True, db_index=True)
    claimed_by = fields.CharField(max_length=64, default="")
    claimed_until = fields.DatetimeField(null=True)
    channel = fields.CharField(max_length=8, default="")  # push, sms, or none: how the news went out
    # push subscriptions already reached: a retry skips them
    delivered_to: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    last_error = fields.TextField(default="")

    class Meta:
        table = "notification_outbox"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("dossier_id",), name="idx_outbox_dossier"),
            Index(fields=("recipient_id",), name="idx_outbox_recipient"),
            PartialIndex(fields=("id",), name="idx_outbox_pending", condition={"state": "pending"}),
            PartialIndex(fields=("sent_at",), name="idx_outbox_sent", condition={"state": "sent"}),
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
    withdrawn_at = fields.DatetimeField(null=True)
    """When the citizen withdrew it on /my/data (migration 31): the portal fills nothing more from the registry."""

    class Meta:
        table = "prefill_consent"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("user_id",), name="idx_prefill_consent_user"),
            Index(fields=("dossier_id",), name="idx_prefill_consent_dossier"),
        )


class DossierTransfer(Model):
    """A dossier sent on by the agency that held it to another one it found competent, with the reason
    (``dossiers.transfers``). The agency that sent it keeps this record (its "Transferred out" list), not the
    dossier."""

    id = fields.IntField(primary_key=True)
    dossier: fields.ForeignKeyRelation["Dossier"] = fields.ForeignKeyField(
        "models.Dossier", related_name="transfers", on_delete=fields.CASCADE,
    )
    dossier_id: int
    from_agency: fields.ForeignKeyRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="transfers_out", on_delete=fields.RESTRICT,
    )
    from_agency_id: int
    to_agency: fields.ForeignKeyRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="transfers_in", on_delete=fields.RESTRICT,
    )
    to_agency_id: int
    official: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="transfers_made", null=True, on_delete=fields.SET_NULL,
    )
    official_id: int | None
    reason = fields.TextField()
    from_status = fields.CharEnumField(Status, max_length=24)
    at = fields.DatetimeField()

    class Meta:
        table = "dossier_transfer"
        # As migration 19 names them: every foreign key; the sending agency's list, newest first.
        indexes = (
            Index(fields=("dossier_id", "id"), name="idx_transfer_dossier"),
            Index(fields=("from_agency_id", "at", "id"), name="idx_transfer_from_agency"),
            Index(fields=("to_agency_id",), name="idx_transfer_to_agency"),
            Index(fields=("official_id",), name="idx_transfer_official"),
        )
