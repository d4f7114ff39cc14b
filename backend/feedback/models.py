"""Feedback: citizens rate how their dossier was settled."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.dossiers.models import Dossier


class Rating(Model):
    id = fields.IntField(primary_key=True)
    dossier: fields.OneToOneRelation["Dossier"] = fields.OneToOneField("models.Dossier", related_name="rating")
    dossier_id: int
    score = fields.SmallIntField()  # 1..5
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rating"
        # Migration 28: the statistics' roll-up reads a day's ratings (statistics/rollup.py).
        indexes = (Index(fields=("created_at",), name="idx_rating_created"),)
