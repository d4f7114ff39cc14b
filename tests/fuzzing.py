"""Schemathesis against an ASGI app in the tests' own event loop.

Schemathesis' own ASGI transport runs the app in another thread and loop, where Tortoise would reconnect on
every switch (see ``tests.support.served``). So Hypothesis runs in a worker thread, and each request it makes
is sent by an httpx client on the tests' loop: generation, shrinking and the checks are Schemathesis'.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
_REQUEST_KEYS = ("method", "url", "headers", "params", "cookies", "json", "data", "files")


@dataclass
class Fuzzer:
    """Fuzz operations of one schema through ``client``; ``headers`` go with every request (a CSRF token)."""

    client: httpx.AsyncClient
    examples: int = 25
    headers: dict[str, str] = field(default_factory=dict)

    async def failures(self, operation: schemathesis.APIOperation, known: dict[str, str] | None = None) -> list[str]:
        """What Hypothesis found for this operation: with the ``known`` path parameters (identifiers that exist,
        so that answers other than refusals are checked too; first, before any limit per client trips), then with
        positive and negative data."""
        runs = [(f"known {known}", operation.as_strategy(path_parameters=known))] if known else []
        runs += [(mode.value, operation.as_strategy(generation_mode=mode)) for mode in GenerationMode]
        found = []
        for name, strategy in runs:
            try:
                await asyncio.to_thread(self._hypothesis_test(strategy, asyncio.get_running_loop()))
            except Unsatisfiable:
                if name != GenerationMode.NEGATIVE:
                    raise
                # Nothing to get wrong: no parameter has a type, pattern or length that a request can break.
            except (Exception, FailureGroup) as exc:  # what the checks found, or anything the request raised
                found.append(f"{operation.label} ({name}): {exc}")
        return found

    def _hypothesis_test(self, strategy, loop: asyncio.AbstractEventLoop):
        @settings(
            max_examples=self.examples,
            deadline=None,
            derandomize=True,  # the same examples on every run: a failure in CI reproduces locally
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        @given(case=strategy)
        def test(case: schemathesis.Case) -> None:
            response = asyncio.run_coroutine_threadsafe(self.client.send(self._request(case)), loop).result(60)
            case.validate_response(response, checks=CHECKS)

        return test

    def _request(self, case: schemathesis.Case) -> httpx.Request:
        """The case as Schemathesis would send it (query, body and headers serialized by requests)."""
        kwargs = case.as_transport_kwargs(base_url=str(self.client.base_url), headers=self.headers)
        prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in _REQUEST_KEYS}).prepare()
        headers = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
        return self.client.build_request(prepared.method, prepared.url, headers=headers, content=prepared.body)


def operations(document: dict) -> list[schemathesis.APIOperation]:
    """Every operation of an OpenAPI document (a broken one raises)."""
    return [result.ok() for result in schemathesis.openapi.from_dict(document).get_all_operations()]
