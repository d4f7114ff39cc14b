"""Issue 18, item 2: every field type checked on the server, with errors in the page's language that say what is
wrong, what was typed shown back; the same checks on a supplement; answers shown formatted, never as codes."""

import html
import re

import pytest

from backend.catalogue.models import Procedure
from tests.support import CITIZEN, OFFICER, submit_dossier

pytestmark = pytest.mark.integration
BIRTH = "1.001193"


def _label(en: str, vi: str) -> dict:
    return {"en": en, "vi": vi}


OPTIONS = [{"value": "online", "label": _label("Online", "Trực tuyến")},
           {"value": "post", "label": _label("By post", "Qua bưu điện")}]
# One field of every type, with its constraints; the first page of a test copy of the birth registration.
EVERY_TYPE = {
    "key": "every",
    "title": _label("Every type", "Mọi loại"),
    "fields": [
        {"name": "nickname", "label": _label("Nickname", "Tên gọi"), "type": "text", "required": True,
         "min_length": 2, "max_length": 10},
        {"name": "children", "label": _label("Number of children", "Số con"), "type": "number", "required": True,
         "integer": True, "min": 0, "max": 20},
        {"name": "mother_birth", "label": _label("Mother's date of birth", "Ngày sinh của mẹ"), "type": "date",
         "required": True, "not_after": "today"},
        {"name": "child_birth", "label": _label("Date of birth", "Ngày sinh"), "type": "date", "required": True,
         "not_after": "today", "not_before": "mother_birth"},
        {"name": "visit", "label": _label("Visit date", "Ngày hẹn"), "type": "date", "required": False,
         "not_before": "today"},
        {"name": "mother_id_number", "label": _label("Identity number", "Số định danh"), "type": "identity",
         "required": True, "birth_date": "mother_birth"},
        {"name": "mobile", "label": _label("Mobile", "Số di động"), "type": "phone", "required": True},
        {"name": "mail", "label": _label("Email", "Thư điện tử"), "type": "email", "required": False},
        {"name": "delivery", "label": _label("Delivery", "Cách nhận"), "type": "select", "required": True,
         "options": OPTIONS},
        {"name": "channel", "label": _label("Channel", "Kênh"), "type": "choice", "required": True,
         "options": OPTIONS},
        {"name": "channels", "label": _label("Channels", "Các kênh"), "type": "multichoice", "required": True,
         "options": OPTIONS},
        {"name": "married", "label": _label("Married", "Đã kết hôn"), "type": "yesno", "required": True},
    ],
}
GOOD = {"nickname": "Bé Na", "children": "2", "mother_birth": "1990-03-15", "child_birth": "2025-03-27",
        "visit": "", "mother_id_number": "001 1 90 012345", "mobile": "+84 912 345 678", "mail": "lan@example.vn",
        "delivery": "post", "channel": "online", "channels[]": ["post", "online"], "married": "yes"}
# Each bad value, and what the English page says about it.
BAD = {
    "nickname": ("N", "Nickname must be 2 characters or more: you typed 1"),
    "children": ("2.5", "Number of children must be a whole number, like 3"),
    "mother_birth": ("2099-01-01", "Mother&#39;s date of birth cannot be in the future"),
    "child_birth": ("1980-01-01", "Date of birth cannot be before mother&#39;s date of birth (January 1, 2099)"),
    "visit": ("2001-01-01", "Visit date cannot be in the past"),
    "mother_id_number": ("12345", "Identity number must have 12 digits: you typed 5"),
    "mobile": ("0912 345", "Enter a mobile number of 10 digits starting with 0, like 0912 345 678, or +84 and 9 "
                           "digits: you typed 7 digits"),
    "mail": ("lan@example", "Enter an email address in the right format, like name@example.com"),
    "delivery": ("pigeon", "Select delivery"),
    "channel": ("pigeon", "Select channel"),
    "channels[]": (["online", "pigeon"], "Select only the options offered for channels"),
    "married": ("maybe", "Select married"),
}
# The same on the Vietnamese page: the labels (and the messages already translated) in Vietnamese.
BAD_VI = {"nickname": "Tên gọi", "mother_id_number": "Số định danh", "delivery": "Chọn cách nhận",
          "married": "Chọn đã kết hôn", "mobile": "0912 345"}


@pytest.fixture
async def every_type(portal):
    """The birth registration with the page of every type first, for one test (the catalogue outlives a test)."""
    procedure = await Procedure.get(code=BIRTH)
    before = procedure.form
    procedure.form = [EVERY_TYPE, *before]
    await procedure.save(update_fields=["form"])
    yield procedure
    procedure.form = before
    await procedure.save(update_fields=["form"])


async def _draft_with_every_type(portal) -> str:
    procedure = await Procedure.get(code=BIRTH)
    await portal.sign_in(CITIZEN)
    started = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": procedure.agency_id and
                                                                       (await procedure.agency).code})
    assert started.status_code in (302, 303), started.text
    return started.headers["location"].split("/")[3]


