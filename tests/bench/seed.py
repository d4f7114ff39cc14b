"""One submitted dossier, made through the portal's pages as a browser would (cookies, CSRF, redirects)."""

from __future__ import annotations

import httpx

from tests.bench.answers import BIRTH, PDF, procedure_definition, valid_value
from tests.sms_codes import sign_in_code

CITIZEN = "0912345678"


class Browser:
    """httpx with the portal's CSRF cookie echoed as ``_csrf_token`` in every form post."""

    def __init__(self, base_url: str):
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.client.get("/sign-in", follow_redirects=True)  # a page with a form sets the portal_csrf cookie

    def post(self, url: str, data: dict | None = None, files: dict | None = None) -> httpx.Response:
        token = self.client.cookies["portal_csrf"]
        response = self.client.post(url, data={**(data or {}), "_csrf_token": token}, files=files)
        if response.status_code not in (302, 303):
            raise RuntimeError(f"POST {url}: {response.status_code}\n{response.text[:2000]}")
        return response

    def close(self) -> None:
        self.client.close()


def sign_in(browser: Browser, phone: str) -> None:
    browser.post("/sign-in", {"phone": phone})
    messages = browser.client.get("/dev/outbox.json", params={"to": "84" + phone[1:]}).json()
    browser.post("/sign-in/code", {"code": sign_in_code(messages)})


def submitted_dossier(base_url: str, procedure_code: str = BIRTH) -> str:
    """Sign in as the demo citizen, apply, fill every page, upload the mandatory documents, send; the code."""
    procedure = procedure_definition(procedure_code)
    browser = Browser(base_url)
    try:
        sign_in(browser, CITIZEN)
        agency = browser.client.get(f"/api/v1/procedures/{procedure_code}").json()["agency_code"]  # where it is filed
        location = browser.post(f"/procedures/{procedure_code}/apply", {"agency": agency}).headers["location"]
        code = next(part for part in location.split("/") if part.startswith("HS-"))  # after the /<lang>/ prefix
        for page in procedure["form"]:
            answers = {field["name"]: valid_value(field) for field in page["fields"]}
            browser.post(f"/dossiers/{code}/form/{page['key']}", answers)
        for document in procedure["documents"]:
            if document["mandatory"]:
                browser.post(f"/dossiers/{code}/documents", {"doc_key": document["key"]},
                             files={"file": (f"{document['key']}.pdf", PDF, "application/pdf")})
        browser.post(f"/dossiers/{code}/submit",
                     {"declaration": "yes", "result_form": procedure["result_forms"][0]})
        status = browser.client.get(f"/api/v1/dossiers/{code}/status")
        status.raise_for_status()
        return code
    finally:
        browser.close()

