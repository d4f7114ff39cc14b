"""uvicorn's HTTP protocol with TCP_NODELAY on every connection, for ``manage serve`` with several processes.

With ``workers`` > 1 uvicorn binds the listening socket itself (``socket.socket(family=...)``, protocol number 0)
and hands it to each process; asyncio then skips TCP_NODELAY on accepted connections (it sets it only when the
socket says IPPROTO_TCP). Nagle's algorithm holds the body behind the headers until the client's delayed ACK:
every response took 40 ms more (a bare Litestar app fell from ~4,700 to ~700 requests per second on 2 cores,
whatever the number of processes). One process is served by asyncio's own socket, which has it already.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
