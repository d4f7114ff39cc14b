"""Page helpers for the browser tests: keyboard activation, waits, the SMS sandbox, axe-core audits."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from contextlib import contextmanager

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from backend.core.language_routing import split_language
from tests.sms_codes import sign_in_code

AXE_OPTIONS = json.dumps({"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})


# -- keyboard and page helpers ------------------------------------------------------------------------------


def wait(driver, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,))


@contextmanager
def new_page(driver):
    """Wait, after the block, until the browser has left the current document and loaded the next one."""
    # A mark on the old window object: it is gone once another document has loaded. (Waiting for the old
    # <html> to go stale races with Chromium's navigation and can fail with "Node ... does not belong".)
    driver.execute_script("window.__oldPage = true")
    yield
    wait(driver).until(lambda d: d.execute_script("return !window.__oldPage && document.readyState === 'complete'"))


def press(driver, element: WebElement) -> None:
    """Activate a link or a button as a keyboard user does: focus it, press Enter; wait for the next page."""
    with new_page(driver):
        element.send_keys(Keys.ENTER)


def button(driver, text: str) -> WebElement:
    return driver.find_element(By.XPATH, f"//main//button[normalize-space()='{text}']")


def link(driver, text: str) -> WebElement:
    return driver.find_element(By.XPATH, f"//main//a[normalize-space()='{text}']")


# Where the journeys file (issue 17: the citizen chooses the receiving agency): procedure -> (province, words to
# search, agency), the catalogue's own agency for it.
FILED_AT = {
    "1.001193": ("01", "hoan kiem", "P01-W-HOANKIEM"),  # birth registration: Hoàn Kiếm ward, Hà Nội
    "2.001195": ("01", "", "P01-CA"),  # identity card renewal: Hà Nội police
}


def begin_application(driver, procedure: str) -> None:
    """On a procedure's start page (any language), start it: its start button, or, when the page asks where the
    application goes and proposes nothing, choose the agency of ``FILED_AT`` in the picker (province, search, its
    radio button, continue). Ends on the first form page."""
    starts = driver.find_elements(By.CSS_SELECTOR, "main form[action$='/apply'] button[type=submit]")
    if starts:
        press(driver, starts[0])
        return
    province, words, agency = FILED_AT[procedure]
    press(driver, driver.find_element(By.CSS_SELECTOR, f"main a[href$='/procedures/{procedure}/agencies']"))
    Select(driver.find_element(By.ID, "province")).select_by_value(province)
    if words:
        driver.find_element(By.ID, "q").send_keys(words)
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form[role=search] button[type=submit]"))
    driver.find_element(By.ID, f"agency-{agency}").send_keys(Keys.SPACE)
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form[novalidate] button[type=submit]"))


def path_of(driver) -> str:
    """The page's path without its language prefix (``/en/procedures`` -> ``/procedures``)."""
    return split_language(urllib.parse.urlsplit(driver.current_url).path)[1]


def language_of(driver) -> str | None:
    return split_language(urllib.parse.urlsplit(driver.current_url).path)[0]


def active_element_matches(driver, selector: str) -> bool:
    return driver.execute_script("return document.activeElement.matches(arguments[0])", selector)


def latest_code(base_url: str, phone: str) -> str:
    """The 6-digit code from the newest text message the SMS sandbox took for ``phone``."""
    query = urllib.parse.urlencode({"to": "84" + phone[1:]})
    with urllib.request.urlopen(f"{base_url}/dev/outbox.json?{query}", timeout=10) as response:
        return sign_in_code(json.load(response))


# -- accessibility ------------------------------------------------------------------------------------------


class AxeAudit:
    """axe-core (WCAG 2 A and AA rules) on chosen pages; violations are kept per page, asserted at the end."""

    def __init__(self, driver):
        from axe_selenium_python import Axe

        driver.set_script_timeout(30)
        self.driver = driver
        self.axe = Axe(driver)
        self.violations: dict[str, list[dict]] = {}
        self.summary: list[str] = []

    def check(self, page: str) -> None:
        self.axe.inject()
        results = self.axe.run(options=AXE_OPTIONS)
        self.summary.append(
            f"axe on {page}: {len(results['passes'])} rules passed, {len(results['violations'])} violated, "
            f"{len(results['incomplete'])} to review by hand"
            + "".join(
                f"\n    review: {r['id']} ({r['help']}) on "
                + ", ".join(" > ".join(map(str, n["target"])) for n in r["nodes"][:5])
                for r in results["incomplete"]
            )
        )
        if results["violations"]:
            self.violations[f"{page} ({path_of(self.driver)})"] = results["violations"]

    def report(self) -> str:
        lines = []
        for page, violations in self.violations.items():
            lines.append(f"{page}:")
            for violation in violations:
                lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
                for node in violation["nodes"]:
                    lines.append(f"      {' > '.join(map(str, node['target']))}")
                    summary = node.get("failureSummary", "").replace("\n", " ")
                    if summary:
                        lines.append(f"        {summary}")
        return "\n".join(lines)


# -- signing in ---------------------------------------------------------------------------------------------


def sign_in_with_code(driver, base_url: str, phone: str) -> None:
    driver.get(f"{base_url}/sign-in")
    driver.find_element(By.ID, "phone").send_keys(phone)
    press(driver, button(driver, "Send me a code"))
    driver.find_element(By.ID, "code").send_keys(latest_code(base_url, phone))
    press(driver, button(driver, "Sign in"))


def open_menu(driver) -> None:
    """On a phone the signed-in header's links are under "Menu" (issue 22): open it as a keyboard user would."""
    closed = "header details.site-menu:not([open])"
    for menu in driver.find_elements(By.CSS_SELECTOR, closed):
        menu.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
    wait(driver, 5).until(lambda d: not d.find_elements(By.CSS_SELECTOR, closed))


def in_header(driver, xpath: str):
    """A link or button of the header (``//header`` + ``xpath``), the menu opened first where it is folded."""
    open_menu(driver)
    return driver.find_element(By.XPATH, "//header" + xpath)


def sign_out(driver) -> None:
    with new_page(driver):
        in_header(driver, "//button[normalize-space()='Sign out']").send_keys(Keys.ENTER)
