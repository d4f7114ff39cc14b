"""Brotli or gzip for HTML, CSS, JavaScript, JSON and SVG, as the response leaves the portal.

The outermost ASGI wrapper, so it compresses the final body: ``FallbackMarkup`` has rewritten it and
``PublicCache`` has given it its ETag (Litestar's own compression middleware would run inside them, before the
markup is resolved). A compressed answer's ETag becomes weak (``W/"..."``), as the bytes differ from the plain
ones; ``If-None-Match`` compares weakly, so the copy still answers 304. Answers with an ETag (static files,
public pages) are compressed once and the result kept, so a popular page costs one compression, not one per
request.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict

import brotli
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.types.asgi_types import HTTPResponseStartEvent

from backend.core.buffered import BufferedSend
from backend.core.headers import weighted

COMPRESSIBLE = (b"text/", b"application/json", b"application/javascript", b"application/manifest+json",
                b"image/svg+xml", b"application/xml")
MINIMUM_SIZE = 500
"""Smaller bodies gain less than the ``Content-Encoding`` header costs."""


def chosen_encoding(accept_encoding: str) -> str | None:
    """``br`` when the client takes it, else ``gzip``, else None (``q=0`` refuses one)."""
    offered = dict(weighted(accept_encoding))
    for name in ("br", "gzip"):
        if offered.get(name, offered.get("*", 0.0)) > 0:
            return name
    return None


def compress(body: bytes, encoding: str, *, static: bool = False) -> bytes:
    if encoding == "br":  # the best for files compressed once per deploy, a fast one for pages made per request
        return brotli.compress(body, quality=11 if static else 5)
    return gzip.compress(body, compresslevel=9 if static else 6, mtime=0)


class Compression:
    def __init__(self, app: ASGIApp, *, kept: int = 512) -> None:
        self.app = app
        self.kept = kept
        self.results: OrderedDict[tuple, bytes] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        encoding = None
        if scope["type"] == ScopeType.HTTP and scope["method"] != "HEAD":
            for name, value in scope.get("headers", []):
                if name == b"accept-encoding":
                    encoding = chosen_encoding(value.decode("latin-1"))
        if encoding is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Compressing(self, scope, send, encoding))

    def compressed(self, key: tuple | None, body: bytes, encoding: str, static: bool) -> bytes:
        if key is None:
            return compress(body, encoding, static=static)
        found = self.results.get(key)
        if found is None:
            found = self.results[key] = compress(body, encoding, static=static)
            while len(self.results) > self.kept:
                self.results.popitem(last=False)
        self.results.move_to_end(key)
        return found


class _Compressing(BufferedSend):
    def __init__(self, owner: Compression, scope: Scope, send: Send, encoding: str) -> None:
        super().__init__(send)
        self.owner, self.scope, self.encoding = owner, scope, encoding

    async def on_start(self, message: HTTPResponseStartEvent) -> HTTPResponseStartEvent | None:
        headers = dict((k.lower(), v) for k, v in message.get("headers", []))
        kind = headers.get(b"content-type", b"").lower()
        length = headers.get(b"content-length")
        if (message["status"] < 200 or message["status"] in (204, 304) or b"content-encoding" in headers
                or not kind.startswith(COMPRESSIBLE) or (length is not None and int(length) < MINIMUM_SIZE)):
            await self.send(message)
            return None
        return message

    async def on_body(self, body: bytes) -> None:
        assert self.start is not None
        headers = [(k, v) for k, v in self.start.get("headers", []) if k.lower() != b"content-length"]
        if len(body) < MINIMUM_SIZE:
            await self.send_whole(headers, body)
            return
        etag = next((v for k, v in headers if k.lower() == b"etag"), None)
        static = self.scope["path"].startswith("/static/")
        key = (self.scope["path"], etag, self.encoding) if etag else None
        packed = self.owner.compressed(key, body, self.encoding, static)
        out = []
        vary_done = False
        for name, value in headers:
            if name.lower() == b"etag" and not value.startswith(b"W/"):
                value = b"W/" + value
            elif name.lower() == b"vary":
                value, vary_done = value + b", Accept-Encoding", True
            out.append((name, value))
        if not vary_done:
            out.append((b"vary", b"Accept-Encoding"))
        out += [(b"content-encoding", self.encoding.encode()), (b"content-length", str(len(packed)).encode())]
        await self.send({**self.start, "headers": out})
        await self.send({"type": "http.response.body", "body": packed, "more_body": False})