@pytest.mark.parametrize("lang", ["en", "vi"])
async def test_every_type_refuses_bad_values_in_the_page_language_and_keeps_them(portal, every_type, lang):
    code = await _draft_with_every_type(portal)
    portal.lang = lang
    sent = await portal.post_form(f"/dossiers/{code}/form/every", {**GOOD, **{k: v for k, (v, _) in BAD.items()}})
    assert sent.status_code == 400
    page = sent.text
    assert f'<html lang="{lang}"' in page
    assert page.count('class="error-message"') == len(BAD)
    for name, (value, message) in BAD.items():
        if lang == "en":
            assert message in page, (name, re.findall(r'error-message.*', page))
        if name not in ("delivery", "channel", "channels[]", "married"):  # an option not offered cannot be ticked
            assert f'value="{html.escape(value)}"' in page, name  # what was typed is shown back
    if lang == "vi":
        text = html.unescape(page)
        for fragment in BAD_VI.values():
            assert fragment in text
        assert "Date of birth cannot be before" not in text  # the label is the page's own
        assert "Ngày sinh cannot be before" in text or "Ngày sinh không" in text
    # Good values go on; the identity number's spaces are dropped.
    fixed = await portal.post_form(f"/dossiers/{code}/form/every", GOOD)
    assert fixed.status_code in (302, 303), fixed.text
    dossier = await _dossier(code)
    assert dossier.answers["mother_id_number"] == "001190012345"
    assert dossier.answers["channels"] == ["online", "post"]


async def test_identity_number_says_which_part_is_wrong(portal, every_type):
    code = await _draft_with_every_type(portal)
    for typed, message in [
        ("00119001234a", "Identity number can only have digits, with no letters or signs"),
        ("003190012345", "The first 3 digits of identity number (003) are not a province code"),
        ("001490012345", "give a year of birth of 2190, which is in the future"),
        ("001185012345", "give a year of birth of 1985, but the date of birth given is in 1990"),
    ]:
        sent = await portal.post_form(f"/dossiers/{code}/form/every", {**GOOD, "mother_id_number": typed})
        assert sent.status_code == 400, typed
        assert message in html.unescape(sent.text), (typed, re.findall(r"id_number-error.*", sent.text))


async def test_a_child_born_in_the_future_is_refused(portal):
    await portal.sign_in(CITIZEN)
    procedure = await Procedure.get(code=BIRTH)
    started = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": (await procedure.agency).code})
    code = started.headers["location"].split("/")[3]
    child = {"child_full_name": "Nguyễn Văn An", "child_birth_date": "2030-01-01", "child_gender": "male",
             "child_birth_place": "Hà Nội", "child_ethnicity": "Kinh"}
    sent = await portal.post_form(f"/dossiers/{code}/form/child", child)
    assert sent.status_code == 400 and "Date of birth cannot be in the future" in sent.text
    assert 'value="2030-01-01"' in sent.text
    parents = {"mother_full_name": "Lê Thị Hoa", "mother_id_number": "12345", "father_full_name": "Nguyễn Văn Bình",
               "father_id_number": "001090012345"}
    sent = await portal.post_form(f"/dossiers/{code}/form/parents", parents)
    assert sent.status_code == 400 and "must have 12 digits: you typed 5" in sent.text


@pytest.mark.parametrize("lang", ["en", "vi"])
async def test_the_supplement_form_checks_the_same_way(portal, lang):
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, BIRTH)
    await portal.sign_in(OFFICER)
    assert (await portal.post_form(f"/desk/dossiers/{code}/receive")).status_code == 302
    asked = await portal.post_form(f"/desk/dossiers/{code}/supplement",
                                   {"fields[]": ["mother_id_number", "child_birth_date"], "reason": "Check them."})
    assert asked.status_code == 302, asked.text
    await portal.sign_in(CITIZEN)
    portal.lang = lang
    sent = await portal.post_form(f"/dossiers/{code}/supplement",
                                  {"mother_id_number": "12345", "child_birth_date": "2030-01-01"})
    assert sent.status_code == 400
    text = html.unescape(sent.text)
    assert 'value="12345"' in text and 'value="2030-01-01"' in text
    if lang == "en":
        assert "must have 12 digits: you typed 5" in text and "Date of birth cannot be in the future" in text
    else:
        # The labels are the catalogue's and the messages the interface's, both in the page's language.
        assert "Ngày, tháng, năm sinh không được là một ngày trong tương lai" in text
        assert "Số định danh cá nhân của người mẹ phải có 12 chữ số: bạn đã nhập 5 chữ số" in text
    done = await portal.post_form(f"/dossiers/{code}/supplement",
                                  {"mother_id_number": "001190012345", "child_birth_date": "2025-03-27"})
    assert done.status_code == 302, done.text


