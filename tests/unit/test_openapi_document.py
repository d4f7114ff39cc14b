"""The OpenAPI document against the routes (issue 14): every API route is in it, its refusals match its guards;
and the fuzzing of tests/integration/test_api_fuzz.py can fail."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from litestar import Litestar, Response, get
from litestar.params import FromPath
from litestar.routes import HTTPRoute

from backend.accounts.web import admin_only, officer_only, signed_in
from backend.app import create_app
from backend.settings import Settings
from tests.fuzzing import Fuzzer, operations

pytestmark = pytest.mark.unit
UNSAFE = {"post", "put", "patch", "delete"}  # what the CSRF middleware checks
SIGNED_BY_MACHINES = {"/api/v1/postal/events"}  # an HMAC signature instead of a session (401 when wrong)


def test_every_api_route_is_documented_and_its_401_and_403_match_its_guard_and_csrf(tmp_path: Path):
    app = create_app(Settings(database_url="sqlite://:memory:", data_dir=tmp_path, demo_mode=True, secret_key="k"))
    document = app.openapi_schema.to_schema()
    routed = {
        (route.path_format, method.lower()): handler
        for route in app.routes
        if isinstance(route, HTTPRoute) and route.path_format.startswith("/api/")
        for method, (handler, _) in route.route_handler_map.items()
        if method not in ("HEAD", "OPTIONS")  # Litestar answers these itself
    }
    documented = {
        (path, method): operation
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
        if method in {"get", *UNSAFE}
    }
    assert routed.keys() == documented.keys()
    csrf_exempt = [re.compile(pattern) for pattern in app.csrf_config.exclude]
    for (path, method), handler in routed.items():
        declared = documented[path, method]["responses"].keys()
        guards = {guard for layer in handler.ownership_layers for guard in layer.guards or []}
        guarded = bool(guards & {signed_in, officer_only, admin_only})  # the last two call signed_in first
        signed = guarded or path in SIGNED_BY_MACHINES
        assert ("401" in declared) == signed, (method, path, "401 if and only if it needs a session or a signature")
        checked = method in UNSAFE and not any(pattern.search(path) for pattern in csrf_exempt)
        if checked:
            assert "403" in declared, (method, path, "a missing CSRF token is refused with 403")
        for status, response in documented[path, method]["responses"].items():
            assert 200 <= int(status) < 500 or status == "503", (method, path, status)  # never a 500 by design
            wanted = DOWNLOADS.get(path, "application/json") if status == "200" else "application/json"
            assert wanted in (response.get("content") or {}), (method, path, status)


DOWNLOADS = {"/api/v1/statistics/agencies.csv": "text/csv"}
"""Open data that answers a file, not JSON (issue 19); its errors are JSON like every other route's."""


@get("/boom/{n:int}")
async def boom(n: FromPath[int]) -> dict[str, int]:
    if n > 3:
        raise RuntimeError("a bug")
    return {"n": n}


@get("/liar")
async def liar() -> Response[dict[str, int]]:
    return Response({"n": "not a number"})  # not what the document says


@get("/teapot")
async def teapot() -> Response[dict[str, int]]:
    return Response({"n": 1}, status_code=418)  # a status the document does not declare


async def test_the_fuzzing_reports_a_server_error_a_wrong_body_and_an_undeclared_status():
    app = Litestar([boom, liar, teapot])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        fuzzer = Fuzzer(client, examples=20)
        found = {op.path: "\n".join(await fuzzer.failures(op)) for op in operations(app.openapi_schema.to_schema())}
    assert "Server error" in found["/boom/{n}"]
    assert "Response violates schema" in found["/liar"]
    assert "Undocumented status code" in found["/teapot"]
