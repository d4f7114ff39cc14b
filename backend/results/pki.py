"""Signing keys and certificates, and the roots the portal trusts.

Production sets ``results_signing_dir``: each agency's key and certificate are loaded from there (PKCS#12, or
PEM key + PEM certificate chain), and only the roots in ``results_trust_roots`` are trusted. Without it, the
portal is its own demo certificate authority: on first run it creates an EC P-256 root under
``data_dir / "pki"`` and, on first use, one certificate per agency signed by it. Private keys are written with
mode 0o600 in a 0o700 folder, and never leave the data folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from backend.documents.findings import fingerprint, subject_name
from backend.settings import Settings

CA_DAYS = 3650
AGENCY_DAYS = 3 * 365
RENEW_BEFORE = timedelta(days=30)
PORTAL_NAME = "Cổng Dịch vụ công quốc gia"


class SigningUnavailable(Exception):
    """No key and certificate to sign for this agency (production configuration is incomplete)."""


@dataclass(frozen=True)
class AgencySigner:
    """What pyHanko signs with, and how the portal records who signed."""

    signer: SimpleSigner
    fingerprint: str
    """SHA-256 of the signing certificate (DER), in hex."""
    subject: str


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def make_signer(key, certificate: x509.Certificate, chain: list[x509.Certificate]) -> AgencySigner:
    """An ``AgencySigner`` from cryptography objects (EC or RSA keys)."""
    cert = _asn1_cert(certificate)
    signer = SimpleSigner(
        signing_cert=cert,
        signing_key=_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )
    return AgencySigner(signer, fingerprint(cert), subject_name(cert))


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle, or the one in a DER file."""
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


# -- files ---------------------------------------------------------------------------------------------------


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write atomically, created with ``mode`` from the start (a key is never readable by others, even briefly)."""
    temporary = path.with_name(f".{path.name}.part")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, mode)
    os.replace(temporary, path)


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One process at a time creates keys (several workers may start together)."""
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert_pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


def _name(common_name: str, unit: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, PORTAL_NAME),
    ]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(attributes)


def _usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer, content_commitment=signer, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=not signer, crl_sign=not signer, encipher_only=False,
        decipher_only=False,
    )


def create_ca(common_name: str = f"{PORTAL_NAME} – CA thử nghiệm (demo)", days: int = CA_DAYS):
    """A self-signed EC P-256 root: ``(key, certificate)``. Tests use it too, for "unknown" authorities."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def issue_certificate(ca_key, ca_cert: x509.Certificate, common_name: str, unit: str = "",
                      days: int = AGENCY_DAYS):
    """An EC P-256 document-signing certificate under ``ca_cert``: ``(key, certificate)``."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, unit))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signer=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _safe(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", code) or "_"


# -- the two sources of keys --------------------------------------------------------------------------------


class DemoAuthority:
    """The portal's own certificate authority under ``directory``, created on first run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        _private_dir(directory)
        with _locked(directory):
            if not (self.directory / "ca.pem").exists():
                key, certificate = create_ca()
                _write(directory / "ca-key.pem", _key_pem(key), 0o600)
                _write(directory / "ca.pem", _cert_pem(certificate), 0o644)
        self.ca_key = serialization.load_pem_private_key((directory / "ca-key.pem").read_bytes(), None)
        self.ca_cert = x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes())

    def signer(self, agency_code: str, agency_name: str) -> AgencySigner:
        folder = self.directory / "agencies"
        key_path, cert_path = folder / f"{_safe(agency_code)}-key.pem", folder / f"{_safe(agency_code)}.pem"
        with _locked(self.directory):
            _private_dir(folder)
            if not cert_path.exists() or self._expiring(cert_path):
                key, certificate = issue_certificate(self.ca_key, self.ca_cert, agency_name, agency_code)
                _write(key_path, _key_pem(key), 0o600)
                _write(cert_path, _cert_pem(certificate, self.ca_cert), 0o644)
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
        certificate, *chain = load_certificates(cert_path)
        return make_signer(key, certificate, chain)

    @staticmethod
    def _expiring(cert_path: Path) -> bool:
        certificate = load_certificates(cert_path)[0]
        return certificate.not_valid_after_utc - datetime.now(UTC) < RENEW_BEFORE


class CertificateFolder:
    """Production: ``<agency code>.p12``/``.pfx``, or ``<agency code>.key`` with ``<agency code>.pem``."""

    def __init__(self, directory: Path, passphrase: str = "") -> None:
        self.directory = directory
        self.passphrase = passphrase.encode() or None

    def signer(self, agency_code: str, agency_name: str) -> AgencySigner:
        for stem in (_safe(agency_code), "default"):
            for suffix in (".p12", ".pfx"):
                path = self.directory / f"{stem}{suffix}"
                if path.exists():
                    key, certificate, chain = pkcs12.load_key_and_certificates(path.read_bytes(), self.passphrase)
                    if key is None or certificate is None:
                        raise SigningUnavailable(f"{path.name} holds no key and certificate")
                    return make_signer(key, certificate, list(chain))
            key_path, cert_path = self.directory / f"{stem}.key", self.directory / f"{stem}.pem"
            if key_path.exists() and cert_path.exists():
                key = serialization.load_pem_private_key(key_path.read_bytes(), self.passphrase)
                certificate, *chain = load_certificates(cert_path)
                return make_signer(key, certificate, chain)
        raise SigningUnavailable(f"No signing certificate for agency {agency_code} in {self.directory}")


class Pki:
    """Signers per agency, and the trust roots for checking signatures."""

    def __init__(self, settings: Settings) -> None:
        self.demo = DemoAuthority(settings.pki_dir) if settings.results_signing_dir is None else None
        self.folder = (
            CertificateFolder(settings.results_signing_dir, settings.results_signing_passphrase)
            if settings.results_signing_dir is not None else None
        )
        roots = [self.demo.ca_cert] if self.demo else []
        for path in settings.results_trust_roots:
            roots += load_certificates(path)
        self.trust_roots: list[asn1_x509.Certificate] = [_asn1_cert(c) for c in roots]
        self._signers: dict[str, AgencySigner] = {}

    def signer(self, agency_code: str, agency_name: str) -> AgencySigner:
        """The agency's signer, read once per process (again when its certificate nears its end)."""
        cached = self._signers.get(agency_code)
        if (cached is None or cached.signer.signing_cert is None
                or cached.signer.signing_cert.not_valid_after - datetime.now(UTC) < RENEW_BEFORE):
            source = self.demo or self.folder
            assert source is not None  # the demo authority, or the folder RESULTS_SIGNING_DIR names
            cached = self._signers[agency_code] = source.signer(agency_code, agency_name)
        return cached
