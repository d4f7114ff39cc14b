"""Reading a sign-in code from the SMS sandbox's messages, newest first.

News about a dossier goes to the same phone (it names the dossier: HS-...), so the newest message is not always
the code.
"""

from __future__ import annotations

import re


def sign_in_code(messages: list[dict]) -> str:
    """The 6-digit code in the newest message that is not news about a dossier."""
    for message in messages:
        if "HS-" not in message["text"]:
            found = re.search(r"\b(\d{6})\b", message["text"])
            assert found, f"no 6-digit code in {message['text']!r}"
            return found.group(1)
    raise AssertionError(f"no sign-in code among {len(messages)} text messages")
