"""Uploaded documents: the type is decided by the bytes, not the name, and nothing is half-stored."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from backend.core.i18n import gettext

# Magic numbers of the types the catalogue accepts.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


class UploadRejected(Exception):
    """A translated sentence saying what was wrong with the file."""


def sniff(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(s) for s in signatures):
            return kind
    return None


@dataclass
class StoredFile:
    kind: str
    size: int
    sha256: str
    storage_name: str


def check_content(content: bytes, accepted: list[str], max_bytes: int) -> str:
    """The detected type, or UploadRejected with a message naming what is accepted."""
    if not content:
        raise UploadRejected(gettext("The selected file is empty"))
    if len(content) > max_bytes:
        raise UploadRejected(gettext("The selected file must be smaller than %(mb)s MB", mb=max_bytes // (1024 * 1024)))
    kind = sniff(content[:16])
    if kind is None or kind not in accepted:
        raise UploadRejected(
            gettext("The selected file must be a %(types)s", types=", ".join(t.upper() for t in accepted))
        )
    return kind


def write_file(directory: Path, content: bytes, kind: str) -> StoredFile:
    """Write atomically: a temporary name, fsync, then rename into place."""
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind}"
    temporary = directory / f".{name}.part"
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, directory / name)
    return StoredFile(kind, len(content), hashlib.sha256(content).hexdigest(), name)
