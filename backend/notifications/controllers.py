"""Push opt-in: the public key for the page, subscribe and unsubscribe (JSON), and removing a device (a form)."""

from __future__ import annotations

from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.openapi import ResponseSpec
from litestar.params import FromPath
from litestar.response import Redirect
from msgspec import Struct

from backend.accounts.controllers import json_body, json_error
from backend.accounts.services import device_name_of
from backend.accounts.web import current_user, signed_in
from backend.core.i18n import gettext
from backend.notifications import services
from backend.notifications.vapid import VapidKeys
from backend.settings import Settings


class Subscribed(Struct):
    id: int
    device: str
    message: str


class PushRefusal(Struct):
    """``accounts.controllers.json_error``'s body: a sentence for the page to show."""

    error: str


# 401: not signed in; 403: no CSRF token (the page sends it in X-CSRFToken).
_SIGNED_IN = [NotAuthorizedException, PermissionDeniedException]
_REFUSED = {400: ResponseSpec(PushRefusal, description="Not an address the portal can send to, or ten devices already",
                              generate_examples=False),
            409: ResponseSpec(PushRefusal, description="The device is another account's", generate_examples=False)}


@get("/api/v1/push/key", tags=["notifications"])
async def public_key(vapid: NamedDependency[VapidKeys]) -> dict[str, str]:
    """The VAPID public key browsers subscribe with (``applicationServerKey``)."""
    return {"public_key": vapid.public_key}


@post("/api/v1/push/subscriptions", guards=[signed_in], tags=["notifications"], status_code=201, raises=_SIGNED_IN,
      responses=_REFUSED)
async def subscribe(request: Request, settings: NamedDependency[Settings]) -> Response[Subscribed]:
    """Store this device's ``PushSubscription.toJSON()``; the citizen asked for it (never automatic)."""
    body = await json_body(request)
    keys = body.get("keys")
    if not isinstance(keys, dict):
        keys = {}
    endpoint, p256dh, auth = str(body.get("endpoint", "")), str(keys.get("p256dh", "")), str(keys.get("auth", ""))
    problem = services.check(endpoint, p256dh, auth, demo=settings.demo_mode, extra_hosts=settings.push_service_hosts,
                             sandbox=settings.sandbox_push_prefix)
    if problem:
        return json_error(problem)
    device = device_name_of(request.headers)
    try:
        subscription = await services.subscribe(current_user(request), endpoint, p256dh, auth, device)
    except services.TooManyDevices:
        return json_error(gettext("Ten devices already get notifications. Remove one on your account page first."))
    except services.HeldByAnotherAccount:
        return json_error(gettext("This device gets notifications for another account. Sign that account out on "
                                  "this device, then turn notifications on again."), status_code=409)
    message = gettext("Notifications are on for this device (%(device)s).", device=subscription.device)
    return Response(Subscribed(subscription.id, subscription.device, message), status_code=201)


@delete("/api/v1/push/subscriptions", guards=[signed_in], tags=["notifications"], status_code=200, raises=_SIGNED_IN)
async def unsubscribe(request: Request) -> dict[str, str | bool]:
    """Forget this device's subscription (the page also unsubscribes it in the browser)."""
    body = await json_body(request)
    removed = await services.unsubscribe(current_user(request), endpoint=str(body.get("endpoint", "")))
    return {"removed": removed, "message": gettext("Notifications are off for this device.")}


@post("/account/notifications/{subscription_id:int}/remove", guards=[signed_in])
async def remove_device(request: Request, subscription_id: FromPath[int]) -> Redirect:
    """The account page's Remove button: works without JavaScript, for any of the citizen's devices."""
    if await services.unsubscribe(current_user(request), subscription_id=subscription_id):
        request.session["notice"] = gettext("That device will no longer get notifications.")
    return Redirect("/account#notifications")


route_handlers = [public_key, subscribe, unsubscribe]
page_handlers = [remove_device]
