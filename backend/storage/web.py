"""Serving a stored file through the portal: the same response, headers and access checks for either store.

The bytes always pass through the portal (no redirect to a presigned URL): the handler has checked who may read
the file, and the headers it sets (attachment and ``nosniff`` for citizens' uploads, ``no-cache`` for results)
reach the browser whatever the store.
"""

from __future__ import annotations

from typing import Any, Literal

from litestar.datastructures import ETag
from litestar.exceptions import NotFoundException
from litestar.response import File

from backend.storage import Storage


class _StoredFiles:
    """Litestar's ``FileSystemProtocol`` over a ``Storage``: ``File`` reads the object in chunks through it."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    async def info(self, path: Any, **kwargs: Any) -> dict:
        size = await self.storage.size(str(path))
        if size is None:
            raise FileNotFoundError(str(path))
        return {"name": str(path), "size": size, "type": "file", "islink": False}

    async def open(self, file: Any, mode: str = "rb", buffering: int = -1):
        return await self.storage.open(str(file))


async def stored_file(storage: Storage, key: str, *, filename: str, media_type: str,
                      disposition: Literal["attachment", "inline"], sha256: str = "",
                      headers: dict[str, str] | None = None) -> File:
    """A ``File`` response streaming ``key``; 404 when the store has nothing under it."""
    files = _StoredFiles(storage)
    try:
        info = await files.info(key)
    except FileNotFoundError:
        raise NotFoundException() from None
    return File(
        path=key,
        # Litestar's types ask for fsspec's whole stat record and open() overloads; File reads only the type, the
        # size and (when there) a modification time, and opens in "rb": what _StoredFiles gives.
        file_system=files,  # type: ignore[arg-type]
        file_info=info,  # type: ignore[arg-type]
        filename=filename,
        media_type=media_type,
        content_disposition_type=disposition,
        etag=ETag(value=sha256) if sha256 else None,
        headers=headers or {},
    )
