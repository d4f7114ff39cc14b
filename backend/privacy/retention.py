"""Retention as data (issue 21): ``retention.json`` says, per kind of record, how long it is kept, on which legal
basis, what happens at the end of that period and what closing the account does to it. The portal refuses to
start with a file it cannot apply; the worker applies the periods (``apply``), closure reads the same rules.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from backend.accounts.models import SignInEvent
from backend.core.i18n import lazy_gettext as _
from backend.delivery.models import DeliveryBooking
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.dossiers.storage import document_key
from backend.payments.models import Payment
from backend.privacy.models import DataExport, ExportState
from backend.storage import Storage

log = logging.getLogger(__name__)
RULES_FILE = Path(__file__).with_name("retention.json")
ENDINGS = {"erase", "anonymise", "keep"}
# The words the privacy notice, the closure page and the summary use for each basis and kind (one place).
BASES = {
    "consent": _("Your consent"),
    "contract": _("To provide the service you asked for"),
    "legal_obligation": _("A legal obligation"),
    "legitimate_task": _("A public task set by law"),
}
KINDS = {
    "account": _("Your account (name, mobile number)"),
    "identity": _("Your verified identity number"),
    "settled_dossiers": _("Settled dossiers, their answers and documents"),
    "results": _("Results issued to you"),
    "payment_records": _("Payment records and receipts"),
    "deliveries": _("Deliveries by post"),
    "drafts": _("Drafts not sent"),
    "unsent_uploads": _("Uploads not sent"),
    "sign_in_history": _("Sign-in history"),
    "devices": _("Devices that get notifications"),
    "passkeys": _("Passkeys"),
    "sessions": _("Sessions"),
    "access_log": _("The log of who opened your data"),
    "consents": _("Your consents and their withdrawals"),
    "questions": _("Your questions to agencies and their answers"),
    "exports": _("Downloads of your data"),
}
COUNTS_FROM = {"closure", "settled", "issued", "paid", "delivered", "updated", "created", "ready"}
SETTLED = (Status.APPROVED, Status.REFUSED, Status.WITHDRAWN)
BEING_SETTLED = (Status.SUBMITTED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED)
BATCH = 500  # rows per statement: a round never holds a table for long


class RetentionError(ValueError):
    """The retention file cannot be applied: the portal does not start."""


@dataclass(frozen=True)
class Rule:
    kind: str
    period_days: int | None  # None: for as long as the account is open
    counts_from: str
    basis: str
    law: str
    at_end: str
    on_closure: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def basis_label(self) -> str:
        return str(BASES[self.basis])

    def until(self, since: datetime | date) -> date | None:
        """The last day a record counted from ``since`` is kept; None: no period."""
        if self.period_days is None:
            return None
        day = since.date() if isinstance(since, datetime) else since
        return day + timedelta(days=self.period_days)


@dataclass(frozen=True)
class Rules:
    closure_due_days: int
    export_link_hours: int
    kinds: dict[str, Rule]

    def __getitem__(self, kind: str) -> Rule:
        return self.kinds[kind]


def parse(data: Any, source: str = "retention.json") -> Rules:
    """Check every field; a mistake names its kind and field, so whoever edits the file can fix it."""
    def fail(message: str) -> RetentionError:
        return RetentionError(f"{source}: {message}")

    if not isinstance(data, dict):
        raise fail("the file must hold one JSON object")
    numbers = {}
    for name in ("closure_due_days", "export_link_hours"):
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(f"{name} must be a whole number of at least 1, not {value!r}")
        numbers[name] = value
    if numbers["closure_due_days"] > 30:
        raise fail("closure_due_days: the law gives at most 30 days to act on a request")
    entries = data.get("kinds")
    if not isinstance(entries, list):
        raise fail("kinds must be a list")
    kinds: dict[str, Rule] = {}
    for index, entry in enumerate(entries):
        where = f"kinds[{index}]"
        if not isinstance(entry, dict):
            raise fail(f"{where} must be an object")
        kind = entry.get("kind")
        if kind not in KINDS:
            raise fail(f"{where}: unknown kind {kind!r} (known: {', '.join(sorted(KINDS))})")
        if kind in kinds:
            raise fail(f"{where}: {kind} is listed twice")
        extra = set(entry) - {"kind", "period_days", "counts_from", "basis", "law", "at_end", "on_closure"}
        if extra:
            raise fail(f"{kind}: unknown fields {sorted(extra)}")
        period = entry.get("period_days")
        if period is not None and (not isinstance(period, int) or isinstance(period, bool) or period < 1):
            raise fail(f"{kind}: period_days must be a whole number of days (at least 1) or null, not {period!r}")
        for name, allowed in (("counts_from", COUNTS_FROM), ("basis", set(BASES)), ("at_end", ENDINGS),
                              ("on_closure", ENDINGS)):
            if entry.get(name) not in allowed:
                raise fail(f"{kind}: {name} must be one of {sorted(allowed)}, not {entry.get(name)!r}")
        if not isinstance(entry.get("law"), str) or not entry["law"].strip():
            raise fail(f"{kind}: law must name the text the rule comes from")
        if period is not None and entry["at_end"] != "keep" and kind not in APPLIERS:
            raise fail(f"{kind}: the portal cannot {entry['at_end']} it at the end of its period (say keep)")
        if kind in CLOSURE_FIXED and entry["on_closure"] != CLOSURE_FIXED[kind]:
            raise fail(f"{kind}: on_closure must be {CLOSURE_FIXED[kind]} ({CLOSURE_WHY[kind]})")
        kinds[kind] = Rule(kind, period, entry["counts_from"], entry["basis"], entry["law"].strip(),
                           entry["at_end"], entry["on_closure"])
    missing = set(KINDS) - set(kinds)
    if missing:
        raise fail(f"every kind of record needs a rule; missing: {', '.join(sorted(missing))}")
    return Rules(numbers["closure_due_days"], numbers["export_link_hours"], kinds)


def load(path: Path | None = None) -> Rules:
    path = path or RULES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RetentionError(f"{path.name}: cannot be read as JSON ({exc})") from exc
    return parse(data, path.name)


@cache
def rules() -> Rules:
    """The portal's rules, read once (the factory calls it at start-up, so a wrong file stops the start)."""
    return load()


