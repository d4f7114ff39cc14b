"""A few worker processes that check files with a time limit, so no file can stall the event loop.

Each worker is one process and one pipe; a check goes to an idle worker and its answer is awaited on the pipe
(the loop watches the pipe's file descriptor: no thread waits). A check that runs out of time, or whose
request is cancelled, gets its worker killed and replaced: a stuck parser never keeps a worker. Workers are
forked from a forkserver that has already imported pyHanko and Pillow, so starting one takes milliseconds;
they start on first use, so an app that checks nothing starts none.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)

PRELOAD = ["backend.documents.inspection"]
WORKER_MEMORY = 2 * 1024**3
"""Address space per worker: a file that needs more fails its check instead of taking the machine's memory."""


class CheckTimedOut(Exception):
    """The check ran out of time (or its worker died): the file is too complex to check."""


class CheckPoolBusy(Exception):
    """Every worker stayed busy for the whole wait: try again later."""


def _serve(connection: Connection) -> None:
    """A worker's loop: receive (function, args), send back (ok, result or error text)."""
    # pyHanko logs each suspicious revision of a hostile file with its traceback: the verdict says it already.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    except (ValueError, OSError):  # a lower hard limit is already set: keep it
        pass
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        function, args = message
        try:
            answer = (True, function(*args))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller, the worker lives on
            answer = (False, f"{type(exc).__name__}: {exc}")
        connection.send(answer)


class _Worker:
    def __init__(self, context: multiprocessing.context.ForkServerContext) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="portal-file-check")
        self.process.start()
        child.close()

    def stop(self, *, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


class CheckPool:
    """``workers`` processes; each check may take ``seconds``, and may wait as long for a free worker."""

    def __init__(self, workers: int, seconds: float) -> None:
        self.seconds = seconds
        self.workers = max(1, workers)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._all: set[_Worker] = set()

    async def __aenter__(self) -> CheckPool:
        self._idle = asyncio.Queue()
        for _ in range(self.workers):
            self._idle.put_nowait(None)  # a slot: its worker starts when first needed
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        workers, self._all = list(self._all), set()
        await asyncio.gather(*(asyncio.to_thread(w.stop, kill=False) for w in workers))

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a worker. Raises CheckPoolBusy, CheckTimedOut, or RuntimeError if it failed."""
        if self._idle is None:
            raise RuntimeError("the check pool is not started (the app's lifespan starts it)")
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.seconds)
        except TimeoutError:
            raise CheckPoolBusy() from None
        try:
            if worker is None:
                worker = await asyncio.to_thread(_Worker, self._context)
                self._all.add(worker)
            await asyncio.to_thread(worker.connection.send, (function, args))
            ok, answer = await asyncio.wait_for(self._answer(worker.connection), self.seconds)
        except BaseException as exc:  # timeout, cancelled request, dead worker: this worker cannot be trusted
            await self._replace(worker)
            if isinstance(exc, (TimeoutError, EOFError, OSError)):
                log.warning("file check stopped: %s", type(exc).__name__)
                raise CheckTimedOut() from None
            raise
        self._idle.put_nowait(worker)
        if not ok:
            raise RuntimeError(answer)
        return answer

    async def _answer(self, connection: Connection) -> tuple[bool, Any]:
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(connection.fileno(), wake)
        try:
            await readable
        finally:
            loop.remove_reader(connection.fileno())
        # The worker sends one message at once; the rest of a large one follows without waiting on it.
        return connection.recv()

    async def _replace(self, worker: _Worker | None) -> None:
        """Kill a worker that may be stuck; its slot starts a fresh one when next needed."""
        assert self._idle is not None  # run() only starts once the pool is
        self._idle.put_nowait(None)
        if worker is not None:
            self._all.discard(worker)
            await asyncio.shield(asyncio.to_thread(worker.stop, kill=True))
