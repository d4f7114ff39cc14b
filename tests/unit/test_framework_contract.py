"""The framework hooks the portal is built on, each checked on a tiny app: when an upgrade of Litestar, Tortoise or
asgi-lifespan changes one, this file says which, before a hundred integration tests fail for unclear reasons.

Not a copy of the frameworks' own tests: only what backend/app.py, backend/db.py, the middlewares and
tests/support.py rely on.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from contextlib import asynccontextmanager
from datetime import date

import httpx
import pytest
from asgi_lifespan import LifespanManager
from litestar import Litestar, Request, get
from litestar.di import NamedDependency, Provide
from litestar.enums import ScopeType
from litestar.exceptions import ImproperlyConfiguredException
from litestar.middleware import ASGIMiddleware

from backend.core.clock import Clock, FixedClock

pytestmark = pytest.mark.unit


async def _call(app: Litestar, path: str) -> httpx.Response:
    async with LifespanManager(app), httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                                       base_url="http://test") as client:
        return await client.get(path)


async def test_lifespan_context_managers_run_in_one_task_through_the_asgi_protocol():
    """backend/app.py registers its startup as ``lifespan=[...]``; tests/support.py starts it with asgi-lifespan.
    The event emitter's anyio task group must be entered and left by one task: the lifespan runs in one."""
    seen: list[tuple[str, asyncio.Task | None]] = []

    @asynccontextmanager
    async def lifespan(app: Litestar):
        seen.append(("start", asyncio.current_task()))
        yield
        seen.append(("stop", asyncio.current_task()))

    @get("/")
    async def index() -> str:
        return "ok" if [step for step, _ in seen] == ["start"] else "not started"

    response = await _call(Litestar([index], lifespan=[lifespan]), "/")
    assert response.text == "ok", "the lifespan must have run before the first request"
    assert [step for step, _ in seen] == ["start", "stop"]
    assert seen[0][1] is seen[1][1] is not None, "startup and shutdown in the same task"
    assert seen[0][1] is not asyncio.current_task(), "...a task of its own, not the caller's"


async def test_an_app_dependency_reaches_a_handler_that_names_it():
    """``create_app`` provides ``clock`` with ``Provide``; handlers name it as ``NamedDependency[Clock]``. A
    Protocol annotation must not be validated as data, and the provider is called with no arguments."""
    fixed = FixedClock.on(date(2026, 2, 16))

    @get("/today")
    async def today(clock: NamedDependency[Clock]) -> str:
        return clock.today().isoformat()

    app = Litestar([today], dependencies={"clock": Provide(lambda: fixed, use_cache=True, sync_to_thread=False)})
    assert (await _call(app, "/today")).text == "2026-02-16"


def test_a_named_dependency_nobody_provides_stops_the_app_from_being_built():
    """A handler never runs without its clock: forgetting the provider fails at ``create_app``, not at 9 a.m."""

    @get("/today")
    async def today(clock: NamedDependency[Clock]) -> str:
        return clock.today().isoformat()

    with pytest.raises(ImproperlyConfiguredException, match="'clock'"):
        Litestar([today])


async def test_asgi_middleware_hooks_and_the_state_they_leave_for_handlers():
    """UserMiddleware and UserTagHeader: ``scopes``, ``should_bypass_for_scope``, ``handle(..., next_app)``, and a
    value put in ``scope["state"]`` is ``request.state`` in the handler. ``app.asgi_handler`` can be wrapped
    (language routing, caching, compression sit outside the router)."""

    class Tag(ASGIMiddleware):
        scopes = (ScopeType.HTTP,)

        def should_bypass_for_scope(self, scope) -> bool:
            return scope["path"].startswith("/skip")

        async def handle(self, scope, receive, send, next_app) -> None:
            scope.setdefault("state", {})["user"] = "lan"
            await next_app(scope, receive, send)

    @get(["/who", "/skip"])
    async def who(request: Request) -> str:
        return str(getattr(request.state, "user", None))

    app = Litestar([who], middleware=[Tag()])
    inner = app.asgi_handler
    wrapped: list[str] = []

    async def outer(scope, receive, send) -> None:
        wrapped.append(scope["path"])
        await inner(scope, receive, send)

    app.asgi_handler = outer
    assert (await _call(app, "/who")).text == "lan"
    assert (await _call(app, "/skip")).text == "None"
    assert wrapped == ["/who", "/skip"]


TORTOISE_CONTRACT = """
import asyncio
from tortoise import Tortoise, connections, fields
from tortoise.models import Model

class Thing(Model):
    name = fields.CharField(max_length=20)

async def main():
    config = {"connections": {"default": "sqlite://:memory:"},
              "apps": {"models": {"models": ["__main__"], "default_connection": "default"}},
              "use_tz": True, "timezone": "UTC"}
    started, done = asyncio.Event(), asyncio.Event()

    async def lifespan():  # as Litestar runs it: another task than the requests
        await Tortoise.init(config=config, _enable_global_fallback=True)
        await Tortoise.generate_schemas()
        started.set()
        await done.wait()
        await Tortoise.close_connections()

    task = asyncio.create_task(lifespan())
    await asyncio.wait([task, asyncio.ensure_future(started.wait())], return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # the lifespan failed: raise its error
    await Thing.create(name="from a request task")  # models find the context made in the lifespan task
    conn = connections.get("default")
    assert conn.capabilities.dialect == "sqlite", conn.capabilities.dialect
    assert await conn.execute_query_dict("SELECT name FROM thing") == [{"name": "from a request task"}]
    await conn.execute_script("DELETE FROM thing; DELETE FROM thing;")
    assert await Thing.all().count() == 0
    done.set()
    await task
    print("ok")

asyncio.run(main())
"""


def test_tortoise_shares_a_context_made_in_the_lifespan_task_with_other_tasks():
    """backend/db.py: ``Tortoise.init(..., _enable_global_fallback=True)`` in the lifespan task, queries from
    request tasks through ``connections.get("default")`` (``capabilities.dialect``, ``execute_query_dict``,
    ``execute_script``), ``Tortoise.close_connections()`` at shutdown. In its own process: Tortoise's state is
    global, and the integration tests in this process have theirs."""
    result = subprocess.run([sys.executable, "-c", TORTOISE_CONTRACT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-2000:]
