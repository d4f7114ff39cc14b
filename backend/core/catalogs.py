"""Reading and writing the two gettext domains: ``messages`` (interface, English msgids) and ``content``.

Status of a translation in a ``.po`` file: no ``msgstr`` is *missing*; ``fuzzy`` is a *draft*, with a
translator comment ``origin: ...`` saying where it came from; a plain entry is *reviewed*, with a
comment ``reviewed: name, date``. Reviews made in the portal are kept in the database and exported back.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
DOMAINS = ("messages", "content")
PROJECT = "public-service-portal"
DRAFT_ORIGIN = "origin: AI draft from the Vietnamese (English as a second reference), 2026-12; needs native review"


def pot_path(domain: str) -> Path:
    return LOCALES / f"{domain}.pot"


def po_path(code: str, domain: str = "messages") -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        # Babel cannot parse locales CLDR does not know: read without one, the header keeps the code.
        return read_po(handle, locale=None, abort_invalid=True)


def write(catalog: Catalog, path: Path, *, width: int = 100) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=width, omit_header=False, sort_output=True, include_previous=False)


def set_language(catalog: Catalog, code: str) -> None:
    """Write ``code`` in the header, one plural form for the languages of Viet Nam (none inflects for number)."""
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() not in ("language", "plural-forms")]
    plural = "nplurals=2; plural=(n != 1);" if code == "en" else "nplurals=1; plural=0;"
    catalog.mime_headers = [*headers, ("Language", code), ("Plural-Forms", plural)]
    catalog._locale_identifier = code  # noqa: SLF001 - Babel keeps the header text here when it cannot parse it
    # Babel's own types say these private attributes only ever hold None (its __init__ sets them so).
    catalog._num_plurals = 2 if code == "en" else 1  # type: ignore[assignment]  # noqa: SLF001 - what write_po uses
    catalog._plural_expr = "(n != 1)" if code == "en" else "0"  # type: ignore[assignment]  # noqa: SLF001


def first(string: str | tuple | list | None) -> str:
    """The text of an entry, the first form of a plural one."""
    if isinstance(string, (tuple, list)):
        return string[0] if string else ""
    return string or ""


def status(message: Message) -> str:
    if not first(message.string):
        return "missing"
    return "draft" if "fuzzy" in message.flags else "reviewed"


def put_draft(message: Message, text: str, origin: str = DRAFT_ORIGIN) -> None:
    """Store ``text`` as a draft (fuzzy) with where it came from."""
    message.string = (text,) if message.pluralizable else text
    message.flags.add("fuzzy")
    message.user_comments = [c for c in message.user_comments if not c.startswith(("origin:", "reviewed:"))]
    message.user_comments.append(origin)
