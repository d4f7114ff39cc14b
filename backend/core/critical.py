"""Which texts are critical (``locales/critical.json``): shown only once two reviewers approved them."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "locales" / "critical.json"


@cache
def _rules() -> dict:
    return json.loads(RULES.read_text(encoding="utf-8"))


def message_reason(msgid: str, files: list[str]) -> str | None:
    """Why an interface message is critical, or None."""
    for reason, rule in _rules()["messages"].items():
        if any(f in rule["files"] for f in files) or any(re.search(p, msgid) for p in rule["patterns"]):
            return reason
    return None


def content_reason(locations: Sequence[str]) -> str | None:
    """Why a catalogue text is critical (from where it is used), or None."""
    for reason, patterns in _rules()["content"].items():
        if any(re.search(p, loc) for p in patterns for loc in locations):
            return reason
    return None
