"""The citizen declares a dossier a helper filled (issue 20): by a link on their own phone, or by a code read out.

The helper asks from the check page (``ask``): the portal texts the citizen either a one-time link
(``/declare/{consent id}-{secret}``) or a 6-digit code. Only a seal of each is kept in the consent
(``declare_token_hash``, ``declare_code_hash``: expiry, salt and SHA-256), never the secret. The link works for the
citizen's own account only, once; the code has the sign-in codes' limits (their time to live, their number of
tries, each try counted in one conditional UPDATE before it is compared). Every refusal is recorded (``AssistEvent``)
and shows no citizen data. Each seal also keeps a digest of the draft as it was when the citizen was asked (answers,
result form, documents): a draft the helper changed since is refused, and the helper sends it again, so the citizen
declares what they were shown. The declaration and the sending are one transaction: a sending refused keeps nothing.

Declaring sends the dossier as the citizen's own check page does (``dossiers.services.submit``, the workflow's one
``submit``); with a fee to pay, it keeps the declaration and the dossier waits for the fee (paid online by the
citizen, or in cash at the service point: the payment sends it, ``payments.purposes``).

A consent given in person (no phone: no link or code can reach the citizen) is declared on paper
(``declare_on_paper``): the citizen signs the printed declaration, the helper attaches a photo or scan of the signed
page, and the dossier goes to the agency flagged (identity checked in person, the signed page beside the identity
scan), for the agency to compare them. The helper's word alone never declares.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.assisted import filing, services
from backend.assisted.events import DeclaredByCitizen
from backend.assisted.models import AssistConsent, ConsentMethod
from backend.core.clock import Clock
from backend.core.events import publish
from backend.core.i18n import DEFAULT_LOCALE, N_, gettext, in_language, localized, plain
from backend.dossiers import services as dossiers
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.dossiers.uploads import CONTENT_TYPES, UploadRejected, check_content, write_file
from backend.dossiers.workflow import NotAllowed, WorkflowError
from backend.limits.services import HOUR, Limit, Refused, take
from backend.payments.fees import fee_due
from backend.settings import Settings
from backend.sms.gateway import SmsError
from backend.storage import Storage

LINK = "link"
CODE = "code"
PAPER = "paper"
PAPER_KEY = filing.PAPER_KEY
LINK_HOURS = 24  # the citizen may open it at home, later the same day
LINK_TEXT = N_("%(helper)s at %(place)s filled in dossier %(code)s for you. Check it and declare it on your phone: "
               "%(link)s")
CODE_TEXT = N_("%(number)s is your code to declare dossier %(code)s true, with %(helper)s at %(place)s. Read it out "
               "only to them. It expires in %(minutes)s minutes.")
SENDS = Limit("declare-send", 5, HOUR)  # texts per consent: a helper cannot pump SMS, nor draw codes to guess


class DeclarationRefused(Exception):
    """A sentence for the page (already translated); ``status``: the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _seal(secret: str, expires: datetime, draft: str = "") -> str:
    """``expires$salt$sha256(salt:secret)$draft``: ``draft`` is the ``_draft_digest`` of what the citizen is asked
    to declare."""
    salt = secrets.token_hex(8)
    return f"{int(expires.timestamp())}${salt}${hashlib.sha256(f'{salt}:{secret}'.encode()).hexdigest()}${draft}"


def _sealed_draft(seal: str) -> str:
    return (seal.split("$") + ["", "", "", ""])[3]


async def _draft_digest(dossier: Dossier) -> str:
    """What the citizen declares: the draft's answers, its result form and its documents (their ids)."""
    documents = sorted(await DossierDocument.filter(dossier_id=dossier.id, superseded=False).values_list(
        "id", flat=True))
    answers = await Dossier.filter(id=dossier.id).values_list("answers", "result_form")
    what = json.dumps([answers[0] if answers else None, documents], sort_keys=True, default=str)
    return hashlib.sha256(what.encode()).hexdigest()


async def _unchanged(dossier: Dossier, seal: str) -> bool:
    """Whether the draft is as it was when the citizen was asked to declare it (the helper may not change it
    between the asking and the declaring: the citizen declares what they were shown)."""
    return hmac.compare_digest(_sealed_draft(seal), await _draft_digest(dossier))


