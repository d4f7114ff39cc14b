"""The app shell's server side: hashed static URLs, the deploy's version, who the cached pages belong to."""

from __future__ import annotations

import hashlib
import hmac
import time
from pathlib import Path

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.keys import USER_TAGS, derive_key
from backend.settings import ROOT

STATIC_DIR = ROOT / "pwa"
USER_HEADER = b"x-portal-user"
_file_hashes: dict[tuple[Path, int, int], str] = {}
_versions: dict[tuple, str] = {}
_asset_urls: dict[str, tuple[float, str]] = {}
ASSET_RECHECK_SECONDS = 1.0


def file_hash(path: Path) -> str:
    """The first 10 hex digits of the file's SHA-256, remembered until the file changes."""
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _file_hashes:
        _file_hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return _file_hashes[key]


def asset(name: str) -> str:
    """``asset("css/portal.css")`` -> ``/static/css/portal.css?v=<hash>``: a new URL whenever the file changes,
    so the service worker may serve it from its cache first. Every page's layout asks for a dozen: each URL is
    kept for a second, so a busy process looks at a file once a second, not a dozen times a page (a stat each
    was 4% of a signed-in page's time), and an edited file still shows within a second under ``make run``."""
    now = time.monotonic()
    kept = _asset_urls.get(name)
    if kept is not None and kept[0] > now:
        return kept[1]
    try:
        url = f"/static/{name}?v={file_hash(STATIC_DIR / name)}"
    except OSError:
        url = f"/static/{name}"
    _asset_urls[name] = (now + ASSET_RECHECK_SECONDS, url)  # one entry per asset name the templates use
    return url


def static_version(directory: Path = STATIC_DIR) -> str:
    """One hash over every static file (names and contents): a deploy that changes any of them changes it."""
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    stamp = tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if stamp not in _versions:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0" + file_hash(path).encode())
        _versions[stamp] = digest.hexdigest()[:12]
    return _versions[stamp]


def user_tag(user, secret: str) -> str:
    """An opaque tag for the signed-in account ("" for nobody): the service worker drops the personal pages
    it keeps when the tag changes (sign-out, another person signing in), without learning who it is."""
    if user is None:
        return ""
    key = derive_key(secret, USER_TAGS)
    return hmac.new(key, f"portal-user:{user.id}".encode(), hashlib.sha256).hexdigest()[:16]


def portal_user(request, secret: str) -> str:
    """``user_tag`` for templates; error pages rendered before the user is known count as nobody."""
    return user_tag(getattr(request.state, "user", None), secret)


class UserTagHeader(ASGIMiddleware):
    """``X-Portal-User: <tag>`` on every page response; runs inside ``UserMiddleware``."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, secret: str) -> None:
        self.secret = secret  # the settings' secret key: a middleware is given what it needs when it is built

    def should_bypass_for_scope(self, scope: Scope) -> bool:
        return scope["path"].startswith(("/static/", "/sandbox/", "/api/"))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user = scope.get("state", {}).get("user")
        tag = user_tag(user, self.secret).encode()

        async def send_with_tag(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (USER_HEADER, tag)]}
            await send(message)

        await next_app(scope, receive, send_with_tag)
