"""The script fonts (issue 15, item 9): small, yet covering every text in their script, at versioned URLs."""

from __future__ import annotations

import re
import unicodedata

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from accessibility.script_fonts import CSS, FONTS, SCRIPTS, codepoints, version_css
from backend.core.languages import LANGUAGES
from backend.settings import ROOT


def test_every_font_url_in_the_stylesheet_carries_the_files_hash():
    css = CSS.read_text(encoding="utf-8")
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls and all(re.fullmatch(r"\.\./fonts/[\w.-]+\.woff2\?v=[0-9a-f]{10}", url) for url in urls), urls
    assert version_css(css) == css, "a font changed: run .venv/bin/python -m accessibility.script_fonts"
    assert {path.name for path in FONTS.glob("*.woff2")} == {url[9:].split("?")[0] for url in urls}


def _texts(code: str) -> str:
    """Every translation of the interface and the catalogue in that language."""
    out = []
    for po in (ROOT / "locales" / code / "LC_MESSAGES").glob("*.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
                out += [text for text in strings if text]
    return "".join(out) + LANGUAGES[code].endonym


@pytest.mark.parametrize("code", [code for code, lang in LANGUAGES.items() if lang.script in SCRIPTS])
def test_the_font_of_a_script_has_every_character_its_texts_use(code: str):
    script = LANGUAGES[code].script
    path, blocks = SCRIPTS[script]
    font = TTFont(path)
    cmap = set(font.getBestCmap())
    in_script = {ord(ch) for ch in _texts(code) if any(low <= ord(ch) <= high for low, high in blocks)}
    assert in_script, code
    assert in_script <= cmap, sorted(hex(point) for point in in_script - cmap)
    assigned = {point for point in codepoints(script) if unicodedata.category(chr(point)) != "Cn"}
    assert assigned - {0x200B} <= cmap  # the whole block: a text approved later is never a box
    assert path.stat().st_size < 18 * 1024
    assert "GSUB" in font and "fpgm" not in font  # shaping rules kept, hinting gone
