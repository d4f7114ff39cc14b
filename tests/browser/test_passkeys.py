"""Passkeys in Chromium: Selenium's virtual authenticator, the real pages, the real ``webauthn`` checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.pages import (
    AxeAudit,
    active_element_matches,
    button,
    in_header,
    new_page,
    path_of,
    press,
    sign_in_with_code,
    sign_out,
    wait,
)

pytestmark = pytest.mark.browser

CITIZEN = "0987654321"  # Trần Văn Minh: the other browser test signs in as Lan


def add_platform_authenticator(driver) -> None:
    """A phone's built-in authenticator: CTAP2, resident keys, fingerprint (user verification) always OK."""
    options = VirtualAuthenticatorOptions()
    options.protocol = VirtualAuthenticatorOptions.Protocol.CTAP2
    options.transport = VirtualAuthenticatorOptions.Transport.INTERNAL
    options.has_resident_key = True
    options.has_user_verification = True
    options.is_user_verified = True
    options.is_user_consenting = True
    driver.add_virtual_authenticator(options)


def passkey_button(driver):
    return wait(driver).until(
        EC.visibility_of_element_located((By.XPATH, "//main//button[normalize-space()='Sign in with a passkey']"))
    )


def test_register_a_passkey_then_sign_in_with_it_alone(driver, portal_url: str, shots: Path, capsys) -> None:
    add_platform_authenticator(driver)
    audit = AxeAudit(driver)

    sign_in_with_code(driver, portal_url, CITIZEN)
    assert path_of(driver) == "/my/dossiers"
    offer = driver.find_element(By.CSS_SELECTOR, ".passkey-offer")
    assert "sign in with your fingerprint" in offer.text
    press(driver, offer.find_element(By.LINK_TEXT, "Add a passkey"))
    assert path_of(driver) == "/account"

    # With WebAuthn available, the script swaps the "cannot use passkeys" sentence for the form.
    unavailable = driver.find_element(By.CSS_SELECTOR, "[data-module='passkey-register'] [data-passkey-unavailable]")
    assert not unavailable.is_displayed()
    audit.check("account page, no passkey yet")
    name = driver.find_element(By.ID, "passkey-name")
    name.clear()
    name.send_keys("Minh's phone")
    with new_page(driver):
        button(driver, "Add a passkey").send_keys(Keys.ENTER)
    assert path_of(driver) == "/account"
    notice = driver.find_element(By.CSS_SELECTOR, "[role='status'].panel--notice").text
    assert "Passkey “Minh's phone” added" in notice
    assert driver.find_element(By.XPATH, "//li[@class='passkey']/h3").text == "Minh's phone"
    credentials = driver.get_credentials()
    assert len(credentials) == 1 and credentials[0].is_resident_credential
    audit.check("account page with a passkey")

    sign_out(driver)
    driver.get(f"{portal_url}/sign-in")
    audit.check("sign-in page")
    with new_page(driver):
        passkey_button(driver).send_keys(Keys.ENTER)
    assert path_of(driver) == "/my/dossiers"
    press(driver, in_header(driver, "//a[normalize-space()='Your account']"))
    history = driver.find_element(By.CSS_SELECTOR, "table tbody tr").text
    assert "Passkey “Minh's phone”" in history, history

    with capsys.disabled():
        print("\n" + "\n".join(audit.summary))
    assert not audit.violations, "axe found accessibility violations:\n" + audit.report()


def test_an_unknown_passkey_gets_a_clear_message(driver, portal_url: str, shots: Path) -> None:
    """The authenticator still holds the passkey, but the citizen removed it from the portal."""
    add_platform_authenticator(driver)
    sign_in_with_code(driver, portal_url, CITIZEN)
    driver.get(f"{portal_url}/account")
    with new_page(driver):
        button(driver, "Add a passkey").send_keys(Keys.ENTER)
    removes = driver.find_elements(By.XPATH, "//li[@class='passkey']//button[starts-with(normalize-space(), 'Remove')]")
    for _ in removes:  # the first test's passkey for this citizen too, if it ran before
        press(
            driver,
            driver.find_element(By.XPATH, "//li[@class='passkey']//button[starts-with(normalize-space(), 'Remove')]"),
        )
    assert "You have no passkeys yet." in driver.find_element(By.ID, "passkeys").text
    sign_out(driver)

    driver.get(f"{portal_url}/sign-in")
    passkey_button(driver).send_keys(Keys.ENTER)
    error = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-passkey-error]")))
    assert "not registered with the portal, or it was removed" in error.text
    assert error.get_attribute("role") == "alert"
    wait(driver, 5).until(lambda d: active_element_matches(d, "[data-passkey-error]"), "the message did not take focus")
    assert path_of(driver) == "/sign-in"
    assert driver.find_element(By.ID, "phone").is_displayed()  # the phone-code path stays
