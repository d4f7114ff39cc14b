"""An administrator builds a new procedure in the editor with the keyboard alone, publishes it; a citizen files it,
the official approves it, and the signed result shows the citizen's answers.

The administrator's side runs in Chromium on a phone-sized screen: only keys reach the page (Tab, typed text,
arrow keys in a list, Space on a check box, Enter on a link or button), every focus stop's indicator is checked
(tests/browser/keyboard.py). The procedure has 5 form pages, one of them shown only for one answer (a branch), an
identity number question, a fee per copy and a result template; it is published twice (version 2 changes its
processing time). The citizen and the official act over HTTP through the same pages (tests/browser/http_user.py).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.http_user import HttpUser
from tests.browser.keyboard import Keyboard
from tests.browser.pages import latest_code, path_of
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.browser

ADMIN = "0900000000"
CITIZEN = "0977000601"  # this test's own: sign-in codes are limited per number and hour
OFFICER = "0901000001"  # Hoàn Kiếm ward
CODE = "9.990601"
BASE = f"/en/admin/procedures/{CODE}"
# page title (vi, en), then its questions: name, type (the list's label), label (vi, en), extra inputs
PAGES = [
    (("Người yêu cầu", "Applicant"), [
        ("applicant_name", None, ("Họ và tên", "Full name"), {}),
        ("applicant_id_number", "Personal identity number", ("Số định danh cá nhân", "Personal ID number"), {}),
    ]),
    (("Mục đích", "Purpose"), [
        ("purpose", "Choose one (radio buttons)", ("Mục đích sử dụng", "What the copies are for"),
         {"#options": "marriage | Kết hôn | Marriage\nother | Việc khác | Something else"}),
    ]),
    (("Người kết hôn", "Spouse"), [("spouse_name", None, ("Họ và tên người kết hôn", "Spouse's full name"), {})]),
    (("Số bản", "Copies"), [
        ("copies", "Number", ("Số bản sao", "Number of copies"), {"#min": "1", "#max": "10", "#integer": True}),
    ]),
    (("Liên hệ", "Contact"), [("contact_note", "Long text", ("Ghi chú", "Note"), {"#required": False})]),
]


class Admin:
    """The administrator's keyboard, with the few moves the editor's pages need."""

    def __init__(self, driver, keys: Keyboard, base_url: str):
        self.driver, self.keys, self.base_url = driver, keys, base_url

    def to_main(self) -> None:
        """Into <main>: by the skip link, unless a status message or error summary there already took the focus."""
        if not self.driver.execute_script("return !!document.activeElement.closest('main')"):
            self.keys.skip_to_main()

    def go(self, selector: str, text: str | None = None, backwards: bool = False) -> None:
        """Tab to a link or button from the top of <main> (Shift+Tab: one before it, such as the back link) and
        press Enter on it."""
        self.to_main()
        self.keys.tab_to(selector, text=text, backwards=backwards)
        self.keys.activate()

    def fill(self, values: dict[str, str | bool]) -> None:
        """Tab to each control in page order and set it: text typed over what is there, a list's option reached
        with the arrow keys (by its label's start), a check box ticked or not with Space."""
        self.to_main()
        for selector, value in values.items():
            self.keys.tab_to(selector)
            element = self.driver.find_element(By.CSS_SELECTOR, selector)
            if element.tag_name == "select":
                labels = [o.text for o in element.find_elements(By.TAG_NAME, "option")]
                wanted = next(i for i, label in enumerate(labels) if label.startswith(str(value)))
                steps = wanted - labels.index(next(o.text for o in element.find_elements(By.TAG_NAME, "option")
                                                   if o.is_selected()))
                self.keys.press(*([Keys.ARROW_DOWN] * steps if steps > 0 else [Keys.ARROW_UP] * -steps))
            elif element.get_attribute("type") == "checkbox":
                if element.is_selected() is not value:
                    self.keys.press(Keys.SPACE)
            else:
                ActionChains(self.driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
                self.keys.press(Keys.BACKSPACE)
                self.keys.type(str(value))

    def save(self, text: str = "Save in the draft") -> None:
        self.keys.tab_to("main form button[type=submit]", text=text)
        self.keys.activate()
        assert not self.driver.find_elements(By.CSS_SELECTOR, ".error-summary"), self.driver.find_element(
            By.CSS_SELECTOR, ".error-summary").text

    def open(self, path: str) -> None:
        """From the procedure's overview, follow its link to ``path``."""
        for _ in range(3):  # a question's page, back to its page, back to the form pages, back to the overview
            if path_of(self.driver) == BASE.removeprefix("/en"):
                break
            self.go("a.back-link", backwards=True)
        self.go(f"main a[href^='{BASE}{path}']")


def sign_in(driver, keys: Keyboard, base_url: str) -> None:
    driver.get(base_url + "/en/sign-in")
    keys.skip_to_main()
    keys.tab_to("#phone")
    keys.type(ADMIN)
    keys.tab_to("main button[type=submit]", text="Send me a code")
    keys.activate()
    keys.skip_to_main()
    keys.tab_to("#code")
    keys.type(latest_code(base_url, ADMIN))
    keys.tab_to("main button[type=submit]", text="Sign in")
    keys.activate()


def build_procedure(admin: Admin) -> None:
    driver = admin.driver
    driver.get(admin.base_url + "/en/admin/procedures")
    admin.go("main a[href='/en/admin/procedures/new']")
    admin.fill({"#code": CODE, "#title-vi": "Cấp bản sao trích lục", "#title-en": "Copies of an extract",
                "#summary-vi": "Cấp bản sao trích lục hộ tịch.", "#summary-en": "Copies of a civil-status extract.",
                "#applicants-vi": "Công dân", "#applicants-en": "Citizens", "#agency": "P01-W-HOANKIEM",
                "#processing_days": "2"})
    admin.save("Create the draft")
    assert path_of(driver) == BASE.removeprefix("/en"), driver.current_url

    for number, ((title_vi, title_en), questions) in enumerate(PAGES, 1):
        admin.open("/form")
        admin.fill({"#title-vi": title_vi, "#title-en": title_en})
        admin.save("Add the page")
        assert path_of(driver).endswith(f"/form/{number}"), driver.current_url
        for name, kind, (label_vi, label_en), extra in questions:
            admin.go(f"main a[href='{BASE}/form/{number}/fields/new']")
            values: dict[str, str | bool] = {"#name": name}
            if kind:
                values["#type"] = kind
            admin.fill(values | {"#label-vi": label_vi, "#label-en": label_en} | extra)  # in the page's order
            admin.save()
            assert path_of(driver).endswith(f"/form/{number}"), driver.current_url

    # The branch: page 3 only when the purpose is marriage.
    admin.fill({"#rule-0-field": "What the copies are for", "#rule-0-op": "is one of", "#rule-0-values": "marriage"})
    admin.save()

    admin.open("/sections/fee")
    admin.fill({"#amount": "10000", "#per_field": "Number of copies", "#per_unit": "Copies", "#rate-0-from": "2",
                "#rate-0-amount": "5000"})
    admin.save()

    admin.open("/sections/delivery")
    admin.fill({"#result_forms": True})  # online, besides at the office
    admin.save()

    admin.open("/sections/result")  # one empty row of each kind at a time: saved twice
    admin.fill({"#title-vi": "Bản sao trích lục", "#title-en": "Extract copy", "#official-0-key": "register_number",
                "#official-0-label-vi": "Số đăng ký", "#official-0-label-en": "Registration number",
                "#official-0-required": True, "#line-0-label-vi": "Họ và tên", "#line-0-label-en": "Full name",
                "#line-0-shows": "Answer: Full name"})
    admin.save()
    admin.open("/sections/result")
    admin.fill({"#line-1-label-vi": "Số bản sao", "#line-1-label-en": "Copies",
                "#line-1-shows": "Answer: Number of copies"})
    admin.save()


def publish(admin: Admin, number: int) -> None:
    admin.go(f"main a[href='{BASE}/publish']", text=f"Publish draft {number}")
    admin.save(f"Publish draft {number}")
    notice = admin.driver.find_element(By.CSS_SELECTOR, "main [role=status]").text
    assert f"Version {number} is live." in notice, notice


def file_and_pay(citizen: HttpUser) -> tuple[str, list[str]]:
    """Apply, answer each page (its first option: marriage, the branch), send by paying the fee at the sandbox
    gateway; the dossier's code and the form pages it went through."""
    code, location = citizen.apply(CODE)
    seen = []
    while "/form/" in location:
        path = location.split("?")[0].split("#")[0]
        seen.append(path.rsplit("/", 1)[1])
        location = citizen.fill_form_page(path)
    check = citizen.get(f"/en/dossiers/{code}/check")
    assert "Trần Văn Minh" in check and "Spouse&#39;s full name" in check, "the check page lacks the answers"
    assert "₫15,000" in check, "the fee is 10,000 and 5,000 for the second copy"
    gateway = citizen.post(f"/en/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
    citizen.client.get(gateway)
    txn = dict(parse_qsl(urlsplit(gateway).query))["vnp_TxnRef"]
    back = citizen.post("/sandbox/payment/paymentv2/choose", {"txn_ref": txn, "choice": "succeed"})
    citizen.client.get("/en/payments/return?" + urlsplit(back).query)
    return code, seen


def test_an_administrator_builds_and_publishes_a_procedure_a_citizen_files(driver, portal_url: str, shots) -> None:
    keys = Keyboard(driver)
    admin = Admin(driver, keys, portal_url)
    sign_in(driver, keys, portal_url)
    build_procedure(admin)
    publish(admin, 1)
    admin.open("/sections/details")  # version 2: a shorter processing time
    admin.fill({"#processing_days": "1"})
    admin.save()
    publish(admin, 2)
    admin.open("/versions")
    rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
    assert len(rows) == 2 and rows[0].startswith("2") and "Live" in rows[0] and "Archived" in rows[1], rows
    assert not keys.problems, "\n".join(keys.problems)

    with HttpUser(portal_url, CITIZEN) as citizen:
        code, seen = file_and_pay(citizen)
        assert seen == ["applicant", "purpose", "spouse", "copies", "contact"], seen  # the branch page shown
        with HttpUser(portal_url, OFFICER) as officer:
            officer.post(f"/en/desk/dossiers/{code}/receive")
            officer.post(f"/en/desk/dossiers/{code}/approve", {"note": "All in order.",
                                                               "result_register_number": "7/2026"})
        result = citizen.client.get(f"/en/dossiers/{code}/result.pdf")
        assert result.status_code == 200 and result.content.startswith(b"%PDF"), result.status_code
        text = pdf_text(result.content)
        assert "BẢN SAO TRÍCH LỤC" in text and "Extract copy" in text, text  # the template's title
        assert "Họ và tên\nFull name\nTrần Văn Minh" in text and "Số bản sao\nCopies\n2" in text, text
