"""The language is the first segment of every page's path: ``/km/procedures``.

This wraps the application's ASGI handler, outside Litestar's router, so route handlers keep
language-free paths. For a page request it strips the prefix and sets the language; a GET
without a prefix is redirected to the remembered or negotiated language; local redirects that
handlers return (``Redirect("/my/dossiers")``) get the current prefix; the choice is remembered
in a cookie for the next visit.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.i18n import current_locale, show_drafts
from backend.core.languages import LANGUAGES, negotiate

COOKIE = "portal_lang"
DISPLAY_COOKIE = "portal_display"
"""The display settings' cookie: ``reviewed`` in it means no unreviewed translation drafts."""
COOKIE_MAX_AGE = 60 * 60 * 24 * 365
MAX_SEGMENT = 80
"""No path segment of the portal is longer (codes are at most 40 characters, file names about 50)."""
NOT_PAGES = (
    "/static/",
    "/api/",
    "/sandbox/",
    "/dev/",
    "/schema",
    "/healthz",
    "/favicon.ico",
    "/sw.js",
    "/manifest.webmanifest",
)


def is_page_path(path: str) -> bool:
    return not (path in {p.rstrip("/") for p in NOT_PAGES} or path.startswith(NOT_PAGES))


def split_language(path: str) -> tuple[str | None, str]:
    """``/km/procedures`` -> ("km", "/procedures"); ``/procedures`` -> (None, "/procedures")."""
    first, _, rest = path.lstrip("/").partition("/")
    if first in LANGUAGES:
        return first, "/" + rest
    return None, path


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def _cookie(scope: Scope, name: str) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(_header(scope, b"cookie"))
    except Exception:  # a malformed cookie header: as if there were none
        return None
    found = cookie.get(name)
    return found.value if found is not None else None


def remembered_language(scope: Scope) -> str | None:
    remembered = _cookie(scope, COOKIE)
    return remembered if remembered in LANGUAGES else None


def wants_drafts(scope: Scope) -> bool:
    """False when the reader chose, in the display settings, to see only reviewed translations."""
    return "reviewed" not in (_cookie(scope, DISPLAY_COOKIE) or "").split(".")


def chosen_language(scope: Scope) -> str:
    """The language remembered in the cookie, else the best match for ``Accept-Language``."""
    return remembered_language(scope) or negotiate(_header(scope, b"accept-language"))


class LanguageRouting:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if any(len(segment) > MAX_SEGMENT for segment in scope["path"].split("/")):
            await _not_found(send, scope["path"])  # no identifier is that long: not a page, never a database lookup
            return
        code, path = split_language(scope["path"])
        if code is None and is_page_path(path) and scope.get("method") in ("GET", "HEAD"):
            await self._redirect(scope, send, chosen_language(scope))
            return
        looking = False
        if code is None:
            lang, remember = chosen_language(scope), False
        else:
            # A look at the Vietnamese original (?back=km) does not change the language remembered.
            looking = "back" in parse_qs(scope.get("query_string", b"").decode("latin-1"))
            lang, remember = code, remembered_language(scope) != code and not looking
            # A copy: the server's own scope (and its access log) keeps the path as requested.
            scope = scope.copy()
            scope["path"], scope["raw_path"] = path, path.encode()
        scope.setdefault("state", {})["language"] = lang
        scope["state"]["language_read"] = code is not None and not looking  # the account's language follows it
        token = current_locale.set(lang)
        drafts_token = show_drafts.set(wants_drafts(scope))
        try:
            await self.app(scope, receive, self._sender(send, lang, remember))
        finally:
            show_drafts.reset(drafts_token)
            current_locale.reset(token)

    @staticmethod
    async def _redirect(scope: Scope, send: Send, lang: str) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        target = f"/{lang}{quote(scope['path'])}" + (f"?{query}" if query else "")
        if scope["path"] == "/":
            target = f"/{lang}/" + (f"?{query}" if query else "")
        await send(
            {
                "type": "http.response.start",
                "status": 302,
                "headers": [
                    (b"location", target.encode("latin-1")),
                    (b"vary", b"Accept-Language, Cookie"),
                    (b"content-length", b"0"),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    @staticmethod
    def _sender(send: Send, lang: str, remember: bool) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                for key, value in message.get("headers", []):
                    if key.lower() == b"location":
                        value = _prefixed(value.decode("latin-1"), lang).encode("latin-1")
                    headers.append((key, value))
                if remember:
                    cookie = f"{COOKIE}={lang}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax"
                    headers.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped


async def _not_found(send: Send, path: str) -> None:
    body, kind = b"Not found", b"text/plain; charset=utf-8"
    if path.startswith("/api/"):  # the body every API error has (core.web.error_page), as the OpenAPI document says
        body, kind = b'{"status_code":404,"detail":"Not Found"}', b"application/json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _prefixed(location: str, lang: str) -> str:
    """Add the language to a local page redirect that lacks one."""
    if not location.startswith("/") or location.startswith("//"):
        return location
    code, path = split_language(location)
    if code is not None or not is_page_path(path.split("?")[0]):
        return location
    return f"/{lang}{location}"
