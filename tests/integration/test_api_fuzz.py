"""Schemathesis over the portal's own OpenAPI document (issue 14, fuzzing in CI): no server error, and every
answer is one the document declares, with its content type and schema; anonymous, then signed in."""

from __future__ import annotations

import httpx
import pytest

from backend.payments.models import Payment
from tests.fuzzing import Fuzzer, operations
from tests.integration.helpers import BIRTH, CRIMINAL_RECORD
from tests.support import CITIZEN, ENGLISH, Portal, submit_dossier

pytestmark = pytest.mark.integration
HANOI = "01"


async def test_fuzzing_the_api_finds_no_server_error_and_no_undeclared_answer(portal: Portal):
    document = (await portal.client.get("/schema/openapi.json")).json()
    # /dev/outbox.json is the demo's SMS outbox for testers (absent outside demo mode), not the API: its errors
    # are pages, as under every path outside /api/.
    document["paths"] = {path: item for path, item in document["paths"].items() if not path.startswith("/dev/")}
    found = []
    # Another browser, on another network: the limits per client address count the two runs apart.
    transport = httpx.ASGITransport(app=portal.app, client=("198.51.100.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url=portal.client.base_url, headers=ENGLISH) as stranger:
        for operation in operations(document):
            found += await Fuzzer(stranger).failures(operation)

    await portal.sign_in(CITIZEN)
    dossier = await submit_dossier(portal, CRIMINAL_RECORD)  # it has a fee: paid at the sandbox gateway
    payment = await Payment.filter(dossier__code=dossier).first()
    known = {  # identifiers that exist, so that what the API answers for them is checked too
        "/api/v1/procedures/{code}": {"code": BIRTH},
        "/api/v1/dossiers/{code}/status": {"code": dossier},
        "/api/v1/dossiers/{code}/actions/{action}": {"code": dossier},
        "/api/v1/admin-units/provinces/{code}/wards": {"code": HANOI},
        "/api/v1/payments/{txn_ref}/status": {"txn_ref": payment.txn_ref},
    }
    signed_in = Fuzzer(portal.client, headers={"x-csrftoken": portal.csrf()})
    for operation in operations(document):
        found += await signed_in.failures(operation, known.get(operation.path))
    assert not found, "\n\n".join(found)
