"""A sandbox push service (RFC 8030) with its own devices: what a phone's push service and the phone do together.

A ``SandboxDevice`` holds what a browser holds after ``PushManager.subscribe``: a P-256 key pair and an auth
secret, and it hands out the same subscription JSON. ``PushInbox`` checks each message as a push service does
(the VAPID JWT: ES256 signature by the ``k=`` key, ``aud`` is this origin, ``exp`` within 24 hours) and then
decrypts it as the browser does (aes128gcm, RFC 8291). ``PushReceiver`` serves that over HTTP on 127.0.0.1 so
the portal's real sender, pywebpush over aiohttp, is what the tests and the benchmark exercise.

In demo mode the same service is mounted at ``/sandbox/push``: Lan's "sandbox phone" (created by
``manage demo``) is subscribed there, so ``make run`` sends real pushes and /dev/outbox shows them decrypted.
Its keys are derived from the portal's secret, so they survive restarts without being stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections import deque
from collections.abc import MutableSequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from litestar import Request, Response, Router, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from backend.core.keys import SANDBOX_PUSH_DEVICE, derive_key
from backend.settings import Settings


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Rejected(Exception):
    """The push service refuses the request (HTTP 401/400)."""


def verify_vapid(authorization: str, origin: str, now: float | None = None) -> dict:
    """The claims of a valid ``vapid t=<JWT>, k=<key>`` header for this origin; raises ``Rejected`` otherwise."""
    now = time.time() if now is None else now
    scheme, _, params = authorization.partition(" ")
    fields = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
    if scheme.lower() != "vapid" or "t" not in fields or "k" not in fields:
        raise Rejected("no VAPID authorization")
    header_b64, claims_b64, signature_b64 = fields["t"].split(".")
    header, claims = json.loads(_unb64(header_b64)), json.loads(_unb64(claims_b64))
    if header.get("alg") != "ES256":
        raise Rejected("VAPID JWT must be ES256")
    raw = _unb64(signature_b64)
    signature = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(fields["k"]))
    try:
        public.verify(signature, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise Rejected("bad VAPID signature") from exc
    if claims.get("aud") != origin:
        raise Rejected(f"VAPID audience {claims.get('aud')!r} is not {origin!r}")
    if not now < claims.get("exp", 0) <= now + 24 * 3600:
        raise Rejected("VAPID JWT expired or valid for more than 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise Rejected("VAPID subject must be a mailto: or https: URL")
    return claims | {"k": fields["k"]}


@dataclass
class SandboxDevice:
    """A browser's side of one subscription."""

    name: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @classmethod
    def derived(cls, name: str, secret: str) -> SandboxDevice:
        """The same device every time for this name and secret (the demo's sandbox phone)."""
        key = derive_key(secret, SANDBOX_PUSH_DEVICE)
        seed = hmac.new(key, f"sandbox-push:{name}".encode(), hashlib.sha256).digest()
        order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
        private = ec.derive_private_key(int.from_bytes(seed) % (order - 1) + 1, ec.SECP256R1())
        return cls(name, private, hashlib.sha256(seed).digest()[:16])

    def subscription(self, base_url: str) -> dict:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        keys = {"p256dh": _b64(point), "auth": _b64(self.auth_secret)}
        return {"endpoint": f"{base_url}/push/{self.name}", "keys": keys}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        )


@dataclass
class Received:
    device: str
    payload: dict
    claims: dict
    ttl: int
    urgency: str


@dataclass
class PushInbox:
    """The push service's logic: who exists, what each device answers, what arrived."""

    devices: dict[str, SandboxDevice] = field(default_factory=dict)
    answers: dict[str, list[int]] = field(default_factory=dict)  # per device, statuses to answer first (410, 500)
    received: MutableSequence[Received] = field(default_factory=list)  # the demo's: a deque of the last 50
    rejected: list[str] = field(default_factory=list)

    def add(self, name: str) -> SandboxDevice:
        self.devices[name] = SandboxDevice(name)
        return self.devices[name]

    def accept(self, name: str, headers: dict[str, str], body: bytes, origin: str) -> int:
        """The status the push service answers for one request."""
        device = self.devices.get(name)
        if device is None:
            return 404
        queued = self.answers.get(name)
        if queued:
            return queued.pop(0)
        try:
            claims = verify_vapid(headers.get("authorization", ""), origin)
            if headers.get("content-encoding") != "aes128gcm" or "ttl" not in headers:
                raise Rejected("push messages need Content-Encoding: aes128gcm and a TTL")
            payload = device.decrypt(body)
        except (Rejected, ValueError, KeyError) as exc:
            self.rejected.append(f"{name}: {exc}")
            return 400 if not isinstance(exc, Rejected) else 401
        self.received.append(Received(name, payload, claims, int(headers["ttl"]), headers.get("urgency", "")))
        return 201


class PushReceiver:
    """``PushInbox`` over HTTP on 127.0.0.1; it can be stopped and started again on the same port."""

    def __init__(self, inbox: PushInbox | None = None, port: int = 0) -> None:
        self.inbox = inbox or PushInbox()
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        status = self.inbox.accept(request.match_info["name"], headers, await request.read(), self.base_url)
        return web.Response(status=status)

    async def start(self) -> PushReceiver:
        app = web.Application()
        app.router.add_post("/push/{name}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]  # the port the system chose, when asked for 0
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


DEMO_DEVICE = "demo-phone-lan"


def demo_subscription(settings) -> dict:
    """Lan's sandbox phone, as ``manage demo`` subscribes it."""
    base = f"{settings.base_url.rstrip('/')}/sandbox/push"
    return SandboxDevice.derived(DEMO_DEVICE, settings.secret_key).subscription(base)


def demo_inbox(settings) -> PushInbox:
    """The demo push service's inbox, with Lan's phone in it: one per app (``push_inbox``, backend/adapters.py)."""
    inbox = PushInbox()
    inbox.devices[DEMO_DEVICE] = SandboxDevice.derived(DEMO_DEVICE, settings.secret_key)
    inbox.received = deque(maxlen=50)
    return inbox


@post("/push/{name:str}", status_code=201)
async def receive_push(
    request: Request, settings: NamedDependency[Settings], push_inbox: NamedDependency[PushInbox], name: FromPath[str]
) -> Response:
    """RFC 8030: a push message for one of the sandbox's devices."""
    parts = urlsplit(settings.base_url)
    headers = {k.lower(): v for k, v in request.headers.items()}
    status = push_inbox.accept(name, headers, await request.body(), f"{parts.scheme}://{parts.netloc}")
    return Response(content=b"", status_code=status)


push_sandbox_router = Router(path="/sandbox/push", route_handlers=[receive_push], include_in_schema=False)
