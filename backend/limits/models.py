"""One row per key and time window: how many requests it has made so far."""

from tortoise import fields
from tortoise.models import Model


class RateCounter(Model):
    """Requests counted for one key (an address, a network, a phone number, an account) in one window.

    Written only by one atomic insert-or-increment (``services.take``); a row is useless once its window has
    ended and ``services.purge_expired`` deletes it.
    """

    bucket = fields.CharField(max_length=191, primary_key=True)
    """``<limit>:<key>@<window start, Unix seconds>``."""
    hits = fields.IntField()
    expires_at = fields.BigIntField(db_index=True)
    """Unix seconds when the window ends: an integer, so that both engines compare it the same way."""

    class Meta:
        table = "rate_counter"
