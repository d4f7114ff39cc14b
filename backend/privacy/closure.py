"""Closing an account (issue 21): the citizen asks, a person (the portal administrator) or, when it falls due, the
worker completes it. What the retention file keeps is kept and said so; the rest is erased, the account is
anonymised. While a dossier is still being settled the request waits: nothing the agency needs is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from backend.accounts.models import Passkey, PushSubscription, SignInEvent, User
from backend.assisted.models import AssistConsent
from backend.audit.models import AccessEntry
from backend.core import clock
from backend.core.paging import Page, fetch_page
from backend.delivery.models import DeliveryBooking
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument, PrefillConsent
from backend.payments.models import Payment
from backend.privacy.models import ClosureRequest, ClosureState, DataExport
from backend.privacy.notice import law_name
from backend.privacy.retention import BEING_SETTLED, SETTLED, Rules, erase_drafts, rules
from backend.questions.models import Question
from backend.results.models import Result
from backend.storage import Storage

OPEN = (ClosureState.RECEIVED, ClosureState.WAITING)
PAGE_SIZE = 20


@dataclass
class Line:
    """One kind of record in the citizen's words: how many, and until when it is kept (None: erased)."""

    kind: str
    label: str
    count: int
    until: date | None = None
    basis: str = ""
    law: str = ""


async def open_request(user_id: int) -> ClosureRequest | None:
    return await ClosureRequest.filter(user_id=user_id, state__in=OPEN).order_by("-id").first()


async def latest(user_id: int) -> ClosureRequest | None:
    """The citizen's latest request, whatever its state (what /my/data shows)."""
    return await ClosureRequest.filter(user_id=user_id).order_by("-id").first()


async def unsettled(user_id: int) -> list[Dossier]:
    """Dossiers an agency is still settling: the account waits for them."""
    return list(await Dossier.filter(applicant_id=user_id, status__in=BEING_SETTLED).order_by("id").limit(20)
                .prefetch_related("procedure"))


async def outlook(user_id: int, current: Rules | None = None) -> tuple[list[Line], list[Line]]:
    """What closing would keep (with its rule and last day) and what it would erase, counted now."""
    current = current or rules()
    dossier_ids = list(await Dossier.filter(applicant_id=user_id).values_list("id", flat=True))
    settled = Dossier.filter(applicant_id=user_id, status__in=SETTLED)
    last_settled = await _last(settled, "settled_at")
    results = Result.filter(dossier_id__in=dossier_ids) if dossier_ids else None
    last_result = await _last(results, "issued_at") if results else None
    payments = Payment.filter(payer_id=user_id)
    last_paid = await _last(payments, "created_at")
    sign_ins = SignInEvent.filter(user_id=user_id)
    last_sign_in = await _last(sign_ins, "created_at")
    deliveries = DeliveryBooking.filter(dossier_id__in=dossier_ids) if dossier_ids else None
    last_delivered = await _last(deliveries.filter(delivered_at__isnull=False), "delivered_at") if deliveries else None
    consents = (await PrefillConsent.filter(user_id=user_id).count()
                + await AssistConsent.filter(citizen_id=user_id).count())
    counts = {
        "account": (1, None), "identity": (1 if await _has_identity(user_id) else 0, None),
        "settled_dossiers": (await settled.count(), last_settled),
        "results": (await results.count() if results else 0, last_result),
        "payment_records": (await payments.count(), last_paid),
        "deliveries": (await deliveries.count() if deliveries else 0, last_delivered or clock.now()),
        "drafts": (await Dossier.filter(applicant_id=user_id, status=Status.DRAFT).count(), None),
        "unsent_uploads": (await DossierDocument.filter(dossier__applicant_id=user_id,
                                                        dossier__status=Status.DRAFT).count(), None),
        "sign_in_history": (await sign_ins.count(), last_sign_in),
        "devices": (await PushSubscription.filter(user_id=user_id).count(), None),
        "passkeys": (await Passkey.filter(user_id=user_id).count(), None),
        "sessions": (1, None),
        "access_log": (await AccessEntry.filter(citizen_id=user_id).count(), clock.now()),
        "consents": (consents, last_settled or clock.now()),
        "questions": (await Question.filter(asker_id=user_id).count(),
                      await _last(Question.filter(asker_id=user_id), "created_at")),
        "exports": (await DataExport.filter(user_id=user_id).count(), None),
    }
    kept, erased = [], []
    for kind, (count, since) in counts.items():
        rule = current[kind]
        if not count:
            continue
        if rule.on_closure == "keep":
            kept.append(Line(kind, rule.label, count, rule.until(since) if since else None, rule.basis_label,
                             law_name(rule.law)))
        else:
            erased.append(Line(kind, rule.label, count))
    return kept, erased


async def _last(query, field: str) -> Any:
    """The latest value of ``field`` among ``query``'s rows (None: no row)."""
    found = await query.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").limit(1).values_list(
        field, flat=True)
    return found[0] if found else None


async def _has_identity(user_id: int) -> bool:
    return bool(await User.filter(id=user_id, identity_number__isnull=False).count())


