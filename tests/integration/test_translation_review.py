"""Translation review in the portal: roles per language, proposals checked, approved by another reviewer
(two for critical texts), live without a deploy, every change in the history, .po export and import."""

from __future__ import annotations

import pytest

from backend.core.i18n import gettext_in, resolve_content
from backend.core.text_store import STORE
from backend.translations.models import Proposal, TranslationEvent
from backend.translations.texts import text_key
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration
ADMIN = "0900000000"
TRANSLATOR = "0912000111"
REVIEWER = "0912000222"
SECOND_REVIEWER = "0912000333"
LABEL = "Họ, chữ đệm và tên của trẻ"  # a form label of birth registration
LABEL_KEY = text_key("content", LABEL)


async def grant(portal: Portal, phone: str, role: str, language: str = "cjm") -> None:
    await portal.sign_in(phone)  # the account exists once it has signed in
    await portal.sign_in(ADMIN)
    response = await portal.post_form("/admin/translators", {"phone": phone, "language": language, "role": role})
    assert response.status_code in (302, 303), response.text


async def test_a_translator_proposes_a_reviewer_approves_and_the_form_shows_it(portal: Portal):
    await grant(portal, TRANSLATOR, "translator")
    await grant(portal, REVIEWER, "reviewer")
    await portal.sign_in(TRANSLATOR)
    listing = await portal.get("/translate/cjm", params={"kind": "forms", "q": "chu dem va ten cua tre"})
    assert listing.status_code == 200 and f"/en/translate/cjm/texts/{LABEL_KEY}" in listing.text
    proposed = await portal.post_form(f"/translate/cjm/texts/{LABEL_KEY}", {"text": "ꨀꨓꨯꩆ ꨎꨯꩆ"})
    assert proposed.status_code in (302, 303)
    assert resolve_content({"vi": LABEL}, "cjm")[0] != "ꨀꨓꨯꩆ ꨎꨯꩆ"  # not live before review

    # The translator is not a reviewer; a reviewer cannot approve their own proposal either.
    proposal = await Proposal.get(key=LABEL_KEY, language="cjm")
    assert (await portal.post_form(f"/translate/cjm/proposals/{proposal.id}/approve")).status_code == 403
    await portal.sign_in(REVIEWER)
    approved = await portal.post_form(f"/translate/cjm/proposals/{proposal.id}/approve")
    assert approved.status_code in (302, 303)
    assert resolve_content({"vi": LABEL}, "cjm") == ("ꨀꨓꨯꩆ ꨎꨯꩆ", "cjm")
    events = await TranslationEvent.filter(language="cjm", key=LABEL_KEY).order_by("id")
    assert [e.action for e in events] == ["proposed", "approved"] and events[-1].after == "ꨀꨓꨯꩆ ꨎꨯꩆ"
    page = (await portal.get(f"/translate/cjm/texts/{LABEL_KEY}")).text
    assert "ꨀꨓꨯꩆ ꨎꨯꩆ" in page and "History" in page


async def test_own_proposals_cannot_be_approved(portal: Portal):
    await grant(portal, REVIEWER, "translator")
    await grant(portal, REVIEWER, "reviewer")
    await portal.sign_in(REVIEWER)
    await portal.post_form(f"/translate/cjm/texts/{LABEL_KEY}", {"text": "ꨀꨓꨯꩆ"})
    proposal = await Proposal.get(key=LABEL_KEY, language="cjm")
    refused = await portal.post_form(f"/translate/cjm/proposals/{proposal.id}/approve")
    assert refused.status_code == 409 and "cannot approve your own proposal" in refused.text
    assert (await Proposal.get(id=proposal.id)).state == "proposed"


async def test_broken_placeholders_and_html_are_refused_and_the_text_is_kept(portal: Portal):
    await grant(portal, TRANSLATOR, "translator", "km")
    await portal.sign_in(TRANSLATOR)
    key = text_key("messages", "Passkey “%(name)s”")
    missing = await portal.post_form(f"/translate/km/texts/{key}", {"text": "កូនសោចូល “name”"})
    assert missing.status_code == 400 and "%(name)s is missing" in missing.text
    assert "កូនសោចូល “name”</textarea>" in missing.text
    added = await portal.post_form(f"/translate/km/texts/{key}", {"text": "%(name)s %(code)s"})
    assert added.status_code == 400 and "%(code)s is not in it" in added.text
    script = await portal.post_form(f"/translate/km/texts/{key}", {"text": '%(name)s <img src=x onerror="alert(1)">'})
    assert script.status_code == 400 and "HTML tags and scripts are not allowed" in script.text
    assert await Proposal.filter(language="km").count() == 0


