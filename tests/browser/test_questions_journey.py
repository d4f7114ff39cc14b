"""Issue 19, done when: a citizen asks a question in Khmer, an official answers it in Vietnamese, and the published
pair appears on the procedure page, the Khmer text marked ``lang="km"``.

The citizen starts from the procedure page's link, writes in Khmer on the Khmer page (the language the question is
stored with), ticks the consent box; the ward's lead classifies the question, answers in Vietnamese and publishes
it; signed out, the procedure page shows both texts, each marked with its language, the phone number typed in the
question removed. Keys only (``press``: Enter; Space on radio buttons and checkboxes); axe checks the new pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.pages import AxeAudit, button, path_of, press, sign_in_with_code, sign_out

pytestmark = pytest.mark.browser

BIRTH = "1.001193"  # settled by Hoàn Kiếm ward
CITIZEN = "0977000919"  # used by no other browser test (sign-in codes are limited per number and hour)
LEAD = "0901000001"  # Lê Thu Hà, lead of Hoàn Kiếm ward
QUESTION = "ខ្ញុំចង់ដឹងថាត្រូវការឯកសារអ្វីខ្លះ។ ទូរស័ព្ទ 0977000919"
KHMER_PART = "ខ្ញុំចង់ដឹងថាត្រូវការឯកសារអ្វីខ្លះ"
ANSWER = "Chị cần tờ khai đăng ký khai sinh và giấy chứng sinh."


def main_text(driver) -> str:
    return re.sub(r"\s+", " ", driver.find_element(By.TAG_NAME, "main").text)


def test_a_question_in_khmer_answered_in_vietnamese_is_published_on_the_procedure_page(
        driver, portal_url: str, shots: Path) -> None:
    audit = AxeAudit(driver)

    # -- the citizen, on the Khmer pages ---------------------------------------------------------------------
    sign_in_with_code(driver, portal_url, CITIZEN)
    driver.get(f"{portal_url}/km/procedures/{BIRTH}")
    press(driver, driver.find_element(By.CSS_SELECTOR, f"main a[href$='/questions/new?procedure={BIRTH}']"))
    assert path_of(driver) == "/questions/new", driver.current_url
    assert driver.find_element(By.ID, "language").get_attribute("value") == "km"  # the page's language
    consent = driver.find_element(By.ID, "consent")
    assert not consent.is_selected(), "consent must be asked, not assumed"
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))  # empty: refused
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary"), main_text(driver)
    audit.check("ask a question, sent empty (Khmer page)")
    driver.find_element(By.ID, "text").send_keys(QUESTION)
    driver.find_element(By.ID, "consent").send_keys(Keys.SPACE)
    assert driver.find_element(By.ID, "consent").is_selected()
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    match = re.fullmatch(r"/questions/(\d+)", path_of(driver))
    assert match, driver.current_url
    number = match.group(1)
    assert driver.find_element(By.CSS_SELECTOR, "main blockquote[lang=km]").text == QUESTION
    audit.check("the asker's question, to classify")
    driver.get(f"{portal_url}/en/questions/mine")  # the header's "Sign out" in English
    sign_out(driver)

    # -- the ward's lead, on the desk in English -----------------------------------------------------------------
    sign_in_with_code(driver, portal_url, LEAD)
    driver.get(f"{portal_url}/en/desk/questions")
    audit.check("desk: questions to answer")
    press(driver, driver.find_element(By.CSS_SELECTOR, f"main table a[href='/en/desk/questions/{number}']"))
    assert driver.find_element(By.CSS_SELECTOR, "main blockquote[lang=km]").text == QUESTION
    driver.find_element(By.ID, "kind-question").send_keys(Keys.SPACE)
    press(driver, button(driver, "Classify"))
    assert "Done. The question is classified" in main_text(driver), main_text(driver)
    assert driver.find_element(By.ID, "answer_language").get_attribute("value") == "vi"
    driver.find_element(By.ID, "answer").send_keys(ANSWER)
    audit.check("desk question, answer form")
    press(driver, button(driver, "Send the answer"))
    assert "Done. Your answer is sent to the asker." in main_text(driver), main_text(driver)
    press(driver, button(driver, "Publish the question and answer"))
    assert "Done. The question and its answer are published" in main_text(driver), main_text(driver)
    sign_out(driver)

    # -- anyone: the procedure page shows the pair, each text in its language ------------------------------------
    driver.get(f"{portal_url}/km/procedures/{BIRTH}")
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=citizens-questions]")
    question = section.find_element(By.CSS_SELECTOR, "blockquote[lang=km]")
    assert KHMER_PART in question.text and "0977000919" not in question.text, question.text
    assert section.find_element(By.CSS_SELECTOR, "[lang=vi].question-pair__answer").text == ANSWER
    audit.check("procedure page with its published question (Khmer page)")
    driver.get(f"{portal_url}/en/questions?q=giay chung sinh")
    assert KHMER_PART in main_text(driver), main_text(driver)
    audit.check("published questions, searched without accents")
    assert not audit.violations, "accessibility violations (axe, WCAG 2 A/AA):\n" + audit.report()
