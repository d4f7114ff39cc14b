"""Searching offline (issue 15, item 8; issue 22, items 1, 2 and 4) in Chromium: the service worker keeps the
catalogue's compact index in the page's language, answers a search made without a connection from it, says the
results and the pages shown are saved copies and from when, and has the offline page of a language never visited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of

from tests.browser.network import DevToolsNetwork
from tests.browser.pages import wait
from tests.browser.test_pwa import BIRTH, controlled_page, kept

pytestmark = pytest.mark.browser
LAST = "9.000002"  # the demo catalogue's last code

FORGET = """
const done = arguments[arguments.length - 1];
caches.keys().then(async (names) => {
  for (const name of names) await (await caches.open(name)).delete(arguments[0]);
  done(true);
});
"""


def search(driver, words: str) -> None:
    field = driver.find_element(By.ID, "q")
    field.clear()
    field.send_keys(words)
    field.submit()
    # The answer is a new page: until the old one is gone, its results would be read (and go stale under the reader).
    wait(driver, 10).until(staleness_of(field))
    wait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-offline-results], main p"))


def notice(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "main [data-saved-copy]").text


def results(driver) -> list[tuple[str, str, bool]]:
    """(link text, path, said not kept) of each result."""
    return [(li.find_element(By.TAG_NAME, "a").text, li.find_element(By.TAG_NAME, "a").get_attribute("pathname"),
             bool(li.find_elements(By.CSS_SELECTOR, "[data-not-kept]")))
            for li in driver.find_elements(By.CSS_SELECTOR, "[data-offline-results] li")]


def test_search_offline_in_vietnamese_and_khmer(driver, portal_url: str) -> None:
    controlled_page(driver, f"{portal_url}/vi/")
    # The worker keeps the index, then the catalogue's pages in code order: the last one kept, it is done.
    wait(driver, 60).until(lambda d: kept(d, "/vi/catalogue-index.json") and kept(d, f"/vi/procedures/{LAST}"),
                           "the catalogue index was not kept")
    # Every language's offline page is kept at install, visited or not (issue 22, item 4).
    assert kept(driver, "/bdq/offline") and kept(driver, "/cjm/offline")
    driver.execute_async_script(FORGET, f"{portal_url}/vi/procedures/1.000894")  # a page not kept (yet)
    network = DevToolsNetwork(driver)
    try:
        network.offline()
        # The home page kept says it is a saved copy, and from when (issue 22, item 1).
        driver.get(f"{portal_url}/vi/")
        assert str(datetime.now(UTC).year) in notice(driver), notice(driver)
        assert "{time}" not in notice(driver)
        # Its search works offline, accents or not (issue 22, item 2).
        search(driver, "dang ky khai sinh")
        assert path_and_query(driver) == "/vi/procedures?q=dang+ky+khai+sinh"
        found = results(driver)
        assert found[0] == ("Đăng ký khai sinh", f"/vi/procedures/{BIRTH}", False), found
        assert "{time}" not in notice(driver) and notice(driver)
        assert driver.find_element(By.ID, "q").get_attribute("value") == "dang ky khai sinh"
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
        search(driver, "kết hôn")
        assert ("Đăng ký kết hôn", "/vi/procedures/1.000894", True) in results(driver), results(driver)
        # A result opens its kept page, which says it is a saved copy.
        search(driver, "khai sinh")
        driver.find_element(By.CSS_SELECTOR, f'[data-offline-results] a[href$="/{BIRTH}"]').click()
        wait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Đăng ký khai sinh")
        assert notice(driver)
        driver.back()
        search(driver, "zzzz qqqq")
        assert not results(driver)
    finally:
        network.online()
        network.close()

    # Khmer: the page tells the worker its language, which keeps the Khmer index.
    driver.get(f"{portal_url}/km/")
    wait(driver, 40).until(lambda d: kept(d, "/km/catalogue-index.json"), "the Khmer index was not kept")
    network = DevToolsNetwork(driver)
    try:
        network.offline()
        driver.get(f"{portal_url}/km/procedures?q=" + "កំណើត")
        found = results(driver)
        assert found and found[0][1] == f"/km/procedures/{BIRTH}", found
        assert any("\u1780" <= ch <= "\u17ff" for ch in found[0][0])
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "km"
        assert notice(driver) and "{time}" not in notice(driver)
    finally:
        network.online()
        network.close()
    # Online again, the portal answers the search itself.
    driver.get(f"{portal_url}/vi/procedures?q=dang+ky+khai+sinh")
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-offline-results], main [data-saved-copy]")


def path_and_query(driver) -> str:
    return driver.execute_script("return location.pathname + location.search")
