"""The postal webhook's signature: HMAC-SHA256 over "<timestamp>.<body>", refused when stale or forged."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from backend.delivery.codes import code_matches, handover_code, hash_code
from backend.delivery.postal import MAX_SKEW_SECONDS, code_digest, signature, verify_signature

pytestmark = pytest.mark.unit

SECRET, BODY, NOW = "shared-secret", b'{"stage":"accepted"}', 1_780_000_000


def test_signature_is_the_documented_hmac() -> None:
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, str(NOW), BODY) == f"v1={expected}"


def test_a_genuine_fresh_request_passes() -> None:
    assert verify_signature(SECRET, str(NOW), signature(SECRET, str(NOW), BODY), BODY, NOW + 5) is None


@pytest.mark.parametrize(
    ("timestamp", "signed", "body", "now"),
    [
        (str(NOW), signature("other-secret", str(NOW), BODY), BODY, NOW),  # wrong secret
        (str(NOW), signature(SECRET, str(NOW), BODY), BODY + b" ", NOW),  # body changed
        (str(NOW), signature(SECRET, str(NOW - 1), BODY), BODY, NOW),  # timestamp changed
        (str(NOW), signature(SECRET, str(NOW), BODY), BODY, NOW + MAX_SKEW_SECONDS + 1),  # replayed later
        (None, signature(SECRET, str(NOW), BODY), BODY, NOW),  # header missing
        ("soon", "v1=00", BODY, NOW),
    ],
)
def test_forged_or_stale_requests_are_refused(timestamp, signed, body, now) -> None:
    assert verify_signature(SECRET, timestamp, signed, body, now) is not None


def test_no_secret_refuses_everything() -> None:
    assert verify_signature("", str(NOW), signature("", str(NOW), BODY), BODY, NOW) is not None


def test_handover_code_six_digits_hash_only() -> None:
    code = handover_code("secret", "HS-251125-ABCDEF", "00ff")
    assert len(code) == 6 and code.isdigit()
    assert code == handover_code("secret", "HS-251125-ABCDEF", "00ff")
    assert code != handover_code("secret", "HS-251125-ABCDEF", "00fe")
    stored = hash_code(code)
    assert code not in stored and code_matches(code, stored)
    assert not code_matches(f"{(int(code) + 1) % 1_000_000:06d}", stored) and not code_matches("", stored)
    assert code_digest("HS-1", code) == hashlib.sha256(f"HS-1:{code}".encode()).hexdigest()
