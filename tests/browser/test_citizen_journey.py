"""A citizen registers a birth on a phone, with the keyboard, through the real pages of a served portal."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.browser.pages import (
    AxeAudit,
    active_element_matches,
    button,
    in_header,
    language_of,
    latest_code,
    link,
    new_page,
    path_of,
    press,
    wait,
)

pytestmark = pytest.mark.browser

BIRTH = "1.001193"
CITIZEN = "0912345678"
CODE_PATTERN = re.compile(r"HS-\d{6}-[A-Z0-9]{6}")


# -- files ------------------------------------------------------------------------------------------------

def small_png() -> bytes:
    """A real 1×1 white PNG (signature, IHDR, IDAT, IEND with their CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


# -- form filling -------------------------------------------------------------------------------------------

def fill_field(driver, control: WebElement) -> None:
    """Type a valid answer into one form control, chosen by its type, as a person would."""
    name = control.get_attribute("name")
    tag = control.tag_name.lower()
    kind = (control.get_attribute("type") or "").lower()
    if tag == "select":
        Select(control).select_by_index(1)  # the first real option, after "Choose"
        return
    if kind in ("radio", "checkbox"):  # the first option of each question (Yes, on a yes/no one), by keyboard
        if control.get_attribute("id") == name and not control.is_selected():
            control.send_keys(Keys.SPACE)
        return
    control.clear()
    if tag == "textarea":
        control.send_keys("Số 1, phố Tràng Tiền, Hoàn Kiếm, Hà Nội")
    elif kind == "date":
        control.send_keys("03272025")  # Chromium's en-US date field: mm dd yyyy
        if control.get_attribute("value") != "2025-03-27":  # another locale's order: set it plainly
            driver.execute_script("arguments[0].value = '2025-03-27'", control)
    elif kind == "email":
        control.send_keys("lan@example.vn")
    elif kind == "tel":
        control.send_keys("0912 345 678")
    elif "id_number" in name:  # before numbers: an identity number's field is numeric too
        control.send_keys("001190012345")
    elif control.get_attribute("inputmode") in ("decimal", "numeric"):
        control.send_keys("2")
    else:
        control.send_keys("Nguyễn Thị Lan")
    if kind != "date":
        assert control.get_attribute("value"), f"typing into {name} left it empty"


def check_error_summary(driver) -> None:
    """The empty page comes back with a focused error summary linking to each field in error."""
    summary = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert summary.get_attribute("role") == "alert"
    wait(driver, 5).until(lambda d: active_element_matches(d, ".error-summary"),
                          "the error summary did not receive focus")
    links = summary.find_elements(By.CSS_SELECTOR, "li a")
    assert links, "the error summary lists no error"
    for anchor in links:
        target = anchor.get_attribute("href").split("#", 1)[1]
        field = driver.find_element(By.ID, target)
        assert field.get_attribute("aria-invalid") == "true", f"#{target} is linked but not marked invalid"
        # A text box names its error itself; radio buttons' fieldset names it for the group (the GOV.UK pattern).
        described = field.get_attribute("aria-describedby") or field.find_element(
            By.XPATH, "ancestor::fieldset[1]").get_attribute("aria-describedby") or ""
        assert f"{target}-error" in described.split(), f"#{target} does not point to its error message"
        inline = driver.find_element(By.ID, f"{target}-error").get_attribute("textContent")
        assert anchor.text.strip() in inline, f"summary and inline messages differ for #{target}"
    # Following the first link with the keyboard puts the cursor in its field.
    first = links[0].get_attribute("href").split("#", 1)[1]
    links[0].send_keys(Keys.ENTER)
    wait(driver, 5).until(lambda d: d.execute_script("return document.activeElement.id") == first,
                          f"following the error summary's link did not move focus to #{first}")


# -- the journey ---------------------------------------------------------------------------------------------

def test_citizen_registers_a_birth_on_a_phone(driver, portal_url: str, shots: Path, capsys) -> None:
    notes: list[str] = []  # deviations the journey can live with, printed
    problems: list[str] = []  # product bugs worked around to reach the end of the journey: they fail the test
    audit = AxeAudit(driver)

    # Home page; search without accents, submitted with Enter.
    driver.get(portal_url + "/")
    assert driver.execute_script("return window.innerWidth") == 412, "not a phone-sized viewport"
    search = driver.find_element(By.ID, "q")
    with new_page(driver):
        search.send_keys("dang ky khai sinh", Keys.ENTER)
    assert path_of(driver) == "/procedures"
    result = driver.find_element(
        By.XPATH, "//ul[@class='procedure-list']//a[normalize-space()='Birth registration' "
                  "or normalize-space()='Đăng ký khai sinh']")
    press(driver, result)

    # The procedure page.
    assert path_of(driver) == f"/procedures/{BIRTH}"
    assert driver.find_element(By.TAG_NAME, "h1").text in ("Birth registration", "Đăng ký khai sinh")
    audit.check("procedure page")
    press(driver, link(driver, "Apply online"))

    # Not signed in yet: sign in with the phone, then the code from the SMS sandbox.
    assert path_of(driver) == "/sign-in", driver.current_url
    driver.find_element(By.ID, "phone").send_keys(CITIZEN)
    press(driver, button(driver, "Send me a code"))
    assert path_of(driver) == "/sign-in/code", driver.current_url
    driver.find_element(By.ID, "code").send_keys(latest_code(portal_url, CITIZEN))
    press(driver, button(driver, "Sign in"))

    # Signing in leads back to the application's start page: first, where the application goes (issue 17).
    assert path_of(driver) == f"/procedures/{BIRTH}/apply", driver.current_url
    # Lan's demo dossiers are at Hoàn Kiếm ward: her last choice may be proposed ("Choose another agency"); the
    # journey chooses in the picker either way.
    press(driver, driver.find_element(By.CSS_SELECTOR, f"main a[href$='/procedures/{BIRTH}/agencies']"))
    assert path_of(driver) == f"/procedures/{BIRTH}/agencies", driver.current_url
    Select(driver.find_element(By.ID, "province")).select_by_value("01")
    driver.find_element(By.ID, "q").send_keys("hoan kiem")  # no accents
    press(driver, button(driver, "Search"))
    ward = driver.find_element(By.ID, "agency-P01-W-HOANKIEM")
    ward.send_keys(Keys.SPACE)
    assert ward.is_selected()
    audit.check("agency picker")
    agency_name = driver.find_element(By.CSS_SELECTOR, "label[for=agency-P01-W-HOANKIEM]").text
    press(driver, button(driver, "Continue"))
    match = re.fullmatch(r"/dossiers/([^/]+)/form/([^/]+)", path_of(driver))
    assert match, driver.current_url
    draft_code = match.group(1)

    # Every form page: first sent empty (errors), then filled.
    pages = 0
    while "/form/" in path_of(driver):
        pages += 1
        page_path = path_of(driver)
        press(driver, button(driver, "Save and continue"))
        assert path_of(driver) == page_path, "an empty page was accepted"
        assert driver.title.startswith("Error:"), driver.title
        check_error_summary(driver)
        if pages == 1:
            audit.check("form page with errors")
        form = driver.find_element(By.CSS_SELECTOR, f"main form[action='/{language_of(driver)}{page_path}']")
        for control in form.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
            fill_field(driver, control)
        press(driver, button(driver, "Save and continue"))
        assert not driver.find_elements(By.CSS_SELECTOR, ".error-summary"), driver.find_element(
            By.CSS_SELECTOR, ".error-summary").text
    # The birth registration's branches (issue 18), first options chosen: born at a health facility (its birth
    # notice), the parents married (the father's page, no acknowledgement page).
    assert pages == 5, f"expected 5 pages of the birth registration form, saw {pages}"

    # Documents: a real PNG for each mandatory one, chosen with the file input.
    assert path_of(driver) == f"/dossiers/{draft_code}/documents", driver.current_url
    png = shots / "giay-chung-sinh.png"
    png.write_bytes(small_png())
    sections = driver.find_elements(By.CSS_SELECTOR, "main section.upload")
    mandatory = [s.get_attribute("id") for s in sections
                 if not s.find_elements(By.CSS_SELECTOR, ":is(h2, h3) .optional")]
    assert mandatory, "the birth registration asks for at least one document"
    for section_id in mandatory:
        section = driver.find_element(By.ID, section_id)
        assert section.find_elements(By.CSS_SELECTOR, "form input[name=_csrf_token]"), section_id
        section.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(png))
        press(driver, section.find_element(By.XPATH, ".//button[normalize-space()='Upload']"))
        uploaded = driver.find_element(By.CSS_SELECTOR, f"#{section_id} .uploaded")
        assert png.name in uploaded.text, uploaded.text
    press(driver, link(driver, "Continue"))

    # Check answers, choose how to get the result, declare, send.
    assert path_of(driver) == f"/dossiers/{draft_code}/check", driver.current_url
    assert "Nguyễn Thị Lan" in driver.find_element(By.TAG_NAME, "main").text
    choice = driver.find_elements(By.CSS_SELECTOR, "input[type=radio][name=result_form]")[0]
    if not choice.is_selected():
        choice.send_keys(Keys.SPACE)
    assert choice.is_selected()
    declaration = driver.find_element(By.ID, "declaration")
    declaration.send_keys(Keys.SPACE)
    assert declaration.is_selected()
    press(driver, button(driver, "Accept and send"))

    # The receipt.
    assert path_of(driver) == f"/dossiers/{draft_code}/receipt", driver.current_url
    code = driver.find_element(By.CSS_SELECTOR, ".panel--confirmation .code").text.strip()
    assert CODE_PATTERN.fullmatch(code), code
    assert agency_name in driver.find_element(By.TAG_NAME, "main").text, "the receipt names the agency"
    audit.check("receipt")

    # Anyone can track it with the code, from the header link.
    press(driver, in_header(driver, "//a[normalize-space()='Track a dossier']"))  # the phone's menu opened first
    with new_page(driver):
        driver.find_element(By.ID, "code").send_keys(code, Keys.ENTER)
    assert path_of(driver) == "/track" and f"code={code}" in driver.current_url, driver.current_url
    status = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=status-title]")
    assert code in status.text
    tag = status.find_element(By.CSS_SELECTOR, ".tag--submitted")
    assert tag.text == "Sent, waiting for the agency to receive it"

    with capsys.disabled():
        for line in [*audit.summary, *(f"NOTE: {note}" for note in notes)]:
            print(f"\n{line}", end="")
        print()
    failures = [f"- {p}" for p in problems]
    if audit.violations:
        failures.append("accessibility violations (axe, WCAG 2 A/AA):\n" + audit.report())
    assert not failures, "the journey reached its end, but:\n" + "\n".join(failures)
