"""The one-time handover code: 6 digits derived from the portal's secret, checked against a salted hash.

The database keeps a random nonce and the scrypt hash, never the code: the citizen's own page derives it again
to show it, and the code the postman types, sent with the post's "delivered" event, is checked against the hash
(the post never receives the code nor a digest of it).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from backend.delivery.constants import FINAL
from backend.delivery.models import DeliveryBooking
from backend.dossiers.models import Dossier


def handover_code(secret_key: str, dossier_code: str, nonce: str) -> str:
    """The 6-digit code, derived from the portal's secret: the database keeps only its hash and the nonce."""
    digest = hmac.new(secret_key.encode(), f"handover:{dossier_code}:{nonce}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def hash_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt}${digest.hex()}"


def code_matches(code: str, stored: str) -> bool:
    try:
        _, salt, _ = stored.split("$")
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9]{6}", code or "")) and hmac.compare_digest(hash_code(code, salt), stored)


def citizen_code(booking: DeliveryBooking, dossier: Dossier, secret_key: str) -> str | None:
    """The code the citizen gives the courier, shown on their own dossier page until delivery."""
    if not booking.handover_nonce or booking.status in FINAL or booking.handover_locked:
        return None
    return handover_code(secret_key, dossier.code, booking.handover_nonce)
