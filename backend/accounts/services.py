"""Accounts: phone numbers, one-time codes and who is signed in."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import F

from backend.accounts.models import (
    AgencyRole,
    OneTimeCode,
    Passkey,
    PushSubscription,
    Role,
    SignInEvent,
    SignInMethod,
    User,
)
from backend.core import clock, sql
from backend.core.i18n import gettext
from backend.limits.services import HOUR, Limit, Refused, per_client, refused_message, take
from backend.settings import Settings
from backend.sms.gateway import HttpSmsGateway, SmsError

_PHONE = re.compile(r"^(?:\+?84|0)([35789][0-9]{8})$", re.ASCII)


class SignInError(Exception):
    """A message for the person signing in (already translated)."""


class SignInLimited(SignInError):
    """Over a limit on codes sent or tried: the page answers HTTP 429."""


def normalise_phone(raw: str) -> str | None:
    """``0912 345 678`` or ``+84912345678`` -> ``84912345678``; None when it is not a Vietnamese mobile."""
    # Full-width digits (０９…) become ASCII; other scripts' digits are refused: one number, one account.
    match = _PHONE.match(re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", raw or "")))
    return f"84{match.group(1)}" if match else None


_PLATFORMS = {"android": "android", "ios": "iphone", "windows": "windows", "macos": "mac", "chrome os": "chromebook",
              "chromium os": "chromebook", "linux": "linux"}  # Sec-CH-UA-Platform, as Chromium sends it
_AGENTS = (("iphone", "iphone"), ("ipad", "ipad"), ("android", "android"), ("windows", "windows"),
           ("macintosh", "mac"), ("cros", "chromebook"), ("linux", "linux"))
_PHONES = ("iphone", "ipad", "android")


def _device_label(kind: str) -> str:
    return {
        "iphone": gettext("iPhone"), "ipad": gettext("iPad"), "android": gettext("Android phone"),
        "windows": gettext("Windows computer"), "mac": gettext("Mac"), "chromebook": gettext("Chromebook"),
        "linux": gettext("Linux computer"), "phone": gettext("This phone"),
    }[kind]


def device_name(user_agent: str, fallback: str | None = None, *, platform: str = "", mobile: str = "") -> str:
    """A first name for a new passkey or push device: from the browser's client hints (``Sec-CH-UA-Platform`` and
    ``Sec-CH-UA-Mobile``, which Chromium sends on every request), else from its user agent. Unsure on a mobile device
    (a phone asking for the desktop site says "X11; Linux"): "This phone", never "Linux computer"."""
    ua = user_agent.lower()
    kind = _PLATFORMS.get(platform.strip().strip('"').lower()) or next(
        (kind for needle, kind in _AGENTS if needle in ua), None)
    on_a_phone = mobile.strip() == "?1" or (not mobile and "mobile" in ua)
    if on_a_phone and kind not in _PHONES:
        return _device_label("phone")
    if kind == "linux" and "x11" not in ua and not platform:
        return _device_label("phone")  # "Linux" alone, without a desktop's X11: an Android that hides itself
    return _device_label(kind) if kind else fallback or gettext("Passkey")


def device_name_of(headers: Mapping[str, str], fallback: str | None = None) -> str:
    """``device_name`` from a request's headers."""
    return device_name(headers.get("user-agent", ""), fallback, platform=headers.get("sec-ch-ua-platform", ""),
                       mobile=headers.get("sec-ch-ua-mobile", ""))


def display_phone(phone: str) -> str:
    return "0" + phone[2:] if phone.startswith("84") else phone


def _hash(code: str, salt: str) -> str:
    return salt + "$" + hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _matches(code: str, stored: str) -> bool:
    salt = stored.split("$", 1)[0]
    return hmac.compare_digest(_hash(code, salt), stored)


def hash_code(code: str) -> str:
    """A one-time code as kept in the database (salted): sign-in codes here, a helper's consent codes too."""
    return _hash(code, secrets.token_hex(8))


def code_matches(code: str, stored: str) -> bool:
    return _matches(code.strip(), stored)


@dataclass
class CodeSender:
    settings: Settings
    gateway: HttpSmsGateway

    async def send(self, phone: str, client: str | None = None) -> None:
        """Send a fresh code. Same outcome whether or not the number has an account.

        Counted before anything is sent, atomically: per client address and network (SMS pumping sends to many
        numbers from one client) and per number. ``client`` is the request's client address.
        """
        settings = self.settings
        per_number = Limit("code-number", settings.otp_max_sends_per_hour, HOUR)
        per_address = Limit("code-send", settings.sign_in_codes_per_ip_per_hour, HOUR)
        try:
            await take(*per_client(per_address, client, settings.network_limit_factor), (per_number, phone))
        except Refused as exc:
            if exc.limit is per_number:
                message = gettext("Too many codes were sent to this number. Wait an hour and try again.")
                raise SignInLimited(message) from exc
            raise SignInLimited(refused_message(exc)) from exc
        code = f"{secrets.randbelow(1_000_000):06d}"
        await OneTimeCode.filter(phone=phone, used_at__isnull=True).update(used_at=clock.now())
        await OneTimeCode.create(
            phone=phone,
            code_hash=_hash(code, secrets.token_hex(8)),
            expires_at=clock.now() + timedelta(seconds=self.settings.otp_ttl_seconds),
        )
        minutes = self.settings.otp_ttl_seconds // 60
        text = gettext(
            "%(code)s is your code for the public service portal. It expires in %(minutes)s minutes. "
            "Never give it to anyone.",
            code=code,
            minutes=minutes,
        )
        try:
            await self.gateway.send(phone, text)
        except SmsError as exc:
            raise SignInError(gettext("We could not send the text message. Try again in a minute.")) from exc


