"""Accounts: people who sign in, their one-time codes and their server-side sessions."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"
    ADMIN = "admin"


class User(Model):
    id = fields.IntField(primary_key=True)
    phone = fields.CharField(max_length=20, unique=True)  # E.164 without "+", e.g. 84912345678
    full_name = fields.CharField(max_length=200, default="")
    role = fields.CharEnumField(Role, max_length=16, default=Role.CITIZEN)
    agency = fields.ForeignKeyField("models.Agency", related_name="officers", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_sign_in_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user_account"


class OneTimeCode(Model):
    """A sign-in code sent by SMS; only its hash is kept."""

    id = fields.IntField(primary_key=True)
    phone = fields.CharField(max_length=20, db_index=True)
    code_hash = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "one_time_code"


class SessionRecord(Model):
    """Server-side session data, keyed by the random id in the session cookie."""

    key = fields.CharField(max_length=200, primary_key=True)
    value = fields.BinaryField()
    expires_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "session_record"
