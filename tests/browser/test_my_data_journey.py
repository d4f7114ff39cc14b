"""Issue 21's journey, in Chromium at phone size: an official opens Lan's dossier on the desk and Lan sees that
access on /vi/my/data within a minute; she downloads her copy (the ZIP holds her dossier's answers and documents),
withdraws her consent to notifications, and her devices are unsubscribed (no subscription left; the page says so).

The portal is this module's own (its SQLite database is read to check the subscriptions), so the demo's Lan and
Lê Thu Hà sign in here without sharing the rate limits of other browser tests' portal."""

from __future__ import annotations

import base64
import json
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from selenium.webdriver.common.by import By

from tests.browser.conftest import _require_browser
from tests.browser.http_user import HttpUser
from tests.browser.pages import button, new_page, press, wait
from tests.browser.served_portal import Server, start_portal

pytestmark = pytest.mark.browser
LAN = "0912345678"  # the demo's Nguyễn Thị Lan, on this module's own portal
OFFICIAL = "0901000001"  # the demo's Lê Thu Hà, Hoàn Kiếm ward, where birth registrations are filed
BIRTH = "1.001193"


@pytest.fixture(scope="module")
def own_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    _require_browser()
    data_dir = tmp_path_factory.mktemp("my-data-portal")
    server = start_portal(data_dir)
    try:
        yield server, data_dir / "portal.sqlite3"
    finally:
        server.stop()


def subscriptions(database: Path, phone: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM push_subscription s JOIN user_account u ON u.id = s.user_id "
                          "WHERE u.phone = ?", ("84" + phone[1:],)).fetchone()[0]


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def subscribe_device(lan: HttpUser, n: int) -> None:
    """A device of Lan's gets notifications (as push-opt-in.mjs registers it), at the sandbox push service."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    body = {"endpoint": f"{lan.base_url}/sandbox/push/lan-device-{n}",
            "keys": {"p256dh": b64url(key), "auth": b64url(bytes(range(n, n + 16)))}}
    response = lan.client.post("/api/v1/push/subscriptions", json=body, headers={"x-csrftoken": lan.csrf()})
    assert response.status_code == 201, response.text


def test_lan_sees_the_officials_access_downloads_her_copy_and_unsubscribes_her_devices(own_portal, driver,
                                                                                      tmp_path, shots):
    server, database = own_portal
    base = server.base_url
    with HttpUser(base, LAN) as lan, HttpUser(base, OFFICIAL) as official:
        code = lan.submit(BIRTH)  # answers every page and uploads every mandatory document
        before = subscriptions(database, LAN)  # the demo's sandbox phone, and two more devices
        subscribe_device(lan, 1)
        subscribe_device(lan, 2)
        assert subscriptions(database, LAN) == before + 2 >= 2

        # The official opens Lan's dossier on the desk.
        official.share_session(driver)
        driver.get(f"{base}/vi/desk/dossiers/{code}")
        assert code in driver.find_element(By.TAG_NAME, "main").text
        opened_at = time.monotonic()

        # Lan sees it on /vi/my/data, in plain words, within a minute.
        lan.share_session(driver)

        def access_line(d):
            d.get(f"{base}/vi/my/data#access")
            for line in d.find_elements(By.CSS_SELECTOR, "#access .access-log li"):
                if "Lê Thu Hà" in line.text and "Đăng ký khai sinh" in line.text:
                    return line.text
            time.sleep(2)
            return None

        line = wait(driver, 60).until(access_line)
        assert time.monotonic() - opened_at < 60
        assert "Hoàn Kiếm" in line, line
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 412, "no sideways scrolling"
        driver.get(f"{base}/vi/privacy")  # the notice's retention table, too, fits the phone
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 412, "notice: no sideways"

        # Her copy: asked for, built in the background, downloaded once.
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.get(f"{base}/en/my/data")
        press(driver, driver.find_element(By.CSS_SELECTOR, "#rights a[href$='/my/data/export']"))
        press(driver, button(driver, "Ask for a copy of my data"))

        def ready(d):
            found = d.find_elements(By.XPATH, "//main//button[normalize-space()='Get the download link']")
            if found:
                return found[0]
            time.sleep(1)
            d.refresh()
            return None

        press(driver, wait(driver, 60).until(ready))
        driver.find_element(By.CSS_SELECTOR, "main a[href*='/my/data/export/download/']").click()
        archive_path = wait(driver, 30).until(
            lambda d: next((p for p in downloads.glob("*.zip")), None) if not list(downloads.glob("*.crdownload"))
            else None)
        with zipfile.ZipFile(archive_path) as archive:
            data = json.loads(archive.read("data.json"))
            names = archive.namelist()
        dossier = next(d for d in data["dossiers"] if d["code"] == code)
        assert dossier["answers"] and all(v not in (None, "") for v in dossier["answers"].values())
        documents = [doc["in_this_zip"] for doc in dossier["documents"]]
        assert documents and all(path in names for path in documents), (documents, names)
        assert "summary.html" in names
        assert any(entry["who"].startswith("Lê Thu Hà") for entry in data["access_log"])

        # Her consent to notifications, withdrawn in one step: every device unsubscribed, and the page says so.
        driver.get(f"{base}/en/my/data#consents")
        form = driver.find_element(By.CSS_SELECTOR, "form[data-push-withdraw]")
        with new_page(driver):
            form.find_element(By.TAG_NAME, "button").click()  # the script drops this browser's own, then sends
        status = driver.find_element(By.CSS_SELECTOR, "[data-my-data-status]").text
        assert "your devices are unsubscribed" in status, status
        assert wait(driver, 5).until(lambda d: d.switch_to.active_element.get_attribute("data-my-data-status")
                                     is not None), "the message takes focus, beside the consents"
        assert subscriptions(database, LAN) == 0
        assert "No device gets notifications." in driver.find_element(By.ID, "devices").text
    driver.save_screenshot(str(shots / "my-data-after-withdrawal.png"))
