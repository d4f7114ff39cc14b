"""PAdES signatures with pyHanko: sign a result, and check any signed PDF against the portal's trust roots.

Checking never fetches anything: certificates in an uploaded file name URLs (CRL, OCSP, issuers) chosen by
whoever made the file, and the portal must not be made to call them. Revocation is checked "soft-fail": a
certificate without reachable revocation information is not refused for that alone.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from backend.results.pki import AgencySigner, fingerprint, subject_name

FIELD_NAME = "AgencySignature"
# Room for the CMS signature: enough for an EC or RSA chain of three, and a timestamp token with its own chain.
# Reserving it avoids pyHanko's dry run (signing twice).
BYTES_RESERVED = 8192
BYTES_RESERVED_WITH_TIMESTAMP = 16384
# Later revisions that do not change what a signed document says.
HARMLESS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)

log = logging.getLogger(__name__)


async def sign_pdf(
    pdf: bytes,
    signer: AgencySigner,
    *,
    reason: str,
    location: str = "Việt Nam",
    timestamper: TimeStamper | None = None,
) -> bytes:
    """``pdf`` with a PAdES baseline signature (B-B, or B-T with a timestamper) appended as a new revision."""
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer.subject,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = PdfSigner(metadata, signer=signer.signer, timestamper=timestamper)
    reserved = BYTES_RESERVED_WITH_TIMESTAMP if timestamper else BYTES_RESERVED
    output = await pdf_signer.async_sign_pdf(writer, bytes_reserved=reserved)
    return output.getvalue()


class Verdict(StrEnum):
    """From best to worst; a document's verdict is its worst signature's."""

    VALID = "valid"
    UNTRUSTED = "untrusted"  # intact and unchanged, but not by a certificate the portal trusts
    INVALID = "invalid"  # changed since signing, or the signature itself is broken
    UNSIGNED = "unsigned"
    UNREADABLE = "unreadable"


@dataclass
class SignatureCheck:
    signer: str = ""
    fingerprint: str = ""
    signed_at: datetime | None = None
    timestamped: bool = False
    intact: bool = False
    """The signed bytes hash to what was signed."""
    valid: bool = False
    """The signature over that hash is mathematically correct."""
    trusted: bool = False
    """The signer's certificate chains to one of the trust roots."""
    unchanged: bool = False
    """Nothing but further signatures or timestamps was added after this signature."""

    @property
    def verdict(self) -> Verdict:
        if not (self.intact and self.valid and self.unchanged):
            return Verdict.INVALID
        return Verdict.VALID if self.trusted else Verdict.UNTRUSTED


@dataclass
class PdfCheck:
    readable: bool
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        if not self.readable:
            return Verdict.UNREADABLE
        if not self.signatures:
            return Verdict.UNSIGNED
        order = [Verdict.VALID, Verdict.UNTRUSTED, Verdict.INVALID]
        return max((s.verdict for s in self.signatures), key=order.index)


def looks_signed(content: bytes) -> bool:
    """A cheap test before parsing: every PDF signature dictionary has a /ByteRange."""
    return content.startswith(b"%PDF-") and b"/ByteRange" in content


async def check_pdf(content: bytes, trust_roots: list[asn1_x509.Certificate]) -> PdfCheck:
    """Check every signature in ``content`` against ``trust_roots``, without any network access."""
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - any file may be uploaded; what cannot be parsed is reported as such
        log.info("unreadable PDF", exc_info=True)
        return PdfCheck(readable=False)
    checks = []
    for signature in embedded:
        checks.append(await _check_signature(signature, trust_roots))
    return PdfCheck(readable=True, signatures=checks)


async def _check_signature(signature, trust_roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    check = SignatureCheck()
    try:
        certificate = signature.signer_cert
        check.signer, check.fingerprint = subject_name(certificate), fingerprint(certificate)
        check.signed_at = signature.self_reported_timestamp
    except Exception:  # noqa: BLE001 - a damaged signature has no readable certificate
        log.info("signature without a readable certificate", exc_info=True)
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = await async_validate_pdf_signature(signature, context)
    except Exception:  # noqa: BLE001 - malformed signatures are invalid, not server errors
        log.info("signature could not be validated", exc_info=True)
        return check
    check.intact, check.valid, check.trusted = status.intact, status.valid, status.trusted
    check.unchanged = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in HARMLESS
        and bool(status.docmdp_ok)
    )
    if status.timestamp_validity is not None:
        check.timestamped = True
        check.signed_at = status.timestamp_validity.timestamp
    else:
        check.signed_at = status.signer_reported_dt or check.signed_at
    return check
