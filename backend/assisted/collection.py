"""Collecting a paper result at the service point its dossier was filed at.

When the paper result of an approved dossier (result form ``office``) reaches the counter, a helper there types its
dossier code: the citizen gets a handover code by SMS. To hand the result over, the helper types the code the citizen
shows. The code is the delivery handover code (``delivery.codes``: derived from the portal's secret, only its nonce
and salted hash kept); a try is taken with a conditional UPDATE before the code is checked, so wrong codes sent at
once never get more than ``MAX_HANDOVER_FAILURES`` tries. Once locked, a new code goes to the citizen's phone only.
Every refusal is recorded (``AssistEvent``) and shows no citizen data.

A citizen with no phone (consent checked in person) gets no code: the collection keeps no code (an empty
``code_hash``) and the helper hands the result over on an identity check instead, typing the number on the
document the citizen shows, which must be the one checked when they consented; the same tries apply.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from backend.accounts.models import User
from backend.assisted.consent import NO_PHONE
from backend.assisted.models import ConsentMethod, ResultCollection, ServicePoint
from backend.assisted.services import consent_of_dossier, record
from backend.core.clock import Clock
from backend.core.i18n import N_, gettext, in_language, localized, ngettext, plain
from backend.delivery.codes import code_matches, handover_code, new_hash
from backend.delivery.constants import MAX_HANDOVER_FAILURES
from backend.dossiers import access
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier

log = logging.getLogger(__name__)
PAPER = "office"  # the result form of a paper result collected in person


class CollectionRefused(Exception):
    """Why not, as a sentence for the helper; ``field`` is the form field the error points to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


COLLECT_TEXT = N_("The paper result of dossier %(dossier)s is ready at %(place)s. Show this code to collect it: "
                  "%(code)s. Never give it to anyone else.")


def dossier_code(raw: Any) -> str:
    """A dossier code as typed at the counter: trimmed, upper case, bounded."""
    return str(raw or "").strip().upper()[:32]


def _not_here(field: str) -> CollectionRefused:
    return CollectionRefused(gettext("No paper result filed at this service point has this dossier code. Check the "
                                     "code printed on the result."), field)


def document_number(raw: Any) -> str:
    """An identity document's number as typed at the counter: no spaces, upper case, bounded."""
    return str(raw or "").replace(" ", "").strip().upper()[:30]


async def checked_document(dossier: Dossier) -> str:
    """The identity document checked in person for the dossier's citizen when they have no phone, else ""."""
    citizen = await User.get(id=dossier.applicant_id)
    if not citizen.phone.startswith(NO_PHONE):
        return ""
    consent = await consent_of_dossier(dossier)
    if consent is not None and consent.method is ConsentMethod.IN_PERSON and consent.identity_document:
        return document_number(consent.identity_document)
    return document_number(citizen.phone[len(NO_PHONE):])


def by_identity(collection: ResultCollection) -> bool:
    """Whether this result is handed over on an identity check (the citizen has no phone: no code was made)."""
    return not collection.code_hash


async def result_arrived(raw_code: Any, helper: User, point: ServicePoint, settings: Any, sms_gateway: Any,
                         clock: Clock) -> ResultCollection:
    """The paper result of a dossier filed at ``point`` reached the counter: keep it, and text the citizen a code
    (none for a citizen with no phone: ``by_identity``)."""
    dossier = await Dossier.get_or_none(code=dossier_code(raw_code))
    if (dossier is None or dossier.service_point_id != point.id or dossier.status is not Status.APPROVED
            or dossier.result_form != PAPER):
        await record("collection_refused", helper=helper, dossier_id=dossier.id if dossier else None,
                     detail={"reason": "not_here"}, clock=clock)
        raise _not_here("arrived_code")
    nonce = secrets.token_hex(8)
    code = handover_code(settings.secret_key, dossier.code, nonce)
    no_phone = bool(await checked_document(dossier))
    try:
        collection = await ResultCollection.create(
            dossier_id=dossier.id, service_point_id=point.id, nonce=nonce,
            code_hash="" if no_phone else await new_hash(code), arrived_at=clock.now(), received_by_id=helper.id)
    except IntegrityError:
        raise CollectionRefused(gettext("This result was received already: the citizen has their code."),
                                "arrived_code") from None
    await record("result_arrived", helper=helper, dossier_id=dossier.id,
                 detail={"handover": "identity_check"} if no_phone else {}, clock=clock)
    await access.opened(dossier, helper, "result")  # the citizen's paper result, in the helper's hands (issue 21)
    if not no_phone:
        await _send_code(sms_gateway, dossier, point, code)
    return collection


async def _send_code(sms_gateway: Any, dossier: Dossier, point: ServicePoint, code: str) -> None:
    """The code by text message, in the language the citizen filed in."""
    citizen = await User.get(id=dossier.applicant_id)
    with in_language(dossier.language, COLLECT_TEXT):
        text = plain(gettext(COLLECT_TEXT, dossier=dossier.code, place=localized(point.name), code=code))
    try:
        await sms_gateway.send(citizen.phone, str(text))
    except Exception as exc:  # noqa: BLE001 - the result stays at the counter; a new code can be sent
        log.warning("Collection code for %s not sent by SMS: %s", dossier.code, exc)


async def _waiting(raw_code: Any, helper: User, point: ServicePoint, clock: Clock) -> ResultCollection:
    collection = await ResultCollection.get_or_none(dossier__code=dossier_code(raw_code), service_point_id=point.id)
    if collection is None:
        await record("collection_refused", helper=helper, detail={"reason": "not_here"}, clock=clock)
        raise _not_here("dossier_code")
    if collection.collected_at is not None:
        await record("collection_refused", helper=helper, dossier_id=collection.dossier_id,
                     detail={"reason": "collected"}, clock=clock)
        raise CollectionRefused(gettext("This result was collected already."), "dossier_code")
    return collection


