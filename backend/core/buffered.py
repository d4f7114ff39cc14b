"""A ``send`` that holds a response until its whole body has arrived: for the ASGI steps that rewrite a body
(language marks, compression) or decide on its headers from it (the public cache)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from litestar.types import Message, Send
from litestar.types.asgi_types import HTTPResponseStartEvent


class BufferedSend(ABC):
    """Subclasses say in ``on_start`` whether to hold a response, and get its whole body in ``on_body``."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.start: HTTPResponseStartEvent | None = None
        self.body: list[bytes] = []

    @abstractmethod
    async def on_start(self, message: HTTPResponseStartEvent) -> HTTPResponseStartEvent | None:
        """The start message to hold (possibly changed), or None after sending it on: then the body passes."""

    @abstractmethod
    async def on_body(self, body: bytes) -> None:
        """The whole body of a held response: send ``self.start`` (or another start) and a body."""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = await self.on_start(message)
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.body.append(message.get("body", b""))
        if message.get("more_body"):
            return
        await self.on_body(b"".join(self.body))

    async def send_whole(self, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        """The held start with ``headers`` and a content-length for ``body``, then the body."""
        assert self.start is not None
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})
