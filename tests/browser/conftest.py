"""Browser fixtures: the portal served as `make run` serves it, and Debian's headless Chromium as a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.served_portal import start_portal

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROME_OPTIONS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
    "--window-size=412,915",  # a phone
]


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed: `make browser` installs Debian's chromium and "
                    "chromium-driver (make test does it first)")


@pytest.fixture(scope="session")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://localhost:PORT of a portal with a fresh SQLite database and the demo data."""
    _require_browser()
    data_dir = tmp_path_factory.mktemp("portal-data")
    server = start_portal(data_dir)
    try:
        yield server.base_url
    finally:
        server.stop()
        if server.process.returncode not in (0, -15):  # anything but a clean stop: show why
            log = server.log.read_text(errors="replace")
            print(f"portal exited with {server.process.returncode}; log:\n{log}")


@pytest.fixture
def driver(tmp_path: Path) -> Iterator:
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROME_OPTIONS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    service = Service(str(CHROMEDRIVER), log_output=str(tmp_path / "chromedriver.log"))
    browser = webdriver.Chrome(options=options, service=service)
    # Headless Chromium keeps windows at least 500 px wide: make the viewport the phone's 412 px as well.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 412, "height": 915, "deviceScaleFactor": 1, "mobile": True})
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def shots(driver, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Where screenshots go; on failure, the last page is saved there and its path printed."""
    yield tmp_path
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        path = tmp_path / "failure.png"
        try:
            driver.save_screenshot(str(path))
            print(f"screenshot of the failing page ({driver.current_url}): {path}")
        except Exception as exc:  # noqa: BLE001 - best effort only
            print(f"no screenshot: {exc}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report