# What closing an account must do whatever the file says: the account itself is never kept as it was, and the
# records a settled dossier is made of cannot be erased by the citizen (they are the agency's records).
CLOSURE_FIXED = {"account": "anonymise", "settled_dossiers": "keep", "results": "keep", "payment_records": "keep"}
CLOSURE_WHY = {"account": "no one may sign in to a closed account", "settled_dossiers": "an agency's record",
               "results": "an agency's record", "payment_records": "an accounting record"}


# At the end of a period: each applier erases or anonymises what expired by ``now``; returns how many records.
async def erase_documents(dossier_ids: list[int], storage: Storage, updated_before: datetime | None = None,
                          drop_drafts: bool = False) -> tuple[int, int]:
    """Erase the uploads of those of ``dossier_ids`` that are still drafts (and, if ``drop_drafts``, the drafts).

    The ids were read earlier, so a draft may have been sent since: the dossiers are locked and re-checked in the
    transaction that deletes, and the stored files go only after it committed, only for rows it deleted.
    Returns (drafts, documents) erased.
    """
    if not dossier_ids:
        return 0, 0
    async with in_transaction() as conn:
        still = Dossier.filter(id__in=dossier_ids, status=Status.DRAFT)
        if updated_before is not None:
            still = still.filter(updated_at__lt=updated_before)
        ids: list[int] = list(await still.using_db(conn).select_for_update().order_by("id")
                              .values_list("id", flat=True))  # type: ignore[arg-type]
        if drop_drafts and ids:  # a draft with a payment attempt stays: its record is kept
            paid = set(await Payment.filter(dossier_id__in=ids).using_db(conn).values_list("dossier_id", flat=True))
            ids = [i for i in ids if i not in paid]
        if not ids:
            return 0, 0
        documents = list(await DossierDocument.filter(dossier_id__in=ids, dossier__status=Status.DRAFT)
                         .using_db(conn))
        await DossierDocument.filter(id__in=[d.id for d in documents]).using_db(conn).delete()
        drafts = (await Dossier.filter(id__in=ids, status=Status.DRAFT).using_db(conn).delete()
                  if drop_drafts else 0)
    for document in documents:  # committed: these rows are gone, so are their files
        await storage.delete(document_key(document))
    return drafts, len(documents)


