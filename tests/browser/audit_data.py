"""The data the accessibility audit needs, prepared over HTTP against the served portal, as people would.

One signed-in HTTP session per role (sign-in with the code from the SMS sandbox; CSRF token from the
``portal_csrf`` cookie, posted as ``_csrf_token``); the browsers then reuse those sessions' cookies.
Dossiers are filled through the pages and driven to each status through the officer's desk pages.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import httpx

from accessibility.audit import Sessions
from accessibility.pages import ROLES
from backend.catalogue.loader import read_procedures
from tests.sms_codes import sign_in_code
from tests.softauthn import SoftAuthenticator
from tests.support import JPG, PDF, PNG, valid_value

BIRTH, ID_CARD, CRIMINAL_RECORD, PASSPORT = "1.001193", "2.001195", "3.000333", "1.001456"
ID_CARD_REISSUE = "2.001194"  # a fixed fee: paid at the sandbox gateway
SIGNATURE, WARD = "2.000884", "P01-W-HOANKIEM"  # a helper files it for a citizen at Hoàn Kiếm ward (issue 20)
LAN_ID_NUMBER, MINH_ID_NUMBER = "001190012345", "079088001234"
PROCEDURES = {p["code"]: p for p in read_procedures()}


class Person:
    """An HTTP session of the portal, in English."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30)

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def post(self, path: str, data: dict | None = None, files: dict | None = None, expect=(302, 303)) -> httpx.Response:
        if not self.client.cookies.get("portal_csrf"):
            self.client.get("/en/sign-in")  # a page with a form sets the CSRF cookie
        response = self.client.post(path, data={**(data or {}), "_csrf_token": self.client.cookies["portal_csrf"]},
                                    files=files)
        assert response.status_code in expect, f"POST {path}: {response.status_code}\n{response.text[:2000]}"
        return response

    def post_json(self, path: str, body: dict | None = None) -> dict:
        if not self.client.cookies.get("portal_csrf"):
            self.client.get("/en/sign-in")  # a page with a form sets the CSRF cookie
        response = self.client.post(path, json=body or {}, headers={"x-csrftoken": self.client.cookies["portal_csrf"]})
        assert response.status_code == 200, f"POST {path}: {response.status_code} {response.text[:2000]}"
        return response.json()

    def ask_code(self, phone: str) -> None:
        self.post("/en/sign-in", {"phone": phone})

    def sign_in(self, phone: str) -> Person:
        self.ask_code(phone)
        messages = self.client.get("/dev/outbox.json", params={"to": "84" + phone[1:]}).json()
        self.post("/en/sign-in/code", {"code": sign_in_code(messages)})
        return self

    def cookies(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self.client.cookies.items() if name.startswith("portal_")]

    # -- a citizen's steps --------------------------------------------------------------------------------

    def start(self, procedure: str) -> str:
        """Apply (or resume the draft); returns the dossier code."""
        agency = self.client.get(f"/api/v1/procedures/{procedure}").json()["agency_code"]  # where it is filed
        return self.post(f"/en/procedures/{procedure}/apply", {"agency": agency}).headers["location"].split("/")[3]

    def fill(self, procedure: str) -> str:
        """A draft with every page answered and each mandatory document uploaded (plus one optional one)."""
        code = self.start(procedure)
        definition = PROCEDURES[procedure]
        for page in definition["form"]:
            self.post(f"/en/dossiers/{code}/form/{page['key']}", {f["name"]: valid_value(f) for f in page["fields"]})
        optional = [d for d in definition["documents"] if not d["mandatory"]][:1]
        for document in [d for d in definition["documents"] if d["mandatory"]] + optional:
            kind = document["types"][0]
            content = {"pdf": PDF, "png": PNG, "jpg": JPG}[kind]
            self.post(f"/en/dossiers/{code}/documents", {"doc_key": document["key"]},
                      {"file": (f"{document['key']}.{kind}", content)})
        return code

    def send(self, procedure: str) -> str:
        code = self.fill(procedure)
        self.post(f"/en/dossiers/{code}/submit",
                  {"declaration": "yes", "result_form": PROCEDURES[procedure]["result_forms"][0]})
        return code

    def pay_fee(self, procedure: str) -> tuple[str, str]:
        """Send a procedure with a fee by paying it at the sandbox gateway: (receipt number, return URL query)."""
        code = self.fill(procedure)
        gateway = self.post(f"/en/dossiers/{code}/submit",
                            {"declaration": "yes", "result_form": PROCEDURES[procedure]["result_forms"][0]},
                            expect=(303,)).headers["location"]
        self.get(gateway)
        txn_ref = dict(parse_qsl(urlsplit(gateway).query))["vnp_TxnRef"]
        back = self.post("/sandbox/payment/paymentv2/choose", {"txn_ref": txn_ref, "choice": "succeed"},
                         expect=(303,)).headers["location"]
        query = urlsplit(back).query
        found = re.search(r'/payments/receipts/([^"/?#]+)"', self.get(f"/en/payments/return?{query}").text)
        return (found.group(1) if found else "no-receipt"), query  # without one, the page check fails, saying so


