"""Files in a local directory (the default: ``DATA_DIR``), written atomically, read off the event loop."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from anyio import open_file

from backend.storage.missing import Missing, check_key


class LocalStorage:
    """Keys are paths under ``root``. One machine only: several servers need object storage (``S3Storage``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, content: bytes) -> None:
        await asyncio.to_thread(_write_atomically, self.path(key), content)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self.path(key).read_bytes)
        except FileNotFoundError:
            raise Missing(key) from None

    async def size(self, key: str) -> int | None:
        try:
            return (await asyncio.to_thread(self.path(key).stat)).st_size
        except FileNotFoundError:
            return None

    async def exists(self, key: str) -> bool:
        return await self.size(key) is not None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)

    async def open(self, key: str):
        try:
            return await open_file(self.path(key), "rb")
        except FileNotFoundError:
            raise Missing(key) from None

    async def keys(self, prefix: str = "") -> AsyncIterator[str]:
        base = self.root / check_key(prefix) if prefix else self.root
        found = await asyncio.to_thread(lambda: sorted(p for p in base.rglob("*") if p.is_file()))
        for path in found:
            if not path.name.startswith("."):  # a write in progress
                yield path.relative_to(self.root).as_posix()


def _write_atomically(path: Path, content: bytes) -> None:
    """A temporary name, fsync, then rename into place: a crash leaves the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
