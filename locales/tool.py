"""One command for the translation catalogues: ``python locales/tool.py extract|compile|report``.

- ``extract``: Python and Jinja2 -> ``messages.pot``, then every ``<code>/LC_MESSAGES/messages.po``
  is updated (created when missing, from the template, with its own ``Language`` header even for
  codes that CLDR does not know, such as ``tyz``).
- ``compile``: ``.po`` -> ``.mo`` (not committed). Drafts (fuzzy entries) of languages still under
  community review are compiled too, and the pages in those languages say they are drafts.
- ``report``: per language, translated / draft / missing, for the interface and the catalogue content.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from backend.core.languages import LANGUAGES  # noqa: E402

LOCALES = ROOT / "locales"
POT = LOCALES / "messages.pot"
PROJECT = "public-service-portal"


def po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / "messages.po"


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        # Babel cannot parse locales CLDR does not know: read without one, the header keeps the code.
        return read_po(handle, locale=None, abort_invalid=True)


def write(catalog: Catalog, path: Path, *, width: int = 100) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=width, omit_header=False, sort_output=True, include_previous=False)


def extract() -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(LOCALES / "babel.cfg"),
         "-k", "lazy_gettext", "--no-location", "--sort-output", "--project", PROJECT,
         "-o", str(POT), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    template = read(POT)
    for code in LANGUAGES:
        if code == "en":
            continue  # the source language: the English texts are the msgids themselves
        path = po_path(code)
        catalog = read(path) if path.exists() else Catalog(project=PROJECT, fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
        for message in catalog:  # messages Babel guessed from similar ones are not drafts anyone wrote
            if message.id and "fuzzy" in message.flags and not message.string:
                message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        catalog.language_team = f"{LANGUAGES[code].english} <translators@portal.example>"
        _set_language(catalog, code)
        write(catalog, path)
    print(f"{POT.relative_to(ROOT)}: {len(template)} messages; catalogues updated for {len(LANGUAGES) - 1} languages")


def _set_language(catalog: Catalog, code: str) -> None:
    # Catalog.locale must be a CLDR locale; the header is what compiled catalogues carry.
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "language"]
    catalog.mime_headers = [*headers, ("Language", code)]
    catalog._locale_identifier = code  # noqa: SLF001 - Babel keeps the header text here when it cannot parse it


def compile_all() -> None:
    for code, language in LANGUAGES.items():
        path = po_path(code)
        if not path.exists():
            continue
        catalog = read(path)
        use_fuzzy = not language.reviewed
        with (path.parent / "messages.mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=use_fuzzy)
    print("compiled catalogues: " + ", ".join(c for c in LANGUAGES if po_path(c).exists()))


def interface_counts(code: str) -> tuple[int, int, int]:
    """(translated, draft, missing) interface messages for one language."""
    messages = [m for m in read(po_path(code)) if m.id] if po_path(code).exists() else []
    total = len([m for m in read(POT) if m.id])
    translated = sum(1 for m in messages if m.string and (m.string[0] if isinstance(m.string, tuple) else m.string)
                     and "fuzzy" not in m.flags)
    draft = sum(1 for m in messages if m.string and "fuzzy" in m.flags)
    return translated, draft, total - translated - draft


def report() -> None:
    from backend.catalogue.translations import content_coverage

    content = content_coverage()
    print(f"{'language':<22} {'interface: translated':>22} {'draft':>6} {'missing':>8}   "
          f"{'content: translated':>20} {'draft':>6} {'missing':>8}")
    for code, language in LANGUAGES.items():
        if code == "en":
            ui = (len([m for m in read(POT) if m.id]), 0, 0)
        else:
            ui = interface_counts(code)
        c = content.get(code, (0, 0, 0))
        label = f"{code} {language.english}"
        print(f"{label:<22} {ui[0]:>22} {ui[1]:>6} {ui[2]:>8}   {c[0]:>20} {c[1]:>6} {c[2]:>8}")
    print("draft = written for community review (shown with a notice); missing = shown in Vietnamese")


if __name__ == "__main__":
    commands = {"extract": extract, "compile": compile_all, "report": report}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python locales/tool.py {'|'.join(commands)}")
    commands[sys.argv[1]]()
