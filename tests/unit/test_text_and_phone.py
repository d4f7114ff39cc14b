"""Pure checks: folding Vietnamese text, phone numbers, form answers and uploaded bytes."""

import pytest

from backend.accounts.services import display_phone, normalise_phone
from backend.core.text import fold, words
from backend.dossiers.forms import check_answers, check_field
from backend.dossiers.uploads import UploadRejected, check_content, sniff
from tests.support import JPG, PDF, PNG

pytestmark = pytest.mark.unit


# Folding --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text", ["Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "dang ky khai sinh", "  Đăng-ký, khai  sinh!"]
)
def test_fold_ignores_accents_case_and_punctuation(text):
    assert fold(text) == fold("dang ky khai sinh") == "dang ky khai sinh"


def test_fold_handles_every_vietnamese_letter():
    assert fold("Hộ chiếu phổ thông") == "ho chieu pho thong"
    assert fold("Căn cước, bảo hiểm y tế") == "can cuoc bao hiem y te"
    assert fold("đường Ưng Ơn") == "duong ung on"
    assert fold("Đ") == fold("đ") == "d"
    assert fold("Giấy phép lái xe 2025") == "giay phep lai xe 2025"


def test_words_splits_folded_text():
    assert words("Đăng ký   khai-sinh") == ["dang", "ky", "khai", "sinh"]
    assert words("  ") == [] and words("!!") == []


# Phone numbers --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["0912 345 678", "0912345678", "+84912345678", "84912345678", "+84 912 345 678",
                                 "0912.345.678", "(091) 234-5678", " 0912345678 "])
def test_mobile_numbers_are_normalised(raw):
    assert normalise_phone(raw) == "84912345678"


@pytest.mark.parametrize("raw", ["0332 123 456", "0562123456", "0701234567", "0812345678", "0987654321"])
def test_every_mobile_prefix_is_accepted(raw):
    assert normalise_phone(raw) == "84" + raw.replace(" ", "")[1:]


@pytest.mark.parametrize("raw", ["024 3825 3536", "02438253536", "0212345678", "091234567", "09123456789",
                                 "+1 202 555 0100", "abc", "", None, "0912-345-67a", "840912345678"])
def test_landlines_and_garbage_are_refused(raw):
    assert normalise_phone(raw) is None


def test_display_phone_is_the_local_form():
    assert display_phone("84912345678") == "0912345678"


# Form answers ---------------------------------------------------------------------------------------------------

def field(kind: str = "text", required: bool = True, **extra) -> dict:
    return {"name": "answer", "label": {"vi": "Ngày sinh", "en": "Date of birth"}, "type": kind,
            "required": required, **extra}


GENDER = field("select", options=[{"value": "male", "label": {"en": "Male"}},
                                  {"value": "female", "label": {"en": "Female"}}])
BAD_EMAIL = "Enter an email address in the right format, like name@example.com"


@pytest.mark.parametrize(
    ("spec", "raw", "value", "error"),
    [
        (field(), "", "", "Enter date of birth"),
        (field(), "   ", "", "Enter date of birth"),
        (field(required=False), "", "", None),
        (field(), "  Nguyễn Văn An ", "Nguyễn Văn An", None),
        (field(), "x" * 2001, "x" * 2001, "Date of birth must be 2000 characters or fewer"),
        (field("date"), "2025-03-27", "2025-03-27", None),
        (field("date"), "27/03/2025", "27/03/2025", "Date of birth must be a real date, like 2025-03-27"),
        (field("date"), "2025-02-30", "2025-02-30", "Date of birth must be a real date, like 2025-03-27"),
        (field("date"), "1850-01-01", "1850-01-01", "Date of birth must be a real date, like 2025-03-27"),
        (field("date", required=False), "", "", None),
        (field("number"), "3", "3", None),
        (field("number"), "2,5", "2,5", None),
        (field("number"), "three", "three", "Date of birth must be a number"),
        (field("email"), "lan@example.vn", "lan@example.vn", None),
        (field("email"), "lan@example", "lan@example", BAD_EMAIL),
        (field("email"), "lan example.vn", "lan example.vn", BAD_EMAIL),
        (field("tel"), "0912 345 678", "0912 345 678", None),
        (field("tel"), "+84 (24) 3825-3536", "+84 (24) 3825-3536", None),
        (field("tel"), "call me", "call me", "Enter a phone number, like 0912 345 678"),
        (field("tel"), "12345", "12345", "Enter a phone number, like 0912 345 678"),
        (GENDER, "female", "female", None),
        (GENDER, "other", "other", "Select date of birth"),
        (GENDER, "", "", "Enter date of birth"),
    ],
)
def test_check_field(spec, raw, value, error):
    assert check_field(spec, raw) == (value, error)


def test_check_answers_keeps_every_value_and_reports_each_error():
    fields = [dict(field(), name="name"), dict(field("date"), name="born"), dict(field("email", False), name="mail")]
    values, errors = check_answers(fields, {"name": "", "born": "yesterday", "mail": "a@b.vn", "extra": "ignored"})
    assert values == {"name": "", "born": "yesterday", "mail": "a@b.vn"}
    assert set(errors) == {"name", "born"}


# Uploaded bytes -------------------------------------------------------------------------------------------------

ALL = ["pdf", "jpg", "png"]
MB = 1024 * 1024


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPG, "jpg")])
def test_the_type_comes_from_the_magic_number(content, kind):
    assert sniff(content[:16]) == kind
    assert check_content(content, ALL, 10 * MB) == kind


def test_a_pdf_renamed_png_is_still_a_pdf():
    # check_content never sees the name: a PDF for a photo-only document is refused whatever it is called.
    assert check_content(PDF, ALL, 10 * MB) == "pdf"
    with pytest.raises(UploadRejected, match="must be a JPG, PNG"):
        check_content(PDF, ["jpg", "png"], 10 * MB)


@pytest.mark.parametrize(
    ("content", "accepted", "limit", "message"),
    [
        (b"", ALL, 10 * MB, "The selected file is empty"),
        (b"%PDF-" + b"0" * (10 * MB), ALL, 10 * MB, "The selected file must be smaller than 10 MB"),
        (b"plain text pretending", ALL, 10 * MB, "The selected file must be a PDF, JPG, PNG"),
        (b"GIF89a" + b"\x00" * 20, ALL, 10 * MB, "The selected file must be a PDF, JPG, PNG"),
        (b"PDF-1.4 without the percent", ALL, 10 * MB, "The selected file must be a PDF, JPG, PNG"),
        (PDF, ["jpg", "png"], 10 * MB, "The selected file must be a JPG, PNG"),
        (PNG, ["pdf"], 10 * MB, "The selected file must be a PDF"),
    ],
    ids=["empty", "too-large", "text", "gif", "no-magic", "pdf-not-accepted", "png-not-accepted"],
)
def test_check_content_refuses(content, accepted, limit, message):
    with pytest.raises(UploadRejected) as refused:
        check_content(content, accepted, limit)
    assert str(refused.value) == message


def test_a_file_of_exactly_the_limit_is_accepted():
    assert check_content(b"%PDF-" + b"0" * (MB - 5), ["pdf"], MB) == "pdf"