def _newest_question(person: Person) -> str:
    """The number of the question ``person`` asked last (the first link of *My questions*)."""
    found = re.search(r'/questions/(\d+)"', person.get("/en/questions/mine").text)
    return found.group(1) if found else "0"  # then the page check fails, saying so


def _at_counter(helper: Person, citizen_phone: str, procedure: str = ID_CARD, agency: str = "") -> str:
    """The demo helper starts a procedure (an identity card renewal) for a citizen and types the code texted to them
    (issue 20): the code of the dossier the consent opens."""
    agency = agency or helper.get(f"/api/v1/procedures/{procedure}").json()["agency_code"]
    asked = helper.post("/en/helper/start", {"citizen": citizen_phone, "procedure": procedure, "agency": agency})
    consent = asked.headers["location"].rstrip("/").split("/")[-2]
    messages = helper.get(f"/dev/outbox.json?to=84{citizen_phone[1:]}").json()
    opened = helper.post(f"/en/helper/consents/{consent}/code", {"code": sign_in_code(messages)})
    found = re.search(r"/dossiers/([^/]+)/", opened.headers["location"])
    return found.group(1) if found else "no-dossier-opened"  # then the page check fails, saying so


def _declared_at_counter(helper: Person, citizen_phone: str) -> str:
    """A dossier the demo helper filled for a citizen who then declared it at the counter by reading out the code
    texted to them (issue 20): its fee is now due in cash."""
    code = _at_counter(helper, citizen_phone)
    definition = PROCEDURES[ID_CARD]
    for page in definition["form"]:
        helper.post(f"/en/dossiers/{code}/form/{page['key']}", {f["name"]: valid_value(f) for f in page["fields"]})
    for document in [d for d in definition["documents"] if d["mandatory"]]:
        kind = document["types"][0]
        helper.post(f"/en/dossiers/{code}/documents", {"doc_key": document["key"]},
                    {"file": (f"{document['key']}.{kind}", {"pdf": PDF, "png": PNG, "jpg": JPG}[kind])})
    helper.post(f"/en/dossiers/{code}/submit", {"declare_by": "code", "result_form": definition["result_forms"][0]})
    texts = [m["text"] for m in helper.get(f"/dev/outbox.json?to=84{citizen_phone[1:]}").json() if code in m["text"]]
    found = re.search(r"\b(\d{6})\b", texts[0].replace(code, "")) if texts else None  # the newest is first
    helper.post(f"/en/dossiers/{code}/declare/code", {"code": found.group(1) if found else "000000"})
    return code


def _cash_receipt(helper: Person, code: str) -> str:
    """The demo helper takes the dossier's fee in cash: the receipt's number."""
    taken = helper.post(f"/en/helper/dossiers/{code}/cash", {"taken": "yes"}, expect=(303,))
    return taken.headers["location"].rstrip("/").split("/")[-1]


def _helped(helper: Person, citizen: Person, citizen_phone: str) -> tuple[str, str]:
    """The demo helper files a signature certification for a citizen (their consent code read from the SMS
    sandbox), photographs the document and asks them to declare by a link (issue 20): the dossier and the link."""
    code = _at_counter(helper, citizen_phone, SIGNATURE, WARD)
    for page in PROCEDURES[SIGNATURE]["form"]:
        helper.post(f"/en/dossiers/{code}/form/{page['key']}", {f["name"]: valid_value(f) for f in page["fields"]})
    helper.post(f"/en/dossiers/{code}/documents", {"doc_key": "document_to_sign"},
                files={"photo": ("chu-ky.jpg", JPG, "image/jpeg")})
    helper.post(f"/en/dossiers/{code}/submit", {"declare_by": "link", "result_form": "office"})
    texts = [message["text"] for message in citizen.get(f"/dev/outbox.json?to=84{citizen_phone[1:]}").json()]
    return code, next(m.group(1) for text in texts if (m := re.search(r"/declare/(\S+)", text)))


