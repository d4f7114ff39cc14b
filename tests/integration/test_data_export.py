"""A copy of my data (issue 21): asked for on a page, built by the worker (claimed with a lease), downloaded once
through a link only its owner can use; the ZIP holds exactly the citizen's data and files, nobody else's."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest

from backend.accounts.models import User
from backend.core import clock
from backend.dossiers.models import Dossier, DossierDocument
from backend.dossiers.storage import document_key
from backend.privacy import export
from backend.privacy.models import DataExport, ExportState
from tests.integration.helpers import BIRTH, people
from tests.support import PDF, Portal, fill_draft, submit_dossier

pytestmark = pytest.mark.integration

LAN = "0915210001"  # numbers no other test signs in with (sign-in codes are limited per number)
MINH = "0915210002"


async def ask_and_build(citizen: Portal) -> DataExport:
    """Ask on the page, then let the worker's job build it (as the periodic job does)."""
    response = await citizen.post_form("/my/data/export")
    assert response.status_code in (302, 303), response.text
    export_id = int(response.headers["location"].rstrip("/").split("/")[-1])
    status = await citizen.get(f"/my/data/export/{export_id}")
    assert status.status_code == 200 and 'role="status"' in status.text
    await export.build_waiting(citizen.adapters.storage, "test")
    return await DataExport.get(id=export_id)