@pytest.mark.parametrize(("lang", "day", "yes"), [("en", "March 27, 2025", "Yes"), ("vi", "27 tháng 3, 2025", "Có")])
async def test_answers_are_shown_formatted_on_the_check_page_and_the_desk(portal, every_type, lang, day, yes):
    code = await _draft_with_every_type(portal)
    assert (await portal.post_form(f"/dossiers/{code}/form/every", GOOD)).status_code in (302, 303)
    portal.lang = lang
    check = html.unescape((await portal.get(f"/dossiers/{code}/check")).text)
    assert day in check and "001 1 90 012345" in check and "+84 912 345 678" in check
    assert ("By post" if lang == "en" else "Qua bưu điện") in check
    assert ("Online, By post" if lang == "en" else "Trực tuyến, Qua bưu điện") in check
    assert re.search(rf'(Married|Đã kết hôn)</dt>\s*<dd>{yes}', check)
    assert "2025-03-27" not in check.split("</h1>", 1)[1].split("<form")[0]


async def test_the_desk_shows_how_the_result_is_wanted_in_words(portal):
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, BIRTH)
    await portal.sign_in(OFFICER)
    page = (await portal.get(f"/desk/dossiers/{code}")).text
    assert "Online, as a signed e-result" in page or "On paper at the agency" in page or "At home by post" in page
    assert "<dd>online</dd>" not in page and "<dd>post</dd>" not in page and "<dd>office</dd>" not in page
    assert "March 27, 2025" in page


async def _dossier(code: str):
    from backend.dossiers.models import Dossier

    return await Dossier.get(code=code)


GROUP_PAGE = {
    "key": "kids",
    "title": _label("Children", "Các con"),
    "fields": [{"name": "children", "label": _label("Children", "Các con"), "type": "group", "required": True,
                "item_label": _label("Child", "Con"), "max_items": 3,
                "fields": [{"name": "name", "label": _label("Name", "Tên"), "type": "text", "required": True},
                           {"name": "born", "label": _label("Date of birth", "Ngày sinh"), "type": "date",
                            "required": True, "not_after": "today"}]}],
}


@pytest.fixture
async def with_group(portal):
    procedure = await Procedure.get(code=BIRTH)
    before = procedure.form
    procedure.form = [GROUP_PAGE, *before]
    await procedure.save(update_fields=["form"])
    yield procedure
    procedure.form = before
    await procedure.save(update_fields=["form"])


async def test_a_repeating_group_checks_each_item_adds_and_removes_rows_without_javascript(portal, with_group):
    code = await _draft_with_every_type(portal)
    url = f"/dossiers/{code}/form/kids"
    empty = await portal.post_form(url, {})
    assert empty.status_code == 400 and "Add at least 1 item for children" in empty.text
    bad = await portal.post_form(url, {"children-0-name": "", "children-0-born": "2030-01-01"})
    assert bad.status_code == 400
    assert 'id="children-0-name-error"' in bad.text and "Date of birth cannot be in the future" in bad.text
    assert 'href="#children-0-born"' in bad.text and 'value="2030-01-01"' in bad.text
    # "Add another" keeps the first child and shows a second, empty row.
    added = await portal.post_form(url, {"children-0-name": "An", "children-0-born": "2025-03-27",
                                         "_rows": "children+"})
    assert added.status_code == 200 and 'name="children-1-name"' in added.text and 'value="An"' in added.text
    both = {"children-0-name": "An", "children-0-born": "2025-03-27",
            "children-1-name": "Bình", "children-1-born": "2024-01-02"}
    assert (await portal.post_form(url, both)).status_code in (302, 303)
    assert [c["name"] for c in (await _dossier(code)).answers["children"]] == ["An", "Bình"]
    # "Remove" on the first leaves the second.
    removed = await portal.post_form(url, {**both, "_rows": "children-0"})
    assert removed.status_code == 200 and 'name="children-1-name"' not in removed.text
    assert (await _dossier(code)).answers["children"] == [{"name": "Bình", "born": "2024-01-02"}]
    check = html.unescape((await portal.get(f"/dossiers/{code}/check")).text)
    assert "Child 1: Name: Bình, Date of birth: January 2, 2024" in check
    too_many = {f"children-{i}-{k}": v for i in range(4) for k, v in (("name", "X"), ("born", "2020-01-01"))}
    refused = await portal.post_form(url, too_many)
    assert refused.status_code == 400 and "Children can have 3 items at most" in refused.text


async def test_a_repeating_group_in_a_supplement(portal, with_group):
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, BIRTH)
    await portal.sign_in(OFFICER)
    assert (await portal.post_form(f"/desk/dossiers/{code}/receive")).status_code == 302
    asked = await portal.post_form(f"/desk/dossiers/{code}/supplement", {"fields[]": ["children"], "reason": "Dates"})
    assert asked.status_code == 302, asked.text
    await portal.sign_in(CITIZEN)
    page = await portal.get(f"/dossiers/{code}/supplement")
    assert 'name="children-0-born"' in page.text
    sent = await portal.post_form(f"/dossiers/{code}/supplement",
                                  {"children-0-name": "An", "children-0-born": "2030-01-01"})
    assert sent.status_code == 400 and "Date of birth cannot be in the future" in sent.text
    done = await portal.post_form(f"/dossiers/{code}/supplement",
                                  {"children-0-name": "An", "children-0-born": "2025-01-01"})
    assert done.status_code == 302, done.text
    assert (await _dossier(code)).answers["children"] == [{"name": "An", "born": "2025-01-01"}]
