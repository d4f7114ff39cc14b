"""One key per purpose, derived from ``SECRET_KEY`` (HKDF-SHA256, RFC 5869).

A CSRF token, a courier's handover code and a passkey's user handle are each signed with a key of their own:
a value made for one purpose is never valid for another, and one key leaking (in a log, a test) says nothing
about the others. ``info`` is the purpose's name, so the names below must never change once deployed.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CSRF = "portal csrf tokens v1"
HANDOVER_CODES = "portal delivery handover codes v1"
PASSKEY_HANDLES = "portal passkey user handles v1"
USER_TAGS = "portal service worker user tags v1"
SANDBOX_COURIER = "sandbox courier page forms v1"
SANDBOX_PUSH_DEVICE = "sandbox push demo device v1"


@lru_cache(maxsize=64)
def derive_key(secret: str, purpose: str) -> bytes:
    """32 bytes for ``purpose``: the same secret and purpose give the same key; another purpose, another key."""
    if not secret:
        raise ValueError("SECRET_KEY is empty: no key can be derived from it")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(secret.encode())


def derive_text_key(secret: str, purpose: str) -> str:
    """``derive_key`` as hex, for APIs that take a string secret (Litestar's CSRF middleware)."""
    return derive_key(secret, purpose).hex()
