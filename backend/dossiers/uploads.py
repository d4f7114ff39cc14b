"""Uploaded documents: the type is decided by the bytes, not the name, and nothing is half-stored.

Two steps: ``check_content`` reads the first bytes (cheap, before anything else), then ``parse_claimed`` has a
check worker open the whole file as what those bytes claim: a PDF must parse, an image must decode. A file
that starts like a PDF and goes on as a web page is refused there.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from backend.core.i18n import gettext
from backend.documents.checks import CheckPoolBusy, FileCheck, busy_message
from backend.storage import Storage

Inspect = Callable[[bytes, str], Awaitable[FileCheck]]
"""Opens ``content`` as ``kind`` in a check worker: ``documents.checks.inspect_upload`` with its pool and roots."""

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


async def parse_claimed(content: bytes, kind: str, inspect: Inspect) -> FileCheck:
    """What the check worker found in a file that opens as ``kind``; UploadRejected when it does not."""
    try:
        check = await inspect(content, kind)
    except CheckPoolBusy:
        raise UploadRejected(busy_message()) from None
    if check.too_complex and not check.readable:
        raise UploadRejected(gettext("This file is too complex to check. Save or scan it again, and upload that."))
    if not check.readable:
        raise UploadRejected(gettext(
            "The selected file is damaged, or is not really a %(type)s. Save or scan it again, and upload that.",
            type=kind.upper()))
    return check


async def write_file(files: Storage, folder: str, content: bytes, kind: str) -> StoredFile:
    """Store under ``folder/<random name>.<kind>``, whole or not at all (the store writes atomically)."""
    name = f"{secrets.token_hex(16)}.{kind}"
    await files.put(f"{folder}/{name}", content)
    return StoredFile(kind, len(content), hashlib.sha256(content).hexdigest(), name)
