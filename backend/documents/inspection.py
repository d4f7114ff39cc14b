"""What runs inside a check worker: open a PDF and check its signatures, decode an image. Plain data out.

Everything here is synchronous and can be slow on a hostile file: the portal calls it through
``backend.documents.pool.CheckPool`` (another process, a time limit), never on the event loop. Tests may
call it directly.

Signature checks never fetch anything: certificates in an uploaded file name URLs (CRL, OCSP, issuers) chosen
by whoever made the file, and the portal must not be made to call them. Revocation is checked "soft-fail".
Before any signature is validated the file's size in fields, signatures, revisions and objects is counted:
pyHanko's cost grows with the square of the signature fields, so a file over a limit is "too complex"
(``complexity``). What a check finds, as plain data: ``findings``.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import warnings

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from backend.documents.complexity import MAX_IMAGE_PIXELS, TooComplex, within_limits
from backend.documents.findings import Change, FileCheck, SignatureCheck, fingerprint, looks_signed, subject_name

# Later revisions that do not change what a signed document says, in pyHanko's analysis.
HARMLESS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
# PDF white space: what may follow the last %%EOF without being "data appended after the signature".
WHITESPACE = b" \t\r\n\f\x00"

log = logging.getLogger(__name__)


# -- uploads -----------------------------------------------------------------------------------------------


def inspect_upload(content: bytes, kind: str, roots_der: tuple[bytes, ...]) -> FileCheck:
    """An upload claimed to be ``kind`` (pdf, png, jpg): does it open as that, and (PDF) its signatures."""
    if kind != "pdf":
        return FileCheck(readable=_image_decodes(content, kind))
    if looks_signed(content):
        return check_pdf(content, roots_der)
    try:
        _open_pdf(content)
    except Exception:  # noqa: BLE001 - whatever the parser trips on, the file is not a PDF we can show
        log.info("upload does not open as a PDF", exc_info=True)
        return FileCheck(readable=False)
    return FileCheck(readable=True)


def _open_pdf(content: bytes) -> PdfFileReader:
    """Parse the cross-reference tables and reach the page tree, as a viewer must."""
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    pages = reader.root["/Pages"]
    if int(pages["/Count"]) < 1:
        raise ValueError("no pages")
    return reader


_IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG"}


def _image_decodes(content: bytes, kind: str) -> bool:
    from PIL import Image  # only in workers that see images

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != _IMAGE_FORMATS.get(kind):
                    return False
                image.verify()  # checksums and structure
            with Image.open(io.BytesIO(content)) as image:
                image.load()  # every pixel: a truncated file fails here
    except Exception:  # noqa: BLE001 - Pillow raises many types for broken or hostile files
        log.info("upload does not decode as %s", kind, exc_info=True)
        return False
    return True


# -- signatures --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _roots(roots_der: tuple[bytes, ...]) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(der) for der in roots_der]


def check_pdf(content: bytes, roots_der: tuple[bytes, ...]) -> FileCheck:
    """Check every signature in ``content`` against the trust roots (DER), without any network access."""
    try:
        reader = _open_pdf(content)
        within_limits(reader)
        embedded = list(reader.embedded_signatures)
    except TooComplex:
        return FileCheck(readable=True, too_complex=True)
    except Exception:  # noqa: BLE001 - any file may be uploaded; what cannot be parsed is reported as such
        log.info("unreadable PDF", exc_info=True)
        return FileCheck(readable=False)
    appended = _bytes_after_last_revision(reader, content)
    roots = _roots(roots_der)
    checks = asyncio.run(_check_all(reader, embedded, roots))
    for check in checks:
        if appended:
            check.changes[Change.APPENDED] = appended
            check.unchanged = False
    return FileCheck(readable=True, signatures=checks)


def _bytes_after_last_revision(reader: PdfFileReader, content: bytes) -> int:
    """Bytes after the last revision's %%EOF that are not white space: no revision holds them."""
    last = reader.xrefs.get_xref_container_info(reader.xrefs.total_revisions - 1)
    eof = content.find(b"%%EOF", last.end_location)
    if eof < 0:
        return 0
    tail = content[eof + len(b"%%EOF"):]
    return len(tail) if tail.strip(WHITESPACE) else 0


async def _check_all(reader, embedded, roots) -> list[SignatureCheck]:
    signature_revisions = {signature.signed_revision for signature in embedded}
    return [await _check_signature(reader, s, roots, signature_revisions) for s in embedded]


async def _check_signature(reader, signature, roots, signature_revisions: set[int]) -> SignatureCheck:
    check = SignatureCheck()
    try:
        certificate = signature.signer_cert
        check.signer, check.fingerprint = subject_name(certificate)[:300], fingerprint(certificate)
        check.signed_at = signature.self_reported_timestamp
    except Exception:  # noqa: BLE001 - a damaged signature has no readable certificate
        log.info("signature without a readable certificate", exc_info=True)
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = await async_validate_pdf_signature(signature, context)
    except Exception:  # noqa: BLE001 - malformed signatures are invalid, not server errors
        log.info("signature could not be validated", exc_info=True)
        return check
    check.intact, check.valid, check.trusted = status.intact, status.valid, status.trusted
    harmless = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in HARMLESS
        and bool(status.docmdp_ok)
    )
    check.changes = _changes_after(reader, signature.signed_revision, signature_revisions, status.modification_level)
    check.unchanged = harmless and not check.changes
    if status.timestamp_validity is not None:
        check.timestamped = True
        check.signed_at = status.timestamp_validity.timestamp
    else:
        check.signed_at = status.signer_reported_dt or check.signed_at
    return check


def _changes_after(reader, signed: int, signature_revisions: set[int], level: ModificationLevel | None,
                   ) -> dict[str, int]:
    """Revisions after ``signed`` that are not later signatures: metadata edits, and any other update.

    pyHanko counts an edited /Info as harmless (LTA_UPDATES): people reading "unchanged" would not.
    Validation data alone (a DSS, at LTA_UPDATES) is not a change; anything pyHanko rates higher is.
    """
    changes: dict[str, int] = {}
    others = [r for r in range(signed + 1, reader.xrefs.total_revisions) if r not in signature_revisions]
    if any(_metadata_edited(reader, revision) for revision in others):
        changes[Change.METADATA] = 1
    if others and level not in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        changes[Change.REVISIONS] = len(others)
    return changes


def _metadata_refs(reader: PdfFileReader, revision: int) -> set:
    refs = set()
    for dictionary, key in ((reader.trailer.flatten(revision), "/Info"),
                            (reader.get_historical_root(revision), "/Metadata")):
        value = dictionary.raw_get(key) if key in dictionary else None
        if isinstance(value, generic.IndirectObject):
            refs.add(value.reference)
    return refs


def _metadata_edited(reader: PdfFileReader, revision: int) -> bool:
    before, after = _metadata_refs(reader, revision - 1), _metadata_refs(reader, revision)
    return before != after or bool(before & reader.xrefs.explicit_refs_in_revision(revision))
