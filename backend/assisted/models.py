"""Assisted filing (issue 20): service points, the helpers who work at them, a citizen's consent to one helper for
one procedure's dossier, and the record of what helpers tried (granted, refused, ended), append-only."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for the type checker only
    from backend.accounts.models import User
    from backend.catalogue.models import Agency, Procedure
    from backend.dossiers.models import Dossier


class PointKind(StrEnum):
    POST_OFFICE = "post_office"
    ONE_STOP_DESK = "one_stop_desk"  # a commune's one-stop desk (bộ phận một cửa)
    COMMUNITY_TEAM = "community_team"  # a commune's community digital-technology team


class Channel(StrEnum):
    """How a dossier was filed (``Dossier.channel``); the statistics count each."""

    ONLINE = "online"  # by the citizen, on their own device
    POST_OFFICE = "post_office"  # with a helper at a post office
    COMMUNE = "commune"  # with a helper at a commune's one-stop desk or community team


class ServicePoint(Model):
    """Where helpers meet citizens. A commune's points belong to its agency (whose administrator appoints their
    helpers); post offices belong to no agency and are run by the portal administrator."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    kind = fields.CharEnumField(PointKind, max_length=16)
    name: fields.JSONField[dict[str, str]] = fields.JSONField()  # {"vi": ..., "en": ...}
    address: fields.JSONField[dict[str, str]] = fields.JSONField()  # {"vi": ..., "en": ...}
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="service_points", null=True, on_delete=fields.RESTRICT)
    agency_id: int | None
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "service_point"
        indexes = (Index(fields=("agency_id",), name="idx_service_point_agency"),)

    @property
    def channel(self) -> Channel:
        return Channel.POST_OFFICE if self.kind is PointKind.POST_OFFICE else Channel.COMMUNE


