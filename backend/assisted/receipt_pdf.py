"""The one-page filing receipt, for a citizen without a smartphone: the dossier code, what was filed (procedure,
date, agency, documents), how to follow it, and a QR code to ``/track?code=...``.

It reuses the result document's machinery (``results.pdf``): the QR code, the portal's fonts, and ``write_pdf``
(WeasyPrint's tagged PDF/UA-1, one at a time per process). The texts are translated here, in the page's language,
before rendering.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from backend.assisted.models import ServicePoint
from backend.core.i18n import current_locale, gettext, localized
from backend.core.templating import format_day
from backend.dossiers.models import Dossier, DossierDocument
from backend.results.pdf import font_faces, qr_data_url, write_pdf

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_DOCUMENTS = 30  # a procedure asks for a handful; the page stays one page


@dataclass(frozen=True)
class FilingReceipt:
    code: str
    procedure: str
    agency: str
    filed_on: str
    documents: list[str]
    track_url: str
    qr: str
    service_point: str
    service_address: str
    language: str


async def filing_receipt(dossier: Dossier, base_url: str) -> FilingReceipt:
    """What the receipt says about ``dossier`` (its procedure and agency loaded), in the current language."""
    names = {d["key"]: d.get("name") for d in dossier.procedure.documents or []}
    keys = await DossierDocument.filter(dossier_id=dossier.id, superseded=False).order_by("id").limit(
        MAX_DOCUMENTS).values_list("doc_key", flat=True)
    documents = [localized(names[key]) if names.get(key) else str(key) for key in dict.fromkeys(keys)]
    point = await ServicePoint.get_or_none(id=dossier.service_point_id) if dossier.service_point_id else None
    track_url = f"{base_url.rstrip('/')}/track?code={quote(dossier.code)}"
    filed: datetime = dossier.submitted_at or dossier.created_at
    return FilingReceipt(
        code=dossier.code, procedure=localized(dossier.procedure.title), agency=localized(dossier.agency.name),
        filed_on=format_day(filed), documents=documents, track_url=track_url, qr=qr_data_url(track_url),
        service_point=localized(point.name) if point else "", service_address=localized(point.address) if point else "",
        language=current_locale.get(),
    )


@cache
def _environment() -> Environment:
    """Its own environment, as the result document's: the texts come translated, the PDF needs no request."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def words() -> dict[str, str]:
    """The receipt's own wording, in the current language."""
    return {
        "title": gettext("Receipt for a dossier filed with help"),
        "code": gettext("Dossier code"),
        "procedure": gettext("Procedure"),
        "agency": gettext("Agency"),
        "filed_on": gettext("Filed on"),
        "documents": gettext("Documents"),
        "no_documents": gettext("No documents were uploaded."),
        "where": gettext("Filed with help at"),
        "follow": gettext("How to follow your dossier"),
        "track": gettext("Open this address, or scan the QR code, and enter the dossier code:"),
        "sms": gettext("The portal also sends a text message to your phone at each step."),
        "ask": gettext("You can also ask at the service point where you filed, with this receipt."),
        "keep": gettext("Keep this receipt: the code is how you follow and collect your result."),
        "qr_alt": gettext("QR code to follow the dossier"),
    }


def html(receipt: FilingReceipt, words: dict[str, str]) -> str:
    scripts = ("khmer", "taiviet", "cham", *(("cjk",) if receipt.language == "zh" else ()))
    return _environment().get_template("assisted/filing_receipt.pdf.html").render(
        receipt=receipt, words=words, fonts=font_faces(scripts))


async def render(dossier: Dossier, base_url: str) -> bytes:
    """The receipt of ``dossier`` as a PDF, in the current language; rendered in a worker thread (about 100 ms)."""
    return await asyncio.to_thread(write_pdf, html(await filing_receipt(dossier, base_url), words()))
