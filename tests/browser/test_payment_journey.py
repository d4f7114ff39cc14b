"""A citizen pays a procedure's fee on a phone: the amount before paying, the sandbox gateway's page, the receipt."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from backend.core.i18n import current_locale
from backend.core.templating import format_vnd
from tests.browser.pages import AxeAudit, begin_application, button, link, path_of, press, sign_in_with_code, wait
from tests.browser.test_citizen_journey import fill_field

pytestmark = pytest.mark.browser
# The check page's send button (not "Show communes and wards", nor the hidden default button of Enter: issue 18).
SEND = "main form[action$='/submit'] button[type=submit]:not([name=action])"

ID_CARD = "2.001195"  # identity card renewal: a fixed fee of 50,000 VND, two form pages, no mandatory document
PAYER = "0911000747"  # used by no other browser test (sign-in codes are limited per number and hour)
WAITER = "0911000748"  # likewise
def english_fee(amount: int) -> str:
    """The amount as the English pages write it (₫50,000), as Selenium reads it: a no-break space is a space."""
    token = current_locale.set("en")
    try:
        return format_vnd(amount).replace("\xa0", " ")
    finally:
        current_locale.reset(token)


FEE = english_fee(50_000)


def fill_to_check_page(driver, portal_url: str) -> str:
    """Apply for the identity card renewal and answer every page; returns the code, on the check page."""
    driver.get(f"{portal_url}/en/procedures/{ID_CARD}/apply")
    begin_application(driver, ID_CARD)
    code = re.fullmatch(r"/dossiers/([^/]+)/form/[^/]+", path_of(driver)).group(1)
    while "/form/" in path_of(driver):
        for control in driver.find_elements(By.CSS_SELECTOR, "main form[action*='/form/'] :is(input:not("
                                            "[type=hidden]), select, textarea)"):
            fill_field(driver, control)
        press(driver, button(driver, "Save and continue"))
        assert not driver.find_elements(By.CSS_SELECTOR, ".error-summary"), driver.page_source[:2000]
    if path_of(driver) == f"/dossiers/{code}/documents":  # optional documents only: nothing to upload
        press(driver, link(driver, "Continue"))
    assert path_of(driver) == f"/dossiers/{code}/check", driver.current_url
    return code


def test_citizen_pays_the_fee_and_keeps_the_receipt(driver, portal_url: str, shots: Path, capsys) -> None:
    audit = AxeAudit(driver)
    sign_in_with_code(driver, portal_url, PAYER)
    code = fill_to_check_page(driver, portal_url)
    main = driver.find_element(By.TAG_NAME, "main").text

    # The check page says what it costs before anything is paid.
    assert f"Amount to pay: {FEE}" in main, main
    audit.check("check page with a fee")
    driver.find_elements(By.CSS_SELECTOR, "input[type=radio][name=result_form]")[0].send_keys(Keys.SPACE)
    driver.find_element(By.ID, "declaration").send_keys(Keys.SPACE)
    pay = driver.find_element(By.CSS_SELECTOR, SEND)
    assert pay.text == f"Pay {FEE} and send", pay.text
    press(driver, pay)

    # The (sandbox) gateway's page, reached by the signed redirect.
    assert path_of(driver) == "/sandbox/payment/paymentv2/vpcpay.html", driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text == f"Pay {FEE}"
    audit.check("sandbox gateway's payment page")
    press(driver, driver.find_element(By.CSS_SELECTOR, "button[name=choice][value=succeed]"))

    # Back on the portal: the IPN came first, so the payment is confirmed and the dossier sent.
    assert path_of(driver) == "/payments/return", driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text == "Payment received"
    number = driver.find_element(By.CSS_SELECTOR, ".panel--confirmation .code").text.strip()
    assert re.fullmatch(r"BL-\d{6}-[A-Z0-9]{6}", number), number
    assert f"Your dossier {code} is sent to the agency." in driver.find_element(By.TAG_NAME, "main").text
    audit.check("payment received")

    press(driver, link(driver, "See your receipt"))
    assert path_of(driver) == f"/payments/receipts/{number}", driver.current_url
    receipt = driver.find_element(By.CSS_SELECTOR, "main dl").text
    for expected in (number, FEE, "0911000747", "Fee for the procedure", code):
        assert expected in receipt, (expected, receipt)
    audit.check("receipt")

    driver.get(f"{portal_url}/en/my/dossiers/{code}")
    assert driver.find_element(By.CSS_SELECTOR, ".tag--submitted")
    assert driver.find_element(By.CSS_SELECTOR, f"main a[href$='/payments/receipts/{number}']")

    with capsys.disabled():
        print("\n" + "\n".join(audit.summary))
    assert not audit.violations, "accessibility violations (axe, WCAG 2 A/AA):\n" + audit.report()


def test_the_waiting_page_announces_the_confirmation_without_reloading(driver, portal_url: str, shots: Path,
                                                                        capsys) -> None:
    audit = AxeAudit(driver)
    sign_in_with_code(driver, portal_url, WAITER)
    fill_to_check_page(driver, portal_url)
    driver.find_elements(By.CSS_SELECTOR, "input[type=radio][name=result_form]")[0].send_keys(Keys.SPACE)
    driver.find_element(By.ID, "declaration").send_keys(Keys.SPACE)
    press(driver, driver.find_element(By.CSS_SELECTOR, SEND))
    driver.find_element(By.CSS_SELECTOR, "main details summary").send_keys(Keys.ENTER)  # sandbox options
    driver.find_element(By.ID, "lose_ipn").send_keys(Keys.SPACE)  # the gateway's notification is late
    press(driver, driver.find_element(By.CSS_SELECTOR, "button[name=choice][value=succeed]"))

    assert driver.find_element(By.TAG_NAME, "h1").text == "Your payment is being confirmed"
    region = driver.find_element(By.CSS_SELECTOR, "[role=status][data-module=payment-status]")
    hint = driver.find_element(By.CSS_SELECTOR, "[data-payment-hint]")
    wait(driver).until(lambda d: "checks again by itself" in hint.text)
    audit.check("payment being confirmed")
    driver.execute_script("window.__samePage = true")

    # The IPN arrives: the page says so in its status region, and offers the result, without reloading.
    ipn = httpx.get(f"{portal_url}/api/v1/payments/vnpay/ipn?{urlsplit(driver.current_url).query}", timeout=10)
    assert ipn.json()["RspCode"] == "00", ipn.text
    wait(driver, 20).until(lambda d: "Your payment is confirmed" in region.text)
    assert driver.execute_script("return window.__samePage === true"), "the page must not reload by itself"
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your payment is being confirmed"
    result = driver.find_element(By.CSS_SELECTOR, "[data-payment-refresh]")
    assert result.text == "Open the result"
    press(driver, result)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Payment received"

    with capsys.disabled():
        print("\n" + "\n".join(audit.summary))
    assert not audit.violations, "accessibility violations (axe, WCAG 2 A/AA):\n" + audit.report()
