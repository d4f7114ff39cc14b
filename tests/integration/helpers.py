"""Shared steps of the integration tests: several people at once, dossiers driven to a status, DB snapshots."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

import httpx

from backend.core.text_store import STORE
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, NotificationOutbox, TimelineEvent
from tests.integration.payment_steps import has_fee, pay_and_submit
from tests.support import ENGLISH, Portal, fill_draft, procedure_definition

BIRTH = "1.001193"  # Hoàn Kiếm ward, 1 working day
CRIMINAL_RECORD = "3.000333"  # Hà Nội police, 10 working days
PASSPORT = "1.001456"  # Hà Nội police; the portrait photo accepts only jpg/png

# Written out here rather than read from the workflow, so that a change there shows up as a failure.
CITIZEN_ACTIONS = frozenset({"submit", "resubmit", "withdraw"})  # the others are the agency's

# The shortest way to each status, as a list of actions (each taken by the applicant or the agency).
PATHS: dict[Status, list[str]] = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.IN_PROGRESS: ["submit", "receive"],
    Status.SUPPLEMENT_REQUESTED: ["submit", "receive", "request_supplement"],
    Status.APPROVED: ["submit", "receive", "approve"],
    Status.REFUSED: ["submit", "receive", "refuse"],
    Status.WITHDRAWN: ["submit", "withdraw"],
}


@asynccontextmanager
async def people(portal: Portal, *phones: str) -> AsyncIterator[list[Portal]]:
    """One signed-in browser per phone number; the first is ``portal`` itself, the others share its app."""
    browsers = [portal]
    clients = []
    for _ in phones[1:]:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=portal.app), base_url=portal.client.base_url, headers=ENGLISH
        )
        clients.append(client)
        browsers.append(Portal(client, portal.app))
    try:
        for browser, phone in zip(browsers, phones, strict=True):
            await browser.sign_in(phone)
        yield browsers
    finally:
        for client in clients:
            await client.aclose()


# What an official fills on a result at approval (issue 18), by the keys of the result templates.
RESULT_FIELDS = {"registration_number": "15/2026", "register_book": "01/2026", "register_page": "12"}


async def act(who: Portal, code: str, action: str, **body) -> httpx.Response:
    """``POST /api/v1/dossiers/{code}/actions/{action}`` as ``who``; an approval sends the register's entry its
    procedure's result template asks for, unless ``result_fields`` is given."""
    if action == "approve" and "result_fields" not in body:
        dossier = await Dossier.get_or_none(code=code).prefetch_related("procedure")
        keys = {f["key"] for f in ((dossier.procedure.result_template or {}) if dossier else {}).get("official", [])}
        body["result_fields"] = {key: value for key, value in RESULT_FIELDS.items() if key in keys}
    return await who.api("POST", f"/api/v1/dossiers/{code}/actions/{action}", json=body)


async def body_for(action: str, procedure_code: str) -> dict:
    """A request body with which ``action`` succeeds when the dossier's state allows it."""
    definition = await procedure_definition(procedure_code)
    match action:
        case "submit":
            return {"declaration": True, "result_form": definition["result_forms"][0]}
        case "request_supplement":
            # An answer already valid: the citizen can resubmit at once.
            return {"fields": [definition["form"][0]["fields"][0]["name"]], "note": "Check the spelling of the name."}
        case "approve":
            return {"note": "All in order."}
        case "refuse":
            return {"note": "This birth is already registered."}
        case "transfer":  # to another ward that registers births
            return {"agency": "P01-W-BADINH", "note": "The parents live in Ba Đình ward."}
    return {}


async def take(citizen: Portal, officer: Portal, code: str, action: str, procedure_code: str = BIRTH,
               **override) -> httpx.Response:
    """Take ``action`` as whoever the workflow says takes it (the applicant or the agency's official)."""
    who = citizen if action in CITIZEN_ACTIONS else officer
    body = {**await body_for(action, procedure_code), **override}
    return await act(who, code, action, **body)


async def drive(citizen: Portal, officer: Portal, status: Status, procedure_code: str = BIRTH,
                path: list[str] | None = None) -> str:
    """A new dossier of ``citizen`` brought to ``status`` through the pages and the API; returns its code."""
    code = await fill_draft(citizen, procedure_code)
    for action in PATHS[status] if path is None else path:
        if action == "submit" and await has_fee(procedure_code):  # sent by paying its fee (payments, issue 7)
            await pay_and_submit(citizen, code, procedure_code)
            continue
        response = await take(citizen, officer, code, action, procedure_code)
        assert response.status_code == 200, (action, response.text)
    assert (await Dossier.get(code=code)).status is status
    return code


@dataclass(frozen=True)
class Snapshot:
    status: Status
    events: int
    notifications: int
    updated_at: object


async def snapshot(code: str) -> Snapshot:
    dossier = await Dossier.get(code=code)
    return Snapshot(
        dossier.status,
        await TimelineEvent.filter(dossier=dossier).count(),
        await NotificationOutbox.filter(dossier=dossier).count(),
        dossier.updated_at,
    )


def without_csrf(html: str) -> str:
    """A page's text with its per-request CSRF token blanked, to compare two pages."""
    return re.sub(r'(name="_csrf_token" value=")[^"]*(")', r"\1\2", html)


async def start_draft(citizen: Portal, procedure_code: str) -> str:
    """Apply for a procedure (nothing answered yet); returns the draft's code."""
    agency = (await citizen.get(f"/api/v1/procedures/{procedure_code}")).json()["agency_code"]
    response = await citizen.post_form(f"/procedures/{procedure_code}/apply", {"agency": agency})
    assert response.status_code in (302, 303), response.text
    return response.headers["location"].split("/")[3]


async def upload(citizen: Portal, code: str, doc_key: str, filename: str, content: bytes) -> httpx.Response:
    return await citizen.post_form(f"/dossiers/{code}/documents", {"doc_key": doc_key},
                                   files={"file": (filename, content)})


def files_under(directory) -> list:
    """Every file below ``directory``, temporary ones included (none when it does not exist)."""
    return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.exists() else []


@contextmanager
def approved(code: str, msgid: str) -> Iterator[None]:
    """A critical text's draft in ``code`` approved by reviewers, for one test (a draft of it is never sent)."""
    draft = STORE.entry(code, "messages", msgid)
    assert draft is not None and draft.text, f"the {code} catalogue has a draft of {msgid!r}"
    STORE.set_live(code, "messages", msgid, draft.text)
    try:
        yield
    finally:
        STORE.clear_live()
