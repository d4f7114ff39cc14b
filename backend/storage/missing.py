"""What every store shares: the error for a missing file, and which keys are allowed."""

from __future__ import annotations

import re

_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")


class Missing(LookupError):
    """Nothing is stored under this key."""


def check_key(key: str) -> str:
    """``key`` if it is a plain relative path (no ``..``, no leading ``/`` or dot): a key can never leave its store."""
    if not _KEY.fullmatch(key) or len(key) > 512:
        raise ValueError(f"not a storage key: {key!r}")
    return key
