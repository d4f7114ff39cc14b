"""HTTP caching for pages anyone sees the same way: ETag, Cache-Control, 304, and a short in-process copy.

An ASGI wrapper inside ``LanguageRouting`` (the path has lost its language, ``state["language"]`` has it) and
outside ``FallbackMarkup`` (the body it sees is the final one). For a public path (``public_paths``) asked by
someone with no session cookie, a 200 answer without a form token and without cookies is kept for ``ttl``
seconds per language, path, query and display cookie, and sent with a strong ``ETag`` and ``Cache-Control:
public``; ``If-None-Match`` gets 304. A request with a session is never served from, nor stored in, the copy, and
its answer carries no ``public``: ``SecurityHeaders`` then marks it ``no-store``.

A copy also dies when a translation approved in the portal changes the texts (``text_store.STORE.version``).

A visitor without a CSRF cookie is given one only with a page holding a form (its token is in the page): other
answers (pages to read, JSON, static files) set no cookie, so they can be cached and shared.

Versioned static files (``/static/...?v=<hash>``, see ``pwa.shell.asset``) never change: ``immutable``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.types.asgi_types import HTTPResponseStartEvent, HTTPScope

from backend.core.buffered import BufferedSend

PUBLIC = b"public, max-age=300"
IMMUTABLE = b"public, max-age=31536000, immutable"
FOLLOW_SECONDS = 10.0  # a request waits this long at most for the same page being made, then makes its own
_FORM_TOKEN = b'name="_csrf_token"'
_TEXT = (b"text/", b"application/json")


@dataclass
class _Copy:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    stored: float
    version: int


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """If-None-Match's weak comparison: ``W/"x"`` matches ``"x"`` (compression makes ETags weak)."""
    if if_none_match.strip() == b"*":
        return True
    tags = (tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b","))
    return etag.removeprefix(b"W/") in tags


def _cookies(scope: Scope) -> SimpleCookie:
    cookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: as if there were none
                return SimpleCookie()
    return cookie


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class PublicCache:
    """See the module's docstring. ``version`` changes whenever shown texts change (translation approvals)."""

    def __init__(self, app: ASGIApp, *, public_paths: Callable[[str], bool], session_cookie: str, csrf_cookie: str,
                 version: Callable[[], int], ttl: float = 300, max_entries: int = 1000,
                 max_body: int = 512 * 1024, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.app = app
        self.public_paths = public_paths
        self.session_cookie = session_cookie
        self.csrf_prefix = csrf_cookie.encode() + b"="
        self.csrf_cookie = csrf_cookie
        self.version = version
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_body = max_body
        self.max_bytes = max_bytes  # every query string is a key: the least used go first past this
        self.size = 0
        self.copies: OrderedDict[tuple, _Copy] = OrderedDict()
        self.making: dict[tuple, asyncio.Event] = {}
        """Pages being made now: a request for one waits for it instead of making it again (at a cold start, 32
        requests at once each made the procedure page and the 32nd waited seconds)."""

    def clear(self) -> None:
        self.copies.clear()
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        session = cookies.get(self.session_cookie)
        anonymous = session is None or session.value in ("", "null")
        safe = scope["method"] in ("GET", "HEAD")
        key = None
        if anonymous and scope["method"] == "GET" and self.public_paths(scope["path"]):
            display = cookies.get("portal_display")
            key = (scope.get("state", {}).get("language"), scope["path"], scope.get("query_string", b""),
                   display.value if display else "")
            copy = self._fresh(key)
            if copy is None and key in self.making:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.making[key].wait(), FOLLOW_SECONDS)
                copy = self._fresh(key)
            if copy is not None:
                await _answer(scope, send, copy)
                return
        prune_csrf = safe and self.csrf_cookie not in cookies
        static = scope["path"].startswith("/static/") and b"v=" in scope.get("query_string", b"")
        if key is None and not prune_csrf and not static:
            await self.app(scope, receive, send)
            return
        if key is None or key in self.making:
            await self.app(scope, receive, _Capture(self, scope, send, key, prune_csrf, static))
            return
        made = self.making[key] = asyncio.Event()
        try:
            await self.app(scope, receive, _Capture(self, scope, send, key, prune_csrf, static))
        finally:
            del self.making[key]
            made.set()

    def _fresh(self, key: tuple) -> _Copy | None:
        copy = self.copies.get(key)
        if copy is None:
            return None
        if time.monotonic() - copy.stored > self.ttl or copy.version != self.version():
            self._drop(key)
            return None
        self.copies.move_to_end(key)
        return copy

    def keep(self, key: tuple, copy: _Copy) -> None:
        if len(copy.body) > self.max_body:
            return
        if key in self.copies:
            self._drop(key)
        self.copies[key] = copy
        self.size += len(copy.body)
        while len(self.copies) > self.max_entries or self.size > self.max_bytes:
            self._drop(next(iter(self.copies)))

    def _drop(self, key: tuple) -> None:
        self.size -= len(self.copies.pop(key).body)


