"""Upload progress on a slow connection: the bar moves and the live region says how much is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.pages import begin_application, new_page, path_of, sign_in_with_code, wait
from tests.support import pdf_of_size

pytestmark = pytest.mark.browser

CITIZEN = "0987654321"
BIRTH = "1.001193"
RECORD_STATUS = """
window.__said = [];
const region = arguments[0].querySelector('[data-upload-status]');
new MutationObserver(() => window.__said.push(region.textContent))
  .observe(region, {childList: true, subtree: true, characterData: true});
"""


def test_upload_progress_is_shown_and_announced(driver, portal_url: str, tmp_path: Path) -> None:
    sign_in_with_code(driver, portal_url, CITIZEN)
    driver.get(f"{portal_url}/en/procedures/{BIRTH}/apply")
    begin_application(driver, BIRTH)
    code = path_of(driver).split("/")[2]
    driver.get(f"{portal_url}/en/dossiers/{code}/documents")

    document = tmp_path / "birth-notice.pdf"
    document.write_bytes(pdf_of_size(400_000))  # a real PDF: uploads are parsed
    # About 4 seconds of upload at 100 KB/s: enough for several progress events.
    driver.execute_cdp_cmd("Network.enable", {})
    slow = {"offline": False, "latency": 20, "downloadThroughput": 1_000_000, "uploadThroughput": 100_000}
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", slow)
    section = driver.find_element(By.CSS_SELECTOR, "section.upload")
    section.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(document))
    driver.execute_script(RECORD_STATUS, section)
    with new_page(driver):
        section.find_element(By.XPATH, ".//button[normalize-space()='Upload']").send_keys(Keys.ENTER)
        wait(driver, 20).until(lambda d: d.execute_script("return (window.__said || []).length >= 2"))
        said = driver.execute_script("return window.__said")
    fast = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", fast)
    assert any(text.startswith("Uploading:") and "% sent" in text for text in said), said
    assert "Uploaded:" in driver.find_element(By.CSS_SELECTOR, "section.upload .uploaded").text
