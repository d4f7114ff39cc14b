"""A Chăm translator proposes a form label in the portal, a reviewer approves it, and the citizen's form shows
it at once, marked lang="cjm", while the texts still unreviewed fall back to Vietnamese, marked lang="vi"."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.pages import begin_application, button, path_of, press, sign_in_with_code, sign_out

pytestmark = pytest.mark.browser

ADMIN = "0900000000"
TRANSLATOR = "0913555001"
REVIEWER = "0913555002"
CITIZEN = "0913555003"  # a citizen of its own: the shared portal limits the codes sent to each number
LABEL_VI = "Họ, chữ đệm và tên của trẻ"
CHAM = "ꨀꨓꨯꩆ ꨕꨭꨩ ꨚꨯꩃ"

LANG_OF = "return arguments[0].closest('[lang]').getAttribute('lang')"


def give_role(driver, base: str, phone: str, role: str) -> None:
    driver.get(f"{base}/en/admin/translators")
    driver.find_element(By.ID, "phone").send_keys(phone)
    driver.find_element(By.CSS_SELECTOR, "#language option[value=cjm]").click()
    driver.find_element(By.CSS_SELECTOR, f"input[name=role][value={role}]").click()
    press(driver, button(driver, "Give the role"))
    assert "Role given." in driver.page_source


def test_a_cham_label_is_proposed_approved_and_shown_on_the_form(driver, portal_url: str) -> None:
    base = portal_url
    for phone in (TRANSLATOR, REVIEWER):  # accounts exist once they have signed in
        sign_in_with_code(driver, f"{base}/en", phone)
        sign_out(driver)
    sign_in_with_code(driver, f"{base}/en", ADMIN)
    give_role(driver, base, TRANSLATOR, "translator")
    give_role(driver, base, REVIEWER, "reviewer")
    sign_out(driver)

    # The translator finds the label among the Chăm form texts and proposes a translation.
    sign_in_with_code(driver, f"{base}/en", TRANSLATOR)
    driver.get(f"{base}/en/translate/cjm?kind=forms&q=chu+dem+va+ten+cua+tre")
    press(driver, driver.find_element(By.XPATH, f"//main//a[normalize-space()='{LABEL_VI}']"))
    assert driver.find_element(By.CSS_SELECTOR, "dd[lang=vi]").text == LABEL_VI  # the source beside the box
    box = driver.find_element(By.ID, "text")
    box.clear()
    box.send_keys(CHAM)
    press(driver, button(driver, "Propose this translation"))
    assert "Your translation is proposed" in driver.find_element(By.CSS_SELECTOR, "main .panel--notice").text
    text_page = driver.current_url
    sign_out(driver)

    # Another person, a reviewer, approves it.
    sign_in_with_code(driver, f"{base}/en", REVIEWER)
    driver.get(text_page)
    press(driver, button(driver, "Approve"))
    assert "pages show this translation now" in driver.find_element(By.CSS_SELECTOR, "main .panel--notice").text
    history = driver.find_element(By.CSS_SELECTOR, "main table").text
    assert "approved" in history and "proposed" in history
    sign_out(driver)

    # A citizen who sees only reviewed translations applies in Chăm: the label is Chăm, the rest Vietnamese.
    sign_in_with_code(driver, f"{base}/en", CITIZEN)
    driver.add_cookie({"name": "portal_display", "value": "reviewed", "path": "/"})
    driver.get(f"{base}/cjm/procedures/1.001193/apply")
    begin_application(driver, "1.001193")  # where it goes (issue 17), then the form
    assert path_of(driver).endswith("/form/child")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=child_full_name]")
    assert label.text.startswith(CHAM)
    assert driver.execute_script(LANG_OF, label) == "cjm"
    date_label = driver.find_element(By.CSS_SELECTOR, "label[for=child_birth_date]")
    assert driver.execute_script(LANG_OF, date_label) == "vi" and "Ngày, tháng, năm sinh" in date_label.text
    assert driver.execute_script("return document.documentElement.lang") == "cjm"


def test_show_this_page_in_vietnamese_keeps_the_answers_being_typed(driver, portal_url: str) -> None:
    sign_in_with_code(driver, f"{portal_url}/en", CITIZEN)
    driver.get(f"{portal_url}/km/procedures/1.001193/apply")
    begin_application(driver, "1.001193")
    driver.find_element(By.ID, "child_full_name").send_keys("Nguyễn Văn An")
    original = driver.find_element(By.CSS_SELECTOR, ".draft-notice a[hreflang=vi]")
    assert original.text == "Xem trang này bằng tiếng Việt"
    press(driver, original)
    assert driver.execute_script("return document.documentElement.lang") == "vi"
    assert driver.find_element(By.ID, "child_full_name").get_attribute("value") == "Nguyễn Văn An"
    back = driver.find_element(By.CSS_SELECTOR, ".draft-notice a[hreflang=km]")
    press(driver, back)
    assert driver.execute_script("return document.documentElement.lang") == "km"
    assert driver.find_element(By.ID, "child_full_name").get_attribute("value") == "Nguyễn Văn An"
