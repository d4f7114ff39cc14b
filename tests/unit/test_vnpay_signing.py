"""The VNPay signatures, checked against VNPay's documented example and hashes computed with openssl."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from backend.payments.gateway import (
    QUERY_REQUEST_FIELDS,
    SANDBOX_SECRET,
    VnpayGateway,
    canonical_query,
    insecure_settings,
    pipe_hash,
    sign_query,
    signature_ok,
    vnd_from_wire,
    vnp_date,
)
from backend.settings import Settings

pytestmark = pytest.mark.unit

SECRET = "SANDBOXSECRETPORTAL0000000000001"
# The pay URL's parameters of VNPay's own example (sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/).
DOC_PARAMS = {
    "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "DEMOV210", "vnp_Amount": "1806000",
    "vnp_CreateDate": "20210801153333", "vnp_CurrCode": "VND", "vnp_IpAddr": "127.0.0.1", "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5", "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl", "vnp_TxnRef": "5",
}
# The query string of that example, as the documentation prints it (before &vnp_SecureHash=).
DOC_QUERY = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1"
    "&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)
# printf '%s' "$DOC_QUERY" | openssl dgst -sha512 -hmac "$SECRET"
DOC_HASH = ("aeb290c203a53631e024fbf5cde58f8bddd9498a59b22bfb2790693d121846e9a6b1df00abd23cebe4aedefbfb30257653b0ed"
            "775bbbadc23390d60683056465")


def test_the_signed_string_is_the_sorted_urlencoded_query_vnpay_documents() -> None:
    shuffled = dict(reversed(list(DOC_PARAMS.items())))
    assert canonical_query(shuffled) == DOC_QUERY


def test_the_hash_is_hmac_sha512_of_that_string() -> None:
    assert sign_query(DOC_PARAMS, SECRET) == f"{DOC_QUERY}&vnp_SecureHash={DOC_HASH}"


def test_a_callback_verifies_only_untouched_and_with_our_secret() -> None:
    params = dict(parse_qsl(sign_query({**DOC_PARAMS, "vnp_ResponseCode": "00"}, SECRET)))
    assert signature_ok(params, SECRET)
    assert signature_ok({**params, "vnp_SecureHash": params["vnp_SecureHash"].upper()}, SECRET)
    assert signature_ok({**params, "vnp_SecureHashType": "HmacSHA512", "other": "x"}, SECRET), "unsigned extras"
    assert not signature_ok({**params, "vnp_Amount": "180600000"}, SECRET), "a tampered amount"
    assert not signature_ok({**params, "vnp_ExtraField": "1"}, SECRET), "an added vnp_ parameter"
    assert not signature_ok(params, SECRET + "x"), "another merchant's secret"
    assert not signature_ok({k: v for k, v in params.items() if k != "vnp_SecureHash"}, SECRET)


def test_accents_and_reserved_characters_are_encoded_as_php_urlencode_does() -> None:
    query = canonical_query({"vnp_OrderInfo": "Lệ phí ~ a&b=c/d*e", "vnp_Empty": ""})
    assert query == "vnp_OrderInfo=L%E1%BB%87+ph%C3%AD+%7E+a%26b%3Dc%2Fd%2Ae"  # empty values are not signed


def test_querydr_is_signed_over_its_fields_joined_with_pipes() -> None:
    body = {"vnp_RequestId": "REQ123", "vnp_Version": "2.1.0", "vnp_Command": "querydr", "vnp_TmnCode": "PORTAL01",
            "vnp_TxnRef": "251125103000ABCDEFGH", "vnp_TransactionDate": "20251125103000",
            "vnp_CreateDate": "20251125104500", "vnp_IpAddr": "127.0.0.1",
            "vnp_OrderInfo": "Le phi ho so HS-251125-ABCDEF"}
    # printf '%s' 'REQ123|2.1.0|querydr|PORTAL01|...|Le phi ho so HS-251125-ABCDEF' | openssl dgst -sha512 -hmac ...
    assert pipe_hash(SECRET, body, QUERY_REQUEST_FIELDS) == (
        "3a302dd14392d19c663b20a3a6f36da7875223d397265ab0c8056849cb1210d7a65bf9e59c68b57e14c1b1fb7d648b8c616dd7705979"
        "e2a95912dbb56e0976df"
    )


def test_amounts_are_hundredths_of_a_dong_and_dates_gmt_plus_7() -> None:
    assert vnd_from_wire("20000000") == 200000
    assert vnd_from_wire("20000050") is None and vnd_from_wire("-100") is None and vnd_from_wire("2e5") is None
    assert vnp_date(datetime(2026, 11, 25, 17, 30, 5, tzinfo=UTC)) == "20261126003005"


def test_the_pay_url_carries_every_field_of_version_2_1_0_and_verifies() -> None:
    gateway = VnpayGateway("https://pay.example", "PORTAL01", SECRET, httpx.AsyncClient())
    url = gateway.payment_url(txn_ref="T1", amount=200000, order_info="Le phi ho so HS-1", ip_addr="10.0.0.1",
                              return_url="http://localhost:8000/vi/payments/return", locale="en",
                              created=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
                              expires=datetime(2026, 11, 25, 3, 15, tzinfo=UTC))
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://pay.example/paymentv2/vpcpay.html"
    params = dict(parse_qsl(parts.query))
    assert params == {
        "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "PORTAL01", "vnp_Amount": "20000000",
        "vnp_CurrCode": "VND", "vnp_TxnRef": "T1", "vnp_OrderInfo": "Le phi ho so HS-1", "vnp_OrderType": "other",
        "vnp_Locale": "en", "vnp_ReturnUrl": "http://localhost:8000/vi/payments/return", "vnp_IpAddr": "10.0.0.1",
        "vnp_CreateDate": "20261125100000", "vnp_ExpireDate": "20261125101500",
        "vnp_SecureHash": params["vnp_SecureHash"],
    }
    assert parts.query == sign_query(params, SECRET), "the URL's own query is the signed string"
    assert gateway.verify(params) is not None and gateway.verify({**params, "vnp_TxnRef": "T2"}) is None


@pytest.mark.parametrize("given", ["é", "é" * 128, "\x00" * 128, "g" * 128, "0" * 127, "0" * 129, "", None, 12, ["0"]])
def test_a_hash_that_is_not_128_hex_digits_is_a_mismatch_not_an_error(given) -> None:
    params = dict(parse_qsl(sign_query({**DOC_PARAMS, "vnp_ResponseCode": "00"}, SECRET)))
    assert not signature_ok({**params, "vnp_SecureHash": given}, SECRET)


REAL_SECRET = "Q7M2X9KD4TPLW8RZB3NHC6VJ5FYS1AGE"  # 32 characters, as VNPay gives them
PRODUCTION = Settings(demo_mode=False, payment_gateway_url="https://pay.vnpay.vn", payment_hash_secret=REAL_SECRET)


@pytest.mark.parametrize(("changes", "problem"), [
    ({}, None),
    ({"payment_hash_secret": SANDBOX_SECRET}, "PAYMENT_HASH_SECRET is the sandbox secret"),
    ({"payment_hash_secret": SANDBOX_SECRET, "payment_gateway_url": ""}, "PAYMENT_HASH_SECRET is the sandbox secret"),
    ({"payment_hash_secret": ""}, "PAYMENT_HASH_SECRET is empty"),
    ({"payment_hash_secret": REAL_SECRET[:31]}, "PAYMENT_HASH_SECRET is shorter than 32 characters"),
    ({"payment_hash_secret": "real-one"}, "PAYMENT_HASH_SECRET is shorter than 32 characters"),
    ({"demo_mode": True, "payment_hash_secret": "short-but-demo"}, None),
    ({"payment_gateway_url": ""}, "PAYMENT_GATEWAY_URL is not set"),
    ({"payment_gateway_url": "http://pay.vnpay.vn"}, "PAYMENT_GATEWAY_URL does not start with https://"),
    ({"demo_mode": True, "payment_gateway_url": "", "payment_hash_secret": SANDBOX_SECRET}, None),
    ({"demo_mode": True, "payment_hash_secret": SANDBOX_SECRET}, "PAYMENT_HASH_SECRET is the sandbox secret"),
])
def test_the_gateway_and_the_startup_check_refuse_the_same_settings(changes, problem) -> None:
    settings = dataclasses.replace(PRODUCTION, **changes)
    problems = insecure_settings(settings)
    if problem is None:
        assert problems == []
        assert VnpayGateway.from_settings(settings, httpx.AsyncClient()).hash_secret == settings.payment_hash_secret
    else:
        assert any(p.startswith(problem) for p in problems), problems
        with pytest.raises(ValueError, match=problem):
            VnpayGateway.from_settings(settings, httpx.AsyncClient())
