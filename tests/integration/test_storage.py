"""Uploads and results kept in S3-compatible object storage (STORAGE_URL=s3://...), against moto's S3 server.

The server runs as its own process on a free local port, as a real object store would: the portal reaches it over
HTTP with boto3. Nothing may land in the local data directory meanwhile.
"""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator

import pytest

from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.results.models import Result
from backend.settings import Settings
from backend.storage import Missing, open_storage
from tests.integration.helpers import BIRTH, drive, files_under, people, upload
from tests.support import APPROVAL, CITIZEN, OFFICER, PDF, Portal, reset_database, served

pytestmark = pytest.mark.integration
pytest.importorskip("moto", reason="moto[server] is in the test extras: pip install -e '.[test]'")

MEDICAL = "birth_certificate_medical"
BUCKET = "portal-files"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory) -> Iterator[str]:
    """moto's S3 server in its own process; stopped after this module."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=handle, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto did not start:\n{log.read_text(errors='replace')[-2000:]}") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_settings(settings: Settings, s3_endpoint: str, request) -> Settings:
    """The test's settings, with files in a bucket of their own under a prefix."""
    import boto3

    bucket = f"{BUCKET}-{abs(hash(request.node.name)) % 10**8}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=bucket)
    return dataclasses.replace(settings, storage_url=f"s3://{bucket}/portal", s3_endpoint_url=s3_endpoint,
                               s3_region="us-east-1", s3_access_key_id="test", s3_secret_access_key="test")


@pytest.fixture
async def s3_portal(s3_settings: Settings) -> AsyncIterator[Portal]:
    async with served(s3_settings) as (app, client):
        await reset_database(s3_settings.database_url)
        yield Portal(client, app)


async def keys(portal: Portal, prefix: str = "") -> list[str]:
    return [key async for key in portal.adapters.storage.keys(prefix)]


async def test_the_store_puts_gets_streams_and_deletes(s3_settings):
    files = open_storage(s3_settings)
    assert type(files).__name__ == "S3Storage"
    await files.put("uploads/1/a.pdf", PDF)
    assert await files.get("uploads/1/a.pdf") == PDF and await files.size("uploads/1/a.pdf") == len(PDF)
    async with await files.open("uploads/1/a.pdf") as reader:
        assert await reader.read(5) + await reader.read() == PDF
    assert [k async for k in files.keys("uploads")] == ["uploads/1/a.pdf"]
    await files.delete("uploads/1/a.pdf")
    await files.delete("uploads/1/a.pdf")  # gone already: not an error
    assert not await files.exists("uploads/1/a.pdf")
    with pytest.raises(Missing):
        await files.get("uploads/1/a.pdf")
    with pytest.raises(ValueError):
        await files.put("../outside", PDF)


async def test_uploads_replacements_and_downloads_go_through_the_bucket(s3_portal, s3_settings):
    portal = s3_portal
    await portal.sign_in(CITIZEN)
    response = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": "P01-W-HOANKIEM"})
    code = response.headers["location"].split("/")[3]
    assert (await upload(portal, code, MEDICAL, "first.pdf", PDF)).status_code in (302, 303)
    first = await DossierDocument.get(dossier__code=code, doc_key=MEDICAL)
    assert await keys(portal) == [f"uploads/{first.dossier_id}/{first.storage_name}"]

    second_pdf = PDF + b"%second\n"
    assert (await upload(portal, code, MEDICAL, "second.pdf", second_pdf)).status_code in (302, 303)
    second = await DossierDocument.get(dossier__code=code, doc_key=MEDICAL)
    assert second.id != first.id
    assert await keys(portal) == [f"uploads/{second.dossier_id}/{second.storage_name}"], \
        "the replaced draft file is deleted from the bucket after the commit"

    download = await portal.get(f"/dossiers/{code}/files/{second.id}")
    assert download.status_code == 200 and download.content == second_pdf
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-length"] == str(len(second_pdf))
    assert files_under(s3_settings.upload_dir) == [], "nothing on the local disk"

    await portal.adapters.storage.delete(f"uploads/{second.dossier_id}/{second.storage_name}")
    assert (await portal.get(f"/dossiers/{code}/files/{second.id}")).status_code == 404, "lost file: 404, not 500"


async def test_results_are_issued_downloaded_and_verified_from_the_bucket(s3_portal, s3_settings):
    async with people(s3_portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        dossier = await Dossier.get(code=code)
        await DossierDocument.filter(dossier_id=dossier.id).update(signature_verdict=None)
        page = await officer.get(f"/desk/dossiers/{code}")  # unchecked uploads are read from the bucket, checked
        assert page.status_code == 200
        assert await DossierDocument.filter(dossier_id=dossier.id, signature_verdict="unsigned").exists()

        approved = await officer.post_form(f"/desk/dossiers/{code}/approve", APPROVAL)
        assert approved.status_code in (302, 303), approved.text[:500]
        result = await Result.get(dossier__code=code)
        assert f"results/{dossier.id}/{result.storage_name}" in await keys(citizen, "results")

        response = await citizen.get(f"/dossiers/{code}/result.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
        assert response.headers["content-disposition"].startswith("inline")
        assert "no-cache" in response.headers["cache-control"]
        assert response.content == await citizen.adapters.storage.get(f"results/{dossier.id}/{result.storage_name}")

        await citizen.get("/results/verify")
        checked = await citizen.post_form("/results/verify",
                                          files={"file": ("result.pdf", response.content, "application/pdf")})
        assert checked.status_code == 200
        assert "Valid: the signature is intact and trusted" in checked.text
        assert result.code in checked.text
        assert files_under(s3_settings.data_dir / "results") == []
