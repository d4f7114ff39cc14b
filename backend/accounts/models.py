"""Accounts: people who sign in, their one-time codes, their server-side sessions, the devices they get
notifications on (the web push subscriptions, which notifications.worker sends to)."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only (no import cycle at run time)
    from backend.catalogue.models import Agency


class Role(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"
    ADMIN = "admin"


class AgencyRole(StrEnum):
    """What an officer does within their agency (issue 17): an official handles dossiers, a lead also assigns
    them, an agency administrator runs the agency's staff."""

    OFFICIAL = "official"
    LEAD = "lead"
    AGENCY_ADMIN = "agency_admin"


class User(Model):
    id = fields.IntField(primary_key=True)
    phone = fields.CharField(max_length=20, unique=True)  # E.164 without "+", e.g. 84912345678
    full_name = fields.CharField(max_length=200, default="")
    role = fields.CharEnumField(Role, max_length=16, default=Role.CITIZEN)
    agency: fields.ForeignKeyNullableRelation["Agency"] = fields.ForeignKeyField(
        "models.Agency", related_name="officers", null=True, on_delete=fields.SET_NULL,
    )
    agency_id: int | None
    agency_role = fields.CharEnumField(AgencyRole, max_length=16, null=True)
    """An officer's role within their agency (None for citizens and portal administrators)."""
    active = fields.BooleanField(default=True)
    """False once the agency deactivated this official: no sign-in, no session, no action until reactivated."""
    deactivated_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_sign_in_at = fields.DatetimeField(null=True)
    session_epoch = fields.IntField(default=0)
    """Raised by "sign out everywhere": sessions that carry an older epoch stop working."""
    identity_number = fields.CharField(max_length=12, unique=True, null=True)
    """The 12-digit personal identification number, set once it matched the population registry."""
    identity_verified_at = fields.DatetimeField(null=True)
    display_settings: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    """Larger text, high contrast, reduced motion, dyslexia-friendly spacing: kept with the account."""
    language = fields.CharField(max_length=8, null=True)
    """The language of the last page the account read (migration 34): messages with no dossier to follow go in it."""
    closed_at = fields.DatetimeField(null=True)
    """When the account was closed at the citizen's request (migration 31): its personal data erased or anonymised,
    what the retention file keeps kept (``privacy``)."""

    class Meta:
        table = "user_account"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("agency_id",), name="idx_user_account_agency"),
        )

    @property
    def identity_level(self) -> int:
        """Level 1: phone only. Level 2: identity checked against the population registry."""
        return 2 if self.identity_number else 1

    @property
    def role_in_agency(self) -> AgencyRole | None:
        """An officer's role within the agency; officers from before roles existed are officials."""
        if self.role is not Role.OFFICER:
            return None
        return self.agency_role or AgencyRole.OFFICIAL


class Passkey(Model):
    """A WebAuthn credential (discoverable, user-verified) that signs its owner in."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="passkeys", on_delete=fields.CASCADE,
    )
    user_id: int
    credential_id = fields.CharField(max_length=1400, unique=True)  # base64url, as browsers send it
    public_key = fields.BinaryField()
    sign_count = fields.BigIntField(default=0)
    transports: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    aaguid = fields.CharField(max_length=36, default="")
    backed_up = fields.BooleanField(default=False)
    name = fields.CharField(max_length=60)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "passkey"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("user_id",), name="idx_passkey_user"),
        )


class SignInMethod(StrEnum):
    CODE = "code"
    PASSKEY = "passkey"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"


class SignInEvent(Model):
    """One line of an account's sign-in history."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="sign_ins", on_delete=fields.CASCADE,
    )
    user_id: int
    method = fields.CharEnumField(SignInMethod, max_length=24)
    passkey_name = fields.CharField(max_length=60, default="")
    user_agent = fields.CharField(max_length=300, default="")
    ip_address = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "sign_in_event"
        # As migration 12 names them: every foreign key, and the hot queries (issue 15).
        indexes = (
            Index(fields=("user_id",), name="idx_sign_in_event_user"),
        )


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


class PushSubscription(Model):
    """A browser's push endpoint and keys; removed when the citizen says so or the push service says it is gone."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="push_subscriptions", on_delete=fields.CASCADE,
    )
    user_id: int
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
