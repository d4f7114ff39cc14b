"""Sandbox population registry: the protocol of ``backend.identity.registry`` over synthetic citizens."""

from __future__ import annotations

import re

from litestar import Request, Response, Router, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import JSONBody
from msgspec import Struct

from backend.sandboxes.citizens import directory
from backend.settings import Settings

_ID_NUMBER = re.compile(r"[0-9]{12}")


class VerifyRequest(Struct):
    id_number: str
    phone: str


def _answer(status_code: int, status: str, **extra) -> Response:
    return Response({"status": status, **extra}, status_code=status_code)


def _json_error(_: Request, exc: HTTPException) -> Response:
    # The portal's own handlers answer with HTML pages; a registry answers machines.
    return _answer(exc.status_code, "error", detail=exc.detail)


@post("/v1/citizens/verify", status_code=200)
async def verify_citizen(
    request: Request, settings: NamedDependency[Settings], data: JSONBody[VerifyRequest]
) -> Response:
    expected = settings.registry_api_key
    if request.headers.get("authorization", "") != f"Bearer {expected}":
        return _answer(401, "unauthorized", detail="Missing or wrong API key")
    if not _ID_NUMBER.fullmatch(data.id_number) or not re.fullmatch(r"[0-9]{11}", data.phone):
        return _answer(400, "invalid", detail="'id_number' must be 12 digits and 'phone' digits only")
    citizen = directory().get(data.id_number)
    if citizen is None:
        return _answer(404, "not_found")
    if not citizen.phone or citizen.phone != data.phone:
        return _answer(409, "phone_mismatch")
    return _answer(200, "matched", citizen=citizen.to_json())


registry_sandbox_router = Router(
    path="/sandbox/registry",
    route_handlers=[verify_citizen],
    exception_handlers={HTTPException: _json_error},
    include_in_schema=False,
)
