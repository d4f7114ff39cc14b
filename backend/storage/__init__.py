"""Where uploaded documents and result PDFs are kept: a local directory, or S3-compatible object storage.

Keys are relative paths such as ``uploads/12/3f9c….pdf``: the same key names the same file in either store, so a
portal can move from one to the other by copying the files. ``open_storage(settings)`` picks the store from
``STORAGE_URL`` (empty: ``DATA_DIR``; ``s3://bucket/prefix``: a bucket). Domains import this package; ``core``
does not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from backend.storage.local import LocalStorage
from backend.storage.missing import Missing, check_key

__all__ = ["LocalStorage", "Missing", "Reader", "Storage", "check_key", "open_storage"]


class Reader(Protocol):
    """A stored file opened for reading in chunks (what Litestar's ``File`` response reads from)."""

    async def read(self, size: int = -1) -> bytes: ...

    async def __aenter__(self) -> Reader: ...

    async def __aexit__(self, *exc: object) -> None: ...


@runtime_checkable  # handlers are given one by dependency injection, which checks its type
class Storage(Protocol):
    """The operations the portal needs; every one is safe to call from the event loop."""

    async def put(self, key: str, content: bytes) -> None:
        """Store ``content`` whole under ``key``: readers see the old file or the new one, never half of it."""

    async def get(self, key: str) -> bytes:
        """The stored bytes; raises ``Missing``."""

    async def size(self, key: str) -> int | None:
        """The stored size in bytes; None when nothing is stored under ``key``."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove ``key``; a key already gone is not an error."""

    async def open(self, key: str) -> Reader:
        """Read in chunks (for serving large files without holding them); raises ``Missing``."""

    def keys(self, prefix: str = "") -> AsyncIterator[str]:
        """Every key under ``prefix`` (for tests and maintenance)."""


def open_storage(settings) -> Storage:
    """The store ``settings.storage_url`` names (imports boto3 only when it is S3)."""
    url = getattr(settings, "storage_url", "") or ""
    if url.startswith("s3://"):
        from backend.storage.s3 import S3Storage

        return S3Storage.from_settings(settings)
    if url:
        raise ValueError(f"STORAGE_URL must be empty (the data directory) or s3://bucket/prefix, not {url!r}")
    return LocalStorage(settings.data_dir)
