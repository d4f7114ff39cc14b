"""Test helpers: database reset, sign-in through the real SMS sandbox, CSRF-aware requests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from litestar import Litestar
from tortoise import connections

from backend.adapters import Adapters, Overrides, adapters_of
from backend.app import create_app
from backend.catalogue.loader import load_catalogue
from backend.core.clock import SYSTEM, Clock
from backend.core.language_routing import is_page_path, split_language
from backend.demo import create_demo_users
from backend.settings import ROOT, Settings, settings_of
from backend.translations.live import forget_live
from tests import catalogue_state
from tests.sms_codes import sign_in_code

ENGLISH = {"accept-language": "en"}  # what the tests read; unprefixed requests negotiate it too
MUTABLE_TABLES = [
    "access_log",  # issue 21 (migration 31): the tables that point at accounts go before them
    "data_export",
    "closure_request",
    "result_collection",  # issue 20: a paper result at the counter points at its dossier
    "assist_event",
    "assist_consent",
    "helper_post",
    "stat_daily",
    "stat_monthly",
    "stat_backlog",
    "stat_watermark",
    "question_event",
    "question",
    "staff_change",
    "translation_event",
    "translation_proposal",
    "translator_role",
    "delivery_event",
    "delivery_booking",
    "sandbox_shipment",
    "payment_callback",
    "payment_receipt",
    "payment",
    "sandbox_payment",
    "push_subscription",
    "idempotency_record",
    "result_failure",
    "result",
    "prefill_consent",
    "verification_attempt",
    "sign_in_event",
    "passkey",
    "rating",
    "notification_outbox",
    "dossier_transfer",
    "timeline_event",
    "supplement_request",
    "dossier_document",
    "dossier",
    "service_point",
    "one_time_code",
    "rate_counter",
    "session_record",
    "sandbox_sms",
    "user_account",
]
_catalogue_loaded: set[str] = set()


def pdf_of_size(size: int = 0) -> bytes:
    """A real one-page PDF (uploads are parsed, not just sniffed), padded to exactly ``size`` bytes when given
    by a stream no page uses."""

    def build(padding: int) -> bytes:
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
                   b"<< /Length %d >>\nstream\n" % padding + b"0" * padding + b"\nendstream"]
        out, offsets = b"%PDF-1.4\n", []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)

    padding = 0
    for _ in range(4):  # the padding's length changes the digits around it: settle in a few rounds
        padding = max(0, padding + size - len(build(padding))) if size else 0
    pdf = build(padding)
    assert not size or len(pdf) == size, (size, len(pdf))
    return pdf


def _image(kind: str) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


# Small real files of each type: uploads are opened (a PDF parsed, an image decoded), not only sniffed.
PDF = pdf_of_size()
PNG = _image("PNG")
JPG = _image("JPEG")


async def reset_database(url: str, *, drop: bool = False) -> None:
    """``drop``: recreate the schema from migrations. Otherwise empty the tables a test can change."""
    if drop:
        if url.startswith("postgres"):
            import asyncpg

            server = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
            await server.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            await server.close()
        # As `make run` does it, in its own process: aerich keeps per-process state about the database.
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "-m", "backend.manage", "migrate"],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        _catalogue_loaded.discard(url)
        return
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(MUTABLE_TABLES)} RESTART IDENTITY CASCADE;")
    else:
        for table in MUTABLE_TABLES:
            await conn.execute_script(f'DELETE FROM "{table}";')
    forget_live()  # approvals of an earlier test are not shown in this one
    if url not in _catalogue_loaded:
        await load_catalogue()
        await catalogue_state.remember(url)
        _catalogue_loaded.add(url)
    else:  # a version an earlier test published (issue 18) is not live in this one
        await catalogue_state.put_back(url)
    await create_demo_users()


CITIZEN = "0912345678"
OTHER_CITIZEN = "0987654321"
OFFICER = "0901000001"  # Hoàn Kiếm ward
OTHER_OFFICER = "0901000002"  # Hà Nội City Police
# The approve form: a note, and the register's entry a birth registration's result prints (issue 18: refused empty)
APPROVAL = {"note": "All in order.", "result_registration_number": "15/2026", "result_register_book": "01/2026"}


@dataclass
class Portal:
    """One browser: its cookies, and the language its page paths start with (English, the source)."""

    client: httpx.AsyncClient
    app: Litestar
    lang: str = "en"

    @property
    def adapters(self) -> Adapters:
        """The running app's adapters (backend/adapters.py): read them, or set one to swap it for a stand-in."""
        return adapters_of(self.app)

    @property
    def settings(self) -> Settings:
        return settings_of(self)  # anything with an ``app`` will do

    def url(self, url: str) -> str:
        """``/my/dossiers`` -> ``/en/my/dossiers``; API, static and sandbox paths stay as they are."""
        code, path = split_language(url)
        return url if code or not url.startswith("/") or not is_page_path(path.split("?")[0]) else f"/{self.lang}{url}"

    def csrf(self) -> str:
        token = self.client.cookies.get("portal_csrf")
        assert token, "fetch a page with a form first: it sets the CSRF cookie"
        return token

    async def get(self, url: str, **kwargs: Any):
        return await self.client.get(self.url(url), **kwargs)

    async def post_form(self, url: str, data: dict | None = None, files: dict | None = None, **kwargs: Any):
        if not self.client.cookies.get("portal_csrf"):
            await self.client.get("/en/sign-in")  # a page with a form sets the CSRF cookie
        payload = {**(data or {}), "_csrf_token": self.csrf()}
        return await self.client.post(self.url(url), data=payload, files=files, **kwargs)

    async def api(self, method: str, url: str, json: Any = None):
        if not self.client.cookies.get("portal_csrf"):
            await self.client.get("/en/sign-in")  # a page with a form sets the CSRF cookie
        return await self.client.request(method, self.url(url), json=json, headers={"x-csrftoken": self.csrf()})

    async def last_code(self, phone: str) -> str:
        messages = (await self.client.get("/dev/outbox.json", params={"to": "84" + phone[1:]})).json()
        return sign_in_code(messages)

    async def sign_in(self, phone: str) -> None:
        await self.sign_out()
        response = await self.post_form("/sign-in", {"phone": phone})
        assert response.status_code in (302, 303), response.text
        response = await self.post_form("/sign-in/code", {"code": await self.last_code(phone)})
        assert response.status_code in (302, 303), response.text

    async def sign_out(self) -> None:
        if self.client.cookies.get("portal_session"):
            await self.post_form("/sign-out")
        self.client.cookies.clear()


