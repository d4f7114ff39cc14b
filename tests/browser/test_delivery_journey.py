"""A citizen asks for the result at home on the check page, where the delivery is booked with the same form (issue
18), in Chromium: the address appears once "At home by post" is picked, with JavaScript's search among the
communes and wards of the chosen province; what was typed is kept on an error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.pages import AxeAudit, begin_application, button, link, path_of, press, sign_in_with_code, wait
from tests.browser.test_citizen_journey import fill_field, small_png

pytestmark = pytest.mark.browser

BIRTH = "1.001193"  # Hoàn Kiếm ward, Hà Nội: delivery to Hồ Chí Minh City is outside its province
PHONE = "0977000707"  # used by no other browser test: a fresh account with no name yet


def apply_for_birth_registration(driver, portal_url: str, shots: Path) -> str:
    driver.get(f"{portal_url}/procedures/{BIRTH}/apply")
    begin_application(driver, BIRTH)
    code = re.fullmatch(r"/dossiers/([^/]+)/form/[^/]+", path_of(driver)).group(1)
    controls = "main form[action*='/form/'] :is(input:not([type=hidden]), select, textarea)"
    while "/form/" in path_of(driver):
        for index in range(len(driver.find_elements(By.CSS_SELECTOR, controls))):
            fill_field(driver, driver.find_elements(By.CSS_SELECTOR, controls)[index])
        press(driver, button(driver, "Save and continue"))
    png = shots / "giay-chung-sinh.png"
    png.write_bytes(small_png())
    mandatory = [s.get_attribute("id") for s in driver.find_elements(By.CSS_SELECTOR, "main section.upload")
                 if not s.find_elements(By.CSS_SELECTOR, ":is(h2, h3) .optional")]
    for section_id in mandatory:  # each upload reloads the page: find the section again
        section = driver.find_element(By.ID, section_id)
        section.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(png))
        press(driver, section.find_element(By.XPATH, ".//button[normalize-space()='Upload']"))
        assert driver.find_elements(By.CSS_SELECTOR, f"#{section_id} .uploaded")
    press(driver, link(driver, "Continue"))
    assert path_of(driver) == f"/dossiers/{code}/check", driver.current_url
    return code


def test_citizen_books_home_delivery_with_search_and_sees_the_fee(driver, portal_url: str, shots: Path) -> None:
    audit = AxeAudit(driver)
    sign_in_with_code(driver, portal_url, PHONE)
    code = apply_for_birth_registration(driver, portal_url, shots)

    # The check page asks once how the result is received, none picked yet; the address shows once post is picked.
    assert not [r for r in driver.find_elements(By.NAME, "result_form") if r.is_selected()]
    assert not driver.find_element(By.ID, "delivery").is_displayed()
    post = driver.find_element(By.ID, "result_form-post")
    post.send_keys(Keys.SPACE)
    assert post.is_selected() and driver.find_element(By.ID, "delivery").is_displayed()

    # With JavaScript: no "Show communes and wards" step; a search box instead, disabled until a province.
    assert not driver.find_element(By.CSS_SELECTOR, "[data-show-wards]").is_displayed()
    search = driver.find_element(By.ID, "ward-search")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=ward-search]")
    assert label.text == "Search for your commune or ward" and not search.is_enabled()
    audit.check("check page, by post")

    driver.find_element(By.ID, "recipient").send_keys("Trần Thị Hoa")
    assert driver.find_element(By.ID, "phone").get_attribute("value") == PHONE  # from the account
    Select(driver.find_element(By.ID, "province")).select_by_visible_text("Thành phố Hồ Chí Minh")
    ward = driver.find_element(By.ID, "ward")
    wait(driver).until(lambda d: len(Select(ward).options) > 100, "the wards of Hồ Chí Minh City did not load")
    status = driver.find_element(By.ID, "ward-search-status")
    assert status.get_attribute("role") == "status"
    assert re.fullmatch(r"\d+ communes and wards match", status.text), status.text

    # Enter in a text field sends (the form's default button), never "Show communes and wards": here the ward and
    # the payment are missing, so the page comes back with the errors, the ward keeps its link to the message, and
    # everything typed (the declaration too) is kept.
    driver.find_element(By.ID, "street").send_keys("8 Nguyễn Huệ")
    driver.find_element(By.ID, "time_window-morning").send_keys(Keys.SPACE)
    driver.find_element(By.ID, "declaration").send_keys(Keys.SPACE)
    press(driver, driver.find_element(By.ID, "street"))
    assert path_of(driver) == f"/dossiers/{code}/submit", driver.current_url
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "Choose the commune or ward" in summary and "Choose how you will pay the delivery fee" in summary
    ward = driver.find_element(By.ID, "ward")
    assert "ward-error" in (ward.get_attribute("aria-describedby") or "").split(), ward.get_attribute("outerHTML")
    assert "ward-hint" not in (ward.get_attribute("aria-describedby") or "")
    assert driver.find_element(By.ID, "street").get_attribute("value") == "8 Nguyễn Huệ"
    assert driver.find_element(By.ID, "result_form-post").is_selected()
    assert driver.find_element(By.ID, "declaration").is_selected()
    assert driver.find_element(By.ID, "delivery").is_displayed()
    audit.check("check page, by post, with errors")

    # Typed without accents, the list narrows to one, announced and chosen.
    search = driver.find_element(By.ID, "ward-search")
    status = driver.find_element(By.ID, "ward-search-status")
    search.send_keys("sai gon")
    wait(driver, 5).until(lambda d: status.text == "1 commune or ward matches", status.text)
    assert [o.text for o in Select(ward).options] == ["Choose", "Phường Sài Gòn"]
    assert Select(ward).first_selected_option.text == "Phường Sài Gòn"
    search.send_keys("zzz")
    wait(driver, 5).until(lambda d: status.text.startswith("No commune or ward matches"), status.text)
    search.clear()
    search.send_keys("sài gòn")
    wait(driver, 5).until(lambda d: status.text == "1 commune or ward matches", status.text)
    search.send_keys(Keys.ENTER)  # in the search box, Enter goes to the list rather than sending the form
    assert driver.switch_to.active_element == ward and path_of(driver) == f"/dossiers/{code}/submit"

    driver.find_element(By.ID, "payment_method-cod").send_keys(Keys.SPACE)
    press(driver, button(driver, "Accept and send"))
    assert path_of(driver) == f"/dossiers/{code}/receipt", driver.current_url
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "At home by post" in main and "8 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh" in main, main
    driver.get(f"{portal_url}/my/dossiers/{code}")

    # The dossier page: booked, changeable until the handover.
    assert path_of(driver) == f"/my/dossiers/{code}", driver.current_url
    section = driver.find_element(By.ID, "delivery").text
    assert "Delivery booked" in section and "Trần Thị Hoa" in section and "₫40,000" in section
    assert "Change the delivery" in section
    audit.check("dossier with delivery booked")
    assert not audit.violations, audit.report()
