"""A copy of my data (issue 21): asked for on a page, built by the worker into one ZIP in object storage
(``data.json``, a readable ``summary.html`` in the citizen's language, their documents and signed results), and
downloaded once through a link whose token only the citizen ever sees (its hash is kept).

Two workers never build the same export: a row is claimed by one conditional UPDATE with a lease; a worker that
dies mid-way lets its lease run out and another takes the row again.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.accounts.models import Passkey, PushSubscription, SignInEvent, User
from backend.assisted.models import AssistConsent
from backend.audit.models import AccessEntry
from backend.core import clock
from backend.delivery.models import DeliveryBooking
from backend.dossiers.models import Dossier, DossierDocument, PrefillConsent, TimelineEvent
from backend.dossiers.storage import document_key
from backend.payments.models import Payment, Receipt
from backend.privacy import summary
from backend.privacy.models import DataExport, ExportState
from backend.privacy.retention import rules
from backend.questions.models import Question
from backend.results.models import Result
from backend.results.services import ResultIssuer
from backend.storage import Missing, Storage

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # a 50-dossier export takes seconds: a dead builder's row is taken again after this
OPEN = (ExportState.QUEUED, ExportState.BUILDING)
KEY = re.compile(r"exports/\d+/[0-9a-f]+\.(?P<lang>[a-z]{2,3})\.zip")


class Refusal(StrEnum):
    """Why a download link gives nothing (each has its page)."""

    UNKNOWN = "unknown"
    OTHER_ACCOUNT = "other_account"
    USED = "used"
    EXPIRED = "expired"
    NOT_READY = "not_ready"


def token_hash(token: str) -> str:
    """A 32-byte random token needs no slow hash: no one can guess it to compare."""
    return hashlib.sha256(token.encode()).hexdigest()


def language_of(export: DataExport) -> str:
    """The summary's language, chosen when it was asked for (kept in the planned file's name)."""
    found = KEY.fullmatch(export.storage_name)
    return found.group("lang") if found else "vi"


async def ask(user: User, lang: str, now: datetime | None = None) -> tuple[DataExport, bool]:
    """Queue a copy; one being built already is returned instead (``False``: nothing new was queued)."""
    name = f"exports/{user.id}/{secrets.token_hex(12)}.{lang}.zip"
    # Check and create under the citizen's row lock: a double click or a second tab waits, then finds this one.
    async with in_transaction() as conn:
        await User.filter(id=user.id).using_db(conn).select_for_update().first()
        current = await DataExport.filter(user_id=user.id, state__in=OPEN).using_db(conn).order_by("-id").first()
        if current is not None:
            return current, False
        made = await DataExport.create(user_id=user.id, requested_at=now or clock.now(), storage_name=name,
                                       using_db=conn)
    return made, True


async def mine(user: User, export_id: int) -> DataExport | None:
    return await DataExport.get_or_none(id=export_id, user_id=user.id)


async def recent(user: User, limit: int = 5) -> list[DataExport]:
    return list(await DataExport.filter(user_id=user.id).order_by("-id").limit(limit))


async def claim(worker: str, now: datetime, lease: timedelta = LEASE) -> DataExport | None:
    """The oldest queued export (or one whose builder's lease ran out), now this worker's; None: nothing to do."""
    free = Q(state=ExportState.QUEUED) | Q(state=ExportState.BUILDING, claimed_until__lt=now)
    for candidate in await DataExport.filter(free).order_by("id").limit(5).values_list("id", flat=True):
        taken = await DataExport.filter(free, id=candidate).update(
            state=ExportState.BUILDING, claimed_by=worker, claimed_until=now + lease, started_at=now, progress=0)
        if taken:
            return await DataExport.get(id=candidate)
    return None


async def issue_link(export: DataExport, now: datetime | None = None) -> str | None:
    """The download token for a ready export, made once (None: one was made already, or it is not ready)."""
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    made = await DataExport.filter(id=export.id, state=ExportState.READY, token_hash="", expires_at__gt=now
                                   ).update(token_hash=token_hash(token))
    return token if made else None


async def take_download(user: User, token: str, now: datetime | None = None) -> DataExport | Refusal:
    """The export the token opens, marked downloaded in the same step (a second use finds it used)."""
    now = now or clock.now()
    export = await DataExport.get_or_none(token_hash=token_hash(token)) if token else None
    if export is None:
        return Refusal.UNKNOWN
    if export.user_id != user.id:  # says nothing about whose it is, and does not use it up
        return Refusal.OTHER_ACCOUNT
    if export.state is ExportState.DOWNLOADED:
        return Refusal.USED
    if export.state is ExportState.EXPIRED or (export.expires_at and export.expires_at <= now):
        return Refusal.EXPIRED
    used = await DataExport.filter(id=export.id, state=ExportState.READY).update(
        state=ExportState.DOWNLOADED, downloaded_at=now)
    return export if used else Refusal.USED


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._")[:80] or "file"


@dataclass
class Collected:
    data: dict[str, Any]
    files: list[tuple[str, str]]  # (path in the ZIP, storage key)
    accesses: list[AccessEntry]


async def collect(user_id: int) -> Collected:
    """Everything the portal holds about this citizen, as /my/data groups it, and the files to include."""
    user = await User.get(id=user_id)
    dossiers = await Dossier.filter(applicant_id=user_id).order_by("id").prefetch_related("procedure", "agency")
    ids = [d.id for d in dossiers]
    documents = await DossierDocument.filter(dossier_id__in=ids).order_by("id") if ids else []
    results = await Result.filter(dossier_id__in=ids).order_by("id") if ids else []
    events = await TimelineEvent.filter(dossier_id__in=ids).order_by("id") if ids else []
    deliveries = await DeliveryBooking.filter(dossier_id__in=ids).order_by("id") if ids else []
    payments = await Payment.filter(payer_id=user_id).order_by("id")
    receipts = await Receipt.filter(payment_id__in=[p.id for p in payments]).order_by("id") if payments else []
    files: list[tuple[str, str]] = []
    by_dossier: dict[int, dict[str, list]] = {i: {"documents": [], "results": [], "timeline": []} for i in ids}
    for doc in documents:
        path = f"documents/{doc.dossier_id}-{doc.id}-{_safe(doc.filename)}"
        files.append((path, document_key(doc)))
        by_dossier[doc.dossier_id]["documents"].append({
            "document": doc.doc_key, "file_name": doc.filename, "content_type": doc.content_type, "size": doc.size,
            "sha256": doc.sha256, "uploaded_at": _iso(doc.uploaded_at), "replaced": doc.superseded,
            "in_this_zip": path})
    for result in results:
        path = f"results/{_safe(result.code)}.pdf"
        files.append((path, ResultIssuer.key(result)))
        by_dossier[result.dossier_id]["results"].append({
            "code": result.code, "issued_at": _iso(result.issued_at), "status": result.status.value,
            "decision": result.decision, "in_this_zip": path})
    for event in events:
        by_dossier[event.dossier_id]["timeline"].append({
            "action": event.action, "from": event.from_status, "to": event.to_status, "note": event.note,
            "at": _iso(event.created_at)})
    codes = {d.id: d.code for d in dossiers}
    accesses = list(await AccessEntry.filter(citizen_id=user_id).select_related("agency").order_by("-at", "-id"))
    data = {
        "generated_at": _iso(clock.now()),
        "account": {"mobile_number": user.phone, "name": user.full_name, "created_at": _iso(user.created_at),
                    "last_sign_in_at": _iso(user.last_sign_in_at), "display_settings": user.display_settings,
                    "language": user.language},
        "identity": {"identity_number": user.identity_number, "verified_at": _iso(user.identity_verified_at),
                     "level": user.identity_level},
        "dossiers": [{
            "code": d.code, "procedure": d.procedure.code, "procedure_name": d.procedure.title,
            "agency": d.agency.code, "agency_name": d.agency.name, "status": d.status.value, "answers": d.answers,
            "channel": d.channel, "created_at": _iso(d.created_at), "submitted_at": _iso(d.submitted_at),
            "due_date": _iso(d.due_date), "settled_at": _iso(d.settled_at), "decision": d.decision_reason,
            **by_dossier[d.id]} for d in dossiers],
        "payments": [{
            "reference": p.txn_ref, "dossier": codes.get(p.dossier_id), "purpose": p.purpose, "amount_vnd": p.amount,
            "status": p.status.value, "method": p.method, "created_at": _iso(p.created_at),
            "settled_at": _iso(p.settled_at)} for p in payments],
        "receipts": [{"number": r.number, "dossier": codes.get(r.dossier_id), "amount_vnd": r.amount,
                      "paid_at": _iso(r.paid_at), "payer_name": r.payer_name} for r in receipts],
        "deliveries": [{
            "dossier": codes.get(b.dossier_id), "recipient": b.recipient, "phone": b.phone, "street": b.street,
            "ward": b.ward_name, "province": b.province_name, "status": b.status.value,
            "tracking_number": b.tracking_number, "fee_vnd": b.fee, "delivered_at": _iso(b.delivered_at)}
            for b in deliveries],
        "devices": [{"device": s.device, "added_at": _iso(s.created_at), "last_reached_at": _iso(s.last_success_at)}
                    for s in await PushSubscription.filter(user_id=user_id).order_by("id")],
        "passkeys": [{"name": k.name, "added_at": _iso(k.created_at), "last_used_at": _iso(k.last_used_at)}
                     for k in await Passkey.filter(user_id=user_id).order_by("id")],
        "consents": {
            "prefill": [{"dossier": codes.get(c.dossier_id), "granted": c.granted, "source": c.source,
                         "fields_filled": c.fields_filled, "at": _iso(c.created_at),
                         "withdrawn_at": _iso(c.withdrawn_at)}
                        for c in await PrefillConsent.filter(user_id=user_id).order_by("id")],
            "helpers": [{"dossier": codes.get(c.dossier_id) if c.dossier_id else None, "state": c.state.value,
                         "method": c.method.value, "granted_at": _iso(c.granted_at), "ended_at": _iso(c.ended_at)}
                        for c in await AssistConsent.filter(citizen_id=user_id).order_by("id")],
        },
        "sign_ins": [{"method": s.method.value, "device": s.user_agent, "ip_address": s.ip_address,
                      "at": _iso(s.created_at)}
                     for s in await SignInEvent.filter(user_id=user_id).order_by("-id")],
        "questions": [{"asked_on": _iso(q.asked_on), "language": q.language, "question": q.text,
                       "answer": q.answer, "answered_on": _iso(q.answered_on), "publication_consent": q.consent,
                       "published_at": _iso(q.published_at)}
                      for q in await Question.filter(asker_id=user_id).order_by("id")],
        "access_log": [{"who": a.actor_name, "role": a.actor_role, "dossier": codes.get(a.dossier_id or 0),
                        "what": a.what, "why": a.reason, "flagged": a.flagged, "at": _iso(a.at)}
                       for a in accesses],
    }
    return Collected(data, files, accesses)


async def build(export: DataExport, storage: Storage) -> None:
    """Build the ZIP, store it, and make it ready to download (progress kept as it goes)."""
    async def progress(percent: int) -> None:
        await DataExport.filter(id=export.id, claimed_by=export.claimed_by).update(progress=percent)

    found = await collect(export.user_id)
    await progress(20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(found.data, ensure_ascii=False, indent=1, default=str))
        archive.writestr("summary.html", await summary.render(found.data, found.accesses, language_of(export)))
        step = max(1, len(found.files) // 10)
        for number, (path, key) in enumerate(found.files, 1):
            try:
                archive.writestr(path, await storage.get(key), compress_type=zipfile.ZIP_STORED)
            except Missing:
                log.warning("export %s: %s is missing from storage", export.id, key)
            if number % step == 0:
                await progress(20 + 70 * number // len(found.files))
    content = buffer.getvalue()
    await storage.put(export.storage_name, content)
    now = clock.now()
    await DataExport.filter(id=export.id, claimed_by=export.claimed_by).update(
        state=ExportState.READY, progress=100, size=len(content), ready_at=now, claimed_until=None,
        expires_at=now + timedelta(hours=rules().export_link_hours))


async def build_next(storage: Storage, worker: str = "worker") -> bool:
    """Claim one export and build it; False when none was waiting (the worker's periodic job)."""
    export = await claim(worker, clock.now())
    if export is None:
        return False
    try:
        await build(export, storage)
    except Exception as exc:  # one citizen's bad file must not block the others' exports
        log.exception("export %s failed", export.id)
        await DataExport.filter(id=export.id).update(state=ExportState.FAILED, error=f"{type(exc).__name__}: {exc}"
                                                     [:2000], claimed_until=None)
    return True


async def build_waiting(storage: Storage, worker: str, most: int = 20) -> int:
    """Every waiting export, up to ``most`` in one round."""
    built = 0
    while built < most and await build_next(storage, worker):
        built += 1
    return built
