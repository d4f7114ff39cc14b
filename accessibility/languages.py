"""Is any Vietnamese text on a page read with another language's voice? (WCAG 3.1.2 Language of Parts)

Every text node is taken with the language it inherits (its closest ``lang``). A node in another
language than Vietnamese that reads as a Vietnamese text of the portal (an interface message's
Vietnamese, or a catalogue text's authoritative Vietnamese) is wrong: a screen reader would read it
with, say, a H'Mông or Chăm voice. The list of Vietnamese texts comes from the catalogues, not from the
i18n layer that marks fallbacks, so this check does not trust the code it checks.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from backend.core.catalogs import first, po_path, pot_path, read

TEXT_NODES = """
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.replace(/\\s+/g, " ").trim();
  const parent = node.parentElement;
  if (!text || !parent || parent.closest("script, style, template, [hidden], [aria-hidden=true]")) continue;
  const owner = parent.closest("[lang]");
  found.push([owner ? owner.getAttribute("lang") : "", text]);
}
return found;
"""
_VIETNAMESE_LETTERS = re.compile(r"[À-ỹĐđ]")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _texts(code: str, domains: tuple[str, ...]) -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """A language's texts: whole ones, and patterns for those with placeholders (``%(fee)s`` -> ``.+?``)."""
    whole: set[str] = set()
    patterns: list[re.Pattern] = []
    for domain in domains:
        path = pot_path(domain) if (code, domain) == ("vi", "content") else po_path(code, domain)
        for message in read(path) if path.exists() else ():
            text = _norm(message.id if (code, domain) == ("vi", "content") else first(message.string))
            if not message.id or not text:
                continue
            if _PLACEHOLDER.search(text):
                pieces = _PLACEHOLDER.split(text)
                if sum(len(p) for p in pieces) >= 12:
                    patterns.append(re.compile("^" + ".+?".join(re.escape(p) for p in pieces) + "$"))
            else:
                whole |= {text, text.rstrip(":")}
    return frozenset(whole), tuple(patterns)


@cache
def vietnamese_texts() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """The portal's Vietnamese texts (interface and catalogue) that use Vietnamese letters."""
    whole, patterns = _texts("vi", ("messages", "content"))
    return frozenset(t for t in whole if len(t) >= 4 and _VIETNAMESE_LETTERS.search(t)), patterns


@cache
def _own_texts(code: str) -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """The page language's own texts: where a translation reads like the Vietnamese (a name, a loan), it is not a
    fallback there."""
    return _texts(code, ("messages", "content"))


def _lang_base(lang: str) -> str:
    return lang.split("-")[0].lower()


def wrong_language(page_lang: str, nodes: list[list[str]]) -> list[str]:
    """The Vietnamese texts among ``nodes`` ([lang, text]) that inherit another language than Vietnamese."""
    if page_lang == "vi":
        return []
    whole, patterns = vietnamese_texts()
    same, same_patterns = _own_texts(page_lang) if page_lang != "en" else (frozenset(), ())
    wrong = []
    for lang, raw in nodes:
        if _lang_base(lang) == "vi" or not _VIETNAMESE_LETTERS.search(raw):
            continue
        text = _norm(raw).rstrip(":")
        if text in same or any(p.match(text) for p in same_patterns):
            continue
        if text in whole or _norm(raw) in whole or any(p.match(text) for p in patterns):
            wrong.append(f"{text[:80]!r} has lang={lang!r}")
    return wrong
