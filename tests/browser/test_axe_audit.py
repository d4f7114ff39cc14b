"""Every page state of the portal, in every language, under axe (WCAG 2.0, 2.1, 2.2 A and AA), as the right person.

The HTML the server sent for each of those pages then goes through the W3C Nu HTML checker, in one run at the
end; its errors fail the test too. Java or vnu.jar missing fails the test (``make vnu`` installs them).

The page list is ``accessibility.pages.PAGES`` (its coverage of the app's routes is checked by
tests/unit/test_axe_page_table.py). With ``A11Y_REPORT=path`` the readable summary is also written
there: ``make a11y-report``. ``A11Y_BROWSERS`` sets how many Chromium sessions share the work (2);
``A11Y_LANGUAGES=vi,en`` audits only those languages, and ``A11Y_ROUTES=/staff,/agencies`` only the states of those
routes (as PAGES spells them), for a quicker look while fixing something.

``make test`` audits every state in Vietnamese and English, and each route in 2 of the 10 other languages, chosen
anew each day (``A11Y_SEED``, printed, repeats a day's choice): a third of the pages, so the suite stays near its
30 minutes. ``A11Y_FULL=1`` (``make a11y-report``), or naming the languages, audits every state in each language.
"""

from __future__ import annotations

import datetime
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from accessibility import nu
from accessibility.audit import Browser, languages_by_route, run
from accessibility.pages import skipped_routes, states
from accessibility.report import Report
from backend.app import create_app
from backend.core.languages import LANGUAGES
from backend.settings import Settings
from tests.browser.audit_data import prepare
from tests.browser.conftest import CHROME_OPTIONS, CHROMEDRIVER, CHROMIUM
from tests.browser.served_portal import start_portal

pytestmark = pytest.mark.browser
ALWAYS = ("vi", "en")
"""Audited on every state in make test: the portal's first language and the one every text is written in."""
OTHERS_PER_ROUTE = 2


def phone_chromium(profile: Path):
    """Headless Chromium as a 412 px phone, set up as the ``driver`` fixture does."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROME_OPTIONS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={profile}")
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 412, "height": 915, "deviceScaleFactor": 1, "mobile": True})
    browser.set_page_load_timeout(30)
    return browser


@pytest.fixture(scope="module")
def audit_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A portal of its own: the audit verifies Lan's identity, gives her a passkey and a dossier in each status,
    fills the officer's queue. The other browser tests, on the shared portal, must not meet that."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed: `make browser` installs them")
    server = start_portal(tmp_path_factory.mktemp("audit-portal"))
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture
def phone_browsers(audit_portal: str, tmp_path: Path) -> Iterator[list]:
    count = max(1, int(os.environ.get("A11Y_BROWSERS", "2")))
    with ThreadPoolExecutor(count) as pool:
        drivers = list(pool.map(phone_chromium, [tmp_path / f"profile-{n}" for n in range(count)]))
    try:
        yield drivers
    finally:
        for driver in drivers:
            driver.quit()


def test_every_page_state_in_every_language_passes_axe(audit_portal: str, phone_browsers: list, capsys,
                                                      tmp_path: Path) -> None:
    if why := nu.missing():  # before minutes of browsing, and never a silent skip
        pytest.fail(f"the Nu HTML checker cannot run: {why}", pytrace=False)
    started = time.monotonic()
    languages = os.environ.get("A11Y_LANGUAGES", "").split(",") if os.environ.get("A11Y_LANGUAGES") else list(LANGUAGES)
    assert set(languages) <= set(LANGUAGES), f"A11Y_LANGUAGES: unknown {set(languages) - set(LANGUAGES)}"
    sessions, values = prepare(audit_portal, languages)
    work: dict[str, list] = defaultdict(list)
    routes = set(os.environ["A11Y_ROUTES"].split(",")) if os.environ.get("A11Y_ROUTES") else None
    assert routes is None or routes <= {route for route, _ in states()}, f"A11Y_ROUTES: not in PAGES: {routes}"
    for route, state in states():
        if routes is None or route in routes:
            work[state.role].append((route, state))
    report = Report(languages, skipped_routes(create_app(Settings(demo_mode=True))))
    audited_in = None
    if not (os.environ.get("A11Y_FULL") == "1" or os.environ.get("A11Y_LANGUAGES")):
        seed = int(os.environ.get("A11Y_SEED") or datetime.date.today().toordinal())
        audited_in = languages_by_route(dict.fromkeys(route for route, _ in states()), languages, ALWAYS,
                                        OTHERS_PER_ROUTE, seed)
        report.sampling = (f"every state in {' and '.join(ALWAYS)}, each route in {OTHERS_PER_ROUTE} of the "
                           f"{len(languages) - len(ALWAYS)} other languages (A11Y_SEED={seed} repeats this choice, "
                           "A11Y_FULL=1 audits every language)")
    browsers = [Browser(driver, audit_portal) for driver in phone_browsers]
    run(browsers, work, sessions, languages, values, report.add, audited_in)
    checked = [page for page in report.audited if page.html]
    nu_started = time.monotonic()
    report.nu_version, found = nu.check([page.html for page in checked], tmp_path / "html")
    for page, errors in zip(checked, found, strict=True):
        page.nu = errors
    report.nu_seconds = time.monotonic() - nu_started
    report.seconds = time.monotonic() - started

    with capsys.disabled():  # the counts are the point of this test: show them even when it passes
        print("\n" + report.counts())
        if target := os.environ.get("A11Y_REPORT"):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            Path(target).write_text(report.markdown(), encoding="utf-8")
            print(f"report written to {Path(target).resolve()}")
    if report.failed():
        failures = report.failures()
        pytest.fail(f"{len(failures)} accessibility failures:\n\n" + "\n\n".join(failures), pytrace=False)
