"""Passkeys with the ``webauthn`` package: discoverable, user-verified credentials.

Each ceremony is a begin/complete pair. ``begin`` keeps the challenge in the server-side
session; ``complete`` takes it out before checking anything, so a challenge is used once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from backend.accounts.models import Passkey, User
from backend.accounts.services import SignInError, display_phone, ensure_may_sign_in
from backend.core import clock
from backend.core.i18n import gettext
from backend.core.keys import PASSKEY_HANDLES, derive_key
from backend.settings import Settings

log = logging.getLogger(__name__)

CEREMONY_SECONDS = 180
"""How long the browser may take; a challenge older than this is refused as timed out."""
REGISTRATION = "webauthn_registration"
AUTHENTICATION = "webauthn_authentication"
NAME_MAX = 60


class PasskeyError(Exception):
    """A message for the person (already translated); never a stack trace."""


def user_handle(user: User, settings: Settings) -> bytes:
    """The WebAuthn user ID: stable per account, and no personal data (the spec forbids it)."""
    key = derive_key(settings.secret_key, PASSKEY_HANDLES)
    return hmac.new(key, f"passkey-user:{user.id}".encode(), hashlib.sha256).digest()[:16]


def _keep_challenge(session: dict[str, Any], key: str, challenge: bytes, user_id: int | None = None) -> None:
    session[key] = {"challenge": bytes_to_base64url(challenge), "at": time.time(), "uid": user_id}


def _take_challenge(session: dict[str, Any], key: str, user_id: int | None = None) -> bytes:
    kept = session.pop(key, None)
    if not kept or kept.get("uid") != user_id:
        raise PasskeyError(gettext("This passkey request is no longer valid. Start again."))
    if time.time() - kept["at"] > CEREMONY_SECONDS:
        raise PasskeyError(gettext("It took too long to use the passkey. Start again."))
    return base64url_to_bytes(kept["challenge"])


async def registration_options(user: User, settings: Settings, session: dict[str, Any]) -> str:
    """Options for ``navigator.credentials.create()``, as JSON; keeps the challenge in the session."""
    # Tortoise types values_list's rows as tuples whatever ``flat`` says: with flat=True they are the values.
    existing: list[str] = await Passkey.filter(user=user).values_list(  # type: ignore[assignment]
        "credential_id", flat=True)
    options = generate_registration_options(
        rp_id=settings.rp_id,
        rp_name=settings.webauthn_rp_name,
        user_id=user_handle(user, settings),
        user_name=display_phone(user.phone),
        user_display_name=user.full_name or display_phone(user.phone),
        timeout=CEREMONY_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in existing],
    )
    _keep_challenge(session, REGISTRATION, options.challenge, user.id)
    return options_to_json(options)


def clean_name(raw: str | None, fallback: str) -> str:
    name = " ".join((raw or "").split())[:NAME_MAX]
    return name or fallback


async def register(
    user: User, credential: dict[str, Any], name: str, settings: Settings, session: dict[str, Any]
) -> Passkey:
    """Check the browser's answer to ``create()`` and save the new passkey."""
    challenge = _take_challenge(session, REGISTRATION, user.id)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=settings.rp_id,
            expected_origin=settings.rp_origins,
            require_user_verification=True,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as exc:
        log.info("Passkey registration refused for user %s: %s", user.id, exc)
        raise PasskeyError(gettext("This passkey could not be checked, so it was not added. Try again.")) from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if await Passkey.exists(credential_id=credential_id):
        raise PasskeyError(gettext("This passkey is already saved."))
    return await Passkey.create(
        user=user,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=list(credential.get("response", {}).get("transports") or [])[:8],
        aaguid=str(verified.aaguid or ""),
        backed_up=bool(verified.credential_backed_up),
        name=clean_name(name, gettext("Passkey")),
    )


def authentication_options(settings: Settings, session: dict[str, Any]) -> str:
    """Options for ``navigator.credentials.get()`` with no allow-list: the passkey names the account."""
    options = generate_authentication_options(
        rp_id=settings.rp_id,
        timeout=CEREMONY_SECONDS * 1000,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    _keep_challenge(session, AUTHENTICATION, options.challenge)
    return options_to_json(options)


async def authenticate(credential: Any, settings: Settings, session: dict[str, Any]) -> Passkey:
    """Check the browser's answer to ``get()`` (any JSON: checked here); returns the passkey used, with its ``user``."""
    challenge = _take_challenge(session, AUTHENTICATION)
    passkey = None
    if isinstance(credential, dict) and isinstance(credential.get("id"), str):
        passkey = await Passkey.get_or_none(credential_id=credential["id"]).select_related("user")
    if passkey is None:
        raise PasskeyError(
            gettext(
                "This passkey is not registered with the portal, or it was removed. "
                "Sign in with your mobile number instead."
            )
        )
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=settings.rp_id,
            expected_origin=settings.rp_origins,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except InvalidAuthenticationResponse as exc:
        if "sign count" in str(exc):
            # A counter that goes backwards suggests a cloned authenticator: refuse, and say what to do.
            log.warning("Passkey %s counter went backwards: %s", passkey.id, exc)
            raise PasskeyError(
                gettext(
                    "This passkey may have been copied, so it was not accepted. Sign in with your mobile "
                    "number, then remove the passkey from your account."
                )
            ) from exc
        log.info("Passkey sign-in refused for passkey %s: %s", passkey.id, exc)
        raise PasskeyError(gettext("This passkey could not be checked. Try again.")) from exc
    except (WebAuthnException, KeyError, TypeError, ValueError) as exc:
        log.info("Malformed passkey sign-in for passkey %s: %s", passkey.id, exc)
        raise PasskeyError(gettext("This passkey could not be checked. Try again.")) from exc
    # Conditional update: of two sign-ins racing with the same counter, only one wins.
    updated = await Passkey.filter(id=passkey.id, sign_count=passkey.sign_count).update(
        sign_count=verified.new_sign_count, last_used_at=clock.now(), backed_up=verified.credential_backed_up
    )
    if not updated:
        raise PasskeyError(gettext("This passkey could not be checked. Try again."))
    try:
        ensure_may_sign_in(passkey.user)
    except SignInError as exc:
        raise PasskeyError(str(exc)) from exc
    return passkey
