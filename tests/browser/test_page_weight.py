"""Page weight in Chromium (issue 15, item 9): what the browser really transfers on a first visit with an empty
cache (Resource Timing's transferSize: headers and compressed bodies of the page and all it loaded, fonts
included) is at most 50 KB for home, search, a procedure page and a form page, and for a Khmer and a Cham procedure
page; tests/bench/page_weight.py counts
the same by fetching, and make bench prints it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.bench.page_weight import BUDGET
from tests.browser.pages import begin_application, sign_in_with_code, wait

pytestmark = pytest.mark.browser

CITIZEN = "0977000707"  # used by no other browser test
TRANSFERRED = """
const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
return entries.map(e => [e.name, e.transferSize]);
"""


def first_visit(driver, url: str) -> dict[str, int]:
    """Bytes per URL of a visit to ``url`` with no cache and the service worker bypassed."""
    driver.get(url)
    wait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.execute_script("return document.fonts.ready")
    return dict(driver.execute_script(TRANSFERRED))


def test_a_first_visit_transfers_at_most_50_kb(driver, portal_url: str) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBypassServiceWorker", {"bypass": True})  # its cache would hide bytes
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})  # the memory cache too
    pages = [f"{portal_url}/vi/", f"{portal_url}/vi/procedures?q=dang+ky+khai+sinh",
             f"{portal_url}/vi/procedures/1.001193",
             # The heaviest languages: their script font and the menu's come with the page.
             f"{portal_url}/km/procedures/1.001193", f"{portal_url}/cjm/procedures/1.001193"]
    weights = {url: first_visit(driver, url) for url in pages}
    driver.get(f"{portal_url}/en/")  # the sign-in helper speaks English: the language remembered
    sign_in_with_code(driver, portal_url, CITIZEN)
    driver.get(f"{portal_url}/vi/procedures/1.001193/apply")
    begin_application(driver, "1.001193")  # where it goes (issue 17), then the form
    wait(driver, 10).until(lambda d: "/form/" in d.current_url)
    weights["form page"] = first_visit(driver, driver.current_url)
    for url, sizes in weights.items():
        print(f"first visit {url}: {sum(sizes.values())} B in {len(sizes)} responses")
        assert any(".css" in name for name in sizes), (url, sizes)  # the page's assets were counted
        assert sum(sizes.values()) <= BUDGET, (url, sum(sizes.values()), sizes)
        if "/km/" in url:  # the font really came (the count holds it) and it is the only script font that did
            assert [name for name in sizes if "khmer" in name] and not [name for name in sizes if "cham" in name]
    assert driver.find_element(By.TAG_NAME, "h1").text