def valid_value(field: dict) -> str:
    """An answer the form accepts for a field definition from the catalogue."""
    match field.get("type"):
        case "date":
            return "2025-03-27"
        case "number":
            return str(field.get("min", 3))  # 1 copy of a certificate: its fee counts copies (issue 18)
        case "email":
            return "lan@example.vn"
        case "tel" | "phone":
            return "0912345678"
        case "identity":
            return "001090012345"
        case "select" | "choice" | "multichoice":
            return field["options"][0]["value"]
        case "yesno":
            return "yes"
    return "Nguyễn Văn An"


def valid_answers(field: dict) -> dict[str, str]:
    """What a form page posts for ``field``: a repeating group's one item as ``name-0-field``."""
    if field.get("type") == "group":
        return {f"{field['name']}-0-{sub['name']}": valid_value(sub) for sub in field["fields"]}
    return {field["name"]: valid_value(field)}


async def fill_draft(portal: Portal, procedure_code: str, upload: bytes = PDF, agency: str | None = None) -> str:
    """Apply for a procedure through the pages (every form page, every mandatory document); returns the code.
    Filed at ``agency``, by default the catalogue's own, where the demo's officials work (test_filing_agency)."""
    procedure = (await portal.get(f"/api/v1/procedures/{procedure_code}")).json()
    agency = agency or procedure["agency_code"]
    response = await portal.post_form(f"/procedures/{procedure_code}/apply", {"agency": agency})
    assert response.status_code in (302, 303), response.text
    code = response.headers["location"].split("/")[3]
    definition = await procedure_definition(procedure_code)
    await answer_pages(portal, code, definition["form"])
    await upload_mandatory(portal, code, procedure_code, upload)
    return code


