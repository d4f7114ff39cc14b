"""Limits per client in handlers: the address Litestar was given, and HTTP 429 with Retry-After for the API."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import TooManyRequestsException

from backend.limits.services import Limit, Refused, per_client, refused_message, take


def client_host(request: Request) -> str | None:
    return request.client.host if request.client else None


async def take_for_client(request: Request, limit: Limit, network_factor: int) -> None:
    """Count this request against its client's address and network (``network_factor`` times ``limit``, the
    settings' ``network_limit_factor``); raise Refused when over."""
    await take(*per_client(limit, client_host(request), network_factor))


def too_many_requests(exc: Refused) -> TooManyRequestsException:
    return TooManyRequestsException(refused_message(exc), headers={"Retry-After": str(exc.retry_after)})


async def limit_api(request: Request, limit: Limit, network_factor: int) -> None:
    """``take_for_client`` for an API route: over the limit is HTTP 429 with Retry-After."""
    try:
        await take_for_client(request, limit, network_factor)
    except Refused as exc:
        raise too_many_requests(exc) from exc
