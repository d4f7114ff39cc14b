"""PAdES signatures with pyHanko: sign a result. Checking signed PDFs (any PDF, not only the portal's) is
``backend.documents``: it runs in worker processes with limits, since the files come from anyone."""

from __future__ import annotations

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps.api import TimeStamper

from backend.results.pki import AgencySigner

FIELD_NAME = "AgencySignature"
# Room for the CMS signature: enough for an EC or RSA chain of three, and a timestamp token with its own chain.
# Reserving it avoids pyHanko's dry run (signing twice).
BYTES_RESERVED = 8192
BYTES_RESERVED_WITH_TIMESTAMP = 16384


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
