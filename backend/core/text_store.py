"""Every translated text of the portal, with its status, read from ``locales/`` and kept up to date.

Two gettext domains: ``messages`` (interface texts, English msgids) and ``content`` (catalogue texts:
procedures, forms, agencies; keyed on their authoritative Vietnamese). Each translation is a *draft*
(fuzzy in the ``.po``) or *reviewed*; a missing one is absent. Approvals made in the portal are laid
over the files (``set_live``) so they show without a deploy. Critical texts (``locales/critical.json``)
are used only when reviewed.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from backend.core.catalogs import DOMAINS, LOCALES, first, po_path, pot_path, read
from backend.core.critical import content_reason, message_reason
from backend.core.languages import CODES


@dataclass(frozen=True)
class Entry:
    text: str | tuple[str, ...]
    status: str
    """``draft`` or ``reviewed``."""
    origin: str = ""


@dataclass(frozen=True)
class Source:
    """A text to translate, as the template (``.pot``) describes it."""

    msgid: str
    domain: str
    plural: str = ""
    locations: tuple[str, ...] = ()
    english: str = ""
    """For content: the English text beside the Vietnamese source."""
    critical: str | None = None
    """Why the text is critical, or None."""

    @property
    def kind(self) -> str:
        """``interface``, ``pdf``, ``catalogue`` or ``forms``: how the report groups texts."""
        if self.domain == "messages":
            return "pdf" if "backend/results/pdf.py" in self.locations else "interface"
        return "forms" if any("/form/" in loc for loc in self.locations) else "catalogue"


class TextStore:
    def __init__(self) -> None:
        self._catalogues: dict[tuple[str, str], dict[str, Entry]] = {}
        self._live: dict[tuple[str, str], dict[str, Entry]] = {}
        self.version = 0
        """Changes whenever a shown text does: copies of pages made before it are stale (``core.caching``)."""
        self._answers: dict[tuple[str, str, str, bool], Entry | None] = {}
        self._answers_version = 0
        self.sources_version = 0
        """Changes whenever a source is added (``add_content``): lists of sources made before it are stale."""

    @cached_property
    def sources(self) -> dict[str, dict[str, Source]]:
        """Every text to translate, by domain and msgid (for plural messages, the singular)."""
        found: dict[str, dict[str, Source]] = {}
        for domain in DOMAINS:
            found[domain] = {}
            for message in read(pot_path(domain)):
                if not message.id:
                    continue
                msgid = first(message.id)
                if domain == "messages":
                    files = sorted({loc for loc, _line in message.locations})
                    source = Source(msgid, domain, message.id[1] if message.pluralizable else "", tuple(files),
                                    critical=message_reason(msgid, files))
                else:
                    where = tuple(c[4:] for c in message.auto_comments if c.startswith("in: "))
                    english = next((c[4:] for c in message.auto_comments if c.startswith("en: ")), "")
                    source = Source(msgid, domain, locations=where, english=english, critical=content_reason(where))
                found[domain][msgid] = source
        return found

    def add_content(self, texts: Iterable[tuple[str, str, str]]) -> int:
        """Add content texts that are not in ``content.pot`` yet, as (Vietnamese, English, where): the texts of
        procedures made or changed in the portal's editor, so that translators see them before the next
        extraction. Returns how many were new."""
        sources = self.sources["content"]
        new = 0
        for vietnamese, english, where in texts:
            if vietnamese.strip() and vietnamese not in sources:
                sources[vietnamese] = Source(vietnamese, "content", locations=(where,), english=english,
                                             critical=content_reason((where,)))
                new += 1
        if new:
            self.sources_version += 1
        return new

    def _file_entries(self, code: str, domain: str) -> dict[str, Entry]:
        key = (code, domain)
        if key not in self._catalogues:
            entries: dict[str, Entry] = {}
            path = po_path(code, domain)
            if path.exists():
                for message in read(path):
                    if message.id and message.string and first(message.string):
                        origin = next((c for c in message.user_comments if c.startswith("origin:")), "")
                        status = "draft" if "fuzzy" in message.flags else "reviewed"
                        text = tuple(message.string) if isinstance(message.string, (tuple, list)) else message.string
                        entries[first(message.id)] = Entry(text, status, origin)
            self._catalogues[key] = entries
        return self._catalogues[key]

    def entry(self, code: str, domain: str, msgid: str) -> Entry | None:
        """The translation shown for ``msgid`` in ``code``: an approval in the portal, else the file's."""
        live = self._live.get((code, domain))
        if live and msgid in live:
            return live[msgid]
        return self._file_entries(code, domain).get(msgid)

    def is_critical(self, domain: str, msgid: str) -> bool:
        source = self.sources[domain].get(msgid)
        return bool(source and source.critical)

    def usable(self, code: str, domain: str, msgid: str, *, drafts: bool) -> Entry | None:
        """The entry if it may be shown: reviewed, or a draft of a non-critical text when drafts are wanted.
        Each answer is kept until the texts change (``version``): a page asks for three dozen texts, each a walk
        through the language's fallbacks (a quarter of a signed-in page's time before)."""
        if self._answers_version != self.version or len(self._answers) > 200_000:
            self._answers.clear()
            self._answers_version = self.version
        key = (code, domain, msgid, drafts)
        try:
            return self._answers[key]
        except KeyError:
            found = self._answers[key] = self._usable(code, domain, msgid, drafts=drafts)
            return found

    def _usable(self, code: str, domain: str, msgid: str, *, drafts: bool) -> Entry | None:
        entry = self.entry(code, domain, msgid)
        if entry is None or not first(entry.text):
            return None
        if entry.status == "reviewed":
            return entry
        return entry if drafts and not self.is_critical(domain, msgid) else None

    def set_live(self, code: str, domain: str, msgid: str, text: str, status: str = "reviewed") -> None:
        """Lay a translation approved in the portal over the files, in this process."""
        entry = Entry(text, status, "approved in the portal")
        live = self._live.setdefault((code, domain), {})
        if live.get(msgid) != entry:  # the periodic refresh lays the latest approval again: no change, no new version
            live[msgid] = entry
            self.version += 1

    def clear_live(self) -> None:
        """Forget approvals laid over the files (tests start from the files alone)."""
        self._live.clear()
        self.version += 1

    def coverage_table(self) -> dict[str, dict[str, dict[str, int]]]:
        return {code: coverage(self, code) for code in CODES}

    def status(self, code: str, domain: str, msgid: str) -> str:
        entry = self.entry(code, domain, msgid)
        return "missing" if entry is None or not first(entry.text) else entry.status


def plural_index(code: str, n: int) -> int:
    """English has two forms; the languages of Viet Nam have one."""
    return stdlib_gettext.c2py("(n != 1)")(n) if code == "en" else 0


STORE = TextStore()
__all__ = ["LOCALES", "STORE", "Entry", "Source", "TextStore", "plural_index"]


KINDS = ("interface", "catalogue", "forms", "pdf")


def coverage(store: TextStore, code: str) -> dict[str, dict[str, int]]:
    """Per kind (and ``all``): how many texts of ``code`` are reviewed, draft or missing."""
    table: dict[str, dict[str, int]] = {}
    for domain, sources in store.sources.items():
        for source in sources.values():
            if code == "en":
                status = "reviewed" if source.domain == "messages" or source.english else "missing"
            elif code == "vi":
                status = "reviewed" if source.domain == "content" else store.status(code, domain, source.msgid)
            else:
                status = store.status(code, domain, source.msgid)
            for kind in (source.kind, "all"):
                counts = table.setdefault(kind, {"reviewed": 0, "draft": 0, "missing": 0, "total": 0})
                counts[status] += 1
                counts["total"] += 1
    return table