async def link_of(citizen: Portal, made: DataExport) -> str:
    page = await citizen.post_form(f"/my/data/export/{made.id}/link")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    found = re.search(r'href="(/en/my/data/export/download/[^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


async def test_the_copy_holds_exactly_the_citizens_data_and_the_link_works_once(portal):
    async with people(portal, LAN, MINH) as (lan, minh):
        sent = await submit_dossier(lan, BIRTH)
        draft = await fill_draft(lan, BIRTH, upload=PDF + b"% lan's draft")
        theirs = await fill_draft(minh, BIRTH, upload=PDF + b"% minh's own")
        made = await ask_and_build(lan)
        assert made.state is ExportState.READY and made.progress == 100 and made.size > 0
        assert made.expires_at and made.expires_at - made.ready_at == timedelta(hours=24)
        status = await lan.get(f"/my/data/export/{made.id}")
        assert "Get the download link" in status.text
        link = await link_of(lan, made)
        assert made.token_hash == "" and (await DataExport.get(id=made.id)).token_hash == export.token_hash(
            link.rsplit("/", 1)[1])  # only the hash is kept

        # Someone else, signed in, gets a clear answer and nothing else; the link still works for its owner.
        other = await minh.get(link)
        assert other.status_code == 403 and "not for this account" in other.text
        assert "PK" not in other.text[:2]
        assert (await DataExport.get(id=made.id)).state is ExportState.READY

        download = await lan.get(link)
        assert download.status_code == 200, download.text
        assert download.headers["content-type"] == "application/zip"
        assert download.headers["cache-control"] == "no-store"
        archive = zipfile.ZipFile(io.BytesIO(download.content))
        data = json.loads(archive.read("data.json"))
        lan_user = await User.get(phone="84" + LAN[1:])
        assert data["account"]["mobile_number"] == lan_user.phone
        assert data["account"]["language"] == "en"  # the pages it read (migration 34)
        assert {d["code"] for d in data["dossiers"]} == {sent, draft}
        dossier = next(d for d in data["dossiers"] if d["code"] == sent)
        stored = await Dossier.get(code=sent)
        assert dossier["answers"] == stored.answers and dossier["status"] == stored.status.value
        documents = await DossierDocument.filter(dossier__applicant_id=lan_user.id).order_by("id")
        listed = [doc for d in data["dossiers"] for doc in d["documents"]]
        assert len(listed) == len(documents) > 0
        for doc in documents:  # every document, byte for byte
            entry = next(e for e in listed if e["sha256"] == doc.sha256)
            assert archive.read(entry["in_this_zip"]) == await lan.adapters.storage.get(document_key(doc))
        assert data["sign_ins"] and all(s["at"] for s in data["sign_ins"])
        summary = archive.read("summary.html").decode()
        assert '<html lang="en">' in summary and sent in summary and "<h1>" in summary
        # Nobody else's: Minh's dossier, number and documents appear nowhere in the ZIP.
        minh_docs = await DossierDocument.filter(dossier__code=theirs).values_list("sha256", flat=True)
        for name in archive.namelist():
            body = archive.read(name)
            assert theirs.encode() not in body and ("84" + MINH[1:]).encode() not in body, name
            assert not any(sha.encode() in body for sha in minh_docs), name

        # Twice: the link is used up, and a new link is not made for the same copy.
        again = await lan.get(link)
        assert again.status_code == 410 and "already used" in again.text
        refused = await lan.post_form(f"/my/data/export/{made.id}/link")
        assert refused.status_code in (302, 303)
        assert "already made" in (await lan.get(f"/my/data/export/{made.id}")).text


async def test_an_expired_or_made_up_link_gives_nothing(portal):
    async with people(portal, LAN) as (lan,):
        made = await ask_and_build(lan)
        link = await link_of(lan, made)
        await DataExport.filter(id=made.id).update(expires_at=clock.now() - timedelta(minutes=1))
        expired = await lan.get(link)
        assert expired.status_code == 410 and "expired" in expired.text
        made_up = await lan.get("/my/data/export/download/" + "x" * 43)
        assert made_up.status_code == 404 and "not valid" in made_up.text
        # The worker's retention round deletes the file of an expired copy and says so on its page.
        from backend.privacy import retention

        await retention.apply(clock.now(), lan.adapters.storage)
        row = await DataExport.get(id=made.id)
        assert row.state is ExportState.EXPIRED and row.storage_name == ""
        assert not [key async for key in lan.adapters.storage.keys("exports")]
        assert "Expired" in (await lan.get(f"/my/data/export/{made.id}")).text


async def test_asking_twice_while_it_is_prepared_queues_one_copy(portal):
    async with people(portal, LAN, MINH) as (lan, minh):
        first = await lan.post_form("/my/data/export")
        second = await lan.post_form("/my/data/export")
        assert first.headers["location"] == second.headers["location"]
        assert "already asked" in (await lan.get(second.headers["location"])).text
        assert await DataExport.all().count() == 1
        # Another citizen's copy is not theirs to look at.
        assert (await minh.get(first.headers["location"])).status_code == 404


async def test_two_workers_never_build_the_same_copy(portal):
    async with people(portal, LAN) as (lan,):
        await lan.post_form("/my/data/export")
        now = clock.now()
        taken = await export.claim("one", now)
        assert taken is not None and taken.claimed_by == "one"
        assert await export.claim("two", now) is None  # held under its lease
        later = now + export.LEASE + timedelta(seconds=1)
        again = await export.claim("two", later)  # the first died: its lease ran out
        assert again is not None and again.id == taken.id and again.claimed_by == "two"
        # The first worker, back from the dead, cannot mark it ready: its claim is gone.
        await export.build(taken, lan.adapters.storage)
        assert (await DataExport.get(id=taken.id)).state is ExportState.BUILDING
        await export.build(again, lan.adapters.storage)
        assert (await DataExport.get(id=taken.id)).state is ExportState.READY


async def test_two_asks_at_once_queue_one_copy(portal):
    """A double click or two tabs: both ask at the same moment, one copy is queued and both get it."""
    import asyncio

    async with people(portal, LAN) as (_lan,):
        user = await User.get(phone="84" + LAN[1:])
        made = await asyncio.gather(*(export.ask(user, "en") for _ in range(3)))
    assert await DataExport.filter(user_id=user.id).count() == 1
    assert sorted(new for _copy, new in made) == [False, False, True]
    assert len({copy.id for copy, _new in made}) == 1
