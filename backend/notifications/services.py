"""A citizen's devices for push notifications: subscribe (upsert by endpoint), remove; the account page lists them
(``accounts.services.push_devices``)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import SplitResult, urlsplit

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts.models import PushSubscription, User
from backend.core.i18n import gettext

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
# The browsers' push services. The worker POSTs to whatever endpoint a browser handed over, so only these are
# accepted: anything else would let a signed-in person make the portal call hosts of their choosing.
PUSH_SERVICES = (
    "fcm.googleapis.com",  # Chrome, Edge, Samsung Internet, Opera, most Android browsers
    ".push.services.mozilla.com",  # Firefox
    ".notify.windows.com",  # Edge's legacy service
    ".push.apple.com",  # Safari
)
MAX_DEVICES = 10


def _sandbox_endpoint(parts: SplitResult, sandbox: str) -> bool:
    """Under the sandbox push service's own URL on this machine: its port and path, not any local port."""
    own = urlsplit(sandbox)
    try:
        same_port = parts.port == own.port
    except ValueError:
        return False
    return (parts.scheme == own.scheme and (parts.hostname or "").lower() in LOCAL_HOSTS
            and (own.hostname or "").lower() in LOCAL_HOSTS and same_port and not parts.username
            and parts.path.startswith(own.path) and ".." not in parts.path and "%" not in parts.path)


def allowed_endpoint(endpoint: str, *, demo: bool, extra_hosts: tuple[str, ...] = (), sandbox: str = "") -> bool:
    """An https URL of a known push service (or of ``extra_hosts``); in demo mode also the sandbox push service
    on this machine (``sandbox``: its URL, ``Settings.sandbox_push_prefix``)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if demo and sandbox and host in LOCAL_HOSTS:
        return _sandbox_endpoint(parts, sandbox) and len(endpoint) <= 1000
    known = any(host == h.lstrip(".") or (h.startswith(".") and host.endswith(h)) for h in PUSH_SERVICES)
    return parts.scheme == "https" and (known or host in extra_hosts) and not parts.username and len(endpoint) <= 1000


def _decoded_length(value: str) -> int:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        return -1


def check(endpoint: str, p256dh: str, auth: str, *, demo: bool, extra_hosts: tuple[str, ...] = (),
          sandbox: str = "") -> str | None:
    """Why this is not a subscription a push service issued, or None."""
    if not allowed_endpoint(endpoint, demo=demo, extra_hosts=extra_hosts, sandbox=sandbox):
        return gettext("This browser gave an address the portal cannot send notifications to.")
    if _decoded_length(p256dh) != 65 or _decoded_length(auth) != 16:
        return gettext("This browser gave keys the portal cannot use for notifications.")
    return None


class TooManyDevices(Exception):
    """Ten devices already get notifications; one must be removed first."""


class HeldByAnotherAccount(Exception):
    """The endpoint gets another account's news; its browser must drop that subscription first."""


async def subscribe(user: User, endpoint: str, p256dh: str, auth: str, device: str) -> PushSubscription:
    """Keep this device's subscription for ``user`` (its keys renewed when it subscribes again).

    An endpoint belongs to one account. A browser hands the same subscription (endpoint and keys) to whoever
    asks, so a second person signed in on a shared phone would get the same one: taking it over would move the
    first person's news to them. Signing out unsubscribes the device (``app-shell.mjs``), and the browser then
    makes a new endpoint; until then ``HeldByAnotherAccount``.
    """
    try:
        return await _subscribe(user, endpoint, p256dh, auth, device)
    except IntegrityError:  # another account stored this endpoint at the same moment (endpoints are unique)
        raise HeldByAnotherAccount() from None


async def _subscribe(user: User, endpoint: str, p256dh: str, auth: str, device: str) -> PushSubscription:
    async with in_transaction() as conn:
        # The account row is locked (PostgreSQL; SQLite writes one at a time): two devices subscribing at once
        # are counted one after the other.
        await User.filter(id=user.id).using_db(conn).select_for_update().get()
        if await PushSubscription.filter(endpoint=endpoint).exclude(user_id=user.id).using_db(conn).exists():
            raise HeldByAnotherAccount()
        mine = PushSubscription.filter(user=user).using_db(conn)
        if not await mine.filter(endpoint=endpoint).exists() and await mine.count() >= MAX_DEVICES:
            raise TooManyDevices()
        subscription, _ = await PushSubscription.update_or_create(
            endpoint=endpoint, user_id=user.id, defaults={"p256dh": p256dh, "auth": auth, "device": device[:120]},
            using_db=conn,
        )
    return subscription


async def unsubscribe(user: User, *, endpoint: str | None = None, subscription_id: int | None = None) -> bool:
    query = PushSubscription.filter(user=user)
    query = query.filter(endpoint=endpoint) if endpoint is not None else query.filter(id=subscription_id)
    return await query.delete() > 0
