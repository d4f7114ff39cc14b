"""Asking a citizen's consent at the counter, and granting it: by a code sent to their phone, or (no phone) by the
helper's check of their identity document in person.

The code follows the sign-in codes' rules: six digits, kept salted, the same lifetime and tries
(``Settings.otp_ttl_seconds``, ``otp_max_attempts``, ``otp_max_sends_per_hour`` per number), each try counted in
one conditional UPDATE before the code is compared, and used once. Every refusal is recorded (``AssistEvent``) and
says nothing about the citizen. A granted consent opens a DRAFT dossier of its procedure for the citizen (their open
draft of it, if they have one), filed through this service point's channel, for 72 hours.
A consent given in person (no phone) always opens a new draft: it names the citizen by a document number alone.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tortoise.expressions import F

from backend.accounts.models import PushSubscription, Role, User
from backend.accounts.services import code_matches, hash_code, normalise_phone
from backend.assisted import filing as assisted_filing
from backend.assisted.models import AssistConsent, AssistEvent, ConsentMethod, ConsentState, HelperPost
from backend.assisted.services import Action, record
from backend.catalogue.models import Agency, Procedure
from backend.catalogue.services import get_procedure, search
from backend.core.clock import Clock
from backend.core.i18n import N_, gettext, in_language, localized, plain
from backend.dossiers import filing
from backend.dossiers import services as dossiers
from backend.dossiers.models import Dossier, NotificationOutbox
from backend.dossiers.uploads import UploadRejected, check_content, write_file
from backend.limits.services import HOUR, Limit, Refused, take
from backend.settings import Settings
from backend.sms.gateway import SmsError
from backend.storage import Storage

GRANTED_FOR = timedelta(hours=72)
IDENTITY = re.compile(r"^\d{12}$")  # a citizen identity card's number (CCCD)
DOCUMENT = re.compile(r"^[A-Z0-9]{6,18}$")  # an identity card's or passport's number
NO_PHONE = "id"  # the account of a citizen with no phone: "id" + the document number, a "phone" no code reaches
Errors = dict[str, str]
CONSENT_TEXT = N_(
    "%(number)s is the consent code for %(helper)s at %(point)s to file \"%(procedure)s\" for you: fill in the form "
    "and add documents. They see only this dossier, for 72 hours. Give the code only if you agree.")


@dataclass
class Asked:
    consent: AssistConsent | None = None
    errors: Errors = field(default_factory=dict)


def _citizen_unknown() -> Errors:
    return {"citizen": gettext(
        "We cannot send a code for this. Enter the citizen's mobile number, or their identity number if they "
        "have checked it on the portal. Without a phone, use the identity check in person.")}


async def _citizen(raw: str) -> tuple[User | None, str | None]:
    """The citizen's account and phone, by mobile number (a new number has no account yet: it gets one when the
    code is sent, as signing in would make it) or by a verified identity number (the code goes to its phone)."""
    raw = raw.replace(" ", "").replace(".", "")
    phone = normalise_phone(raw)
    if phone is not None:
        return await User.get_or_none(phone=phone), phone
    if IDENTITY.match(raw):
        user = await User.get_or_none(identity_number=raw, identity_verified_at__isnull=False)
        return user, user.phone if user else None
    return None, None


async def _where(procedure: Procedure, post: HelperPost, agency_code: str) -> Agency:
    """Where the dossier is filed: the agency posted, else the point's own commune if it takes the procedure,
    else the procedure's only agency; ``filing.AgencyRefused`` when none fits."""
    if agency_code:
        return await filing.filing_agency(procedure, agency_code)
    point = post.service_point
    if point.agency_id is not None:
        try:
            return await filing.filing_agency(procedure, (await Agency.get(id=point.agency_id)).code)
        except filing.AgencyRefused:
            pass
    sole = await filing.sole_agency(procedure)
    if sole is None:
        raise filing.AgencyRefused(gettext("Enter the code of the agency that receives this application."))
    return sole


async def find_procedure(form: dict[str, Any]) -> tuple[Procedure | None, list[Procedure], str]:
    """The procedure the helper chose among those found, or typed the code of; else those its words find (up to
    8, for the page to offer) and why none was taken. A clerk at a post office knows names, not codes."""
    typed = str(form.get("procedure_code") or form.get("procedure") or "").strip()[:100]
    if not typed:
        return None, [], gettext("Enter the procedure's name or code")
    procedure = await get_procedure(typed[:40])
    if procedure is not None:
        return procedure, [], ""
    found = (await search(typed, limit=8)).items
    if found:
        return None, found, gettext("Choose the procedure among those found, or type other words")
    return None, [], gettext("No procedure was found for these words. Type other words, or the code on the "
                             "procedure's page.")


async def check_start(post: HelperPost, form: dict[str, Any], *, in_person: bool = False
                      ) -> tuple[Procedure | None, Agency | None, Errors]:
    """The procedure and agency of the start form, or the errors (what the helper typed is kept by the page)."""
    errors: Errors = {}
    procedure, _, error = await find_procedure(form)
    agency = None
    if procedure is None:
        errors["procedure"] = error
    else:
        try:
            agency = await _where(procedure, post, str(form.get("agency", "")).strip())
        except filing.AgencyRefused as exc:
            errors["agency"] = str(exc)
    return procedure, agency, errors