class HelperPost(Model):
    """An account made a helper at a service point, by whom; ``ended_at`` once the post is taken away."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="helper_posts", on_delete=fields.RESTRICT)
    user_id: int
    service_point: fields.ForeignKeyRelation[ServicePoint] = fields.ForeignKeyField(
        "models.ServicePoint", related_name="helpers", on_delete=fields.RESTRICT)
    service_point_id: int
    appointed_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="helper_posts_given", on_delete=fields.RESTRICT)
    appointed_by_id: int
    appointed_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "helper_post"
        indexes = (
            Index(fields=("user_id", "ended_at"), name="idx_helper_post_user"),
            Index(fields=("service_point_id",), name="idx_helper_post_point"),
            Index(fields=("appointed_by_id",), name="idx_helper_post_appointed_by"),
        )


class ConsentMethod(StrEnum):
    SMS_CODE = "sms_code"  # the citizen read out the code the portal sent to their phone
    IN_PERSON = "in_person"  # no phone: the helper checked the identity document (the agency sees a flag)


class ConsentState(StrEnum):
    ASKED = "asked"  # code sent, not typed yet
    ACTIVE = "active"
    ENDED = "ended"  # by the citizen (or the helper's post ended)
    EXPIRED = "expired"  # the code or the consent ran out


class AssistConsent(Model):
    """A citizen's consent to one helper, at one service point, for one procedure and the dossier started under
    it. Only hashes of the codes and the declaration link are kept."""

    id = fields.IntField(primary_key=True)
    helper: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="consents_as_helper", on_delete=fields.RESTRICT)
    helper_id: int
    service_point: fields.ForeignKeyRelation[ServicePoint] = fields.ForeignKeyField(
        "models.ServicePoint", related_name="consents", on_delete=fields.RESTRICT)
    service_point_id: int
    citizen: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="consents_to_helpers", on_delete=fields.RESTRICT)
    citizen_id: int
    procedure: fields.ForeignKeyRelation[Procedure] = fields.ForeignKeyField(
        "models.Procedure", related_name="assist_consents", on_delete=fields.RESTRICT)
    procedure_id: int
    dossier: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="assist_consents", null=True, on_delete=fields.SET_NULL)
    dossier_id: int | None
    method = fields.CharEnumField(ConsentMethod, max_length=12)
    state = fields.CharEnumField(ConsentState, max_length=12, default=ConsentState.ASKED)
    code_hash = fields.CharField(max_length=200, default="")
    code_expires_at = fields.DatetimeField(null=True)
    code_attempts = fields.IntField(default=0)  # counted atomically (UPDATE ... SET code_attempts + 1)
    identity_document = fields.CharField(max_length=20, default="")  # in person: the document's number
    identity_scan = fields.CharField(max_length=128, default="")  # in person: storage name of its photo or scan
    granted_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)  # 72 hours after granted_at, unless the dossier is sent
    declare_token_hash = fields.CharField(max_length=200, default="")  # the link in the SMS to declare on one's phone
    declare_code_hash = fields.CharField(max_length=200, default="")  # or a second code read out at the counter
    declare_attempts = fields.IntField(default=0)
    declared_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    ended_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="consents_ended", null=True, on_delete=fields.SET_NULL)
    ended_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "assist_consent"
        indexes = (
            Index(fields=("helper_id", "state"), name="idx_assist_consent_helper"),
            Index(fields=("citizen_id", "state"), name="idx_assist_consent_citizen"),
            Index(fields=("dossier_id",), name="idx_assist_consent_dossier"),
            Index(fields=("service_point_id",), name="idx_assist_consent_point"),
            Index(fields=("procedure_id",), name="idx_assist_consent_procedure"),
            Index(fields=("ended_by_id",), name="idx_assist_consent_ended_by"),
        )


class AssistEvent(Model):
    """One line of the assisted-filing record: a consent asked, granted, refused (wrong, expired or reused code, a
    helper outside the consent, a helper trying to declare, cash recorded twice), ended. Append-only; it names no
    citizen data beyond the ids."""

    id = fields.IntField(primary_key=True)
    consent: fields.ForeignKeyNullableRelation[AssistConsent] = fields.ForeignKeyField(
        "models.AssistConsent", related_name="events", null=True, on_delete=fields.RESTRICT)
    consent_id: int | None
    helper: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assist_events", null=True, on_delete=fields.SET_NULL)
    helper_id: int | None
    dossier_id = fields.IntField(null=True)  # no foreign key: a refused try may name a dossier it may not see
    action = fields.CharField(max_length=32)
    detail: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    at = fields.DatetimeField()

    class Meta:
        table = "assist_event"
        indexes = (
            Index(fields=("consent_id",), name="idx_assist_event_consent"),
            Index(fields=("helper_id", "at"), name="idx_assist_event_helper"),
        )


class ResultCollection(Model):
    """A paper result waiting at the service point its dossier was filed at (migration 32): the citizen collects it
    with a handover code sent by SMS. Only the code's nonce and salted hash are kept (``delivery.codes``); wrong
    codes are counted with conditional UPDATEs, so guesses sent at once never get more tries."""

    id = fields.IntField(primary_key=True)
    dossier: fields.OneToOneRelation[Dossier] = fields.OneToOneField(
        "models.Dossier", related_name="collection", on_delete=fields.RESTRICT)
    dossier_id: int
    service_point: fields.ForeignKeyRelation[ServicePoint] = fields.ForeignKeyField(
        "models.ServicePoint", related_name="collections", on_delete=fields.RESTRICT)
    service_point_id: int
    nonce = fields.CharField(max_length=32)
    code_hash = fields.CharField(max_length=200)
    failures = fields.IntField(default=0)
    arrived_at = fields.DatetimeField()  # the helper received the paper result: the code was sent then
    received_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="results_received", on_delete=fields.RESTRICT)
    received_by_id: int
    collected_at = fields.DatetimeField(null=True)
    handed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="results_handed", null=True, on_delete=fields.SET_NULL)
    handed_by_id: int | None

    class Meta:
        table = "result_collection"
        indexes = (
            Index(fields=("service_point_id", "collected_at"), name="idx_result_collection_point"),
            Index(fields=("received_by_id",), name="idx_result_collection_received_by"),
            Index(fields=("handed_by_id",), name="idx_result_collection_handed_by"),
        )
