"""Result keys and signatures without a database: the demo authority on disk, production certificate files,
signing and checking, and the PDF's fallback for texts its fonts cannot draw."""

from __future__ import annotations

import asyncio
import io
import stat
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from backend.core.text_store import STORE
from backend.documents import complexity, inspection
from backend.documents.findings import FileCheck, Verdict, looks_signed
from backend.results import pdf
from backend.results.pki import (
    CertificateFolder,
    DemoAuthority,
    Pki,
    SigningUnavailable,
    create_ca,
    issue_certificate,
    load_certificates,
)
from backend.results.signing import sign_pdf
from backend.settings import Settings
from tests import signed_pdfs

pytestmark = pytest.mark.unit


async def check_pdf(content: bytes, roots) -> FileCheck:
    """What the check workers run, here in-process (the pool is tested in tests/integration/test_pdf_checks.py)."""
    return await asyncio.to_thread(inspection.check_pdf, content, tuple(root.dump() for root in roots))


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def content(language: str = "en") -> pdf.ResultContent:
    return pdf.ResultContent(
        code="KQ-261125-ABCDEFGH", dossier_code="HS-261125-ABCDEF",
        procedure={"vi": "Đăng ký khai sinh", "en": "Birth registration", "zh": "出生登记"},
        agency={"vi": "Ủy ban nhân dân Phường Hoàn Kiếm", "en": "People's Committee of Hoan Kiem Ward"},
        applicant="Nguyễn Thị Lan", decision="Hồ sơ hợp lệ.", issued_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        verify_url="http://localhost:8000/results/verify/KQ-261125-ABCDEFGH", language=language,
    )


def test_the_demo_authority_is_created_once_with_private_keys(tmp_path):
    folder = tmp_path / "pki"
    first = DemoAuthority(folder)
    assert mode(folder) == 0o700
    assert mode(folder / "ca-key.pem") == 0o600
    assert (folder / "ca.pem").exists()
    again = DemoAuthority(folder)
    assert again.ca_cert == first.ca_cert, "a restart keeps the authority: earlier results stay trusted"


def test_agency_certificates_are_issued_by_the_authority_on_first_use(tmp_path):
    authority = DemoAuthority(tmp_path / "pki")
    signer = authority.signer("P01-W-HOANKIEM", "Ủy ban nhân dân Phường Hoàn Kiếm")
    assert signer.subject == "Ủy ban nhân dân Phường Hoàn Kiếm"
    key_file = tmp_path / "pki" / "agencies" / "P01-W-HOANKIEM-key.pem"
    assert mode(key_file) == 0o600 and mode(tmp_path / "pki" / "agencies") == 0o700
    certificate, ca = load_certificates(tmp_path / "pki" / "agencies" / "P01-W-HOANKIEM.pem")
    certificate.verify_directly_issued_by(authority.ca_cert)
    assert ca == authority.ca_cert
    assert authority.signer("P01-W-HOANKIEM", "x").fingerprint == signer.fingerprint, "kept, not made anew"
    assert authority.signer("P01-CA", "Công an thành phố Hà Nội").fingerprint != signer.fingerprint


def test_settings_keep_keys_in_the_data_folder(tmp_path):
    settings = Settings(data_dir=tmp_path, secret_key="x")
    assert settings.pki_dir == tmp_path / "pki"
    pki = Pki(settings)
    assert len(pki.trust_roots) == 1 and pki.demo is not None