async def erase_drafts(dossier_ids: list[int], storage: Storage) -> tuple[int, int]:
    """Delete those of these dossiers that are still drafts, with their uploaded files (a draft with a payment
    attempt stays: its record is kept). Returns (drafts, documents) erased."""
    return await erase_documents(dossier_ids, storage, drop_drafts=True)


async def _old_drafts(now: datetime, rule: Rule, storage: Storage) -> int:
    assert rule.period_days
    cutoff = now - timedelta(days=rule.period_days)
    ids: list[int] = list(await Dossier.filter(status=Status.DRAFT, updated_at__lt=cutoff).order_by("id")
                          .limit(BATCH).values_list("id", flat=True))  # type: ignore[arg-type]
    drafts, _documents = await erase_documents(ids, storage, cutoff, drop_drafts=True)
    return drafts


async def _old_uploads(now: datetime, rule: Rule, storage: Storage) -> int:
    assert rule.period_days
    cutoff = now - timedelta(days=rule.period_days)
    ids: list[int] = list(await DossierDocument.filter(
        dossier__status=Status.DRAFT, dossier__updated_at__lt=cutoff
    ).order_by("dossier_id").limit(BATCH).values_list("dossier_id", flat=True))  # type: ignore[arg-type]
    _drafts, documents = await erase_documents(sorted(set(ids)), storage, cutoff)
    return documents


async def _old_sign_ins(now: datetime, rule: Rule, storage: Storage) -> int:
    assert rule.period_days
    ids = list(await SignInEvent.filter(created_at__lt=now - timedelta(days=rule.period_days))
               .order_by("id").limit(BATCH).values_list("id", flat=True))
    return await SignInEvent.filter(id__in=ids).delete() if ids else 0


async def _old_deliveries(now: datetime, rule: Rule, storage: Storage) -> int:
    assert rule.period_days
    ids = list(await DeliveryBooking.filter(delivered_at__lt=now - timedelta(days=rule.period_days))
               .exclude(street="").order_by("id").limit(BATCH).values_list("id", flat=True))
    if not ids:
        return 0
    return await DeliveryBooking.filter(id__in=ids).update(recipient="", phone="", street="", handover_nonce="",
                                                           handover_code_hash="")


async def _old_exports(now: datetime, rule: Rule, storage: Storage) -> int:
    """A link's file is deleted once the link expired or was used (the row stays: the citizen sees it expired)."""
    rows = await DataExport.filter(state__in=(ExportState.READY, ExportState.DOWNLOADED), expires_at__lt=now
                                   ).order_by("id").limit(BATCH)
    rows += await DataExport.filter(state=ExportState.DOWNLOADED).exclude(storage_name="").order_by("id").limit(BATCH)
    for row in {row.id: row for row in rows}.values():
        if row.storage_name:
            await storage.delete(row.storage_name)
        state = ExportState.EXPIRED if row.state is ExportState.READY else row.state
        await DataExport.filter(id=row.id).update(storage_name="", state=state)
    return len(rows)


APPLIERS = {"unsent_uploads": _old_uploads, "drafts": _old_drafts, "sign_in_history": _old_sign_ins,
            "deliveries": _old_deliveries, "exports": _old_exports}


async def apply(now: datetime, storage: Storage, current: Rules | None = None) -> dict[str, int]:
    """One round of the periods: what expired is erased or anonymised, as the file says; how many of each."""
    current = current or rules()
    done = {}
    for kind, applier in APPLIERS.items():  # uploads before their drafts: the files go first
        rule = current[kind]
        if rule.period_days is not None and rule.at_end != "keep":
            done[kind] = await applier(now, rule, storage)
    if any(done.values()):
        log.info("retention: %s", ", ".join(f"{n} {kind}" for kind, n in done.items() if n))
    return done
