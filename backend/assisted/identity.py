"""The identity a helper checked in person for a citizen with no phone (issue 20), for the agency's officials: the
document's number, masked but for its last 4 characters, and the photo or scan the helper took of it."""

from __future__ import annotations

from backend.assisted import services
from backend.assisted.models import ConsentMethod
from backend.dossiers import provenance
from backend.dossiers.models import Dossier
from backend.dossiers.provenance import IdentityCheck

SHOWN = 4  # the document number's last characters left readable


def masked(document: str) -> str:
    """``001060009999`` -> ``••••••••9999``: enough to match the card in hand, not to copy the number."""
    return "•" * max(len(document) - SHOWN, 0) + document[-SHOWN:]


async def identity_check(dossier: Dossier) -> IdentityCheck | None:
    consent = await services.consent_of_dossier(dossier)
    if consent is None or consent.method is not ConsentMethod.IN_PERSON or not consent.identity_document:
        return None
    return IdentityCheck(document=masked(consent.identity_document), scan_key=consent.identity_scan)


def register() -> None:
    """At startup (``subscribers.register_all``): the desk's dossier page shows the identity checked in person."""
    provenance.register_identity_reader(identity_check)
