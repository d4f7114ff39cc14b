"""A phone shared by several people (the reviewer's privacy defects): the pages and the offline drafts of one
account never reach the next person, and signing out leaves nothing of the account on the phone."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.network import DevToolsNetwork
from tests.browser.pages import begin_application, in_header, new_page, path_of, sign_in_with_code, sign_out, wait
from tests.browser.test_citizen_journey import fill_field
from tests.browser.test_pwa import BIRTH, controlled_page, kept

pytestmark = pytest.mark.browser

LAN, MINH, HOA = "0977000611", "0977000612", "0977000613"  # used by no other browser test
SOMEONE_ELSE = "0123456789abcdef"  # the user tag of an account that is not signed in on this phone

USER_TAG = "return document.querySelector('[data-module=\"app-shell\"]').dataset.user"
# What offline-drafts.mjs keeps when a form cannot reach the portal (its keep()), for the form on this page.
KEEP_DRAFT = """
const [user, action, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const form = document.querySelector("main form[data-offline]");
const shell = document.querySelector('[data-module="app-shell"]');
import(shell.dataset.outbox).then(async () => {
  const fields = [...new FormData(form)].filter(([n, v]) => typeof v === "string" && n !== "idempotency_key");
  await self.portalOutbox.add({
    key: crypto.randomUUID(), action: action || form.action, fields, user: user || shell.dataset.user,
    csrf: form.elements._csrf_token.value, page: location.pathname, savedAt: Date.now(), label: "test",
  });
  localStorage.setItem("portal-outbox", "1");
  done(user || shell.dataset.user);
}, (error) => done(String(error)));
"""
DRAFT_OWNERS = """
const done = arguments[arguments.length - 1];
import(document.querySelector('[data-module="app-shell"]').dataset.outbox)
  .then(() => self.portalOutbox.all()).then((items) => done(items.map((item) => item.user).sort()), String);
"""
# The kept catalogue copy of a path: whom it was made for (its X-Portal-User header and its data-user).
KEPT_FOR = """
const [path, done] = [arguments[0], arguments[arguments.length - 1]];
caches.keys().then(async (names) => {
  for (const name of names.filter((n) => n.startsWith("portal-pages-"))) {
    const found = await (await caches.open(name)).match(path);
    if (found) return done([found.headers.get("x-portal-user"), /data-user=""/.test(await found.text())]);
  }
  done(null);
});
"""
FLUSH_AS = """
const [user, done] = [arguments[0], arguments[arguments.length - 1]];
const csrf = decodeURIComponent((document.cookie.match(/(?:^|;\\s*)portal_csrf=([^;]*)/) || [])[1] || "");
import(document.querySelector('[data-module="app-shell"]').dataset.outbox)
  .then(() => self.portalOutbox.flush(user, csrf)).then(done, (error) => done(String(error)));
"""
DRAFTS_SHOWN = """
const done = arguments[arguments.length - 1];
import(document.querySelector('[data-module="app-shell"]').dataset.drafts).then((m) => m.flushSoon())
  .then(() => done(!document.querySelector("[data-offline-drafts]").hidden), String);
"""
PERSONAL_PAGES = """
const done = arguments[arguments.length - 1];
caches.keys().then(async (names) => {
  let count = 0;
  for (const name of names.filter((n) => n.startsWith("portal-personal-"))) {
    count += (await (await caches.open(name)).keys()).length;
  }
  done(count);
});
"""


def start_application(driver, portal_url: str) -> str:
    """A birth registration started online; the first form page filled in (not sent). Returns the code."""
    driver.get(f"{portal_url}/en/procedures/{BIRTH}/apply")
    begin_application(driver, BIRTH)
    form = driver.find_element(By.CSS_SELECTOR, "main form[data-offline]")
    for control in form.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
        fill_field(driver, control)
    return path_of(driver).split("/")[2]


def draft_owners(driver) -> list[str]:
    return driver.execute_async_script(DRAFT_OWNERS)


def header_sign_out(driver):
    return in_header(driver, "//button[normalize-space()='Sign out']")


def test_one_accounts_pages_and_drafts_never_reach_the_next_person(driver, portal_url: str) -> None:
    sign_in_with_code(driver, portal_url, LAN)
    controlled_page(driver, f"{portal_url}/en/")
    wait(driver, 30).until(lambda d: kept(d, f"/en/procedures/{BIRTH}"), "the catalogue was not kept")
    # Catalogue pages opened while signed in are kept only as anyone sees them: no tag, no drafts, no name.
    lan = driver.execute_script(USER_TAG)
    assert len(lan) == 16, lan
    for path in ("/en/procedures", "/en/track"):
        driver.get(portal_url + path)
        assert driver.execute_script(USER_TAG) == lan
    wait(driver, 15).until(
        lambda d: all(d.execute_async_script(KEPT_FOR, p) == ["", True] for p in ("/en/procedures", "/en/track")),
        "a catalogue page was kept with Lan's user tag")
    # A form Lan saved with no connection (what offline-drafts.mjs keeps), not yet on the portal.
    code = start_application(driver, portal_url)
    name = driver.find_element(By.ID, "child_full_name")
    name.clear()
    name.send_keys("Đỗ Thị Của Lan")
    assert driver.execute_async_script(KEEP_DRAFT, None, None) == lan

    # Lan's session ends (she walked away); Minh signs in on the same phone.
    driver.delete_all_cookies()
    sign_in_with_code(driver, portal_url, MINH)
    minh = driver.execute_script(USER_TAG)
    assert minh and minh != lan
    # A bad connection: the portal answers after the worker's 3 s, so the kept copy is shown. It is nobody's.
    network = DevToolsNetwork(driver)
    try:
        network.slow(4500)
        driver.get(f"{portal_url}/en/track")
        assert driver.execute_script(USER_TAG) == ""
    finally:
        network.online()
        network.close()
    # Minh's own application page never lists Lan's draft, and nothing of hers was sent with his session.
    start_application(driver, portal_url)
    assert driver.execute_async_script(DRAFTS_SHOWN) is False
    assert draft_owners(driver) == [lan]
    # Even asked to send Lan's queue, the portal runs nothing for Minh (409), and the phone keeps her draft.
    report = driver.execute_async_script(FLUSH_AS, lan)
    assert report["stopped"] == "otheruser" and report["sent"] == report["refused"] == [], report
    assert draft_owners(driver) == [lan]
    sign_out(driver)

    # Lan back on this phone: her draft is sent with her session, then leaves the phone.
    sign_in_with_code(driver, portal_url, LAN)
    wait(driver, 30).until(lambda d: draft_owners(d) == [], "Lan's draft was not sent when she came back")
    driver.get(f"{portal_url}/en/dossiers/{code}/form/child")
    assert driver.find_element(By.ID, "child_full_name").get_attribute("value") == "Đỗ Thị Của Lan"


def test_signing_out_warns_then_leaves_nothing_of_the_account(driver, portal_url: str) -> None:
    sign_in_with_code(driver, portal_url, HOA)
    controlled_page(driver, f"{portal_url}/en/my/dossiers")
    wait(driver, 10).until(lambda d: kept(d, "/en/my/dossiers"), "the personal page was not kept")
    code = start_application(driver, portal_url)
    # Two forms saved with no connection, and one of another account (saved under its tag), all on this phone.
    hoa = driver.execute_async_script(KEEP_DRAFT, None, None)
    driver.execute_async_script(KEEP_DRAFT, None, f"{portal_url}/en/dossiers/{code}/form/parents")
    driver.execute_async_script(KEEP_DRAFT, SOMEONE_ELSE, None)
    assert draft_owners(driver) == sorted([hoa, hoa, SOMEONE_ELSE])

    # Signing out with answers saved only on this phone: a plain confirmation first. "Cancel" keeps everything.
    header_sign_out(driver).send_keys(Keys.ENTER)
    alert = wait(driver, 10).until(lambda d: d.switch_to.alert)
    assert alert.text == "You have 2 answers saved only on this phone; signing out deletes them. Sign out anyway?"
    alert.dismiss()
    assert path_of(driver) == f"/dossiers/{code}/form/child" and header_sign_out(driver).is_displayed()
    assert draft_owners(driver) == sorted([hoa, hoa, SOMEONE_ELSE])

    # "OK": signed out promptly (no push subscription here: that step must not hold it up).
    started = time.monotonic()
    with new_page(driver):
        header_sign_out(driver).send_keys(Keys.ENTER)
        wait(driver, 10).until(lambda d: d.switch_to.alert).accept()
    assert time.monotonic() - started < 5
    assert driver.find_elements(By.XPATH, "//header//a[normalize-space()='Sign in']")
    assert draft_owners(driver) == [SOMEONE_ELSE]  # Hoa's answers are gone; another account's stay
    assert driver.execute_async_script(PERSONAL_PAGES) == 0
    assert not kept(driver, "/en/my/dossiers")
