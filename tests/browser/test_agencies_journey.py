"""Issue 17, done when: every commune, every agency, on a 390 px phone with the keyboard alone.

A citizen chooses a commune in another province than Hà Nội (Hải Châu ward, Đà Nẵng) for a certified copy of a
civil-status extract (2.000635), files it (its fee paid at the sandbox gateway) and sees the ward named on the
receipt. The ward's official receives it and transfers it to Đà Nẵng's Department of Justice, which also issues
these copies; the department's lead assigns it to one of its officials. The ward's official can no longer open it.

Keys only, as the other journeys drive pages (tests/browser/pages.py ``press``: Enter on the control; Space on radio
buttons and checkboxes; typed text); axe checks the pages issue 17 added.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.pages import AxeAudit, button, link, path_of, press, sign_in_with_code, sign_out
from tests.browser.test_citizen_journey import fill_field

pytestmark = pytest.mark.browser
# The check page's send button (not "Show communes and wards", nor the hidden default button of Enter: issue 18).
SEND = "main form[action$='/submit'] button[type=submit]:not([name=action])"

COPY = "2.000635"  # certified copy of a civil-status extract: filed at a commune, or the province's Justice dept
CITIZEN = "0977000811"  # used by no other browser test (sign-in codes are limited per number and hour)
WARD, WARD_OFFICIAL = "P48-W-HAICHAU", "0901000013"  # Hải Châu ward (Đà Nẵng), the demo's official there
JUSTICE, JUSTICE_LEAD = "P48-STP", "0901000021"  # Đà Nẵng Department of Justice, its demo lead
ASSIGNEE = "Phan Thị Thu"  # one of the department's two demo officials
REASON = "The birth was registered with a foreign element: the Department of Justice keeps that register."


def main_text(driver) -> str:
    return re.sub(r"\s+", " ", driver.find_element(By.TAG_NAME, "main").text)


def phone_390(driver) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})


def file_at_the_ward(driver, portal_url: str, audit: AxeAudit) -> tuple[str, str]:
    """The citizen's part: choose Hải Châu ward in the picker, fill, pay, send. Returns (code, the ward's name)."""
    sign_in_with_code(driver, portal_url, CITIZEN)
    driver.get(f"{portal_url}/en/procedures/{COPY}")
    assert "also be filed at the Department of Justice" in main_text(driver), main_text(driver)
    press(driver, button(driver, "Apply online"))
    if path_of(driver) == f"/procedures/{COPY}/apply":  # the start page: an agency proposed, or none
        press(driver, driver.find_element(By.CSS_SELECTOR, f"main a[href$='/procedures/{COPY}/agencies']"))
    assert path_of(driver) == f"/procedures/{COPY}/agencies", driver.current_url
    Select(driver.find_element(By.ID, "province")).select_by_value("48")  # Đà Nẵng, not Hà Nội
    driver.find_element(By.ID, "q").send_keys("hai chau")  # no accents
    press(driver, button(driver, "Search"))
    choices = [r.get_attribute("value") for r in driver.find_elements(By.CSS_SELECTOR, "input[name=agency]")]
    assert WARD in choices, choices
    ward = driver.find_element(By.ID, f"agency-{WARD}")
    ward.send_keys(Keys.SPACE)
    assert ward.is_selected()
    ward_name = driver.find_element(By.CSS_SELECTOR, f"label[for=agency-{WARD}]").text
    audit.check("agency picker, a ward of Đà Nẵng")
    press(driver, button(driver, "Continue"))
    match = re.fullmatch(r"/dossiers/([^/]+)/form/[^/]+", path_of(driver))
    assert match, driver.current_url
    code = match.group(1)
    while "/form/" in path_of(driver):
        for control in driver.find_elements(By.CSS_SELECTOR, "main form[action*='/form/'] :is(input:not("
                                            "[type=hidden]), select, textarea)"):
            fill_field(driver, control)
        press(driver, button(driver, "Save and continue"))
        assert not driver.find_elements(By.CSS_SELECTOR, ".error-summary"), main_text(driver)
    if path_of(driver) == f"/dossiers/{code}/documents":  # optional documents only: nothing to upload
        press(driver, link(driver, "Continue"))
    assert path_of(driver) == f"/dossiers/{code}/check", driver.current_url
    assert ward_name in main_text(driver), "the check page does not name the agency chosen"
    driver.find_elements(By.CSS_SELECTOR, "input[type=radio][name=result_form]")[0].send_keys(Keys.SPACE)
    driver.find_element(By.ID, "declaration").send_keys(Keys.SPACE)
    press(driver, driver.find_element(By.CSS_SELECTOR, SEND))
    assert path_of(driver) == "/sandbox/payment/paymentv2/vpcpay.html", driver.current_url  # its fee: 8,000 ₫
    press(driver, driver.find_element(By.CSS_SELECTOR, "button[name=choice][value=succeed]"))
    assert f"Your dossier {code} is sent to the agency." in main_text(driver), main_text(driver)
    driver.get(f"{portal_url}/en/dossiers/{code}/receipt")
    receipt = main_text(driver)
    assert code in receipt and ward_name in receipt, f"the receipt does not name {ward_name}: {receipt}"
    audit.check("receipt naming the ward")
    sign_out(driver)
    return code, ward_name


def test_a_dossier_filed_at_a_ward_in_another_province_is_transferred_and_assigned(
        driver, portal_url: str, shots: Path, capsys) -> None:
    phone_390(driver)
    driver.get(f"{portal_url}/en/")
    assert driver.execute_script("return window.innerWidth") == 390, "not a 390 px phone"
    audit = AxeAudit(driver)
    code, _ = file_at_the_ward(driver, portal_url, audit)

    # -- the ward's official: the dossier is on its desk only; receive it, then transfer it -------------------
    sign_in_with_code(driver, portal_url, WARD_OFFICIAL)
    driver.get(f"{portal_url}/en/desk?view=new")
    press(driver, driver.find_element(By.CSS_SELECTOR, f"main table a[href='/en/desk/dossiers/{code}']"))
    press(driver, button(driver, "Receive this dossier"))
    assert "Done. The dossier is now: Received, being processed" in main_text(driver)
    driver.find_element(By.ID, "transfer_q").send_keys("tu phap")  # "Tư pháp": Justice, without accents
    Select(driver.find_element(By.ID, "transfer_province")).select_by_value("48")
    press(driver, driver.find_element(By.CSS_SELECTOR, "#transfer fieldset button[name=step][value=search]"))
    target = driver.find_element(By.ID, f"transfer-agency-{JUSTICE}")
    target.send_keys(Keys.SPACE)
    assert target.is_selected()
    justice_name = driver.find_element(By.CSS_SELECTOR, f"label[for=transfer-agency-{JUSTICE}]").text
    driver.find_element(By.ID, "transfer_reason").send_keys(REASON)
    audit.check("desk dossier, transfer form with an agency found")
    press(driver, button(driver, "Transfer the dossier"))
    assert path_of(driver) == "/desk/transferred", driver.current_url
    done = main_text(driver)
    assert f"Done. Dossier {code} is transferred to {justice_name}" in done, done
    audit.check("transferred out")
    # The ward has lost it: its page is not found, and its queues do not list it.
    driver.get(f"{portal_url}/en/desk/dossiers/{code}")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Page not found", main_text(driver)
    driver.get(f"{portal_url}/en/desk?view=in_progress")
    assert code not in main_text(driver)
    sign_out(driver)

    # -- the department's lead: the dossier is new there, unassigned; they assign it -----------------------
    sign_in_with_code(driver, portal_url, JUSTICE_LEAD)
    driver.get(f"{portal_url}/en/desk?view=new&assigned=none")
    audit.check("desk queue: new, unassigned")
    press(driver, driver.find_element(By.CSS_SELECTOR, f"main table a[href='/en/desk/dossiers/{code}']"))
    page = main_text(driver)
    assert REASON in page and "Nobody yet" in page, page
    assignee = driver.find_element(By.XPATH, f"//select[@id='assignee']/option[contains(., '{ASSIGNEE}')]")
    Select(driver.find_element(By.ID, "assignee")).select_by_value(assignee.get_attribute("value"))
    press(driver, button(driver, "Save the assignment"))
    assert "Done. The assignment is saved." in main_text(driver)
    assert ASSIGNEE in driver.find_element(By.ID, "assignment").text
    driver.get(f"{portal_url}/en/desk?view=new&assigned=none")
    assert code not in main_text(driver), "assigned, yet still listed as unassigned"
    sign_out(driver)

    # -- the ward's official still cannot open it ---------------------------------------------------------------
    sign_in_with_code(driver, portal_url, WARD_OFFICIAL)
    driver.get(f"{portal_url}/en/desk/dossiers/{code}")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Page not found", main_text(driver)

    with capsys.disabled():
        print("\n" + "\n".join(audit.summary))
    assert not audit.violations, "accessibility violations (axe, WCAG 2 A/AA):\n" + audit.report()
