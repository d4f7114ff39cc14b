"""Idempotency keys: a form sent twice (a double click, an offline draft replayed) counts once.

A key comes in the ``Idempotency-Key`` header or the hidden form field ``idempotency_key``. The first
request with a key claims it (a row, unique per account and key) and runs; a later request with the
same key gets the first outcome (the same redirect) without running again. While the first is still
running, a repeat answers 409; a key sent to another address is refused (422). An outcome that is not
a redirect (a 400 page with errors) frees the key, so the citizen can fix the answers and send again.

A form kept on a shared phone is replayed with the ``X-Portal-User`` header: the user tag it was saved under
(``backend.pwa.shell.user_tag``). When someone else is signed in now, the portal answers 409 without running
the handler, so one person's answers never land in another's account (the phone keeps them for their owner).
"""

from __future__ import annotations

import functools
import hmac
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, cast
from uuid import uuid4

from litestar import Request, Response
from litestar.response import Redirect
from litestar.response.redirect import RedirectStatusType
from markupsafe import Markup
from tortoise.exceptions import IntegrityError

from backend.core import clock
from backend.core.i18n import gettext
from backend.core.web import error_page
from backend.pwa.models import IdempotencyRecord
from backend.pwa.shell import portal_user
from backend.settings import settings_of

KEY_FIELD = "idempotency_key"
HEADER = "idempotency-key"
USER_HEADER = "x-portal-user"
_VALID_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
STALE_AFTER = timedelta(minutes=2)
"""A claim never completed (the server stopped mid-request) is given up after this long."""
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def new_key() -> str:
    return str(uuid4())


def idempotency_input() -> Markup:
    """The hidden field a protected form carries: a fresh key per rendering of the form."""
    return Markup(f'<input type="hidden" name="{KEY_FIELD}" value="{new_key()}">')


async def key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if not key and request.content_type[0] in _FORMS:
        key = (await request.form()).get(KEY_FIELD)
    return str(key).strip() if key else None


def _answer(request: Request, status_code: int, title: str, message: str) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return Response({"status_code": status_code, "detail": message}, status_code=status_code)
    return error_page(request, status_code, title, message)


def _in_progress(request: Request) -> Response:
    return _answer(
        request,
        409,
        gettext("Already being sent"),
        gettext("This form is already being sent to the portal. Wait a moment, then open “My dossiers”."),
    )


async def _claim(request: Request, key: str, fingerprint: str) -> IdempotencyRecord | Response:
    user = request.state.user
    for _ in range(3):
        try:
            return await IdempotencyRecord.create(user=user, key=key, request=fingerprint)
        except IntegrityError:
            pass  # the key is known: the unique constraint decides between concurrent requests
        existing = await IdempotencyRecord.get_or_none(user=user, key=key)
        if existing is None:
            continue  # the first request failed and freed the key meanwhile: claim it again
        if existing.request != fingerprint:
            return _answer(
                request,
                422,
                gettext("This form cannot be sent"),
                gettext("This form was already used for something else. Go back, reload the page and send it again."),
            )
        if existing.status_code is not None:
            # Kept only from a 3xx answer (see idempotent below); Redirect checks it again.
            return Redirect(existing.location, status_code=cast(RedirectStatusType, existing.status_code))
        if clock.now() - existing.created_at < STALE_AFTER:
            return _in_progress(request)
        await IdempotencyRecord.filter(id=existing.id, status_code__isnull=True).delete()
    return _in_progress(request)


def _saved_by_someone_else(request: Request) -> Response | None:
    """409 when the form says it was saved under another user tag than the account signed in now."""
    saved_by = request.headers.get(USER_HEADER)
    mine = portal_user(request, settings_of(request).secret_key)
    if saved_by is None or hmac.compare_digest(saved_by.strip().encode(), mine.encode()):
        return None
    return _answer(
        request,
        409,
        gettext("Saved by another account"),
        gettext("These answers were saved on this phone by another account. They stay on this phone until that "
                "person signs in here again."),
    )


async def once(request: Request, run: Callable[[], Awaitable[Response]]) -> Response:
    """Run ``run()`` once per idempotency key; without a key (or signed out), simply run it. A request that
    says it was saved by another account (``X-Portal-User``) never runs."""
    refused = _saved_by_someone_else(request)
    if refused is not None:
        return refused
    key = await key_of(request)
    if key is None or getattr(request.state, "user", None) is None:
        return await run()
    if not _VALID_KEY.fullmatch(key):
        return _answer(
            request,
            400,
            gettext("This form cannot be sent"),
            gettext("This form is damaged. Go back, reload the page and send it again."),
        )
    fingerprint = f"{request.method} {request.scope['path']}"[:300]
    claimed = await _claim(request, key, fingerprint)
    if isinstance(claimed, Response):
        return claimed
    try:
        response = await run()
    except BaseException:
        await claimed.delete()
        raise
    location = getattr(response, "url", None) or response.headers.get("location")
    if response.status_code is not None and 300 <= response.status_code < 400 and location:
        claimed.status_code, claimed.location = response.status_code, str(location)[:500]
        await claimed.save(update_fields=["status_code", "location"])
    else:
        await claimed.delete()  # errors to fix: the same key may be sent again
    return response


async def purge_idempotency(older_than: timedelta) -> int:
    """Forget the keys claimed more than ``older_than`` ago (a week is plenty for any replay); returns how many."""
    return await IdempotencyRecord.filter(created_at__lt=clock.now() - older_than).delete()


def idempotent(handler: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """``@idempotent`` under ``@post(...)``: the handler (which takes ``request``) runs once per key."""

    @functools.wraps(handler)
    async def guarded(*args: Any, **kwargs: Any) -> Response:
        return await once(kwargs["request"], lambda: handler(*args, **kwargs))

    return guarded