def _opens(secret: str, seal: str) -> bool:
    _, salt, digest = (seal.split("$") + ["", "", ""])[:3]
    return bool(seal) and hmac.compare_digest(hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest(), digest)


def _expired(seal: str, now: datetime) -> bool:
    stamp = seal.split("$", 1)[0]
    return not stamp.isdigit() or int(stamp) <= now.timestamp()


async def _send_count(consent: AssistConsent) -> None:
    try:
        await take((SENDS, f"consent:{consent.id}"))
    except Refused as exc:
        raise DeclarationRefused(gettext("Too many text messages were sent for this dossier. Wait an hour and try "
                                         "again."), 429) from exc


async def ask(dossier: Dossier, helper: User, how: str, *, sms, settings: Settings, clock: Clock) -> None:
    """Text the citizen a link (``LINK``) or a code (``CODE``) to declare the dossier the helper filled; the
    dossier is then marked filed with help (``filing.mark_filed``)."""
    consent = await services.active_consent(helper, dossier, clock)
    if consent is None or how not in (LINK, CODE):
        raise DeclarationRefused(gettext("You may not do this to this dossier."), 404)
    if consent.method is ConsentMethod.IN_PERSON:
        raise DeclarationRefused(gettext("This citizen has no phone to declare with: print the declaration, have "
                                         "them sign it, and attach a photo of the signed page."))
    citizen = await User.get(id=dossier.applicant_id)
    point = await consent.service_point
    await _send_count(consent)
    now = clock.now()
    draft = await _draft_digest(dossier)  # sealed with the secret: declaring checks the draft is still this one
    given: dict[str, object]  # what the text names besides the helper, the place and the dossier
    if how == LINK:
        secret = secrets.token_urlsafe(18)
        consent.declare_token_hash = _seal(secret, now + timedelta(hours=LINK_HOURS), draft)
        message, given = LINK_TEXT, {"link": f"{settings.base_url.rstrip('/')}/declare/{consent.id}-{secret}"}
    else:
        code = f"{secrets.randbelow(1_000_000):06d}"
        consent.declare_code_hash, consent.declare_attempts = _seal(code, now + timedelta(
            seconds=settings.otp_ttl_seconds), draft), 0
        message, given = CODE_TEXT, {"number": code, "minutes": settings.otp_ttl_seconds // 60}
    with in_language(citizen.language, message):  # the citizen's language (once reviewed), not the helper's page's
        text = plain(gettext(message, helper=helper.full_name or gettext("a helper"),
                             place=plain(localized(point.name)), code=dossier.code, **given))
    await consent.save(update_fields=["declare_token_hash", "declare_code_hash", "declare_attempts"])
    try:
        await sms.send(citizen.phone, text)
    except SmsError as exc:
        raise DeclarationRefused(gettext("We could not send the text message. Try again in a minute."), 503) from exc
    await services.record("declare_asked", helper=helper, consent=consent, detail={"how": how}, clock=clock)
    await filing.mark_filed(dossier, consent, helper)


def _changed_message() -> str:
    return gettext("This dossier was changed after the helper asked you to declare it, so you cannot declare it "
                   "now. Ask the helper to send it to you again, then check it before you declare.")


@dataclass(frozen=True)
class Opened:
    """A declaration link that works: its consent and the dossier to show the citizen."""

    consent: AssistConsent
    dossier: Dossier


async def open_link(token: str, citizen: User, clock: Clock) -> Opened:
    """The consent and dossier of a declaration link, for the citizen it was sent to; anything else is refused
    with one sentence that names nothing (wrong, used, expired, another account), and recorded."""
    number, _, secret = token.partition("-")
    consent = await AssistConsent.get_or_none(id=int(number)) if number.isdigit() and len(number) < 10 else None
    reason = None
    if consent is None or not (_opens(secret, consent.declare_token_hash) or consent.declared_at):
        reason = "wrong"
    elif consent.citizen_id != citizen.id:
        reason = "other_account"
    elif consent.declared_at is not None or not consent.declare_token_hash:
        reason = "used"
    elif _expired(consent.declare_token_hash, clock.now()):
        reason = "expired"
    dossier = await Dossier.get_or_none(id=consent.dossier_id).select_related(
        "procedure", "agency") if consent is not None and reason is None and consent.dossier_id else None
    if reason is None and (dossier is None or dossier.status is not Status.DRAFT):
        reason = "used"
    if reason is None and consent is not None and dossier is not None and not await _unchanged(
            dossier, consent.declare_token_hash):
        await services.record("declare_link_refused", consent=consent, helper=consent.helper_id,
                              detail={"reason": "changed"}, clock=clock)
        raise DeclarationRefused(_changed_message(), 409)
    if reason is not None or consent is None or dossier is None:
        await services.record("declare_link_refused", consent=consent.id if consent else None,
                              helper=consent.helper_id if consent else None, detail={"reason": reason}, clock=clock)
        raise DeclarationRefused(gettext("This link does not work. It may have been used already or have expired, "
                                         "or it was sent to someone else. Ask the helper to send a new one."), 404)
    return Opened(consent, dossier)


async def check_code(dossier: Dossier, helper: User, code: str, *, settings: Settings, clock: Clock,
                     ) -> AssistConsent:
    """The consent whose counter code the helper typed, when it is right; each try counted first, atomically."""
    consent = await services.active_consent(helper, dossier, clock)
    if consent is None:
        raise DeclarationRefused(gettext("You may not do this to this dossier."), 404)
    seal, refusal = consent.declare_code_hash, None
    if consent.declared_at is not None:
        refusal = ("refused_used", gettext("This dossier is declared already: a code cannot be used again."))
    elif not seal:
        refusal = ("refused_code", gettext("Send the citizen a code first."))
    elif _expired(seal, clock.now()):
        refusal = ("refused_expired", gettext("The code has expired. Send a new code."))
    elif not await AssistConsent.filter(id=consent.id, declare_code_hash=seal, declared_at__isnull=True,
                                        declare_attempts__lt=settings.otp_max_attempts).update(
            declare_attempts=F("declare_attempts") + 1):
        refusal = ("refused_limit", gettext("Too many wrong codes. Send a new code."))
    elif not _opens(code.strip(), seal):
        refusal = ("refused_code", gettext("The code is wrong. Check the last text message on the citizen's phone, "
                                           "or send a new code."))
    if refusal is not None:
        await services.record(f"declare_{refusal[0]}", helper=helper, consent=consent, clock=clock)
        raise DeclarationRefused(refusal[1])
    return consent


async def declare(consent: AssistConsent, dossier: Dossier, citizen: User, how: str, *, clock: Clock,
                  ) -> list[dossiers.Problem]:
    """The citizen's declaration: checked, taken once (the secret it used is cleared in the same UPDATE), on the
    timeline, then the dossier is sent (or waits for its fee). Problems instead when the draft is not complete."""
    problems = await _not_ready(dossier)
    if problems:
        return problems
    used = {LINK: "declare_token_hash", CODE: "declare_code_hash"}.get(how)  # paper: no secret to use up
    if used and not await _unchanged(dossier, getattr(consent, used)):
        await services.record("declare_refused_changed", helper=consent.helper_id, consent=consent, clock=clock)
        raise DeclarationRefused(_changed_message() if how == LINK else gettext(
            "The answers or documents changed after the code was sent. Send the citizen a new code, so that they "
            "declare what they checked."), 409)
    try:
        # One transaction: a declaration the dossier's sending refuses is not kept (nor its secret used up).
        async with in_transaction() as conn:
            taken = await AssistConsent.filter(id=consent.id, declared_at__isnull=True, **(
                {used: getattr(consent, used)} if used else {})).using_db(conn).update(
                **({used: ""} if used else {}), declared_at=clock.now())
            if not taken:
                raise DeclarationRefused(gettext("This dossier is declared already."), 409)
            await publish(DeclaredByCitizen(dossier=dossier, actor=citizen, how=how), conn)
            if await fee_due(dossier, ""):  # kept, declared: the fee's payment sends it (at the counter, or online)
                problems = await dossiers.prepare_submission(dossier, citizen, True, dossier.result_form)
            else:
                problems = await dossiers.submit(dossier, citizen, True, dossier.result_form, clock=clock,
                                                 fee_due=fee_due)
            if problems:
                raise _NotSent(problems)
            if how == CODE and dossier.language != (spoken := citizen.language or DEFAULT_LOCALE):
                # Declared at the counter with a code: the result and news speak the language of the citizen's texts,
                # not the helper's page's (by a link: the citizen's own page; on paper: the page read together).
                dossier.language = spoken
                await Dossier.filter(id=dossier.id).using_db(conn).update(language=spoken)
    except _NotSent as not_sent:
        return not_sent.problems
    except WorkflowError as exc:  # the submit transition refused (sent or withdrawn meanwhile)
        await services.record("declare_not_sent", helper=consent.helper_id, consent=consent, clock=clock)
        raise DeclarationRefused(gettext("This dossier cannot be sent now, so the declaration was not kept. Open "
                                         "it again: it may have been sent or withdrawn meanwhile."), 409) from exc
    await services.record("declared", helper=consent.helper_id, consent=consent, detail={"how": how}, clock=clock)
    return []


class _NotSent(Exception):
    """The draft cannot be sent as it is: the declaration is rolled back, and the problems shown."""

    def __init__(self, problems: list[dossiers.Problem]) -> None:
        super().__init__()
        self.problems = problems


async def _not_ready(dossier: Dossier) -> list[dossiers.Problem]:
    problems = await dossiers.problems_before_submit(dossier)
    if dossier.result_form not in dossier.procedure.result_forms:
        problems.append(dossiers.Problem(gettext("Choose how the citizen wants to receive the result"),
                                         f"/dossiers/{dossier.code}/check#result_form"))
    return problems


async def declare_on_paper(dossier: Dossier, helper: User, upload: tuple[bytes, str] | None, *, storage: Storage,
                           settings: Settings, clock: Clock) -> list[dossiers.Problem]:
    """A citizen with no phone signed the printed declaration: its photo or scan is kept with the dossier
    (``PAPER_KEY``) and the dossier is declared and sent (or waits for its fee). Only for an in-person consent."""
    consent = await services.active_consent(helper, dossier, clock)
    if consent is None:
        raise DeclarationRefused(gettext("You may not do this to this dossier."), 404)
    if consent.method is not ConsentMethod.IN_PERSON:
        raise DeclarationRefused(gettext("This citizen has a phone: ask them to declare with a link or a code."))
    if not upload or not upload[0]:
        raise DeclarationRefused(gettext("Choose a photo or a scan of the signed declaration"))
    try:
        kind = check_content(upload[0], ["jpg", "png", "pdf"], settings.upload_max_bytes)
    except UploadRejected as exc:
        raise DeclarationRefused(str(exc)) from exc
    if problems := await _not_ready(dossier):
        return problems
    stored = await write_file(storage, f"uploads/{dossier.id}", upload[0], kind)
    await DossierDocument.create(dossier=dossier, doc_key=PAPER_KEY, filename=Path(upload[1] or f"{PAPER_KEY}.{kind}"
                                 ).name[:255], content_type=CONTENT_TYPES[kind], size=stored.size,
                                 sha256=stored.sha256, storage_name=stored.storage_name)
    await filing.mark_filed(dossier, consent, helper)
    return await declare(consent, dossier, await User.get(id=dossier.applicant_id), PAPER, clock=clock)


async def ask_from_check(dossier: Dossier, helper: User, form: dict, *, sms, settings: Settings, clock: Clock,
                         ) -> tuple[list[dossiers.Problem], str | None]:
    """The check page's post by a helper: the result form picked is kept and the citizen is asked to declare
    (``ask``); a post that declares is refused and recorded. Returns the problems to show, or where to go next."""
    how = str(form.get("declare_by", ""))
    if how not in (LINK, CODE):
        raise NotAllowed(await filing.refuse_declaration(dossier, helper))
    result_form = str(form.get("result_form", ""))
    if result_form not in dossier.procedure.result_forms:
        return [dossiers.Problem(gettext("Choose how the citizen wants to receive the result"), "#result_form")], None
    if dossier.result_form != result_form:
        dossier.result_form = result_form
        await dossier.save(update_fields=["result_form", "updated_at"])
    consent = await services.active_consent(helper, dossier, clock)
    if consent is not None and consent.method is ConsentMethod.IN_PERSON:  # no phone: the signed paper instead
        return [], f"/dossiers/{dossier.code}/declare/paper"
    problems = await dossiers.problems_before_submit(dossier)
    if problems:
        return problems, None
    try:
        await ask(dossier, helper, how, sms=sms, settings=settings, clock=clock)
    except DeclarationRefused as exc:
        return [dossiers.Problem(str(exc), "#declare_by")], None
    return [], f"/dossiers/{dossier.code}/declare/{'code' if how == CODE else 'sent'}"