async def upload_mandatory(portal: Portal, code: str, procedure_code: str, upload: bytes = PDF) -> None:
    """Upload every mandatory document of the procedure (its first accepted type, or ``upload`` as it is)."""
    procedure = (await portal.get(f"/api/v1/procedures/{procedure_code}")).json()
    for document in procedure["documents"]:
        if document["mandatory"]:
            kind = document["types"][0]
            content = {"pdf": PDF, "png": PNG, "jpg": JPG}[kind] if upload is PDF else upload
            response = await portal.post_form(
                f"/dossiers/{code}/documents",
                {"doc_key": document["key"]},
                files={"file": (f"{document['key']}.{kind}", content)},
            )
            assert response.status_code in (302, 303), response.text


async def answer_pages(portal: Portal, code: str, form: list[dict], chosen: dict | None = None) -> dict:
    """Post every form page that applies (``forms.visible``: a page skipped by an answer is not posted) with valid
    answers, ``chosen`` ones first; a file field is uploaded as a PDF. Returns the answers posted."""
    from backend.dossiers.forms import visible

    given: dict = {}
    for page in form:
        if not any(p["key"] == page["key"] for p in visible(form, given)):
            continue
        answers = {key: value for f in page["fields"] if f.get("type") != "file"
                   for key, value in valid_answers(f).items()} | {
            k: v for k, v in (chosen or {}).items() if any(f["name"] == k for f in page["fields"])}
        shown = next(p for p in visible(form, {**given, **answers}) if p["key"] == page["key"])["fields"]
        files = {f["name"]: (f"{f['name']}.pdf", PDF, "application/pdf") for f in shown if f.get("type") == "file"}
        url = f"/dossiers/{code}/form/{page['key']}" + ("/files" if files else "")
        response = await portal.post_form(url, answers, files=files or None)
        assert response.status_code in (302, 303), response.text
        given |= {k: v for k, v in answers.items() if any(f["name"] == k for f in shown)} | {
            name: {"id": 0} for name in files}
    return given


async def procedure_definition(code: str) -> dict:
    from backend.catalogue.models import Procedure

    procedure = await Procedure.get(code=code)
    return {"form": procedure.form, "documents": procedure.documents, "result_forms": procedure.result_forms}


async def submit_dossier(portal: Portal, procedure_code: str) -> str:
    code = await fill_draft(portal, procedure_code)
    from tests.integration.payment_steps import has_fee, pay_and_submit

    if await has_fee(procedure_code):  # sent by paying its fee at the sandbox gateway (payments, issue 7)
        await pay_and_submit(portal, code, procedure_code)
        return code
    definition = await procedure_definition(procedure_code)
    response = await portal.post_form(
        f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": definition["result_forms"][0]}
    )
    assert response.status_code in (302, 303), response.text
    return code


@asynccontextmanager
async def served(
    settings: Settings, clock: Clock = SYSTEM, adapters: Overrides | None = None
) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient]]:
    """The app with its lifespan, reached through httpx in the tests' own event loop; ``clock``: its time;
    ``adapters``: stand-ins for some adapters (``{"population_registry": lambda built: stand_in}``).

    The lifespan runs as a server runs it, through the ASGI lifespan protocol (asgi-lifespan's
    ``LifespanManager``), in one background task of this loop. Two other ways fail:
    - Litestar's ``AsyncTestClient`` runs the app in a thread with its own loop: Tortoise then reconnects on
      every loop switch and leaks the old pool (PostgreSQL connections grow by one or two per test);
    - entering ``app.lifespan()`` in a fixture: pytest-asyncio runs a fixture's setup and teardown in two
      different tasks, and the event emitter's anyio task group refuses ("Attempted to exit cancel scope in a
      different task than it was entered in").
    The adapters reach the in-process sandboxes through the same kind of transport.
    """
    transport = httpx.ASGITransport(app=None)  # the app is set below: it is also the sandboxes' host
    app = create_app(settings, http_transport=transport, clock=clock, adapters=adapters)
    transport.app = app
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(LifespanManager(app, startup_timeout=60, shutdown_timeout=60))
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal.local", headers=ENGLISH)
        )
        yield app, client