def _locked() -> CollectionRefused:
    return CollectionRefused(gettext("Too many wrong codes: this code no longer works. Send the citizen a new code."),
                             "handover_code")


async def collect(raw_code: Any, typed: Any, helper: User, point: ServicePoint, clock: Clock,
                  document: Any = "") -> ResultCollection:
    """Hand the result over if ``typed`` is the citizen's code (or, for a citizen with no phone, ``document`` the
    number of the identity document checked when they consented); CollectionRefused otherwise (each recorded)."""
    collection = await _waiting(raw_code, helper, point, clock)
    if by_identity(collection):
        return await _collect_on_identity(collection, document_number(document), helper, clock)
    if document_number(document) and not str(typed or "").strip():
        raise CollectionRefused(gettext("This citizen has a phone: type the code they received."), "handover_code")
    same_code = ResultCollection.filter(id=collection.id, nonce=collection.nonce, collected_at__isnull=True)
    # Take a try first: guesses sent at the same moment each need one.
    if not await same_code.filter(failures__lt=MAX_HANDOVER_FAILURES).update(failures=F("failures") + 1):
        await record("collection_refused", helper=helper, dossier_id=collection.dossier_id,
                     detail={"reason": "locked"}, clock=clock)
        raise _locked()
    if await code_matches(str(typed or "").strip(), collection.code_hash):
        if not await same_code.update(collected_at=clock.now(), handed_by_id=helper.id,
                                      failures=F("failures") - 1):
            raise CollectionRefused(gettext("This result was collected already."), "dossier_code")
        await record("result_collected", helper=helper, dossier_id=collection.dossier_id, clock=clock)
        await access.listed([collection.dossier_id], helper, "result")  # handed over by the helper (issue 21)
        await collection.refresh_from_db()
        return collection
    failures: list[int] = await ResultCollection.filter(id=collection.id).values_list(  # type: ignore[assignment]
        "failures", flat=True)
    left = max(MAX_HANDOVER_FAILURES - (failures[0] if failures else MAX_HANDOVER_FAILURES), 0)
    await record("collection_wrong_code", helper=helper, dossier_id=collection.dossier_id,
                 detail={"tries_left": left}, clock=clock)
    if not left:
        raise _locked()
    raise CollectionRefused(ngettext("This code is not the citizen's code. %(num)s try left.",
                                     "This code is not the citizen's code. %(num)s tries left.", left),
                            "handover_code")


async def _collect_on_identity(collection: ResultCollection, typed: str, helper: User,
                               clock: Clock) -> ResultCollection:
    """A citizen with no phone: the number on the identity document they show must be the one checked in person."""
    if not typed:
        raise CollectionRefused(gettext("This citizen has no phone: check their identity document and type its "
                                        "number."), "identity_document")
    same = ResultCollection.filter(id=collection.id, collected_at__isnull=True)
    if not await same.filter(failures__lt=MAX_HANDOVER_FAILURES).update(failures=F("failures") + 1):
        await record("collection_refused", helper=helper, dossier_id=collection.dossier_id,
                     detail={"reason": "locked", "handover": "identity_check"}, clock=clock)
        raise CollectionRefused(gettext("Too many wrong numbers: the result cannot be handed over here now. Ask the "
                                        "agency to check the citizen's identity."), "identity_document")
    expected = await checked_document(await Dossier.get(id=collection.dossier_id))
    if expected and secrets.compare_digest(typed, expected):
        if not await same.update(collected_at=clock.now(), handed_by_id=helper.id, failures=F("failures") - 1):
            raise CollectionRefused(gettext("This result was collected already."), "dossier_code")
        await record("result_collected", helper=helper, dossier_id=collection.dossier_id,
                     detail={"handover": "identity_check"}, clock=clock)
        await access.listed([collection.dossier_id], helper, "result")  # handed over by the helper (issue 21)
        await collection.refresh_from_db()
        return collection
    await record("collection_wrong_document", helper=helper, dossier_id=collection.dossier_id, clock=clock)
    raise CollectionRefused(gettext("This is not the number of the identity document checked when the citizen "
                                    "consented. Check the document again."), "identity_document")


async def new_code(raw_code: Any, helper: User, point: ServicePoint, settings: Any, sms_gateway: Any,
                   clock: Clock) -> None:
    """After too many wrong codes: a new code to the citizen's phone; the old one no longer works."""
    collection = await _waiting(raw_code, helper, point, clock)
    if by_identity(collection):
        raise CollectionRefused(gettext("This citizen has no phone: check their identity document instead."),
                                "dossier_code")
    if collection.failures < MAX_HANDOVER_FAILURES:
        raise CollectionRefused(gettext("The citizen's code still works: ask them to show it again."), "dossier_code")
    dossier = await Dossier.get(id=collection.dossier_id)
    nonce = secrets.token_hex(8)
    code = handover_code(settings.secret_key, dossier.code, nonce)
    renewed = await ResultCollection.filter(id=collection.id, nonce=collection.nonce, collected_at__isnull=True,
                                            failures__gte=MAX_HANDOVER_FAILURES).update(
        nonce=nonce, code_hash=await new_hash(code), failures=0)
    if not renewed:
        raise CollectionRefused(gettext("A new code was sent already."), "dossier_code")
    await record("collection_new_code", helper=helper, dossier_id=dossier.id, clock=clock)
    await _send_code(sms_gateway, dossier, point, code)
