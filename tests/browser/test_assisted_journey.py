"""Assisted filing, the whole journey (issue 20), in Chromium at phone size, by keyboard: a helper at Hoàn Kiếm post
office starts a dossier for Lan, whose sandbox phone receives the consent code; the helper fills it in and
photographs the document; Lan declares it on her own phone (a second browser); the helper takes the fee in cash at
the counter; the ward's official sees who helped; Lan ends the helper's access."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import CHROME_OPTIONS, CHROMEDRIVER, CHROMIUM
from tests.browser.pages import AxeAudit, button, latest_code, path_of, press, sign_in_with_code, sign_out, wait
from tests.browser.test_citizen_journey import fill_field, small_png

pytestmark = pytest.mark.browser

HELPER = "0901000050"  # Vũ Thị Hạnh, helper at Hoàn Kiếm post office (demo data)
LAN = "0912345678"
OFFICIAL = "0901000001"  # Lê Thu Hà, lead of Hoàn Kiếm ward
SIGNATURE = "2.000884"  # certification of a signature: a commune's, 10,000 ₫, one document to photograph
WARD = "P01-W-HOANKIEM"


def texts_to(base_url: str, phone: str) -> list[str]:
    query = urllib.parse.urlencode({"to": "84" + phone[1:]})
    with urllib.request.urlopen(f"{base_url}/dev/outbox.json?{query}", timeout=10) as response:
        return [message["text"] for message in json.load(response)]


def phone_browser(tmp_path: Path):
    """A second phone (Lan's own), as the ``driver`` fixture builds the first."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROME_OPTIONS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path / 'lan-profile'}")
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 412, "height": 915, "deviceScaleFactor": 1, "mobile": True})
    browser.set_page_load_timeout(30)
    return browser