async def ask(helper: User, post: HelperPost, form: dict[str, Any], *, settings: Settings, gateway: Any,
              clock: Clock) -> Asked:
    """Send the citizen a consent code naming the helper, the point and the procedure; push too, to their devices."""
    procedure, agency, errors = await check_start(post, form)
    citizen, phone = await _citizen(str(form.get("citizen", "")).strip()[:30])
    if phone is None:
        errors.update(_citizen_unknown())
    elif phone == helper.phone:
        errors["citizen"] = gettext("You cannot give consent to yourself. Another helper can file for you.")
    if errors or phone is None or procedure is None or agency is None:
        return Asked(errors=errors)
    try:
        await take((Limit("assist-code-number", settings.otp_max_sends_per_hour, HOUR), phone),
                   (Limit("assist-code-helper", settings.otp_max_sends_per_hour * 4, HOUR), str(helper.id)))
    except Refused:
        await record(Action.REFUSED_LIMIT, helper=helper, detail={"step": "send"}, clock=clock)
        return Asked(errors={"citizen": gettext("Too many codes were sent. Wait an hour and try again.")})
    if citizen is None:
        citizen, _ = await User.get_or_create(phone=phone, defaults={"role": Role.CITIZEN})
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = clock.now()
    await AssistConsent.filter(helper_id=helper.id, citizen_id=citizen.id, state=ConsentState.ASKED).update(
        state=ConsentState.EXPIRED)  # a new code replaces the one before
    consent = await AssistConsent.create(
        helper=helper, service_point_id=post.service_point_id, citizen=citizen, procedure=procedure,
        method=ConsentMethod.SMS_CODE, code_hash=hash_code(code),
        code_expires_at=now + timedelta(seconds=settings.otp_ttl_seconds))
    with in_language(citizen.language, CONSENT_TEXT) as lang:  # the language the citizen last read the portal in
        point, what = plain(localized(post.service_point.name)), plain(localized(procedure.title))
        text = plain(gettext(CONSENT_TEXT, number=code, helper=helper.full_name or gettext("a helper"), point=point,
                             procedure=what))
    try:
        await gateway.send(citizen.phone, text)
    except SmsError:
        await AssistConsent.filter(id=consent.id).update(state=ConsentState.EXPIRED)
        return Asked(errors={"citizen": gettext("We could not send the text message. Try again in a minute.")})
    if await PushSubscription.exists(user_id=citizen.id):  # their devices hear of it too (the code stays in SMS)
        await NotificationOutbox.create(recipient_id=citizen.id, event="assist_consent", payload={
            "lang": lang, "helper": helper.full_name, "point": point})
    await record(Action.ASKED, helper=helper, consent=consent, clock=clock,
                 detail={"method": "sms_code", "agency_id": agency.id})  # where its dossier is filed, once granted
    return Asked(consent=consent)


async def _refuse(consent: AssistConsent, action: Action, message: str, clock: Clock) -> tuple[None, Errors]:
    await record(action, helper=consent.helper_id, consent=consent, clock=clock)
    return None, {"code": message}


async def grant_by_code(helper: User, consent_id: int, code: str, *, settings: Settings,
                        clock: Clock) -> tuple[Dossier | None, Errors]:
    """Check the code the citizen read out; on success the consent is ACTIVE and its draft is open."""
    consent = await AssistConsent.get_or_none(id=consent_id, helper_id=helper.id, method=ConsentMethod.SMS_CODE)
    wrong = gettext("The code is wrong. Check it with the citizen and type it again.")
    if consent is None:
        await record(Action.OUTSIDE_CONSENT, helper=helper, detail={"consent": consent_id}, clock=clock)
        return None, {"code": wrong}
    if consent.state is not ConsentState.ASKED:
        return await _refuse(consent, Action.REFUSED_USED, gettext(
            "This code has been used or replaced already. Start again to send a new code."), clock)
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:  # as at sign-in: a slip of the keyboard is not a try, and the consent stays as it was
        return None, {"code": gettext("Enter the 6-digit code from the text message")}
    if consent.code_expires_at is None or consent.code_expires_at <= clock.now():
        await AssistConsent.filter(id=consent.id, state=ConsentState.ASKED).update(state=ConsentState.EXPIRED)
        return await _refuse(consent, Action.REFUSED_EXPIRED, gettext(
            "This code has expired. Start again to send a new code."), clock)
    counted = await AssistConsent.filter(
        id=consent.id, state=ConsentState.ASKED, code_attempts__lt=settings.otp_max_attempts,
    ).update(code_attempts=F("code_attempts") + 1)  # counted before comparing: tries sent at once cannot all pass
    if not counted:
        return await _refuse(consent, Action.REFUSED_LIMIT, gettext(
            "Too many wrong codes. Start again to send a new code."), clock)
    if not code_matches(code, consent.code_hash):
        return await _refuse(consent, Action.REFUSED_CODE, wrong, clock)
    asked = await AssistEvent.filter(consent_id=consent.id, action=Action.ASKED).order_by("-id").first()
    agency = await Agency.get_or_none(id=(asked.detail if asked else {}).get("agency_id", 0))
    return await _open(consent, helper, agency, clock)


