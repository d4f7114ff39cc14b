"""What runs inside a check worker: open a PDF and check its signatures, decode an image. Plain data out.

Everything here is synchronous and can be slow on a hostile file: the portal calls it through
``backend.documents.pool.CheckPool`` (another process, a time limit), never on the event loop. Tests may
call it directly.

Signature checks never fetch anything: certificates in an uploaded file name URLs (CRL, OCSP, issuers) chosen
by whoever made the file, and the portal must not be made to call them. Revocation is checked "soft-fail".
Before any signature is validated the file's size in fields, signatures, revisions and objects is counted:
pyHanko's cost grows with the square of the signature fields, so a file over a limit is "too complex".
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

MAX_SIGNATURES = 10
"""Filled signature fields checked; more and the file is too complex (people's documents carry one to three)."""
MAX_FIELDS = 500
"""Form fields (of any type) walked before validation starts."""
MAX_REVISIONS = 32
"""Incremental updates (each later signature is one)."""
MAX_OBJECTS = 200_000
"""The highest object number the file declares."""
MAX_IMAGE_PIXELS = 50_000_000
"""Larger images are refused (a 50-megapixel photo decodes to 150 MB): Pillow's decompression-bomb limit."""
# Later revisions that do not change what a signed document says, in pyHanko's analysis.
HARMLESS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
# PDF white space: what may follow the last %%EOF without being "data appended after the signature".
WHITESPACE = b" \t\r\n\f\x00"

log = logging.getLogger(__name__)


class TooComplex(Exception):
    """The file is over one of the limits above."""


class Verdict(StrEnum):
    """From best to worst; a document's verdict is its worst signature's."""

    VALID = "valid"
    UNTRUSTED = "untrusted"  # intact and unchanged, but not by a certificate the portal trusts
    INVALID = "invalid"  # changed since signing, or the signature itself is broken
    UNSIGNED = "unsigned"
    TOO_COMPLEX = "too_complex"  # over a limit, or its check ran out of time: not checked
    UNREADABLE = "unreadable"


class Change(StrEnum):
    """What was done to a file after a signature, each reported on its own line."""

    METADATA = "metadata"  # title, author, dates (/Info) or XMP metadata edited
    APPENDED = "appended"  # bytes after the end of the last revision (value: how many)
    REVISIONS = "revisions"  # incremental updates that are not later signatures (value: how many)


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
    """Nothing but further signatures (or validation data) was added after this signature."""
    changes: dict[str, int] = field(default_factory=dict)
    """``Change`` → a count (revisions, bytes appended; 1 for metadata)."""

    @property
    def verdict(self) -> Verdict:
        if not (self.intact and self.valid and self.unchanged):
            return Verdict.INVALID
        return Verdict.VALID if self.trusted else Verdict.UNTRUSTED

    def to_json(self) -> dict:
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> SignatureCheck:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if known.get("signed_at"):
            known["signed_at"] = datetime.fromisoformat(known["signed_at"])
        return cls(**known)


@dataclass
class FileCheck:
    """What a worker found in a file: could it be read, and the signatures in it (PDF only)."""

    readable: bool
    signatures: list[SignatureCheck] = field(default_factory=list)
    too_complex: bool = False

    @property
    def verdict(self) -> Verdict:
        if self.too_complex:
            return Verdict.TOO_COMPLEX
        if not self.readable:
            return Verdict.UNREADABLE
        if not self.signatures:
            return Verdict.UNSIGNED
        order = [Verdict.VALID, Verdict.UNTRUSTED, Verdict.INVALID]
        return max((s.verdict for s in self.signatures), key=order.index)

    def summary(self) -> list[dict]:
        """The signatures as JSON, to keep beside the file with its verdict (``from_stored`` reads both)."""
        return [signature.to_json() for signature in self.signatures]

    @classmethod
    def from_stored(cls, verdict: str, summary: list[dict] | None) -> FileCheck:
        if verdict == Verdict.TOO_COMPLEX:
            return cls(readable=True, too_complex=True)
        signatures = [SignatureCheck.from_json(item) for item in summary or []]
        return cls(readable=verdict != Verdict.UNREADABLE, signatures=signatures)


def fingerprint(certificate: asn1_x509.Certificate) -> str:
    return certificate.sha256.hex()


def subject_name(certificate: asn1_x509.Certificate) -> str:
    """The certificate's common name (else its whole subject), as people read it."""
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


def looks_signed(content: bytes) -> bool:
    """A cheap test before parsing: every PDF signature dictionary has a /ByteRange."""
    return content.startswith(b"%PDF-") and b"/ByteRange" in content


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
        _within_limits(reader)
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


def _within_limits(reader: PdfFileReader) -> None:
    if reader.xrefs.total_revisions > MAX_REVISIONS:
        raise TooComplex("revisions")
    size = reader.trailer_view.get("/Size", 0)
    if not isinstance(size, int) or size > MAX_OBJECTS:
        raise TooComplex("objects")
    form = _value(reader.root, "/AcroForm")
    fields = _value(form, "/Fields") if isinstance(form, generic.DictionaryObject) else None
    if not isinstance(fields, generic.ArrayObject):
        return
    # raw_get: the references themselves, so that a field listed twice (or a loop) is counted once
    stack, seen, count, signatures = [fields.raw_get(i) for i in range(len(fields))], set(), 0, 0
    while stack:
        item = stack.pop()
        if isinstance(item, generic.IndirectObject):
            if item.reference in seen:
                continue
            seen.add(item.reference)
            item = item.get_object()
        if not isinstance(item, generic.DictionaryObject):
            continue
        count += 1
        if count > MAX_FIELDS:
            raise TooComplex("fields")
        if _value(item, "/FT") == "/Sig" and "/V" in item:
            signatures += 1
            if signatures > MAX_SIGNATURES:
                raise TooComplex("signatures")
        kids = _value(item, "/Kids")
        if isinstance(kids, generic.ArrayObject):
            stack.extend(kids.raw_get(i) for i in range(len(kids)))


def _value(dictionary: generic.DictionaryObject, key: str):
    """The value under ``key``, its reference followed; None when absent."""
    value = dictionary.raw_get(key) if key in dictionary else None
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


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
