"""Web Push subscriptions: one per device a citizen chose to be told on."""

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class PushSubscription(Model):
    """A browser's push endpoint and keys; removed when the citizen says so or the push service says it is gone."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("models.User", related_name="push_subscriptions", on_delete=fields.CASCADE)
    endpoint = fields.CharField(max_length=1000, unique=True)
    p256dh = fields.CharField(max_length=200)
    auth = fields.CharField(max_length=100)
    device = fields.CharField(max_length=120, default="")  # "Chrome on Android": lets the citizen tell devices apart
    created_at = fields.DatetimeField(auto_now_add=True)
    last_success_at = fields.DatetimeField(null=True)

    class Meta:
        table = "push_subscription"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("user_id",), name="idx_push_subscription_user"),
        )