async def test_critical_texts_need_two_reviewers(portal: Portal):
    message = "Pay %(amount)s"
    key = text_key("messages", message)
    await grant(portal, TRANSLATOR, "translator", "km")
    await grant(portal, REVIEWER, "reviewer", "km")
    await grant(portal, SECOND_REVIEWER, "reviewer", "km")
    await portal.sign_in(TRANSLATOR)
    await portal.post_form(f"/translate/km/texts/{key}", {"text": "បង់ប្រាក់ %(amount)s"})
    proposal = await Proposal.get(key=key, language="km")
    await portal.sign_in(REVIEWER)
    once = await portal.post_form(f"/translate/km/proposals/{proposal.id}/approve")
    assert once.status_code in (302, 303)
    assert gettext_in("km", message, amount="1") == gettext_in("vi", message, amount="1")  # still Vietnamese
    again = await portal.post_form(f"/translate/km/proposals/{proposal.id}/approve")
    assert again.status_code == 409
    await portal.sign_in(SECOND_REVIEWER)
    await portal.post_form(f"/translate/km/proposals/{proposal.id}/approve")
    assert gettext_in("km", message, amount="1") == "បង់ប្រាក់ 1"


async def test_a_reviewer_sends_a_proposal_back_with_a_comment(portal: Portal):
    await grant(portal, TRANSLATOR, "translator")
    await grant(portal, REVIEWER, "reviewer")
    await portal.sign_in(TRANSLATOR)
    await portal.post_form(f"/translate/cjm/texts/{LABEL_KEY}", {"text": "ꨀꨓꨯꩆ"})
    proposal = await Proposal.get(key=LABEL_KEY, language="cjm")
    await portal.sign_in(REVIEWER)
    empty = await portal.post_form(f"/translate/cjm/proposals/{proposal.id}/return", {"comment": " "})
    assert empty.status_code == 400
    back = await portal.post_form(f"/translate/cjm/proposals/{proposal.id}/return", {"comment": "Thiếu chữ 'trẻ'"})
    assert back.status_code in (302, 303)
    assert (await Proposal.get(id=proposal.id)).state == "returned"
    assert "Thiếu chữ" in (await portal.get(f"/translate/cjm/texts/{LABEL_KEY}")).text


async def test_roles_are_per_language_and_only_the_administrator_gives_them(portal: Portal):
    await grant(portal, TRANSLATOR, "translator", "km")
    await portal.sign_in(TRANSLATOR)
    assert (await portal.get("/translate/km")).status_code == 200
    assert (await portal.get("/translate/zh")).status_code == 403
    assert (await portal.get("/admin/translators")).status_code == 403
    await portal.sign_in(CITIZEN)
    assert (await portal.get("/translate/km")).status_code == 403
    await portal.sign_in(ADMIN)
    bad = await portal.post_form("/admin/translators", {"phone": "0999999999", "language": "xx", "role": "boss"})
    assert bad.status_code == 400 and 'href="#phone"' in bad.text and 'href="#language"' in bad.text


async def test_po_files_round_trip(portal: Portal):
    await grant(portal, TRANSLATOR, "translator", "km")
    await grant(portal, REVIEWER, "reviewer", "km")
    await portal.sign_in(TRANSLATOR)
    exported = await portal.get("/translate/km/export/content.po")
    assert exported.status_code == 200 and 'msgid "Đăng ký khai sinh"' in exported.text
    changed = exported.text.replace('msgid "Giới tính"\nmsgstr "', 'msgid "Giới tính"\nmsgstr "ភេទ (ថ្មី) ', 1)
    broken = 'msgid "Passkey “%(name)s”"\nmsgstr "គ្មាន"\n'
    uploaded = await portal.post_form("/translate/km/import", files={"file": ("km.po", changed + "\n" + broken)})
    assert uploaded.status_code in (302, 303)
    proposals = await Proposal.filter(language="km", state="proposed")
    assert [p.msgid for p in proposals] == ["Giới tính"]
    await portal.sign_in(REVIEWER)
    await portal.post_form(f"/translate/km/proposals/{proposals[0].id}/approve")
    again = (await portal.get("/translate/km/export/content.po")).text
    entry = again.split('msgid "Giới tính"')[0].rsplit("\n\n", 1)[-1]
    assert "# reviewed:" in entry and "fuzzy" not in entry
    assert STORE.status("km", "content", "Giới tính") == "reviewed"
    await portal.sign_in(TRANSLATOR)
    not_po = await portal.post_form("/translate/km/import", files={"file": ("x.po", b'msgid "x\nmsgstr')})
    assert not_po.status_code == 400 and "not a .po catalogue" in not_po.text


async def test_the_languages_page_is_public(portal: Portal):
    page = await portal.get("/languages")
    assert page.status_code == 200 and "ꨌꩌ" in page.text and "Help translate" in page.text


async def test_an_approved_title_is_found_by_search_at_once(portal: Portal):
    title = "Đăng ký khai sinh"
    await grant(portal, TRANSLATOR, "translator", "tyz")
    await grant(portal, REVIEWER, "reviewer", "tyz")
    await portal.sign_in(TRANSLATOR)
    await portal.post_form(f"/translate/tyz/texts/{text_key('content', title)}", {"text": "Tăng ký khai sinh Tày"})
    proposal = await Proposal.get(language="tyz", key=text_key("content", title))
    await portal.sign_in(REVIEWER)
    await portal.post_form(f"/translate/tyz/proposals/{proposal.id}/approve")
    results = (await portal.get("/tyz/procedures", params={"q": "tang ky khai sinh tay"})).text
    assert "/tyz/procedures/1.001193" in results
