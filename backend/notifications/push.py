"""Web Push (RFC 8030) through pywebpush: aes128gcm encryption (RFC 8291) and a VAPID signature (RFC 8292).

A push service answers 201 when it took the message; 404 or 410 when the subscription is gone (remove it);
429 or 5xx, a timeout or a refused connection when it may work later (retry); anything else is a refusal that
retrying will not change.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import socket
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver
from pywebpush import WebPushException, webpush_async

from backend.accounts.models import PushSubscription
from backend.notifications.vapid import VapidKeys


class Redirected(aiohttp.ClientError):
    """A push service answers; it does not send the portal elsewhere (which could be inside its own network)."""


async def _refuse_redirect(session, context, params) -> None:
    raise Redirected(f"push service redirected to {params.url}")


def push_session(allow_loopback: bool = False) -> aiohttp.ClientSession:
    """The sender's connection pool: public addresses only (loopback in demo mode), redirects refused."""
    refuse = aiohttp.TraceConfig()
    refuse.on_request_redirect.append(_refuse_redirect)
    connector = aiohttp.TCPConnector(resolver=PublicOnlyResolver(allow_loopback=allow_loopback))
    return aiohttp.ClientSession(connector=connector, trace_configs=[refuse])


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    GONE = "gone"
    RETRY = "retry"
    REFUSED = "refused"


@dataclass
class PushResult:
    outcome: Outcome
    detail: str = ""


@dataclass
class PushSender:
    keys: VapidKeys
    session: aiohttp.ClientSession
    timeout: float = 10.0
    ttl: int = 24 * 60 * 60  # a phone that is off for a day still gets the news

    async def send(self, subscription: PushSubscription, payload: dict[str, str]) -> PushResult:
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        try:
            await webpush_async(
                subscription_info=info,
                data=json.dumps(payload, ensure_ascii=False),
                vapid_private_key=self.keys.vapid,
                vapid_claims=self.keys.claims(),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                ttl=self.ttl,
                headers={"Urgency": "normal"},
                aiohttp_session=self.session,
            )
        except WebPushException as exc:
            status = exc.status_code
            if status in (404, 410):
                return PushResult(Outcome.GONE, f"HTTP {status}")
            if status is None or status == 429 or status >= 500:
                return PushResult(Outcome.RETRY, f"HTTP {status}")
            return PushResult(Outcome.REFUSED, f"HTTP {status}")
        except Redirected as exc:
            return PushResult(Outcome.REFUSED, str(exc)[:300])
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return PushResult(Outcome.RETRY, f"{type(exc).__name__}: {exc}"[:300])
        return PushResult(Outcome.DELIVERED)


class PublicOnlyResolver(AbstractResolver):
    """DNS that never hands the push sender a private, loopback or link-local address (loopback in demo mode).

    Endpoints are already limited to known push services; this also covers a DNS answer that points inside the
    portal's own network. (aiohttp does not ask the resolver about IP literals: ``push_session`` refuses redirects,
    and endpoints are host names of push services.)
    """

    def __init__(self, allow_loopback: bool = False) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self.allow_loopback = allow_loopback

    def _allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        return ip.is_global or (self.allow_loopback and ip.is_loopback)

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list:
        found = [info for info in await self._inner.resolve(host, port, family) if self._allowed(info["host"])]
        if not found:
            raise OSError(f"{host} has no public address: not a push service")
        return found

    async def close(self) -> None:
        await self._inner.close()