async def _open(consent: AssistConsent, helper: User, agency: Agency | None, clock: Clock
                ) -> tuple[Dossier | None, Errors]:
    """ASKED -> ACTIVE in one conditional UPDATE (one winner), then the citizen's draft, channel and point set."""
    now = clock.now()
    post = await HelperPost.get_or_none(user_id=helper.id, service_point_id=consent.service_point_id,
                                        ended_at__isnull=True).select_related("service_point")
    if post is None or agency is None:  # the post ended meanwhile: the consent is of no use
        await AssistConsent.filter(id=consent.id, state=ConsentState.ASKED).update(state=ConsentState.ENDED,
                                                                                   ended_at=now)
        return await _refuse(consent, Action.OUTSIDE_CONSENT, gettext(
            "You are no longer a helper at this service point."), clock)
    if not await AssistConsent.filter(id=consent.id, state=ConsentState.ASKED).update(
            state=ConsentState.ACTIVE, granted_at=now, expires_at=now + GRANTED_FOR):
        return await _refuse(consent, Action.REFUSED_USED, gettext(
            "This code has been used or replaced already. Start again to send a new code."), clock)
    procedure = await Procedure.get(id=consent.procedure_id)
    citizen = await User.get(id=consent.citizen_id)
    if consent.method is ConsentMethod.IN_PERSON:  # keyed on a document number alone: never another helper's draft
        dossier = await dossiers.new_draft(citizen, procedure, agency)
    else:
        dossier = await dossiers.start_or_resume_draft(citizen, procedure, agency)
    point = post.service_point
    # A declaration the citizen gave online before (a fee left unpaid) does not cover what the helper fills now:
    # only the citizen's declaration through this consent (``AssistConsent.declared_at``) can send it.
    await Dossier.filter(id=dossier.id).update(channel=str(point.channel), service_point_id=point.id,
                                               declaration_at=None)
    await AssistConsent.filter(id=consent.id).update(dossier_id=dossier.id)
    consent.dossier_id = dossier.id
    await record(Action.GRANTED, helper=helper, consent=consent, detail={"method": str(consent.method)},
                 clock=clock)
    await assisted_filing.consent_granted(dossier, helper)  # on the dossier's timeline
    return dossier, {}


async def _no_phone_citizen(document: str, name: str) -> User:
    """The account kept for a citizen checked in person, by their document (made now, named as the helper typed):
    its "phone" is ``NO_PHONE`` + the number, so no code, message or sign-in reaches it, and no existing account
    (or its drafts) opens to a helper without the citizen's own code. The dossier is followed by its code."""
    user, _ = await User.get_or_create(phone=NO_PHONE + document, defaults={"role": Role.CITIZEN, "full_name": name})
    return user


async def grant_in_person(helper: User, post: HelperPost, form: dict[str, Any], scan: tuple[bytes, str] | None, *,
                          settings: Settings, storage: Storage, clock: Clock) -> tuple[Dossier | None, Errors]:
    """No phone: the helper saw the identity document (its number, a photo or scan of it). The consent is ACTIVE at
    once, method IN_PERSON: the agency sees the dossier flagged."""
    procedure, agency, errors = await check_start(post, form)
    document = str(form.get("document", "")).replace(" ", "").upper()[:30]
    name = str(form.get("full_name", "")).strip()
    if not DOCUMENT.match(document):
        errors["document"] = gettext("Enter the identity document's number: 6 to 18 letters and digits")
    if not name:
        errors["full_name"] = gettext("Enter the citizen's full name as written on the document")
    elif len(name) > 200:
        errors["full_name"] = gettext("Use %(max)s characters or fewer", max=200)
    kind = None
    if not scan or not scan[0]:
        errors["scan"] = gettext("Take a photo of the identity document, or choose a scan of it")
    else:
        try:
            kind = check_content(scan[0], ["jpg", "png", "pdf"], settings.upload_max_bytes)
        except UploadRejected as exc:
            errors["scan"] = str(exc)
    if errors or procedure is None or agency is None or scan is None or kind is None:
        return None, errors
    folder = "identity-checks"
    stored = await write_file(storage, folder, scan[0], kind)
    citizen = await _no_phone_citizen(document, name)
    if citizen.id == helper.id:
        return None, {"document": gettext("You cannot give consent to yourself. Another helper can file for you.")}
    consent = await AssistConsent.create(
        helper=helper, service_point_id=post.service_point_id, citizen=citizen, procedure=procedure,
        method=ConsentMethod.IN_PERSON, identity_document=document,
        identity_scan=f"{folder}/{stored.storage_name}")
    return await _open(consent, helper, agency, clock)
