"""``tool.py check [CODE]``: every draft and translation against the rules of ``backend.translations.checks``."""

from __future__ import annotations

from collections import Counter

from backend.core.catalogs import first
from backend.core.languages import LANGUAGES
from backend.core.text_store import STORE
from backend.translations.checks import check
from backend.translations.texts import english, vietnamese


def check_catalogues(only: str | None = None) -> int:
    """Print problems per language; returns how many translations would be refused (broken placeholders, HTML)."""
    refused = 0
    for code in LANGUAGES:
        if code in ("vi", "en") or (only and code != only):
            continue
        errors: list[str] = []
        warnings: Counter = Counter()
        examples: dict[str, str] = {}
        for domain, sources in STORE.sources.items():
            for source in sources.values():
                entry = STORE.entry(code, domain, source.msgid)
                if entry is None or not first(entry.text):
                    continue
                result = check(code, source.msgid, first(entry.text), vietnamese(source), english(source))
                errors += [f"  {source.msgid[:60]!r}: {e}" for e in result.errors]
                for warning in result.warnings:
                    kind = warning.split(":")[0].split("“")[0].strip()
                    warnings[kind] += 1
                    examples.setdefault(kind, f"{source.msgid[:50]!r} -> {first(entry.text)[:60]!r}: {warning}")
        refused += len(errors)
        print(f"{code}: {len(errors)} refused, {sum(warnings.values())} flagged for review")
        for line in errors[:20]:
            print(line)
        for kind, count in warnings.most_common():
            print(f"  flagged {count}× {kind} (e.g. {examples[kind]})")
    return refused
