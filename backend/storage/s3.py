"""Files in S3-compatible object storage (``STORAGE_URL=s3://bucket/prefix``), through boto3 in threads.

boto3 is synchronous: every call runs in a worker thread (``asyncio.to_thread``), so the event loop never waits on
the network. A boto3 client is thread-safe; one per process is shared by all requests. An object appears whole
when its PUT completes, so no temporary name is needed as on a local disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from backend.storage.missing import Missing, check_key

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    def __init__(self, bucket: str, prefix: str, client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client

    @classmethod
    def from_settings(cls, settings) -> S3Storage:
        import boto3
        from botocore.config import Config

        parts = urlsplit(settings.storage_url)
        if not parts.netloc:
            raise ValueError(f"STORAGE_URL names no bucket: {settings.storage_url!r} (s3://bucket/prefix)")
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region or None,
            # Empty: boto3's own chain (environment, instance role, ~/.aws).
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=settings.s3_secret_access_key or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=32,
                          connect_timeout=5, read_timeout=30),
        )
        return cls(parts.netloc, parts.path, client)

    def object_key(self, key: str) -> str:
        return self.prefix + check_key(key)

    async def put(self, key: str, content: bytes) -> None:
        await asyncio.to_thread(self.client.put_object, Bucket=self.bucket, Key=self.object_key(key), Body=content)

    async def get(self, key: str) -> bytes:
        reader = await self.open(key)
        async with reader:
            return await reader.read()

    async def size(self, key: str) -> int | None:
        try:
            head = await asyncio.to_thread(self.client.head_object, Bucket=self.bucket, Key=self.object_key(key))
        except Exception as exc:
            if _not_found(exc):
                return None
            raise
        return int(head["ContentLength"])

    async def exists(self, key: str) -> bool:
        return await self.size(key) is not None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self.object_key(key))

    async def open(self, key: str) -> _ObjectReader:
        try:
            answer = await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=self.object_key(key))
        except Exception as exc:
            if _not_found(exc):
                raise Missing(key) from None
            raise
        return _ObjectReader(answer["Body"])

    async def keys(self, prefix: str = "") -> AsyncIterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + (check_key(prefix) if prefix else ""))
        iterator = iter(pages)
        while page := await asyncio.to_thread(next, iterator, None):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):]


class _ObjectReader:
    """The object's body, read in chunks in a thread (what a download streams to the citizen)."""

    def __init__(self, body: Any) -> None:
        self.body = body

    async def read(self, size: int = -1) -> bytes:
        return await asyncio.to_thread(self.body.read, None if size < 0 else size)

    async def __aenter__(self) -> _ObjectReader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.body.close)


def _not_found(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", "")) in _NOT_FOUND
