"""An official settles a birth registration at the desk with the keyboard alone, on a phone-sized screen.

Only keys reach the page (Tab, Shift+Tab, Enter, Space, typed text, sent to whatever has focus): nothing is
clicked, nothing is focused from a script. After every key press the focused element must show a visible focus
indicator (see tests/browser/keyboard.py). The citizen's side (sending the dossier, answering the supplement
request) happens over HTTP, through the same pages a browser would post.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.http_user import HttpUser
from tests.browser.keyboard import Keyboard
from tests.browser.pages import latest_code, path_of

pytestmark = pytest.mark.browser

BIRTH = "1.001193"
# A citizen of this test's own: sign-in codes are limited to 5 an hour per number, and the demo citizens' budget
# goes to the other browser tests sharing the served portal.
CITIZEN = "0977000501"
OFFICER = "0901000001"  # Hoàn Kiếm ward, which settles birth registrations
STATUS = {
    "submitted": "Sent, waiting for the agency to receive it",
    "in_progress": "Received, being processed",
    "supplement_requested": "The agency needs more from you",
    "approved": "Approved",
}
REASON = "The child's name is missing its diacritics: write it exactly as on the birth certificate."


def text_of(driver, selector: str) -> str:
    return re.sub(r"\s+", " ", driver.find_element(By.CSS_SELECTOR, selector).get_attribute("textContent")).strip()


def status_tag(driver) -> str:
    return text_of(driver, "main .summary-list .tag")


def check_status_announced(driver, keyboard: Keyboard, status: str) -> str:
    """After an action: the page says what changed in a status message (a live region) that has the focus."""
    assert "done=" in driver.current_url, driver.current_url
    messages = driver.find_elements(By.CSS_SELECTOR, "main [role=status], main [aria-live]")
    done = [m for m in messages if "Done." in m.get_attribute("textContent")]
    assert done, "no status message (role=status or aria-live) says the action was done: " + repr(
        [m.get_attribute("outerHTML") for m in messages])
    text = re.sub(r"\s+", " ", done[0].get_attribute("textContent")).strip()
    assert text == f"Done. The dossier is now: {STATUS[status]}", text
    assert status_tag(driver) == STATUS[status]
    focus = keyboard.wait_for_focus("main [role=status]", "the status message did not take the focus, so a "
                                    "screen reader would not read it (a live region present at load is silent)")
    assert "Done." in focus.text, focus
    return text


def check_error_summary(driver, keyboard: Keyboard) -> list[str]:
    """The error summary has focus, is an alert, and each of its links leads to a field marked with the error."""
    summary = driver.find_element(By.CSS_SELECTOR, "main .error-summary")
    assert summary.get_attribute("role") == "alert"
    keyboard.wait_for_focus(".error-summary", "the error summary did not take the focus")
    assert driver.title.startswith("Error:"), driver.title
    targets = []
    for anchor in summary.find_elements(By.CSS_SELECTOR, "li a"):
        message = anchor.text.strip()
        target = anchor.get_attribute("href").split("#", 1)[1]
        field = driver.find_element(By.ID, target)
        # A text field carries its own error; a checkbox's group (fieldset) does, as in the GOV.UK pattern.
        owner = field if field.get_attribute("type") != "checkbox" else field.find_element(By.XPATH,
                                                                                            "ancestor::fieldset[1]")
        described = (owner.get_attribute("aria-describedby") or "").split()
        errors = [driver.find_element(By.ID, i).get_attribute("textContent") for i in described]
        assert any(message in e for e in errors), (
            f"#{target} (linked from “{message}”) is not described by that error message: {described}")
        if owner is field:
            assert field.get_attribute("aria-invalid") == "true", f"#{target} is not marked aria-invalid"
        targets.append(target)
    assert targets, "the error summary lists no error"
    return targets


@pytest.fixture
def citizen(portal_url: str):
    """The citizen, signed in over HTTP once for the whole test."""
    with HttpUser(portal_url, CITIZEN) as person:
        yield person


def test_official_settles_a_dossier_with_the_keyboard(driver, portal_url: str, citizen: HttpUser, shots: Path,
                                                      capsys) -> None:
    started = time.monotonic()
    code = citizen.submit(BIRTH)
    keys = Keyboard(driver)
    log: list[str] = [f"citizen {CITIZEN} sent {code} over HTTP"]

    # -- sign in -------------------------------------------------------------------------------------------
    driver.get(portal_url + "/en/")
    keys.tab_to("header nav a[href='/en/sign-in']")
    keys.activate()
    assert path_of(driver) == "/sign-in", driver.current_url
    keys.skip_to_main()
    keys.tab_to("#phone")
    keys.type(OFFICER)
    keys.tab_to("main button[type=submit]", text="Send me a code")
    keys.activate(Keys.ENTER)
    assert path_of(driver) == "/sign-in/code", driver.current_url
    assert text_of(driver, "main [role=status]"), "the code page does not say in a status message that a code was sent"
    keys.skip_to_main()
    keys.tab_to("#code")
    keys.type(latest_code(portal_url, OFFICER))
    keys.tab_to("main button[type=submit]", text="Sign in")
    keys.activate(Keys.SPACE)  # a button works with Space as well as Enter
    assert path_of(driver) == "/desk", f"an official should land on the desk after signing in: {driver.current_url}"
    log.append("signed in with Tab, typing, Enter and Space; landed on the desk")

    # -- the desk: the New queue lists the dossier ------------------------------------------------------------
    keys.skip_to_main()
    new = keys.tab_to("main nav a[href='/en/desk?view=new']")
    assert driver.execute_script("return document.activeElement.getAttribute('aria-current')") == "page", (
        f"{new} is the current queue but not marked aria-current=page")
    keys.tab_to(f"main table a[href='/en/desk/dossiers/{code}']", text=code)
    keys.activate()
    assert path_of(driver) == f"/desk/dossiers/{code}", driver.current_url
    assert status_tag(driver) == STATUS["submitted"]

    # -- receive it ------------------------------------------------------------------------------------------
    keys.skip_to_main()
    keys.tab_to("main button[type=submit]", text="Receive this dossier")
    keys.activate()
    log.append("received: " + check_status_announced(driver, keys, "in_progress"))

    # Every Tab stop of the dossier page, forwards to the end and back (Shift+Tab): the same stops in reverse,
    # each with a visible focus indicator, and no trap.
    forwards = keys.stops()
    backwards = keys.stops(backwards=True)
    assert [f.position for f in backwards[:len(forwards)]] == [f.position for f in reversed(forwards)], (
        "Shift+Tab does not retrace Tab:\n  forwards: " + "\n  ".join(map(str, forwards))
        + "\n  backwards: " + "\n  ".join(map(str, backwards)))
    log.append(f"dossier page: {len(forwards)} Tab stops after the status message, the same in reverse with "
               f"Shift+Tab, {len(backwards)} in all")

    # -- ask for a supplement: first with nothing filled in --------------------------------------------------
    keys.skip_to_main()
    keys.tab_to("main button[type=submit]", text="Send the request")
    keys.activate()
    assert path_of(driver) == f"/desk/dossiers/{code}/supplement", driver.current_url
    targets = check_error_summary(driver, keys)
    assert len(targets) == 2 and targets[1] == "reason", targets
    # Follow each of the summary's links with the keyboard: the cursor lands in the field.
    keys.tab_to(f".error-summary a[href$='#{targets[0]}']")
    keys.press(Keys.ENTER)
    keys.wait_for_focus(f"#{targets[0]}", f"following the error summary's first link did not focus #{targets[0]}")
    keys.tab_to(".error-summary a[href$='#reason']", backwards=True)
    keys.press(Keys.ENTER)
    keys.wait_for_focus("#reason", "following the error summary's link did not put the cursor in #reason")
    keys.type(REASON)
    # Back up to the answer to correct and tick it with Space.
    box = "#sup-field-child_full_name"
    keys.tab_to(box, backwards=True)
    assert not driver.execute_script("return document.activeElement.checked")
    keys.press(Keys.SPACE)
    assert driver.execute_script("return document.activeElement.checked"), "Space did not tick the checkbox"
    keys.tab_to("main button[type=submit]", text="Send the request")
    keys.activate()
    log.append("supplement sent empty: the error summary took focus, its 2 links led to the checkboxes' group "
               "and to the explanation")
    log.append("supplement requested: " + check_status_announced(driver, keys, "supplement_requested"))
    assert REASON in text_of(driver, "main .timeline")

    # -- the citizen corrects the name (over HTTP) -----------------------------------------------------------
    citizen.resubmit(code)
    log.append("citizen resubmitted over HTTP")

    # -- back to the queue (the link before <main>: Shift+Tab from the status message), In progress, approve --
    keys.tab_to("a.back-link", backwards=True)
    keys.activate()
    assert path_of(driver) == "/desk", driver.current_url
    assert not driver.find_elements(By.CSS_SELECTOR, f"main table a[href='/en/desk/dossiers/{code}']"), (
        "the dossier is still under New")
    keys.skip_to_main()
    keys.tab_to("main nav a[href='/en/desk?view=in_progress']")
    keys.activate()
    assert "view=in_progress" in driver.current_url
    keys.skip_to_main()
    keys.tab_to(f"main table a[href='/en/desk/dossiers/{code}']", text=code)
    keys.activate()
    assert status_tag(driver) == STATUS["in_progress"]
    assert "Trần Minh An" in text_of(driver, "main"), "the corrected answer is not shown to the official"
    keys.skip_to_main()
    keys.tab_to("#result_registration_number")  # what the birth extract prints from the register (issue 18)
    keys.type("15/2026")
    keys.tab_to("#result_register_book")
    keys.type("01/2026")
    keys.tab_to("#approve-note")
    keys.type("Birth certificate issued; the e-copy is in your dossier.")
    keys.tab_to("main button[type=submit]", text="Approve")
    keys.activate(Keys.SPACE)
    log.append("approved: " + check_status_announced(driver, keys, "approved"))
    left = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "main form.action-form button")
            if b.text in ("Receive this dossier", "Approve", "Send the request", "Refuse")]
    assert not left, f"the approved dossier still offers {left}"

    assert STATUS["approved"] in citizen.get(f"/en/my/dossiers/{code}"), "the citizen does not see the approval"

    with capsys.disabled():
        print(f"\nofficial's keyboard journey on {code}: {keys.presses} key presses, focus indicator checked "
              f"at {keys.checked} stops, {time.monotonic() - started:.1f}s")
        for line in log:
            print(f"  {line}")
    assert not keys.problems, "the journey reached its end, but focus was not visible:\n" + "\n".join(
        f"- {p}" for p in keys.problems)