async def verify_code(phone: str, code: str, settings: Settings, client: str | None = None) -> User:
    """Check a code; on success mark it used and return the account (created for a new citizen).

    Each try also counts for the client's address and network (``client``): one client cannot try the codes
    of many numbers at once.
    """
    try:
        await take(*per_client(Limit("code-try", settings.code_tries_per_ip_per_hour, HOUR), client,
                               settings.network_limit_factor))
    except Refused as exc:
        raise SignInLimited(refused_message(exc)) from exc
    record = await OneTimeCode.filter(phone=phone, used_at__isnull=True).order_by("-id").first()
    wrong = gettext("The code is wrong or has expired. Check the last text message or ask for a new code.")
    if record is None or record.expires_at <= clock.now():
        raise SignInError(wrong)
    # Each try is counted before the code is compared, in one conditional UPDATE: requests sent at once
    # cannot all read "4 tries so far" and all go on comparing.
    counted = await OneTimeCode.filter(
        id=record.id, used_at__isnull=True, attempts__lt=settings.otp_max_attempts
    ).update(attempts=F("attempts") + 1)
    if not counted:
        raise SignInError(gettext("Too many wrong codes. Ask for a new code."))
    if not _matches(code.strip(), record.code_hash):
        raise SignInError(wrong)
    if not await OneTimeCode.filter(id=record.id, used_at__isnull=True).update(used_at=clock.now()):
        raise SignInError(wrong)  # the same code was used a moment ago: one code, one session
    user, _ = await User.get_or_create(phone=phone, defaults={"role": Role.CITIZEN})
    ensure_may_sign_in(user)
    return user


def ensure_may_sign_in(user: User) -> None:
    """A deactivated official cannot sign in, whichever way, until their agency reactivates them."""
    if not user.active:
        raise SignInError(gettext(
            "This staff account has been deactivated, so it cannot sign in. Ask your agency's administrator."
        ))


_ENUMS = {"role": Role, "agency_role": AgencyRole}


async def user_by_id(user_id: int | None) -> User | None:
    """The account a session names; plain SQL, since every signed-in request asks (issue 15)."""
    if not user_id:
        return None
    rows = await sql.fetch('SELECT * FROM "user_account" WHERE "id" = ?', user_id)
    return sql.model_from_row(User, rows[0], _ENUMS) if rows else None


async def remember_language(user: User, lang: str) -> None:
    """The account reads the portal in ``lang`` now: messages no dossier speaks for go in it (one UPDATE a change)."""
    user.language = lang
    # Only while the session still stands: a request begun before the account was closed writes nothing back.
    await User.filter(id=user.id, active=True, closed_at__isnull=True, session_epoch=user.session_epoch).update(
        language=lang)


async def record_sign_in(
    user: User, method: SignInMethod, *, user_agent: str = "", ip_address: str = "", passkey_name: str = ""
) -> None:
    user.last_sign_in_at = clock.now()
    await user.save(update_fields=["last_sign_in_at"])
    await SignInEvent.create(
        user=user, method=method, user_agent=user_agent[:300], ip_address=ip_address[:64], passkey_name=passkey_name
    )


async def sign_out_everywhere(user: User, *, user_agent: str = "", ip_address: str = "") -> None:
    """Every session of this account, on every device, stops working at its next request; no device keeps
    getting its notifications (a lost phone among them)."""
    await User.filter(id=user.id).update(session_epoch=F("session_epoch") + 1)
    await PushSubscription.filter(user=user).delete()
    await SignInEvent.create(
        user=user, method=SignInMethod.SIGNED_OUT_EVERYWHERE, user_agent=user_agent[:300], ip_address=ip_address[:64]
    )


async def push_devices(user: User) -> list[PushSubscription]:
    """The devices this account gets notifications on (the account page lists them, each with its remove button)."""
    return await PushSubscription.filter(user=user).order_by("created_at", "id")


async def sign_in_history(user: User, limit: int = 20) -> list[SignInEvent]:
    return await SignInEvent.filter(user=user).order_by("-id").limit(limit)


async def user_passkeys(user: User) -> list[Passkey]:
    return await Passkey.filter(user=user).order_by("created_at", "id")


async def rename_passkey(user: User, passkey_id: int, name: str) -> Passkey | None:
    """None when the passkey is not this person's. The caller checks the name first."""
    passkey = await Passkey.get_or_none(id=passkey_id, user=user)
    if passkey is not None:
        passkey.name = name
        await passkey.save(update_fields=["name"])
    return passkey


async def remove_passkey(user: User, passkey_id: int) -> bool:
    return await Passkey.filter(id=passkey_id, user=user).delete() > 0
