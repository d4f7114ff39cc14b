"""People who use the served portal over plain HTTP (httpx): the other side of the browser tests' journeys.

A citizen signs in with the SMS sandbox, applies through the real pages (every form page as the portal serves
it, every mandatory document), sends the dossier and answers supplement requests; an official signs in the same
way. A browser test can so start from a dossier in a known state, or take over a session (`share_session`),
without driving a second browser.
"""

from __future__ import annotations

import re
import struct
import zlib
from html.parser import HTMLParser

import httpx

from tests.sms_codes import sign_in_code

CODE_PATTERN = re.compile(r"HS-\d{6}-[A-Z0-9]{6}")


def small_png() -> bytes:
    """A real 1×1 white PNG (signature, IHDR, IDAT, IEND with their CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


class FormControls(HTMLParser):
    """The named controls of the ``<form>`` whose action is ``action``: name -> (tag, attributes, options)."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.action_of_page: str | None = None  # a page with a file field posts to ``action/files``
        self.inside = False
        self.controls: dict[str, tuple[str, dict[str, str], list[str]]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = attributes.get("action") in (self.action, self.action + "/files")
            if self.inside:
                self.action_of_page = attributes["action"]
        elif self.inside and tag in ("input", "select", "textarea") and attributes.get("name"):
            if attributes.get("type") in ("hidden", "submit") or "readonly" in attributes:
                return
            self.controls.setdefault(attributes["name"], (tag, attributes, []))
            if tag == "select":
                self._select = attributes["name"]
        elif tag == "option" and self._select and attributes.get("value"):
            self.controls[self._select][2].append(attributes["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None


def answer(name: str, tag: str, attributes: dict[str, str], options: list[str]) -> str:
    """A valid answer for one control, chosen by its kind (as tests/browser/test_citizen_journey.py types them)."""
    kind = attributes.get("type", "text")
    if kind in ("radio", "checkbox"):  # the first option (yes, on a yes/no question)
        return attributes.get("value", "")
    if tag == "select":
        return options[0]
    if tag == "textarea":
        return "Số 1, phố Tràng Tiền, Hoàn Kiếm, Hà Nội"
    if kind == "date":
        return "2025-03-27"
    if kind == "email":
        return "minh@example.vn"
    if kind == "tel":
        return "0987654321"
    if "id_number" in name:  # before numbers: an identity number's field is numeric too
        return "001190012345"
    if attributes.get("inputmode") in ("decimal", "numeric"):
        return "2"
    return "Trần Văn Minh"


class HttpUser:
    """One signed-in person (a citizen, or an official) with their own cookies; paths are English pages."""

    def __init__(self, base_url: str, phone: str):
        self.base_url = base_url
        self.phone = phone
        self.client = httpx.Client(base_url=base_url, timeout=30)

    def __enter__(self) -> HttpUser:
        self.sign_in()
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def csrf(self) -> str:
        token = self.client.cookies.get("portal_csrf")
        if not token:
            self.client.get("/en/sign-in")  # a page with a form sets the CSRF cookie
            token = self.client.cookies.get("portal_csrf")
        assert token, "the portal sent no portal_csrf cookie"
        return token

    def post(self, path: str, data: dict | None = None, files: dict | None = None, expect: str | None = None) -> str:
        """POST a page form; it must answer with a redirect (to a path matching ``expect``); returns the target."""
        response = self.client.post(path, data={**(data or {}), "_csrf_token": self.csrf()}, files=files)
        assert response.status_code in (302, 303), f"POST {path}: {response.status_code}\n{response.text[:2000]}"
        location = response.headers["location"]
        if expect:
            assert re.search(expect, location), f"POST {path} led to {location}, not {expect}"
        return location

    def get(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        return response.text

    def sign_in(self) -> None:
        self.post("/en/sign-in", {"phone": self.phone}, expect="/sign-in/code")
        messages = self.client.get("/dev/outbox.json", params={"to": "84" + self.phone[1:]}).json()
        self.post("/en/sign-in/code", {"code": sign_in_code(messages)})

    def fill_form_page(self, path: str) -> str:
        """Answer every control the page's form shows; returns where the portal goes next."""
        controls = FormControls(path)
        controls.feed(self.get(path))
        assert controls.controls, f"no form controls on {path}"
        files = {name: (f"{name}.png", small_png(), "image/png") for name, (tag, attributes, _) in
                 controls.controls.items() if attributes.get("type") == "file"}  # a file field: a small image
        answers = {name: answer(name, *spec) for name, spec in controls.controls.items() if name not in files}
        action = controls.action_of_page or path
        return self.post(action, answers, files or None)

    def upload(self, code: str, doc_key: str) -> str:
        return self.post(f"/en/dossiers/{code}/documents", {"doc_key": doc_key},
                         files={"file": (f"{doc_key}.png", small_png(), "image/png")})

    def apply(self, procedure: str) -> tuple[str, str]:
        """Start (or take up again) a draft; returns its code and its first form page."""
        agency = self.client.get(f"/api/v1/procedures/{procedure}").json()["agency_code"]  # where it is filed
        location = self.post(f"/en/procedures/{procedure}/apply", {"agency": agency}, expect=r"/dossiers/[^/]+/form/")
        return location.split("/")[3], location

    def answer_all(self, code: str, first_page: str) -> None:
        """Answer every form page, from ``first_page`` until the portal moves on to the documents."""
        location, pages = first_page, 0
        while "/form/" in location:
            pages += 1
            assert pages < 20, "the form pages never end"
            location = self.fill_form_page(location.split("?")[0].split("#")[0])
        assert location.startswith(f"/en/dossiers/{code}/documents"), location

    def upload_mandatory(self, procedure: str, code: str) -> list[str]:
        documents = self.client.get(f"/api/v1/procedures/{procedure}").json()["documents"]
        keys = [d["key"] for d in documents if d["mandatory"]]
        for key in keys:
            self.upload(code, key)
        return keys

    def start(self, procedure: str) -> str:
        """A draft with every form page answered and every mandatory document uploaded; returns its code."""
        code, first_page = self.apply(procedure)
        self.answer_all(code, first_page)
        self.upload_mandatory(procedure, code)
        return code

    def send(self, code: str) -> None:
        """Declare and send a complete draft; the receipt must follow."""
        check = self.get(f"/en/dossiers/{code}/check")
        result_form = re.search(r'name="result_form" value="([^"]+)"', check).group(1)
        self.post(f"/en/dossiers/{code}/submit", {"declaration": "yes", "result_form": result_form},
                  expect=f"/dossiers/{code}/receipt")
        assert code in self.get(f"/en/dossiers/{code}/receipt")
        assert CODE_PATTERN.fullmatch(code), code

    def submit(self, procedure: str) -> str:
        """Apply and send; returns the dossier code from the receipt."""
        code = self.start(procedure)
        self.send(code)
        return code

    def share_session(self, driver) -> None:
        """Let the browser continue as this person: it gets this client's session and CSRF cookies."""
        driver.get(self.base_url + "/healthz")  # cookies can only be set for the page's own site
        driver.delete_all_cookies()
        for cookie in self.client.cookies.jar:
            driver.add_cookie({"name": cookie.name, "value": cookie.value, "path": cookie.path or "/"})

    def resubmit(self, code: str) -> None:
        """Answer the open supplement request: upload again what is asked, correct the answers asked for."""
        path = f"/en/dossiers/{code}/supplement"
        page = self.get(path)
        for doc_key in re.findall(r'name="doc_key" value="([^"]+)"', page):
            self.upload(code, doc_key)
        controls = FormControls(path)
        controls.feed(self.get(path))
        answers = {name: answer(name, *spec) for name, spec in controls.controls.items()}
        if "child_full_name" in answers:
            answers["child_full_name"] = "Trần Minh An"
        self.post(path, answers, expect=f"/my/dossiers/{code}\\?resubmitted=1")
