"""This machine only: the demo's outbox and sandboxes answer loopback clients, and nobody else."""

from __future__ import annotations

import ipaddress

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler


def is_loopback(host: str | None) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: an address only this machine reaches."""
    if not host:
        return False
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """A guard: anyone else gets "not found", as if demo mode were off.

    The client is the one uvicorn reports: behind a proxy on this machine, the address in X-Forwarded-For
    (``proxy_headers``), so the proxy does not make every visitor local.
    """
    client = connection.scope.get("client")
    if not is_loopback(client[0] if client else None):
        raise NotFoundException()
