"""A new passkey's or push device's suggested name (issue 22, item 12): an Android phone is never "Linux computer"."""

import pytest

from backend.accounts.services import device_name, device_name_of

PIXEL = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537"
DESKTOP_SITE = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"


@pytest.mark.parametrize(("ua", "platform", "mobile", "name"), [
    (PIXEL, "", "", "Android phone"),
    (PIXEL, '"Android"', "?1", "Android phone"),
    # Chrome on Android asking for the desktop site: its user agent says Linux, its client hints say Android.
    (DESKTOP_SITE, '"Android"', "?0", "Android phone"),
    # A phone-sized browser that says Linux and mobile: unsure which phone, but a phone.
    (DESKTOP_SITE, '"Linux"', "?1", "This phone"),
    (DESKTOP_SITE, '"Linux"', "?0", "Linux computer"),
    (DESKTOP_SITE, "", "", "Linux computer"),
    ("Mozilla/5.0 (Linux; U) Gecko/20100101 Firefox/120.0", "", "", "This phone"),
    ("Mozilla/5.0 (Mobile; rv:120.0) Gecko/120.0 Firefox/120.0", "", "", "This phone"),
    (IPHONE, "", "", "iPhone"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0", '"Windows"', "?0", "Windows computer"),
    ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) Chrome/131.0", '"Chrome OS"', "?0", "Chromebook"),
])
def test_the_suggested_name_follows_the_client_hints_then_the_user_agent(ua, platform, mobile, name):
    assert device_name(ua, platform=platform, mobile=mobile) == name
    headers = {"user-agent": ua, "sec-ch-ua-platform": platform, "sec-ch-ua-mobile": mobile}
    assert device_name_of(headers) == name


def test_an_unknown_agent_gets_the_fallback():
    assert device_name("curl/8.0", "Unknown device") == "Unknown device"
    assert device_name("curl/8.0") == "Passkey"
