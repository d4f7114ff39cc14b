"""What a file check finds, as plain data: verdicts, signature summaries, certificate names."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum

from asn1crypto import x509 as asn1_x509


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
