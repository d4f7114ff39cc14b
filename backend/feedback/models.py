"""Feedback: citizens rate how their dossier was settled."""

from tortoise import fields
from tortoise.models import Model


class Rating(Model):
    id = fields.IntField(primary_key=True)
    dossier = fields.OneToOneField("models.Dossier", related_name="rating")
    score = fields.SmallIntField()  # 1..5
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rating"
