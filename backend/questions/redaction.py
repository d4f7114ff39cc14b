"""Personal details out of a text before it is published: e-mail addresses, identity numbers, phone numbers."""

from __future__ import annotations

import re

MARK = "[…]"
"""What stands where a detail was: the same in every language."""

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A citizen identity number: 12 digits, maybe grouped by spaces, dots or dashes (001 190 012 345).
_IDENTITY = re.compile(r"(?<!\d)\d{3}(?:[\s.-]?\d{3}){3}(?!\d)")
# A Vietnamese phone: 0 or +84 / 84, then 9 (mobile) or 9-10 (landline) digits, grouped any way.
_PHONE = re.compile(r"(?<![\w+(])(?:\(?(?:\+?84|0))(?:[\s.()-]{0,2}\d){8,10}(?!\d)")


def redact(text: str) -> str:
    """``text`` with every e-mail address, 12-digit identity number and phone number replaced by ``MARK``."""
    text = _EMAIL.sub(MARK, text)
    text = _IDENTITY.sub(MARK, text)
    return _PHONE.sub(MARK, text)
