"""The i18n layer: per-text fallback to Vietnamese (plurals too), fallbacks marked with their lang in the
page, critical texts only when reviewed, and the reader's choice to see no unreviewed draft."""

from __future__ import annotations

import pytest

from backend.core import i18n
from backend.core.i18n import gettext_in, resolve_message
from backend.core.text_store import STORE
from tests.support import Portal

pytestmark = pytest.mark.integration
BIRTH = "1.001193"
PAY = "Pay %(amount)s"  # critical: fees and amounts


def vi(message: str) -> str:
    return gettext_in("vi", message)


async def test_a_missing_message_falls_back_to_vietnamese_and_a_present_one_is_used(portal: Portal):
    STORE.set_live("hmn", "messages", "Sign in", "Nkag mus", status="draft")
    STORE.set_live("mtq", "messages", "Sign in", "")  # none in Mường
    assert gettext_in("hmn", "Sign in") == "Nkag mus"
    assert gettext_in("mtq", "Sign in") == vi("Sign in") == "Đăng nhập"
    assert gettext_in("en", "Sign in") == "Sign in"


async def test_a_missing_plural_falls_back_to_vietnamese_not_english(portal: Portal):
    STORE.set_live("hmn", "messages", "%(num)s working day", "")
    token = i18n.current_locale.set("hmn")
    try:
        assert i18n.ngettext("%(num)s working day", "%(num)s working days", 3) == "3 ngày làm việc"
        assert i18n.ngettext("%(num)s working day", "%(num)s working days", 1) == "1 ngày làm việc"
    finally:
        i18n.current_locale.reset(token)


async def test_vietnamese_fallback_carries_lang_vi_in_the_page(portal: Portal):
    STORE.set_live("cjm", "messages", "Find a procedure", "")
    STORE.set_live("cjm", "messages", "Track a dossier", "ꨓꨯꩀ", status="draft")
    page = (await portal.get("/cjm/")).text
    assert '<span lang="vi">Tìm thủ tục</span>' in page
    assert "ꨓꨯꩀ</a>" in page and '<span lang="vi">ꨓꨯꩀ' not in page
    assert "\ue000" not in page and "\ue002" not in page  # no mark left over anywhere, attributes included


async def test_json_and_text_messages_carry_no_marks(portal: Portal):
    STORE.set_live("hmn", "content", "Đăng ký khai sinh", "")
    response = await portal.client.get("/api/v1/procedures/1.001193", headers={"accept-language": "hmn"})
    assert response.status_code == 200 and "\ue000" not in response.text


async def test_critical_texts_show_only_reviewed_translations(portal: Portal):
    STORE.set_live("km", "messages", PAY, "បង់ %(amount)s", status="draft")
    assert STORE.is_critical("messages", PAY)
    assert resolve_message("km", PAY) == (vi(PAY), "vi")  # a draft is not enough
    STORE.set_live("km", "messages", PAY, "បង់ %(amount)s", status="reviewed")
    assert resolve_message("km", PAY) == ("បង់ %(amount)s", "km")


async def test_the_sign_in_code_sms_is_never_an_unreviewed_draft(portal: Portal):
    message = ("%(code)s is your code for the public service portal. It expires in %(minutes)s minutes. "
               "Never give it to anyone.")
    STORE.set_live("hmn", "messages", message, "%(code)s yog koj tus lej. %(minutes)s feeb.", status="draft")
    portal.lang = "hmn"
    await portal.post_form("/sign-in", {"phone": "0912345678"})
    text = (await portal.client.get("/dev/outbox.json", params={"to": "84912345678"})).json()[0]["text"]
    assert "Cổng Dịch vụ công" in text and "yog koj" not in text and "\ue000" not in text


async def test_a_reader_can_choose_to_see_only_reviewed_translations(portal: Portal):
    STORE.set_live("tyz", "messages", "Track a dossier", "Tra hồ sơ Tày", status="draft")
    assert "Tra hồ sơ Tày" in (await portal.get("/tyz/")).text
    await portal.post_form("/tyz/display", {"display[]": ["reviewed"]})
    page = (await portal.get("/tyz/")).text
    assert "Tra hồ sơ Tày" not in page and '<span lang="vi">Tra cứu hồ sơ</span>' in page
    assert "<span lang=\"en\">" not in page  # every new interface text has its Vietnamese at least


async def test_show_this_page_in_vietnamese_and_back(portal: Portal):
    page = (await portal.get(f"/km/procedures/{BIRTH}?x=1")).text
    link = f'href="/vi/procedures/{BIRTH}?x=1&amp;back=km" lang="vi" hreflang="vi">Xem trang này bằng tiếng Việt'
    assert link in page
    original = await portal.get(f"/vi/procedures/{BIRTH}?x=1&back=km")
    assert f'href="/km/procedures/{BIRTH}?x=1" lang="km"' in original.text
    assert portal.client.cookies.get("portal_lang") == "km"  # a look at the original keeps the reader's language