def prepare(base_url: str, languages: list[str]) -> tuple[Sessions, dict[str, str]]:
    """Sessions (role -> language -> cookies) and the dossier codes the page table's placeholders name."""
    people: dict[str, dict[str, Person]] = {}
    for name, role in ROLES.items():
        if "{n" in role.phone:
            people[name] = {lang: Person(base_url).sign_in(role.phone.format(n=n))
                            for n, lang in enumerate(languages, 1)}
            continue
        person = Person(base_url)
        if name == "anonymous":
            person.ask_code(role.phone)  # a code on its way: /sign-in/code opens
        else:
            person.sign_in(role.phone)
        people[name] = dict.fromkeys(languages, person)
    lan, officer, minh = (people[name][languages[0]] for name in ("citizen", "officer", "other_citizen"))

    lan.post("/en/account/identity", {"id_number": LAN_ID_NUMBER})
    assert lan.get("/en/account/identity").text.count("Level 2"), "Lan's identity was not verified"
    authenticator = SoftAuthenticator(origin=base_url)
    options = lan.post_json("/en/account/passkeys/begin")
    lan.post_json("/en/account/passkeys/complete", {"credential": authenticator.create(options), "name": "Lan's phone"})

    values = {status: lan.send(BIRTH) for status in
              ("submitted", "in_progress", "supplement", "approved", "refused", "withdrawn")}
    for status in ("in_progress", "supplement", "approved", "refused"):
        officer.post(f"/en/desk/dossiers/{values[status]}/receive")
    officer.post(f"/en/desk/dossiers/{values['approved']}/approve",  # with the register's entry (issue 18)
                 {"note": "All in order.", "result_registration_number": "15/2026", "result_register_book": "01/2026"})
    officer.post(f"/en/desk/dossiers/{values['refused']}/refuse", {"note": "This birth is already registered."})
    first_field = PROCEDURES[BIRTH]["form"][0]["fields"][0]["name"]
    officer.post(f"/en/desk/dossiers/{values['supplement']}/supplement",
                 {"fields[]": [first_field], "documents[]": ["birth_certificate_medical"],
                  "reason": "The child's name is misspelt and the medical certificate is unreadable."})
    lan.post(f"/en/dossiers/{values['withdrawn']}/withdraw")
    found = re.search(r'/results/verify/([^"/?#]+)"', lan.get(f"/en/my/dossiers/{values['approved']}").text)
    values["result"] = found.group(1) if found else "no-result-issued"  # then the page check fails, saying so
    lan.post(f"/en/my/dossiers/{values['refused']}/rating", {"score": "4", "comment": "Quick and clear."})
    values["helped"], values["declare_link"] = _helped(people["helper"][languages[0]], people["helped"][languages[0]],
                                                       ROLES["helped"].phone)

    values["fee_receipt"], values["paid_return"] = lan.pay_fee(ID_CARD_REISSUE)
    values["ready"] = lan.fill(PASSPORT)
    values["prefilled"] = lan.start(CRIMINAL_RECORD)
    lan.post(f"/en/dossiers/{values['prefilled']}/prefill", {"choice": "yes"})
    values["offer"] = lan.start(ID_CARD)
    values["draft"] = lan.start(BIRTH)  # last: a citizen's draft of a procedure is resumed, not duplicated
    lan.post(f"/en/dossiers/{values['draft']}/prefill", {"choice": "no"})
    values["unverified_draft"] = minh.start(ID_CARD)
    helper = people["helper"][languages[0]]  # at the counter (issue 20): a fee to take in cash, a cash receipt
    values["counter"] = _declared_at_counter(helper, "0911000096")
    values["cash_receipt"] = _cash_receipt(helper, _declared_at_counter(helper, "0911000095"))
    values["branch_draft"] = minh.start(BIRTH)  # the parents not married, the father acknowledging (issue 18)
    branch = {"parents_married": "no", "father_acknowledges": "yes"}
    for page in PROCEDURES[BIRTH]["form"]:
        if page["key"] in ("child", "birth_notice", "parents", "acknowledgement"):
            minh.post(f"/en/dossiers/{values['branch_draft']}/form/{page['key']}",
                      {f["name"]: branch.get(f["name"], valid_value(f)) for f in page["fields"]})
    # Public questions (issue 19): one published pair (asked in Khmer, answered in Vietnamese), one to classify
    lan.post("/en/questions/new", {"procedure": BIRTH, "language": "km", "consent": "yes",
                                   "text": "ខ្ញុំត្រូវការឯកសារអ្វីខ្លះ?"})
    values["question"] = _newest_question(lan)
    officer.post(f"/en/desk/questions/{values['question']}/classify", {"kind": "question"})
    officer.post(f"/en/desk/questions/{values['question']}/answer",
                 {"answer": "Cần tờ khai và giấy chứng sinh.", "answer_language": "vi"})
    officer.post(f"/en/desk/questions/{values['question']}/publish")
    lan.post("/en/questions/new", {"procedure": BIRTH, "language": "vi", "text": "Bao lâu thì có kết quả?"})
    values["open_question"] = _newest_question(lan)
    # Assisted filing (issue 20): the demo helper asks a citizen's consent (the code page waits for the code)
    asked = people["helper"][languages[0]].post("/en/helper/start", {
        "citizen": "0911000098", "procedure": BIRTH, "agency": "P01-W-HOANKIEM"})
    values["consent"] = asked.headers["location"].rstrip("/").split("/")[-2]
    for _ in range(5):  # Minh's number is registered with another phone: each try is refused, and counted
        minh.post("/en/account/identity", {"id_number": MINH_ID_NUMBER}, expect=(400,))
    # Closing an account (issue 21): Minh asks, the administrator takes it (the confirmation page opens)
    minh.post("/en/my/data/close", {"understood": "yes"})
    admin = people["admin"][languages[0]]
    found = re.search(r"/admin/closures/(\d+)/take", admin.get("/en/admin/closures").text)
    values["closure"] = found.group(1) if found else "0"  # then the page check fails, saying so
    admin.post(f"/en/admin/closures/{values['closure']}/take")

    sessions = {name: {lang: person.cookies() for lang, person in by_lang.items()} for name, by_lang in people.items()}
    for person in {id(p): p for by_lang in people.values() for p in by_lang.values()}.values():
        person.client.close()
    return sessions, values
