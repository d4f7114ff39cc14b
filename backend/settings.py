"""Settings: one typed class, read from the environment only when asked."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_SMS_KEY = "sandbox-key"
SANDBOX_REGISTRY_KEY = "sandbox-registry-key"
MIN_SECRET_KEY_LENGTH = 32


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the portal needs to know about where it runs."""

    database_url: str = ""
    """Tortoise URL: ``sqlite:///path`` (default, embedded) or ``postgres://...`` (production)."""
    data_dir: Path = ROOT / "data"
    """Where the SQLite file and uploaded documents live."""
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    """What each purpose's key is derived from (``backend.core.keys``). ``from_env`` takes SECRET_KEY; in demo mode
    without it, one kept in ``data_dir``."""
    demo_mode: bool = False
    """Shows the SMS sandbox outbox at /dev/outbox and mounts the sandboxes."""
    base_url: str = "http://localhost:8000"
    """Where citizens reach the portal (used in messages and to reach the local sandboxes)."""
    sms_gateway_url: str = ""
    """Base URL of the SMS gateway; empty means the local sandbox under ``base_url``."""
    sms_api_key: str = SANDBOX_SMS_KEY
    """Bearer token for the SMS gateway."""
    registry_url: str = ""
    """Base URL of the national population registry; empty means the local sandbox under ``base_url``."""
    registry_api_key: str = SANDBOX_REGISTRY_KEY
    """Bearer token for the population registry."""
    postal_service_url: str = ""
    """Base URL of the public postal service's shipment API; empty means the local sandbox under ``base_url``."""
    postal_api_key: str = "sandbox-postal-key"
    """Bearer token for the postal service."""
    postal_webhook_secret: str = "sandbox-postal-webhook-secret"
    """Shared secret that signs the postal service's tracking events (HMAC-SHA256). Required with a real service."""
    identity_max_attempts_per_day: int = 5
    """Identity numbers the registry may be asked about per account in 24 hours (limits guessing)."""
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_max_sends_per_hour: int = 5
    sign_in_codes_per_ip_per_hour: int = 10
    """Sign-in codes one client address may have sent in an hour, whatever the numbers (stops SMS pumping).
    Every limit per address also holds, ``network_limit_factor`` times larger, for the address's network.
    Behind carrier-grade NAT many people share an address: raise the limits per address if they trip them."""
    code_tries_per_ip_per_hour: int = 30
    """Sign-in codes one client address may try in an hour, on any numbers (each code also has its own tries)."""
    identity_checks_per_ip_per_hour: int = 20
    """Identity numbers one client address may have checked in the registry in an hour, on any accounts."""
    status_lookups_per_ip_per_minute: int = 60
    """Dossier status look-ups (``/api/v1/dossiers/{code}/status``) per client address in a minute."""
    result_checks_per_ip_per_hour: int = 20
    """Result PDFs one client address may upload for a signature check in an hour."""
    network_limit_factor: int = 3
    """A network (IPv4 /24, IPv6 /64) may do this many times what one address may."""
    session_max_age: int = 60 * 60 * 8
    upload_max_bytes: int = 10 * 1024 * 1024
    upload_dossier_quota_bytes: int = 60 * 1024 * 1024
    """UPLOAD_DOSSIER_QUOTA_BYTES: what the files of one dossier may take in all, the versions kept as the record of
    what the agency received included (replaced files the agency never received are deleted)."""
    upload_account_quota_bytes: int = 300 * 1024 * 1024
    """UPLOAD_ACCOUNT_QUOTA_BYTES: what the files of all one account's dossiers may take in all."""
    upload_dossier_max_files: int = 40
    """UPLOAD_DOSSIER_MAX_FILES: how many files one dossier may hold (current and kept versions)."""
    pdf_check_workers: int = 2
    """PDF_CHECK_WORKERS: processes that open uploads and check PDF signatures (pyHanko, Pillow), away from the
    event loop; a check waits for a free one. One or two per CPU core the portal may spend on them."""
    pdf_check_seconds: float = 10.0
    """PDF_CHECK_SECONDS: how long one file check may take (and wait for a worker); a check that takes longer is
    stopped, its worker killed and replaced, and the file called too complex to check."""
    secure_cookies: bool = False
    debug: bool = False
    template_reload: bool = False
    """TEMPLATE_RELOAD=1: an edited template shows at the next request (make run sets it); otherwise templates
    are read once, and a render does not look at their files."""
    webauthn_rp_id: str = ""
    """Passkeys' relying-party ID: the site's domain. Empty means the host of ``base_url``."""
    webauthn_origins: tuple[str, ...] = ()
    """Origins passkeys may be used from. Empty means the origin of ``base_url``."""
    webauthn_rp_name: str = "Public service portal"
    results_signing_dir: Path | None = None
    """Agencies' signing certificates (production): ``<agency code>.p12`` (or ``.pfx``), or ``<agency code>.key``
    with ``<agency code>.pem`` (certificate, then its chain); ``default.*`` serves agencies without their own.
    Empty: a demo certificate authority and agency certificates are created under ``data_dir / "pki"``."""
    results_signing_passphrase: str = ""
    """Passphrase of the PKCS#12 files or encrypted keys in ``results_signing_dir``."""
    results_trust_roots: tuple[Path, ...] = ()
    """PEM or DER files of the certificate authorities whose signatures the portal trusts (results and signed
    uploads), besides the demo authority when there is one."""
    results_tsa_url: str = ""
    """RFC 3161 time-stamping authority; when set, every result signature carries its timestamp."""
    vapid_private_key_file: Path | None = None
    """The Web Push (VAPID) private key, PEM. Empty: ``data_dir/vapid/private_key.pem``, created on first run."""
    vapid_subject: str = "mailto:support@dichvucong.example.vn"
    """Who push services contact about the portal's messages (a mailto: or https: URL)."""
    outbox_worker: bool = False
    """Deliver notifications from inside the web process (``make run``). Production runs ``manage worker``."""
    push_timeout: float = 10.0
    push_service_hosts: tuple[str, ...] = ()
    sandbox_push_url: str = ""
    """Demo mode: where the sandbox push service takes messages; the only local push endpoints accepted. Empty
    means the portal's own, ``base_url`` + ``/sandbox/push/``."""
    """Push services accepted besides the browsers' own (FCM, Mozilla, Windows, Apple): an in-house one, say."""
    payment_gateway_url: str = ""
    """Base URL of the VNPay-style payment gateway (``https://sandbox.vnpayment.vn``); empty means the local
    sandbox under ``base_url`` + ``/sandbox/payment``."""
    payment_tmn_code: str = "PORTAL01"
    """The portal's merchant (terminal) code at the payment gateway."""
    payment_hash_secret: str = "SANDBOXSECRETPORTAL0000000000001"
    """The secret shared with the payment gateway: signs pay URLs, callbacks and queries (HMAC-SHA512)."""
    storage_url: str = ""
    """STORAGE_URL: where uploaded documents and result PDFs are kept. Empty: under ``data_dir`` (one machine).
    ``s3://bucket/prefix``: S3-compatible object storage, which every server of the portal shares."""
    s3_endpoint_url: str = ""
    """S3_ENDPOINT_URL: the object store's address (MinIO, Ceph, a cloud's S3 endpoint); empty: AWS's own."""
    s3_region: str = ""
    """S3_REGION (or AWS_REGION): the bucket's region; empty: boto3's default."""
    s3_access_key_id: str = ""
    """AWS_ACCESS_KEY_ID for the bucket; empty: boto3's own chain (instance role, ~/.aws)."""
    s3_secret_access_key: str = ""
    """AWS_SECRET_ACCESS_KEY that goes with ``s3_access_key_id``."""
    workers: int = 1
    """WORKERS: web processes ``manage serve`` starts on one machine (about one per CPU core)."""

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite://{self.data_dir / 'portal.sqlite3'}")

    def insecure_settings(self) -> list[str]:
        """What outside demo mode is missing or unsafe in the portal's own settings, in sentences for the operator.
        (The payment and postal adapters check theirs; ``backend.deployment.problems`` gathers every list.)"""
        problems = []
        for name, url in (("SMS_GATEWAY_URL", self.sms_gateway_url), ("REGISTRY_URL", self.registry_url)):
            if not url:
                problems.append(f"{name} is not set: its sandbox runs only in demo mode")
            elif not url.startswith("https://"):
                problems.append(f"{name} does not start with https://: its key and citizens' data would go in clear")
        for name, key, sandbox in (("SMS_API_KEY", self.sms_api_key, SANDBOX_SMS_KEY),
                                   ("REGISTRY_API_KEY", self.registry_api_key, SANDBOX_REGISTRY_KEY)):
            if not key or key == sandbox:
                problems.append(f"{name} is the sandbox key, published in the repository")
        if not self.base_url.startswith("https://"):
            problems.append("BASE_URL does not start with https://: citizens must reach the portal over HTTPS")
        if not self.secure_cookies:
            problems.append("SECURE_COOKIES is off: the session cookie would also travel over plain http")
        if not self.secret_key:
            problems.append("SECRET_KEY is not set: CSRF tokens, handover codes and passkey handles need it")
        elif len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
        if self.vapid_private_key_file is None:
            problems.append("VAPID_PRIVATE_KEY_FILE is not set: a key created in DATA_DIR would differ per server, "
                            "and every browser's subscription would stop working with it")
        return problems

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def results_dir(self) -> Path:
        return self.data_dir / "results"

    @property
    def pki_dir(self) -> Path:
        """The demo certificate authority and agency keys (0o600), never in the repository."""
        return self.data_dir / "pki"

    @property
    def vapid_key_path(self) -> Path:
        return self.vapid_private_key_file or self.data_dir / "vapid" / "private_key.pem"

    @property
    def rp_id(self) -> str:
        return self.webauthn_rp_id or (urlsplit(self.base_url).hostname or "localhost")

    @property
    def rp_origins(self) -> list[str]:
        if self.webauthn_origins:
            return list(self.webauthn_origins)
        parts = urlsplit(self.base_url)
        return [f"{parts.scheme}://{parts.netloc}"]

    @property
    def sms_url(self) -> str:
        return self.sms_gateway_url or f"{self.base_url.rstrip('/')}/sandbox/sms"

    @property
    def sandbox_push_prefix(self) -> str:
        return self.sandbox_push_url or f"{self.base_url.rstrip('/')}/sandbox/push/"

    @property
    def postal_url(self) -> str:
        return self.postal_service_url or f"{self.base_url.rstrip('/')}/sandbox/postal"

    @property
    def registry_base_url(self) -> str:
        return self.registry_url or f"{self.base_url.rstrip('/')}/sandbox/registry"

    @property
    def payment_base_url(self) -> str:
        return self.payment_gateway_url or f"{self.base_url.rstrip('/')}/sandbox/payment"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from environment variables (``os.environ`` by default)."""
        env = dict(os.environ if env is None else env)
        port = env.get("PORT", "8000")
        kwargs: dict = {
            "database_url": env.get("DATABASE_URL", ""),
            "demo_mode": _flag(env.get("DEMO_MODE"), False),
            "base_url": env.get("BASE_URL", f"http://localhost:{port}"),
            "sms_gateway_url": env.get("SMS_GATEWAY_URL", ""),
            "sms_api_key": env.get("SMS_API_KEY", SANDBOX_SMS_KEY),
            "registry_url": env.get("REGISTRY_URL", ""),
            "registry_api_key": env.get("REGISTRY_API_KEY", SANDBOX_REGISTRY_KEY),
            "postal_service_url": env.get("POSTAL_SERVICE_URL", ""),
            "postal_api_key": env.get("POSTAL_API_KEY", cls.postal_api_key),
            "postal_webhook_secret": env.get("POSTAL_WEBHOOK_SECRET", cls.postal_webhook_secret),
            "secure_cookies": _flag(env.get("SECURE_COOKIES"), False),
            "debug": _flag(env.get("DEBUG"), False),
            "template_reload": _flag(env.get("TEMPLATE_RELOAD"), False),
            "webauthn_rp_id": env.get("WEBAUTHN_RP_ID", ""),
            "webauthn_origins": tuple(o.strip() for o in env.get("WEBAUTHN_ORIGINS", "").split(",") if o.strip()),
            "results_signing_dir": Path(env["RESULTS_SIGNING_DIR"]) if env.get("RESULTS_SIGNING_DIR") else None,
            "results_signing_passphrase": env.get("RESULTS_SIGNING_PASSPHRASE", ""),
            "results_trust_roots": tuple(
                Path(p.strip()) for p in env.get("RESULTS_TRUST_ROOTS", "").split(",") if p.strip()
            ),
            "results_tsa_url": env.get("RESULTS_TSA_URL", ""),
            "vapid_private_key_file": _path(env.get("VAPID_PRIVATE_KEY_FILE")),
            "vapid_subject": env.get("VAPID_SUBJECT", cls.vapid_subject),
            "outbox_worker": _flag(env.get("OUTBOX_WORKER"), True),
            "push_service_hosts": tuple(h.strip().lower() for h in env.get("PUSH_SERVICE_HOSTS", "").split(",")
                                        if h.strip()),
            "payment_gateway_url": env.get("PAYMENT_GATEWAY_URL", ""),
            "payment_tmn_code": env.get("PAYMENT_TMN_CODE", cls.payment_tmn_code),
            "payment_hash_secret": env.get("PAYMENT_HASH_SECRET", cls.payment_hash_secret),
            "storage_url": env.get("STORAGE_URL", "").strip(),
            "s3_endpoint_url": env.get("S3_ENDPOINT_URL", ""),
            "s3_region": env.get("S3_REGION") or env.get("AWS_REGION", ""),
            "s3_access_key_id": env.get("AWS_ACCESS_KEY_ID", ""),
            "s3_secret_access_key": env.get("AWS_SECRET_ACCESS_KEY", ""),
        }
        for name in RATE_LIMITS:  # e.g. SIGN_IN_CODES_PER_IP_PER_HOUR=50
            if env.get(name.upper()):
                kwargs[name] = _positive(name.upper(), env[name.upper()])
        if env.get("PDF_CHECK_WORKERS", "").strip().isdigit():
            kwargs["pdf_check_workers"] = max(1, int(env["PDF_CHECK_WORKERS"]))
        if env.get("WORKERS"):
            kwargs["workers"] = _positive("WORKERS", env["WORKERS"])
        if env.get("PDF_CHECK_SECONDS"):
            kwargs["pdf_check_seconds"] = float(env["PDF_CHECK_SECONDS"])
        for name in ("upload_dossier_quota_bytes", "upload_account_quota_bytes", "upload_dossier_max_files"):
            if env.get(name.upper(), "").strip().isdigit():  # e.g. UPLOAD_ACCOUNT_QUOTA_BYTES=524288000
                kwargs[name] = int(env[name.upper()])
        if kwargs["postal_service_url"] and not env.get("POSTAL_WEBHOOK_SECRET"):
            raise ValueError("POSTAL_WEBHOOK_SECRET must be set with POSTAL_SERVICE_URL: tracking events are signed")
        if env.get("DATA_DIR"):
            kwargs["data_dir"] = Path(env["DATA_DIR"])
        data_dir = kwargs.get("data_dir", cls.data_dir)
        # Outside demo mode a secret is given, never made up: it must be the same on every server and survive them.
        kwargs["secret_key"] = env.get("SECRET_KEY") or (_local_secret(data_dir) if kwargs["demo_mode"] else "")
        return cls(**kwargs)


RATE_LIMITS = ("sign_in_codes_per_ip_per_hour", "code_tries_per_ip_per_hour", "identity_checks_per_ip_per_hour",
               "status_lookups_per_ip_per_minute", "result_checks_per_ip_per_hour", "network_limit_factor",
               "otp_max_sends_per_hour")
"""Limits an operator may set in the environment (``OTP_MAX_SENDS_PER_HOUR=5``: codes texted to one number an hour)."""


def _positive(name: str, value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _local_secret(data_dir: Path) -> str:
    """A secret kept in the data folder, so restarting `make run` does not invalidate open forms."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def settings_of(connection: Any) -> Settings:
    """The running app's settings, for code Litestar's dependency injection does not reach (exception handlers,
    decorators around handlers): THE documented way. Handlers name ``settings: NamedDependency[Settings]``
    instead (backend/adapters.py); ``create_app`` puts them here."""
    return connection.app.state.settings
