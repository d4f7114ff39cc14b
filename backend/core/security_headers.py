"""Security headers on every response, in one place (issue 14, finding 8).

The pages have no inline script or style, so the Content Security Policy is strict: everything from the portal
itself, no ``unsafe-inline``, no framing. A form may also post (and a payment redirect go) to the payment
gateway. The OpenAPI viewers under ``/schema`` load their scripts from CDNs and keep Litestar's own headers.

A response to someone with a session (signed in, or halfway through signing in) is theirs alone: ``Cache-Control:
no-store`` unless the handler chose its own, so the next person on a shared phone or behind a shared proxy never
gets it from a cache. Pages anyone sees the same way (no session cookie) keep their caching. The service worker
keeps its own offline copies of personal pages in Cache Storage, which HTTP caching rules do not govern.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(form_targets: tuple[str, ...] = ()) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action " + " ".join(("'self'", *form_targets)),
    ])


class SecurityHeaders:
    """Adds the headers to each response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, payment_gateway_url: str = "", hsts: bool = False,
                 session_cookie: str = "") -> None:
        self.app = app
        self.session_cookie = session_cookie
        gateway = urlsplit(payment_gateway_url)
        targets = (f"{gateway.scheme}://{gateway.netloc}",) if gateway.scheme and gateway.netloc else ()
        self.headers = [
            (b"content-security-policy", content_security_policy(targets).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(self), microphone=(), geolocation=(), payment=(), usb=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/schema"):
            await self.app(scope, receive, send)
            return

        private = self._has_session(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                if private and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)

    def _has_session(self, scope: Scope) -> bool:
        if not self.session_cookie or scope["path"].startswith("/static/"):
            return False  # static files are the same for everyone, whoever asks
        for name, value in scope.get("headers", []):
            if name.lower() == b"cookie":
                for part in value.decode("latin-1").split(";"):
                    key, _, content = part.strip().partition("=")
                    if key == self.session_cookie and content and content != "null":
                        return True
        return False
