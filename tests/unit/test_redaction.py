"""What is published of a question never carries a phone number, an identity number or an e-mail address."""

import pytest

from backend.questions.redaction import MARK, redact


@pytest.mark.parametrize("text", [
    "Gọi tôi 0912345678 nhé", "Gọi tôi 0912 345 678 nhé", "Gọi tôi 091.234.5678 nhé", "Gọi tôi +84912345678 nhé",
    "Gọi tôi 84 912 345 678 nhé", "Gọi tôi (024) 3825 1234 nhé", "Gọi tôi 02438251234 nhé",
])
def test_phone_numbers_are_removed(text):
    assert redact(text) == f"Gọi tôi {MARK} nhé"


@pytest.mark.parametrize("number", ["001190012345", "001 190 012 345", "001.190.012.345", "079-088-001-234"])
def test_identity_numbers_are_removed(number):
    assert redact(f"CCCD {number}.") == f"CCCD {MARK}."


@pytest.mark.parametrize("email", ["lan.nguyen@example.vn", "a+b@mail.gov.vn", "tran_minh@gmail.com"])
def test_email_addresses_are_removed(email):
    assert redact(f"Email: {email}, cảm ơn") == f"Email: {MARK}, cảm ơn"


@pytest.mark.parametrize("text", [
    "Lệ phí 50000 đồng trong 7 ngày", "Thủ tục 1.001193 năm 2026", "Hồ sơ HS-261206-ABC123", "ខ្ញុំចង់សួរ ២០២៦",
    "Mã 12345", "Ngày 06/12/2026",
])
def test_other_numbers_and_texts_stay(text):
    assert redact(text) == text


def test_every_detail_in_one_text():
    text = "Tôi là Lan, 0912345678, CCCD 001190012345, lan@example.vn. Hồ sơ chậm 10 ngày."
    assert redact(text) == f"Tôi là Lan, {MARK}, CCCD {MARK}, {MARK}. Hồ sơ chậm 10 ngày."
