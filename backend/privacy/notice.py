"""The privacy notice's retention table, read from the retention file the worker applies (``retention.json``), so
the notice says what the portal does, in the page's language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from backend.core.i18n import gettext, ngettext

RETENTION_FILE = Path(__file__).with_name("retention.json")


@dataclass(frozen=True)
class RetentionRow:
    kind: str
    period: str
    basis: str
    law: str
    on_closure: str


@cache
def _kinds() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(RETENTION_FILE.read_text(encoding="utf-8")).get("kinds", []))


def _kind(code: str) -> str:
    labels = {
        "account": gettext("Your account (name, mobile number)"),
        "identity": gettext("Your verified identity number"),
        "settled_dossiers": gettext("Settled dossiers, their answers and documents"),
        "results": gettext("Results issued to you"),
        "payment_records": gettext("Payment records and receipts"),
        "deliveries": gettext("Deliveries by post"),
        "drafts": gettext("Drafts not sent"),
        "unsent_uploads": gettext("Uploads not sent"),
        "sign_in_history": gettext("Sign-in history"),
        "devices": gettext("Devices that get notifications"),
        "passkeys": gettext("Passkeys"),
        "sessions": gettext("Sessions"),
        "access_log": gettext("The log of who opened your data"),
        "consents": gettext("Your consents and their withdrawals"),
        "exports": gettext("Downloads of your data"),
    }
    return labels.get(code, code)


def _basis(code: str) -> str:
    labels = {
        "consent": gettext("Your consent"),
        "contract": gettext("To provide the service you asked for"),
        "legal_obligation": gettext("A legal obligation"),
        "legitimate_task": gettext("A public task set by law"),
    }
    return labels.get(code, code)


def _law(text: str) -> str:
    names = {
        "Law 91/2025/QH15 on personal data protection": gettext("Law 91/2025/QH15 on personal data protection"),
        "Decree 61/2018/ND-CP on the one-stop shop; Law on Archives":
            gettext("Decree 61/2018/ND-CP on the one-stop shop; Law on Archives"),
        "Law on Electronic Transactions 20/2023/QH15": gettext("Law on Electronic Transactions 20/2023/QH15"),
        "Law on Accounting 88/2015/QH13": gettext("Law on Accounting 88/2015/QH13"),
        "Law on Postal Services 49/2010/QH12": gettext("Law on Postal Services 49/2010/QH12"),
        "Law on Cybersecurity 24/2018/QH14": gettext("Law on Cybersecurity 24/2018/QH14"),
    }
    return names.get(text, text)


def _length(days: int) -> str:
    if days % 365 == 0:
        return ngettext("%(num)s year", "%(num)s years", days // 365, num=days // 365)
    return ngettext("%(num)s day", "%(num)s days", days, num=days)


def _period(row: dict[str, Any]) -> str:
    days = row.get("period_days")
    if days is None:
        return gettext("Until you close your account")
    length = _length(int(days))
    after = {
        "settled": gettext("%(length)s after the dossier is settled", length=length),
        "issued": gettext("%(length)s after it is issued", length=length),
        "paid": gettext("%(length)s after payment", length=length),
        "delivered": gettext("%(length)s after delivery", length=length),
        "updated": gettext("%(length)s after its last change", length=length),
        "created": gettext("%(length)s after it is recorded", length=length),
        "ready": gettext("%(length)s after it is ready", length=length),
    }
    return after.get(str(row.get("counts_from")), length)


def _on_closure(code: str) -> str:
    labels = {
        "keep": gettext("Kept for the period"),
        "erase": gettext("Erased"),
        "anonymise": gettext("Anonymised"),
    }
    return labels.get(code, code)


def retention_rows() -> list[RetentionRow]:
    """Each kind of record the retention file names: how long it is kept, why, and what closing an account does."""
    return [RetentionRow(kind=_kind(str(r.get("kind"))), period=_period(r), basis=_basis(str(r.get("basis"))),
                         law=_law(str(r.get("law", ""))), on_closure=_on_closure(str(r.get("on_closure"))))
            for r in _kinds()]
