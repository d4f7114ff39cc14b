"""The texts of a language as a translator sees them: keys, sources, status, the page each appears on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from backend.core.catalogs import DOMAINS, first
from backend.core.i18n import lazy_gettext
from backend.core.languages import LANGUAGES
from backend.core.text import fold
from backend.core.text_store import STORE, Source
from backend.translations.models import Proposal

CRITICAL_REASONS = {  # the reasons of locales/critical.json, in words a translator reads in their language
    "sign-in and security": lazy_gettext("sign-in and security"),
    "SMS and push texts": lazy_gettext("a text message or notification"),
    "fees and amounts": lazy_gettext("fees and amounts"),
    "declarations and legal wording": lazy_gettext("declarations and legal wording"),
    "the decision on a result": lazy_gettext("the decision on a result"),
}
STATUSES = ("missing", "draft", "reviewed", "proposed")
PAGE_SIZE = 25
TARGETS = tuple(code for code in LANGUAGES if code != "vi")
"""The languages translated from the authoritative Vietnamese (English included: its content texts)."""


def text_key(domain: str, msgid: str) -> str:
    return hashlib.sha256(f"{domain}\0{msgid}".encode()).hexdigest()[:24]


@lru_cache(maxsize=1)
def _by_key(version: int) -> dict[str, Source]:
    """``version``: the store's ``sources_version``, so texts added to it (``add_content``) are found."""
    return {text_key(s.domain, s.msgid): s for domain in DOMAINS for s in STORE.sources[domain].values()}


def source_for(key: str) -> Source | None:
    return _by_key(STORE.sources_version).get(key)


def vietnamese(source: Source) -> str:
    """The authoritative text a translator works from."""
    if source.domain == "content":
        return source.msgid
    entry = STORE.entry("vi", "messages", source.msgid)
    return first(entry.text) if entry else source.msgid


def english(source: Source) -> str:
    return source.msgid if source.domain == "messages" else source.english


# Where a translator can see a text in use: the page a template renders.
PAGES_BY_FILE = {
    "backend/templates/layouts/base.html": "/",
    "backend/catalogue/templates/catalogue/home.html": "/",
    "backend/catalogue/templates/catalogue/results.html": "/procedures?q=khai+sinh",
    "backend/catalogue/templates/catalogue/procedure.html": "/procedures/1.001193",
    "backend/accounts/templates/accounts/sign_in.html": "/sign-in",
    "backend/accounts/templates/accounts/display.html": "/display",
    "backend/dossiers/templates/dossiers/track.html": "/track",
    "backend/results/templates/results/verify.html": "/results/verify",
}


PAGES_BY_PACKAGE = {  # otherwise the main page of the part of the portal the text comes from
    "catalogue": "/procedures", "accounts": "/account", "identity": "/account/identity", "dossiers": "/my/dossiers",
    "desk": "/desk", "payments": "/my/dossiers", "delivery": "/my/dossiers", "feedback": "/my/dossiers",
    "results": "/results/verify", "notifications": "/account", "pwa": "/offline", "translations": "/languages",
    "templates": "/",
}


def page_for(source: Source) -> str | None:
    """A page (without the language prefix) where the text appears, when one is known."""
    for location in source.locations:
        if location.startswith("procedure "):
            return "/procedures/" + location.split(" ", 1)[1].split("/", 1)[0]
        if location.startswith("agency "):
            return "/procedures?agency=" + location.split(" ", 1)[1].split("/", 1)[0]
        if location in PAGES_BY_FILE:
            return PAGES_BY_FILE[location]
    for location in source.locations:
        for package, path in PAGES_BY_PACKAGE.items():
            if location.startswith(f"backend/{package}/"):
                return path
    return None


@dataclass
class TextRow:
    key: str
    source: Source
    vietnamese: str
    english: str
    status: str
    text: str
    pending: bool


async def _pending_keys(lang: str) -> set[str]:
    # Tortoise types values_list's rows as tuples whatever ``flat`` says: with flat=True they are the values.
    keys: list[str] = await Proposal.filter(  # type: ignore[assignment]
        language=lang, state="proposed").values_list("key", flat=True)
    return set(keys)


def row_for(lang: str, source: Source, pending: set[str]) -> TextRow:
    key = text_key(source.domain, source.msgid)
    entry = STORE.entry(lang, source.domain, source.msgid) if lang != "en" or source.domain == "content" else None
    if lang == "en" and source.domain == "messages":
        status, text = "reviewed", source.msgid
    elif lang == "en":
        status, text = ("reviewed" if source.english else "missing"), source.english
    else:
        status = STORE.status(lang, source.domain, source.msgid)
        text = first(entry.text) if entry else ""
    return TextRow(key, source, vietnamese(source), english(source), status, text, key in pending)


async def texts(lang: str, *, status: str = "", kind: str = "", q: str = "", offset: int = 0,
                limit: int = PAGE_SIZE) -> tuple[list[TextRow], int]:
    """One page of a language's texts, filtered by status (``proposed``: waiting for review), kind and words."""
    pending = await _pending_keys(lang)
    needle = fold(q) if q else ""
    matched: list[TextRow] = []
    for domain in DOMAINS:
        for source in STORE.sources[domain].values():
            if kind and source.kind != kind:
                continue
            row = row_for(lang, source, pending)
            if status == "proposed" and not row.pending or status not in ("", "proposed") and row.status != status:
                continue
            if needle and needle not in fold(f"{row.vietnamese} {row.english} {row.text}"):
                continue
            matched.append(row)
    return matched[offset : offset + limit], len(matched)


async def text_row(lang: str, key: str) -> TextRow | None:
    source = source_for(key)
    return row_for(lang, source, await _pending_keys(lang)) if source else None
