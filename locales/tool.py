"""One command for the translation catalogues: ``python locales/tool.py COMMAND``.

- ``extract``: Python and Jinja2 -> ``messages.pot`` (interface), the catalogue data -> ``content.pot``
  (every Vietnamese text of procedures, forms and agencies); then every language's ``messages.po`` and
  ``content.po`` is updated (created when missing, with its own ``Language`` header even for codes that
  CLDR does not know, such as ``tyz``).
- ``compile``: checks that every catalogue parses (the portal reads the ``.po`` files themselves).
- ``report``: per language and per kind (interface, catalogue, forms, PDF): reviewed, draft, missing.
- ``check [CODE]``: placeholders, letters of the language's orthography, Vietnamese left in a
  translation, the glossary; exits 1 when a draft breaks a rule.
- ``work-export CODE FILE`` / ``work-import CODE FILE``: a JSON work list for a translator (Vietnamese
  source, English reference, current text) and its return as drafts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402

from backend.core.catalogs import (  # noqa: E402
    DOMAINS,
    LOCALES,
    PROJECT,
    first,
    po_path,
    pot_path,
    put_draft,
    read,
    set_language,
    write,
)
from backend.core.languages import LANGUAGES  # noqa: E402
from locales.pipeline.content import content_texts  # noqa: E402


def _content_template() -> Catalog:
    template = Catalog(project=PROJECT, fuzzy=False)
    for text in content_texts().values():
        comments = [f"en: {text.en}"] + [f"in: {loc}" for loc in text.locations[:5]]
        if len(text.locations) > 5:
            comments.append(f"in: … and {len(text.locations) - 5} more")
        template.add(text.vi, "", auto_comments=comments)
    return template


def extract(*options: str) -> None:
    """``extract --templates-only`` writes the two templates and leaves the .po files alone."""
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(LOCALES / "babel.cfg"),
         "-k", "lazy_gettext", "-k", "N_", "-k", "gettext_in:2", "--add-location=file", "--sort-output",
         "--project", PROJECT,
         "-o", str(pot_path("messages")), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    write(_content_template(), pot_path("content"))
    if "--templates-only" in options:
        return
    for domain in DOMAINS:
        template = read(pot_path(domain))
        for code in LANGUAGES:
            if code == "en" or (code == "vi" and domain == "content"):
                continue  # the source languages: English msgids for the interface, Vietnamese for content
            update(code, domain, template)
        print(f"{pot_path(domain).relative_to(ROOT)}: {len(template)} texts")


def update(code: str, domain: str, template: Catalog) -> None:
    path = po_path(code, domain)
    catalog = read(path) if path.exists() else Catalog(project=PROJECT, fuzzy=False)
    set_language(catalog, code)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    for message in catalog:  # messages Babel guessed from similar ones are not drafts anyone wrote
        if message.id and "fuzzy" in message.flags and not first(message.string):
            message.flags.discard("fuzzy")
    catalog.obsolete.clear()
    catalog.language_team = f"{LANGUAGES[code].english} <translators@portal.example>"
    set_language(catalog, code)
    write(catalog, path)


def compile_all() -> None:
    for code in LANGUAGES:
        for domain in DOMAINS:
            if po_path(code, domain).exists():
                read(po_path(code, domain))
    print("catalogues parse: " + ", ".join(c for c in LANGUAGES if po_path(c).exists()))


def report() -> None:
    from locales.pipeline.report import print_report

    print_report()


def check(code: str | None = None) -> None:
    from locales.pipeline.checks import check_catalogues

    sys.exit(1 if check_catalogues(code) else 0)


def work_export(code: str, target: str) -> None:
    """Every interface and content text of ``code`` as a JSON list to translate."""
    vi_messages = {m.id: m for m in read(po_path("vi")) if m.id}
    rows = []
    for domain in DOMAINS:
        for message in read(po_path(code, domain)):
            if not message.id:
                continue
            msgid = first(message.id) if domain == "messages" else message.id
            vi = first(vi_messages[message.id].string) if domain == "messages" and message.id in vi_messages else msgid
            en = msgid if domain == "messages" else _english(message)
            row = {"domain": domain, "id": msgid, "vi": vi, "en": en, "current": first(message.string),
                   "status": "missing" if not first(message.string) else
                   ("draft" if "fuzzy" in message.flags else "reviewed"), "draft": ""}
            if domain == "messages" and message.pluralizable:
                row["plural_en"] = message.id[1]
            rows.append(row)
    Path(target).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{target}: {len(rows)} texts for {code}")


def _english(message) -> str:
    return next((c[4:] for c in message.auto_comments if c.startswith("en: ")), "")


def work_import(code: str, source: str) -> None:
    """Write the ``draft`` of each row back as a draft (fuzzy) entry; rows without one are left alone."""
    rows = json.loads(Path(source).read_text(encoding="utf-8"))
    by_domain: dict[str, dict[str, str]] = {d: {} for d in DOMAINS}
    for row in rows:
        if row.get("draft", "").strip():
            by_domain[row["domain"]][row["id"]] = row["draft"].strip()
    for domain, drafts in by_domain.items():
        catalog = read(po_path(code, domain))
        count = 0
        for message in catalog:
            text = drafts.get(first(message.id) if message.id else "")
            if message.id and text:
                put_draft(message, text)
                count += 1
        set_language(catalog, code)
        write(catalog, po_path(code, domain))
        print(f"{code} {domain}: {count} drafts written")


if __name__ == "__main__":
    commands = {"extract": extract, "compile": compile_all, "report": report, "check": check,
                "work-export": work_export, "work-import": work_import}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python locales/tool.py {'|'.join(commands)} [args]")
    commands[sys.argv[1]](*sys.argv[2:])
