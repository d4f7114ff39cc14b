"""Smoke tests of the translation tools: the report counts every kind of text, the checker finds broken drafts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backend.core.languages import LANGUAGES
from backend.core.text_store import STORE, coverage
from backend.translations.checks import check

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_counts_interface_catalogue_forms_and_pdf_for_every_language():
    out = subprocess.run([sys.executable, "locales/tool.py", "report"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for kind in ("interface", "catalogue", "forms", "pdf"):
        assert kind in out.splitlines()[0]
    for code in LANGUAGES:
        assert any(line.startswith(f"{code} ") for line in out.splitlines()), code
    table = coverage(STORE, "km")
    assert table["forms"]["total"] > 300 and table["pdf"]["total"] >= 10  # form texts and PDF labels are counted
    assert table["all"]["total"] == sum(len(s) for s in STORE.sources.values())


def test_the_checker_refuses_broken_placeholders_and_html_and_flags_the_rest():
    assert check("km", "Pay %(amount)s", "បង់").errors
    assert check("km", "Pay %(amount)s", "បង់ %(amount)s %(x)s").errors
    assert check("km", "Pay", "<script>alert(1)</script>").errors
    assert not check("km", "Pay %(amount)s", "បង់ %(amount)s").errors
    # Vietnamese tone marks are not Ê Đê letters; a Vietnamese sentence left as it is gets flagged.
    assert any("orthography" in w for w in check("rad", "one", "mơĩt", "một").warnings)
    vi = "Hồ sơ của bạn đã được gửi"
    assert any("Vietnamese" in w for w in check("rad", "Your dossier was sent", vi, vi).warnings)


def test_the_check_command_runs_over_a_whole_language():
    result = subprocess.run([sys.executable, "locales/tool.py", "check", "km"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("km: 0 refused")


def test_the_templates_hold_every_text_of_the_code_and_the_catalogue(tmp_path):
    """A new user-facing text that nobody extracted would show in English on every page: `make i18n` first."""
    from babel.messages.frontend import main as babel

    from backend.core.catalogs import first, po_path, pot_path, read
    from locales.pipeline.content import content_texts

    fresh = tmp_path / "messages.pot"
    argv = sys.argv
    try:
        sys.argv = ["pybabel", "-q", "extract", "-F", str(ROOT / "locales" / "babel.cfg"), "-k", "lazy_gettext",
                    "-k", "N_", "-k", "gettext_in:2", "-o", str(fresh), str(ROOT / "backend")]
        babel()
    finally:
        sys.argv = argv
    extracted = {first(m.id) for m in read(fresh) if m.id}
    committed = {first(m.id) for m in read(pot_path("messages")) if m.id}
    assert extracted <= committed, f"not in locales/messages.pot (run make i18n): {sorted(extracted - committed)[:5]}"
    assert set(content_texts()) <= {m.id for m in read(pot_path("content")) if m.id}
    vietnamese = {first(m.id) for m in read(po_path("vi")) if m.id and first(m.string)}
    assert committed <= vietnamese, f"no Vietnamese yet: {sorted(committed - vietnamese)[:5]}"


def test_no_critical_text_sits_in_an_attribute_that_cannot_carry_its_language():
    """A critical text shows in Vietnamese until reviewed; in aria-label, title or placeholder it would be read with the
    page's voice. Scripts' texts (data-i18n-*) get their lang from fallback-lang.mjs, so they may."""
    import re

    attribute = re.compile(r"""([\w-]+)="\{\{\s*_\((['"])(.+?)\2""")
    offending = []
    for template in (ROOT / "backend").glob("**/templates/**/*.html"):
        for name, _, message in attribute.findall(template.read_text(encoding="utf-8")):
            if not name.startswith("data-i18n") and STORE.is_critical("messages", message):
                offending.append(f"{template.relative_to(ROOT)}: {name}={message!r}")
    assert not offending, offending
