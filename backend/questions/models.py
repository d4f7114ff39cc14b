"""A citizen's question or report to an agency, its answer, and what happened to it (reassigned, hidden)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only
    from backend.accounts.models import User
    from backend.catalogue.models import Agency, Procedure
    from backend.dossiers.models import Dossier


class Question(Model):
    """Asked by a signed-in citizen; ``kind`` is None until the agency classifies it ("to classify")."""

    id = fields.IntField(primary_key=True)
    asker: fields.ForeignKeyRelation[User] = fields.ForeignKeyField("models.User", related_name="questions")
    asker_id: int
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="questions", on_delete=fields.RESTRICT)
    agency_id: int
    procedure: fields.ForeignKeyNullableRelation[Procedure] = fields.ForeignKeyField(
        "models.Procedure", related_name="questions", null=True, on_delete=fields.SET_NULL)
    procedure_id: int | None
    dossier: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="questions", null=True, on_delete=fields.SET_NULL)
    dossier_id: int | None  # a low rating's feedback: the dossier rated
    kind = fields.CharField(max_length=16, null=True)  # kinds.json; None: to classify
    language = fields.CharField(max_length=8)
    text = fields.TextField()
    consent = fields.BooleanField(default=False)  # the asker agreed to publication
    asked_on = fields.DateField()
    classify_by = fields.DateField()
    due_on = fields.DateField(null=True)  # set when classified
    classified_at = fields.DatetimeField(null=True)
    answer = fields.TextField(default="")
    answer_language = fields.CharField(max_length=8, default="")
    answered_on = fields.DateField(null=True)
    answered_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="answered_questions", null=True, on_delete=fields.SET_NULL)
    answered_by_id: int | None
    published_at = fields.DatetimeField(null=True)
    public_text = fields.TextField(default="")  # the question and answer as published: personal details removed
    public_answer = fields.TextField(default="")
    search_key = fields.TextField(default="")  # fold() of the published texts
    hidden = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "question"
        indexes = (
            Index(fields=("agency_id", "asked_on", "id"), name="idx_question_agency"),
            Index(fields=("asker_id",), name="idx_question_asker"),
            Index(fields=("procedure_id",), name="idx_question_procedure"),
            Index(fields=("dossier_id",), name="idx_question_dossier"),
            Index(fields=("answered_by_id",), name="idx_question_answered_by"),
            Index(fields=("published_at", "id"), name="idx_question_published"),
        )


class QuestionEvent(Model):
    """The record of a question: classified, answered, published, reassigned (with the reason), hidden (why)."""

    id = fields.IntField(primary_key=True)
    question: fields.ForeignKeyRelation[Question] = fields.ForeignKeyField(
        "models.Question", related_name="events", on_delete=fields.CASCADE)
    question_id: int
    action = fields.CharField(max_length=16)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="question_events", null=True, on_delete=fields.SET_NULL)
    actor_id: int | None
    note = fields.TextField(default="")
    from_agency_id = fields.IntField(null=True)
    to_agency_id = fields.IntField(null=True)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "question_event"
        indexes = (
            Index(fields=("question_id", "id"), name="idx_question_event_question"),
            Index(fields=("actor_id",), name="idx_question_event_actor"),
        )
