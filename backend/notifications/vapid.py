"""VAPID keys (RFC 8292): the portal's identity towards push services, created on first run and kept.

The private key is a PEM file (0600) under ``DATA_DIR/vapid`` or where ``VAPID_PRIVATE_KEY_FILE`` says; the page
gets the public key as the ``applicationServerKey`` a browser subscribes with. Changing the key orphans every
subscription, so it is never rotated silently.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class VapidKeys:
    vapid: Vapid02
    subject: str

    @property
    def public_key(self) -> str:
        """The uncompressed P-256 point, base64url: what ``PushManager.subscribe`` takes."""
        point = self.vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def claims(self) -> dict[str, str]:
        """A fresh claims dict per message: pywebpush writes ``aud`` and ``exp`` into the one it is given."""
        return {"sub": self.subject}


def load_or_create(path: Path, subject: str) -> VapidKeys:
    """Read the key at ``path``; on first run create it (EC P-256), readable by the portal's user only."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
    return VapidKeys(Vapid02.from_file(str(path)), subject)
