"""Display settings (per device and per account), the accessibility statement, the read-aloud control."""

from __future__ import annotations

import re

import pytest

from backend.accounts.models import User
from tests.integration.helpers import people
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration


def html_classes(page: str) -> set[str]:
    match = re.search(r'<html lang="[^"]+"(?: class="([^"]*)")?>', page)
    assert match, "no <html lang> element"
    return set((match.group(1) or "").split())


async def test_a_device_remembers_display_settings_without_an_account(portal: Portal):
    form = (await portal.get("/display")).text
    assert 'type="checkbox" id="display-large" name="display[]" value="large"' in form
    response = await portal.post_form("/display", {"display[]": ["large", "contrast", "bogus"]})
    assert response.status_code in (302, 303) and response.headers["location"] == "/en/display?saved=1"
    assert portal.client.cookies.get("portal_display") == "large.contrast"
    assert html_classes((await portal.get("/procedures")).text) == {"display-large", "display-contrast"}
    assert "Display settings saved." in (await portal.get("/display?saved=1")).text

    await portal.post_form("/display", {})
    assert html_classes((await portal.get("/procedures")).text) == set()


async def test_an_account_carries_its_settings_to_another_phone(portal: Portal):
    async with people(portal, CITIZEN, CITIZEN) as (phone, other_phone):
        await phone.post_form("/display", {"display[]": ["spacing", "calm"]})
        user = await User.get(phone="84" + CITIZEN[1:])
        assert user.display_settings == {"chosen": True, "options": ["spacing", "calm"]}
        assert other_phone.client.cookies.get("portal_display") is None
        assert html_classes((await other_phone.get("/my/dossiers")).text) == {"display-spacing", "display-calm"}


async def test_the_accessibility_statement_is_linked_from_every_page(portal: Portal):
    home = (await portal.get("/")).text
    assert 'href="/en/accessibility"' in home and 'href="/en/display"' in home
    statement = await portal.get("/accessibility")
    assert statement.status_code == 200
    for heading in ("What you can do", "How we test it", "What is not yet good enough", "Report a barrier"):
        assert f"<h2>{heading}</h2>" in statement.text


async def test_read_aloud_is_offered_on_procedure_and_dossier_pages_only(portal: Portal):
    procedure = (await portal.get("/procedures/1.001193")).text
    assert 'data-module="read-aloud" hidden' in procedure  # revealed by the script where speech exists
    assert "This phone has no voice for this language" in procedure
    assert "/static/js/read-aloud.mjs" in procedure
    assert 'data-module="read-aloud"' not in (await portal.get("/track")).text
