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


async def test_a_draft_in_my_dossiers_is_named_by_its_procedure_and_the_day_it_was_started(portal):
    """Item 10: drafts showed an empty code."""
    from backend.core.clock import today
    from backend.core.templating import _day_in
    from tests.integration.helpers import BIRTH, start_draft
    from tests.support import CITIZEN

    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    page = (await portal.get("/my/dossiers")).text
    row = page[page.index(f"/dossiers/{code}/form/"):]
    row = row[: row.index("</tr>")]
    assert "Birth registration" in row and f"started on {_day_in(today(), 'en')}" in row
    assert f">{code}</td>" in row, "the draft's code is shown"


async def test_the_contact_phone_is_the_accounts_number_and_can_be_changed(portal):
    """Item 9: the contact phone was not pre-filled from the account."""
    from tests.integration.helpers import BIRTH, start_draft
    from tests.support import CITIZEN, procedure_definition

    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    definition = await procedure_definition(BIRTH)
    page_key = next(p["key"] for p in definition["form"] if any(f["name"] == "phone" for f in p["fields"]))
    page = (await portal.get(f"/dossiers/{code}/form/{page_key}")).text
    phone_input = re.search(r'<input[^>]*name="phone"[^>]*>', page).group(0)
    assert 'value="0912345678"' in phone_input
    answers = {f["name"]: "" for p in definition["form"] if p["key"] == page_key for f in p["fields"]}
    changed = await portal.post_form(f"/dossiers/{code}/form/{page_key}", {**answers, "phone": "0987654321"})
    assert changed.status_code in (200, 302, 303, 400)
    again = (await portal.get(f"/dossiers/{code}/form/{page_key}")).text
    assert 'value="0987654321"' in re.search(r'<input[^>]*name="phone"[^>]*>', again).group(0), "the citizen's own"
