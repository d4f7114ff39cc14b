"""Issue 22's small defects, each with the test that would have caught it."""

import re

import pytest

pytestmark = pytest.mark.integration


async def test_the_favicon_is_served_and_declared(portal):
    """Item 11: ``/favicon.ico`` was a 404 on every page."""
    response = await portal.client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO's header
    page = (await portal.get("/")).text
    declared = re.search(r'<link rel="icon" href="(/static/icons/favicon\.ico\?v=\w+)" sizes="48x48">', page)
    assert declared, "the layout declares the icon"
    hashed = await portal.client.get(declared.group(1))
    assert hashed.status_code == 200 and hashed.content == response.content


async def test_a_passkey_made_on_an_android_phone_is_not_named_a_linux_computer(portal):
    """Item 12: Chrome on Android that asks for the desktop site says "X11; Linux"; its client hints say Android."""
    from tests.support import CITIZEN

    await portal.sign_in(CITIZEN)
    desktop_site = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
    page = await portal.client.get("/en/account", headers={
        "user-agent": desktop_site, "sec-ch-ua-platform": '"Android"', "sec-ch-ua-mobile": "?1"})
    assert page.status_code == 200
    assert 'value="Android phone"' in page.text and "Linux computer" not in page.text