def _pem_files(folder, stem: str, passphrase: bytes | None = None):
    ca_key, ca = create_ca("Production root")
    key, certificate = issue_certificate(ca_key, ca, "Sở Tư pháp Hà Nội")
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    (folder / f"{stem}.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (certificate, ca))
    (folder / f"{stem}.pem").write_bytes(chain)
    return ca


def test_production_loads_pem_and_pkcs12_and_falls_back_to_default(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir()
    _pem_files(folder, "P01-STP", b"secret")
    ca_key, ca = create_ca("Another root")
    key, certificate = issue_certificate(ca_key, ca, "Công an thành phố Hà Nội")
    (folder / "P01-CA.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"p01-ca", key, certificate, [ca], serialization.BestAvailableEncryption(b"secret")))
    certificates = CertificateFolder(folder, "secret")
    assert certificates.signer("P01-STP", "").subject == "Sở Tư pháp Hà Nội"
    assert certificates.signer("P01-CA", "").subject == "Công an thành phố Hà Nội"
    with pytest.raises(SigningUnavailable):
        certificates.signer("P02-UBND", "")
    _pem_files(folder, "default")
    assert CertificateFolder(folder, "").signer("P02-UBND", "").subject == "Sở Tư pháp Hà Nội"


def test_production_trusts_only_the_configured_roots(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir()
    ca = _pem_files(folder, "default")
    roots = tmp_path / "roots.pem"
    other_key, other = create_ca("Second root")
    roots.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (ca, other)))
    pki = Pki(Settings(data_dir=tmp_path / "data", secret_key="x", results_signing_dir=folder,
                       results_trust_roots=(roots,)))
    assert pki.demo is None and len(pki.trust_roots) == 2
    assert not (tmp_path / "data" / "pki").exists()


async def test_sign_and_check(tmp_path):
    authority = DemoAuthority(tmp_path / "pki")
    signer = authority.signer("P01-W-HOANKIEM", "Ủy ban nhân dân Phường Hoàn Kiếm")
    unsigned = pdf.render(content())
    assert not looks_signed(unsigned)
    signed = await sign_pdf(unsigned, signer, reason="test")
    assert looks_signed(signed) and signed.startswith(unsigned), "an incremental update: the original bytes stay"
    roots = Pki(Settings(data_dir=tmp_path, secret_key="x")).trust_roots

    check = await check_pdf(signed, roots)
    assert check.verdict is Verdict.VALID
    (signature,) = check.signatures
    assert signature.signer == "Ủy ban nhân dân Phường Hoàn Kiếm" and signature.fingerprint == signer.fingerprint
    assert signature.signed_at is not None and not signature.timestamped
    assert (await check_pdf(signed, [])).verdict is Verdict.UNTRUSTED

    tampered = bytearray(signed)
    tampered[len(unsigned) // 2] ^= 0x20
    assert (await check_pdf(bytes(tampered), roots)).verdict is Verdict.INVALID
    assert (await check_pdf(unsigned, roots)).verdict is Verdict.UNSIGNED
    assert (await check_pdf(b"%PDF-1.7\nnot really", roots)).verdict is Verdict.UNREADABLE


@pytest.mark.parametrize("language", ["vi", "en", "km", "blt", "cjm", "zh"])
def test_every_language_renders_with_drawable_text(language):
    words = pdf._Words(language)
    for key in pdf.TEXT:
        vietnamese, other = words.pair(key)
        assert pdf.drawable(vietnamese)
        assert other is None if language == "vi" else other is None or pdf.drawable(other)
    assert pdf.render(content(language)).startswith(b"%PDF-")


def test_text_the_fonts_cannot_draw_falls_back_to_english():
    assert pdf.drawable("Nguyễn Thị Lan ꪼꪕꪒꪾ ភាសាខ្មែរ ꨌꩌ 出生登记")
    assert not pdf.drawable("출생 등록")  # Hangul: no bundled font (Chinese: see test_result_pdf_fonts.py)
    STORE.set_live("zh", "content", "Đăng ký khai sinh", "출생 등록")
    try:
        assert pdf._Words("zh").content({"vi": "Đăng ký khai sinh", "en": "Birth registration"}) == pdf.Pair(
            "Đăng ký khai sinh", "Birth registration", "en"), "in English, and marked as English"
    finally:
        STORE.clear_live()


async def test_with_a_time_stamping_authority_the_signature_carries_its_timestamp(tmp_path):
    """A local RFC 3161 server (pyHanko's test TSA behind aiohttp, on the loopback address) stamps the signature."""
    from aiohttp import web
    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from backend.results.pki import _asn1_cert
    from backend.results.services import ResultIssuer

    tsa_root_key, tsa_root = create_ca("TSA root")
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA signs RSA only
    now = datetime.now(UTC)
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(tsa_root.subject).public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now.replace(year=now.year - 1)).not_valid_after(now.replace(year=now.year + 1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(tsa_root_key, hashes.SHA256())
    )
    der_key = tsa_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    stamper = DummyTimeStamper(_asn1_cert(tsa_cert), asn1_keys.PrivateKeyInfo.load(der_key),
                               certs_to_embed=[_asn1_cert(tsa_root)])

    async def answer(request: web.Request) -> web.Response:
        response = await stamper.async_request_tsa_response(tsp.TimeStampReq.load(await request.read()))
        return web.Response(body=response.dump(), content_type="application/timestamp-reply")

    app = web.Application()
    app.router.add_post("/tsa", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]  # the port the system chose
        roots = tmp_path / "tsa-root.pem"
        roots.write_bytes(tsa_root.public_bytes(serialization.Encoding.PEM))
        issuer = ResultIssuer.from_settings(Settings(
            data_dir=tmp_path, secret_key="x", results_tsa_url=f"http://127.0.0.1:{port}/tsa",
            results_trust_roots=(roots,)))
        signer = issuer.pki.signer("P01-W-HOANKIEM", "Ủy ban nhân dân Phường Hoàn Kiếm")
        signed = await sign_pdf(pdf.render(content()), signer, reason="test", timestamper=issuer.timestamper)
        check = await check_pdf(signed, issuer.pki.trust_roots)
        assert check.verdict is Verdict.VALID
        assert check.signatures[0].timestamped and check.signatures[0].signed_at is not None
    finally:
        await runner.cleanup()


# -- what changed after signing, and the limits (issue 14, findings 1 and 12) ---------------------------------


async def _signed(tmp_path):
    authority = DemoAuthority(tmp_path / "pki")
    signer = authority.signer("P01-W-HOANKIEM", "Ủy ban nhân dân Phường Hoàn Kiếm")
    return signer, await sign_pdf(pdf.render(content()), signer, reason="test"), [_asn1(authority.ca_cert)]


def _asn1(certificate):
    from backend.results.pki import _asn1_cert

    return _asn1_cert(certificate)


@pytest.mark.parametrize(("change", "expected"), [
    (signed_pdfs.with_metadata_edited, {"metadata"}),
    (signed_pdfs.with_junk_appended, {"appended"}),  # 10 MiB after the signed revision's %%EOF
    (signed_pdfs.with_page_changed, {"revisions", "metadata"}),  # pyHanko's writer also updates /Info
], ids=["metadata", "appended", "new-revision"])
async def test_a_file_changed_after_signing_is_never_unchanged(tmp_path, change, expected):
    _, signed, roots = await _signed(tmp_path)
    (before,) = (await check_pdf(signed, roots)).signatures
    assert before.unchanged and before.changes == {} and before.verdict is Verdict.VALID
    check = await check_pdf(change(signed), roots)
    (signature,) = check.signatures
    assert signature.intact and signature.valid and signature.trusted, "what was signed is still intact"
    assert not signature.unchanged and set(signature.changes) == expected
    assert check.verdict is Verdict.INVALID
    if "appended" in expected:
        assert signature.changes["appended"] >= 10 * 1024 * 1024


async def test_a_second_signature_is_not_a_change_to_the_first(tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner

    from tests.support import PDF

    signer, _, roots = await _signed(tmp_path)
    # (Not the result PDF: its link annotations are direct objects, which pyHanko's diff analysis calls suspicious.)
    signed = await sign_pdf(PDF, signer, reason="first")
    metadata = PdfSignatureMetadata(field_name="Second", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES)
    twice = (await PdfSigner(metadata, signer=signer.signer).async_sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(signed)), bytes_reserved=8192)).getvalue()
    check = await check_pdf(twice, roots)
    assert [s.verdict for s in check.signatures] == [Verdict.VALID, Verdict.VALID]
    assert all(s.changes == {} for s in check.signatures)


async def test_files_over_the_limits_are_too_complex_before_any_validation(tmp_path):
    _, signed, roots = await _signed(tmp_path)
    many = signed_pdfs.many_signatures(signed, 300)  # finding 1: seconds of pyHanko, growing with the square
    assert len(many) < 150_000
    assert (await check_pdf(many, roots)).verdict is Verdict.TOO_COMPLEX
    fields = signed_pdfs.with_signature_fields(signed, 0, complexity.MAX_FIELDS)
    assert (await check_pdf(fields, roots)).verdict is Verdict.TOO_COMPLEX
    worst = await check_pdf(signed_pdfs.worst_allowed(signed), roots)  # at the limits: still checked
    assert len(worst.signatures) == complexity.MAX_SIGNATURES and worst.verdict is Verdict.INVALID


def test_uploads_must_open_as_what_they_claim():
    from tests.support import JPG, PDF, PNG

    assert inspection.inspect_upload(PDF, "pdf", ()).verdict is Verdict.UNSIGNED
    assert inspection.inspect_upload(PNG, "png", ()).readable and inspection.inspect_upload(JPG, "jpg", ()).readable
    assert not inspection.inspect_upload(b"%PDF-1.4\n<html><script>alert(1)</script></html>", "pdf", ()).readable
    assert not inspection.inspect_upload(PNG, "jpg", ()).readable, "a PNG is not the JPEG it is sent as"
    assert not inspection.inspect_upload(JPG[:-40], "jpg", ()).readable, "truncated"
    bomb = io.BytesIO()
    from PIL import Image

    Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")  # 100 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    assert not inspection.inspect_upload(bomb.getvalue(), "png", ()).readable