async def ask(user: User, now: datetime | None = None) -> tuple[ClosureRequest, bool]:
    """A new request with its due date; one still open is returned instead (``False``: nothing new)."""
    now = now or clock.now()
    due = now.date() + timedelta(days=rules().closure_due_days)
    state = ClosureState.WAITING if await unsettled(user.id) else ClosureState.RECEIVED
    # Check and create under the citizen's row lock: a double click or a second tab waits, then finds this one.
    async with in_transaction() as conn:
        await User.filter(id=user.id).using_db(conn).select_for_update().first()
        current = await ClosureRequest.filter(user_id=user.id, state__in=OPEN).using_db(conn).order_by("-id").first()
        if current is not None:
            return current, False
        made = await ClosureRequest.create(user_id=user.id, requested_at=now, due_on=due, state=state, using_db=conn)
    return made, True


async def withdraw(user: User) -> bool:
    """The citizen changed their mind before it was done."""
    return bool(await ClosureRequest.filter(user_id=user.id, state__in=OPEN).update(state=ClosureState.WITHDRAWN))


async def admin_page(number: int, state: str = "") -> Page:
    query = ClosureRequest.all().prefetch_related("user", "handler")
    query = query.filter(state=state) if state in {s.value for s in ClosureState} else query.filter(state__in=OPEN)
    return await fetch_page(query.order_by("due_on", "id"), number, PAGE_SIZE)


async def take(request_id: int, handler: User) -> bool:
    """The administrator takes an open request (one nobody has yet)."""
    return bool(await ClosureRequest.filter(id=request_id, state__in=OPEN, handler_id__isnull=True)
                .update(handler_id=handler.id))


def handled_by(request: ClosureRequest, admin: User) -> bool:
    """Only the administrator who took an open request may complete it (the worker completes due ones)."""
    return request.state in OPEN and request.handler_id == admin.id


async def complete(request: ClosureRequest, storage: Storage, handler: User | None = None,
                   now: datetime | None = None) -> ClosureState:
    """Close the account now, or put the request to wait while a dossier is being settled; the new state."""
    now = now or clock.now()
    if request.state not in OPEN:
        return request.state
    waiting = await unsettled(request.user_id)
    if waiting:
        note = ", ".join(d.code for d in waiting)
        await ClosureRequest.filter(id=request.id, state__in=OPEN).update(
            state=ClosureState.WAITING, note=note, **({"handler_id": handler.id} if handler else {}))
        return ClosureState.WAITING
    current = rules()
    kept, erased_lines = await outlook(request.user_id, current)
    erased = await _erase(request.user_id, storage, current, now)
    done = await ClosureRequest.filter(id=request.id, state__in=OPEN).update(
        state=ClosureState.DONE, done_at=now, note="",
        kept=[_line(line) for line in kept], erased=[{"kind": kind, "count": n} for kind, n in erased.items()],
        **({"handler_id": handler.id} if handler else {}))
    return ClosureState.DONE if done else (await ClosureRequest.get(id=request.id)).state


def _line(line: Line) -> dict[str, Any]:
    return {"kind": line.kind, "count": line.count, "until": line.until.isoformat() if line.until else None,
            "law": line.law}


async def _erase(user_id: int, storage: Storage, current: Rules, now: datetime) -> dict[str, int]:
    """Everything the file does not keep at closure; the account is anonymised last."""
    erased: dict[str, int] = {}
    drafts: list[int] = list(await Dossier.filter(applicant_id=user_id, status=Status.DRAFT
                                                  ).values_list("id", flat=True))  # type: ignore[arg-type]
    erased["drafts"], erased["unsent_uploads"] = await erase_drafts(drafts, storage) if drafts else (0, 0)
    if current["devices"].on_closure != "keep":
        erased["devices"] = await PushSubscription.filter(user_id=user_id).delete()
    if current["passkeys"].on_closure != "keep":
        erased["passkeys"] = await Passkey.filter(user_id=user_id).delete()
    history = current["sign_in_history"]
    old = SignInEvent.filter(user_id=user_id)
    if history.on_closure == "keep" and history.period_days:  # within its period it stays, past it it goes
        old = old.filter(created_at__lt=now - timedelta(days=history.period_days))
    erased["sign_in_history"] = await old.delete()
    if current["exports"].on_closure != "keep":
        exports = await DataExport.filter(user_id=user_id).values_list("id", "storage_name")
        erased["exports"] = await DataExport.filter(id__in=[row[0] for row in exports]).delete() if exports else 0
        for _id, name in exports:  # the rows are gone: now their files
            if name:
                await storage.delete(name)
    user = await User.get(id=user_id)
    erased["identity"] = 1 if user.identity_number else 0
    # The phone number is freed (it can sign up again, as a new account); no session, passkey or code opens this one.
    await User.filter(id=user_id).update(
        full_name="", phone=f"closed-{user_id}"[:20], identity_number=None, identity_verified_at=None,
        display_settings={}, language=None, active=False, closed_at=now, session_epoch=user.session_epoch + 1)
    erased["sessions"] = 1
    return {kind: n for kind, n in erased.items() if n}


async def complete_due(storage: Storage, now: datetime | None = None, most: int = 50) -> int:
    """The worker's round: requests due today or earlier, and waiting ones whose dossiers are now settled."""
    now = now or clock.now()
    done = 0
    for request in await ClosureRequest.filter(state__in=OPEN, due_on__lte=now.date()).order_by("due_on", "id"
                                                                                              ).limit(most):
        done += await complete(request, storage, now=now) is ClosureState.DONE
    for request in await ClosureRequest.filter(state=ClosureState.WAITING, due_on__gt=now.date()).order_by("id"
                                                                                                 ).limit(most):
        if not await unsettled(request.user_id):  # the last dossier was settled: close as promised
            done += await complete(request, storage, now=now) is ClosureState.DONE
    return done