class _Capture(BufferedSend):
    """Watches one answer: drops an unneeded CSRF cookie, marks static files, keeps a public page's copy."""

    def __init__(self, cache: PublicCache, scope: HTTPScope, send: Send, key: tuple | None, prune_csrf: bool,
                 static: bool) -> None:
        super().__init__(send)
        self.cache, self.scope, self.key = cache, scope, key
        self.prune_csrf, self.static = prune_csrf, static
        self.version = cache.version()  # before the page is made: a change while it is made spoils the copy

    async def on_start(self, message: HTTPResponseStartEvent) -> HTTPResponseStartEvent | None:
        headers = list(message.get("headers", []))
        kind = (_header(headers, b"content-type") or b"").lower()
        if self.static and message["status"] == 200:
            headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
            headers.append((b"cache-control", IMMUTABLE))
        if not kind.startswith(_TEXT):  # no form in it: it needs no CSRF cookie
            await self.send({**message, "headers": self._without_csrf(headers)})
            return None
        return {**message, "headers": headers}

    async def on_body(self, body: bytes) -> None:
        assert self.start is not None
        headers = list(self.start["headers"])
        if _FORM_TOKEN not in body:
            headers = self._without_csrf(headers)
        if self.key is not None and self.start["status"] == 200 and _FORM_TOKEN not in body and not any(
                k.lower() == b"set-cookie" for k, _ in headers):
            headers = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"etag")]
            if _header(headers, b"cache-control") is None:
                headers.append((b"cache-control", PUBLIC))
            headers.append((b"vary", b"Accept-Language, Cookie" if self.scope["path"].startswith("/api/")
                            else b"Cookie"))
            copy = _Copy(200, headers, body, etag_of(body), time.monotonic(), self.version)
            if self.version == self.cache.version():
                self.cache.keep(self.key, copy)
            await _answer(self.scope, self.send, copy)
            return
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})

    def _without_csrf(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        if not self.prune_csrf:
            return headers
        prefix = self.cache.csrf_prefix
        return [(k, v) for k, v in headers if not (k.lower() == b"set-cookie" and v.startswith(prefix))]


async def _answer(scope: HTTPScope, send: Send, copy: _Copy) -> None:
    """The copy, or 304 when the client holds it already."""
    etag_header = (b"etag", copy.etag)
    asked = _header(scope.get("headers", []), b"if-none-match")
    if asked is not None and matches(asked, copy.etag):
        kept = [(k, v) for k, v in copy.headers if k.lower() in (b"cache-control", b"vary")]
        await send({"type": "http.response.start", "status": 304, "headers": [*kept, etag_header]})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    headers = [*copy.headers, etag_header, (b"content-length", str(len(copy.body)).encode())]
    await send({"type": "http.response.start", "status": copy.status, "headers": headers})
    body = b"" if scope["method"] == "HEAD" else copy.body
    await send({"type": "http.response.body", "body": body, "more_body": False})