def type_into(driver, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def test_a_helper_files_for_lan_who_declares_on_her_phone_and_pays_cash(driver, portal_url: str, shots: Path,
                                                                           tmp_path: Path) -> None:
    audit = AxeAudit(driver)
    sign_in_with_code(driver, portal_url, HELPER)

    # The helper starts for Lan: the portal texts Lan a consent code, which she reads out.
    driver.get(f"{portal_url}/helper/start")
    type_into(driver, "citizen", LAN)
    type_into(driver, "procedure", SIGNATURE)
    type_into(driver, "agency", WARD)
    press(driver, button(driver, "Send the code"))
    assert re.fullmatch(r"/helper/consents/\d+/code", path_of(driver)), driver.current_url
    type_into(driver, "code", latest_code(portal_url, LAN))
    press(driver, button(driver, "Continue"))
    match = re.fullmatch(r"/dossiers/([^/]+)/form/[^/]+", path_of(driver))
    assert match, driver.current_url
    code = match.group(1)
    assert "You are filling this in for" in driver.find_element(By.ID, "on-behalf").text
    audit.check("form page, filled by a helper")

    # The helper fills the form...
    controls = "main form[action*='/form/'] :is(input:not([type=hidden]), select, textarea)"
    while "/form/" in path_of(driver):
        for index in range(len(driver.find_elements(By.CSS_SELECTOR, controls))):
            fill_field(driver, driver.find_elements(By.CSS_SELECTOR, controls)[index])
        press(driver, button(driver, "Save and continue"))
    # ...and photographs the document with the tablet's camera (its own input, beside the file chooser for PDFs).
    assert path_of(driver) == f"/dossiers/{code}/documents", driver.current_url
    photo = driver.find_element(By.CSS_SELECTOR, "main section.upload input[name=photo]")
    assert photo.get_attribute("capture") == "environment" and "image/jpeg" in photo.get_attribute("accept")
    audit.check("documents, filled by a helper (camera capture)")
    picture = shots / "chu-ky.png"
    picture.write_bytes(small_png())
    photo.send_keys(str(picture))
    section = driver.find_element(By.CSS_SELECTOR, "main section.upload")
    press(driver, section.find_element(By.XPATH, ".//button[normalize-space()='Upload']"))
    assert "chu-ky.png" in driver.find_element(By.CSS_SELECTOR, "main section.upload .uploaded").text
    driver.get(f"{portal_url}/dossiers/{code}/check")

    # The check page asks the citizen to declare: the helper has no declaration to tick.
    assert not driver.find_elements(By.ID, "declaration")
    driver.find_element(By.ID, "result_form-office").send_keys(Keys.SPACE)
    audit.check("check page, for a helper")
    press(driver, button(driver, "Text them a link to declare on their phone"))
    assert path_of(driver) == f"/dossiers/{code}/declare/sent", driver.current_url
    audit.check("the helper's view: a link sent")

    # Lan, on her own phone: signs in, opens the link from her text message, reads and declares.
    link = next(m.group(0) for text in texts_to(portal_url, LAN) if (m := re.search(r"https?://\S+/declare/\S+", text)))
    lan = phone_browser(tmp_path)
    try:
        lan_audit = AxeAudit(lan)
        sign_in_with_code(lan, portal_url, LAN)
        lan.get(portal_url + urllib.parse.urlsplit(link).path)
        main = lan.find_element(By.TAG_NAME, "main").text
        assert code in main and "chu-ky.png" in main and "Filed with help from Vũ Thị Hạnh" in main, main
        lan_audit.check("declare on her own phone")
        press(lan, button(lan, "Declare and send"))  # not ticked: the error summary takes focus
        assert "Confirm that the information you gave is true" in lan.find_element(By.CSS_SELECTOR,
                                                                                   ".error-summary").text
        wait(lan, 5).until(lambda d: d.switch_to.active_element.get_attribute("class") == "error-summary")
        lan_audit.check("declare: not ticked")
        lan.find_element(By.ID, "declaration").send_keys(Keys.SPACE)
        press(lan, button(lan, "Declare and send"))
        assert path_of(lan) == f"/my/dossiers/{code}", lan.current_url
        assert "sent once its fee is paid" in lan.find_element(By.TAG_NAME, "main").text

        # Declared: the helper can change nothing more (what is sent is what Lan read).
        driver.get(f"{portal_url}/dossiers/{code}/check")
        assert not driver.find_elements(By.ID, "declare_by") and not driver.find_elements(By.ID, "on-behalf")
        # The helper takes the fee in cash at the counter: that sends the declared dossier.
        driver.get(f"{portal_url}/helper/dossiers/{code}/cash")
        driver.find_element(By.ID, "taken").send_keys(Keys.SPACE)
        press(driver, button(driver, "Record the cash payment"))
        assert re.fullmatch(r"/helper/receipts/[^/]+", path_of(driver)), driver.current_url
        driver.get(f"{portal_url}/dossiers/{code}/declare/sent")
        assert "It is sent to the agency." in driver.find_element(By.TAG_NAME, "main").text

        # The ward's official sees who helped, where, when and with what consent.
        sign_out(driver)
        sign_in_with_code(driver, portal_url, OFFICIAL)
        driver.get(f"{portal_url}/desk/dossiers/{code}")
        desk = driver.find_element(By.TAG_NAME, "main").text
        assert "Filed with help from Vũ Thị Hạnh" in desk and "at Hoàn Kiếm post office on" in desk, desk
        assert "consent by a code sent to the citizen's phone" in desk
        assert "The citizen let a helper fill in this dossier" in desk and "Filled in with a helper" in desk
        assert "Declared by the citizen on their own phone" in desk

        # Lan ends the helper's access from her dossier's page.
        lan.get(f"{portal_url}/my/dossiers/{code}")
        lan_audit.check("her dossier, the helper's access to end")
        press(lan, lan.find_element(By.CSS_SELECTOR, "#helper-access button[type=submit]"))
        assert "The helper can no longer open this dossier." in lan.find_element(By.TAG_NAME, "main").text
        assert not lan.find_elements(By.ID, "helper-access")
        assert not lan_audit.violations, lan_audit.report()
    finally:
        lan.quit()
    assert not audit.violations, audit.report()
