"""The one-time handover code: 6 digits derived from the portal's secret, checked against a salted hash.

The database keeps a random nonce and the scrypt hash, never the code: the citizen's own page derives it again
to show it, and the code the postman types, sent with the post's "delivered" event, is checked against the hash
(the post never receives the code nor a digest of it).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets

from backend.core.keys import HANDOVER_CODES, derive_key
from backend.delivery.constants import FINAL
from backend.delivery.models import DeliveryBooking
from backend.dossiers.models import Dossier


def handover_code(secret_key: str, dossier_code: str, nonce: str) -> str:
    """The 6-digit code, derived from the portal's secret: the database keeps only its hash and the nonce."""
    key = derive_key(secret_key, HANDOVER_CODES)
    digest = hmac.new(key, f"handover:{dossier_code}:{nonce}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def hash_code(code: str, salt: str | None = None) -> str:
    """scrypt (about 50 ms of CPU): from a request handler, call ``new_hash`` or ``code_matches`` instead."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt}${digest.hex()}"


async def new_hash(code: str) -> str:
    """``hash_code`` in a worker thread: the event loop keeps serving other requests meanwhile."""
    return await asyncio.to_thread(hash_code, code)


async def code_matches(code: str, stored: str) -> bool:
    """Whether ``code`` is the one ``stored`` hashes; scrypt runs in a worker thread, not on the event loop."""
    try:
        _, salt, _ = stored.split("$")
    except ValueError:
        return False
    if not re.fullmatch(r"[0-9]{6}", code or ""):
        return False
    return hmac.compare_digest(await asyncio.to_thread(hash_code, code, salt), stored)


def citizen_code(booking: DeliveryBooking, dossier: Dossier, secret_key: str) -> str | None:
    """The code the citizen gives the courier, shown on their own dossier page until delivery."""
    if booking.handed_over_at is None or not booking.handover_nonce or booking.status in FINAL:
        return None  # not with the post yet (a handover in progress, or one that failed), or over
    if booking.handover_locked:
        return None
    return handover_code(secret_key, dossier.code, booking.handover_nonce)
