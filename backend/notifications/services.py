"""A citizen's devices for push notifications: subscribe (upsert by endpoint), list, remove."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from backend.accounts.models import User
from backend.core.i18n import gettext
from backend.notifications.models import PushSubscription

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _decoded_length(value: str) -> int:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        return -1


def check(endpoint: str, p256dh: str, auth: str) -> str | None:
    """Why this is not a subscription a push service issued, or None. Plain HTTP only to this machine."""
    parts = urlsplit(endpoint)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)
    if not secure or len(endpoint) > 1000:
        return gettext("This browser gave an address the portal cannot send notifications to.")
    if _decoded_length(p256dh) != 65 or _decoded_length(auth) != 16:
        return gettext("This browser gave keys the portal cannot use for notifications.")
    return None


async def subscribe(user: User, endpoint: str, p256dh: str, auth: str, device: str) -> PushSubscription:
    """Keep this device's subscription for ``user``. A device that changed hands now notifies its new owner."""
    subscription, _ = await PushSubscription.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "device": device[:120]}
    )
    return subscription


async def devices(user: User) -> list[PushSubscription]:
    return await PushSubscription.filter(user=user).order_by("created_at", "id")


async def unsubscribe(user: User, *, endpoint: str | None = None, subscription_id: int | None = None) -> bool:
    query = PushSubscription.filter(user=user)
    query = query.filter(endpoint=endpoint) if endpoint is not None else query.filter(id=subscription_id)
    return await query.delete() > 0
