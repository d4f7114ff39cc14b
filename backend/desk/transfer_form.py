"""The desk's transfer form (``dossiers.transfers``): what it shows, from what the official typed.

One form, no JavaScript: its "Search" button lists the agencies that offer the procedure, by name (accents
optional) and province, and keeps the reason typed; its "Transfer" button sends the dossier on. The form's
fields are prefixed ``transfer_`` so that they never fill the supplement form on the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.core import units
from backend.dossiers import transfers
from backend.dossiers.models import Dossier

MAX_QUERY = 100


@dataclass(frozen=True)
class TransferForm:
    q: str
    province: str
    agency: str  # the code chosen
    reason: str
    provinces: tuple[units.Unit, ...]
    candidates: transfers.Candidates


def posted(form: dict[str, Any], name: str, default: str = "") -> str:
    """A text the form sent; anything else (a file, a list from a crafted post) counts as not sent."""
    value = form.get(name, default)
    return value if isinstance(value, str) else default


async def transfer_form(dossier: Dossier, form: dict[str, Any]) -> TransferForm:
    """The form as posted (or, at first, the agencies of the dossier's province that offer its procedure)."""
    q = posted(form, "transfer_q")[:MAX_QUERY]
    province = posted(form, "transfer_province", dossier.agency.province_code or "")
    if units.province(province) is None:
        province = ""
    return TransferForm(
        q=q, province=province, agency=posted(form, "transfer_agency"), reason=posted(form, "transfer_reason"),
        provinces=units.provinces(), candidates=await transfers.candidates(dossier, q=q, province=province or None),
    )
