"""Build pwa/fonts/language-names.woff2: the glyphs of the language menu's endonyms in scripts phones often lack.

The menu names every language in itself (ភាសាខ្មែរ, ꪼꪕꪒꪾ, ꨌꩌ). The page's own script fonts load only when
that script shows, and the menu's names would be empty boxes until then (in Chromium they can stay boxes:
a fallback font that arrives late is not always swapped in). This font holds just those names' glyphs, with
their shaping rules, merged from the Noto subsets in pwa/fonts (OFL 1.1, see pwa/fonts/OFL.txt); it is a few
kilobytes, every page preloads it and portal.css shows the menu with it first (``font-display: block``).

Chinese is left to the phone's own fonts: every phone sold for Chinese readers has one, and a CJK font
is large. Latin-script names (Vietnamese letters included) use the page's fonts.

Run again when an endonym changes (the browser test ``tests/browser/test_language_menu.py`` fails if a
name is not drawn by this font); it needs fontTools and brotli, which the portal itself does not::

    python -m venv /tmp/fontbuild && /tmp/fontbuild/bin/pip install fonttools brotli
    PYTHONPATH=. /tmp/fontbuild/bin/python -m accessibility.endonym_font
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from backend.core.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "pwa" / "fonts"
OUTPUT = FONTS / "language-names.woff2"
FAMILY = "Portal Language Names"
SOURCES = {
    "khmer": FONTS / "noto-sans-khmer-khmer-400-normal.woff2",
    "taiviet": FONTS / "noto-sans-tai-viet-tai-viet-400-normal.woff2",
    "cham": FONTS / "noto-sans-cham-cham-400-normal.woff2",
}


def endonym_text(script: str) -> str:
    """Every character of the endonyms written in ``script``, without Latin (spaces, brackets)."""
    return "".join(sorted({ch for lang in LANGUAGES.values() if lang.script == script
                           for ch in lang.endonym if ord(ch) > 0x24F}))


def unicode_range() -> str:
    """The CSS ``unicode-range`` for portal.css's ``@font-face``: exactly the characters the font has."""
    points = sorted({ord(ch) for script in SOURCES for ch in endonym_text(script)})
    return ", ".join(f"U+{point:X}" for point in points)


def build(output: Path = OUTPUT) -> int:
    from fontTools import subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # keep every shaping rule these glyphs take part in
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, licence
    options.notdef_outline = True
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        modified = 0
        for script, source in SOURCES.items():
            font = TTFont(source)
            modified = max(modified, font["head"].modified)
            subsetter = subset.Subsetter(options)
            subsetter.populate(text=endonym_text(script))
            subsetter.subset(font)
            font.flavor = None
            part = Path(tmp) / f"{script}.ttf"
            font.save(part)
            parts.append(str(part))
        merged = Merger().merge(parts)
    names = merged["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16, 21):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6, 20):
            names.setName(FAMILY.replace(" ", "") + "-Regular", record.nameID, record.platformID,
                          record.platEncID, record.langID)
    names.names = [record for record in names.names if record.nameID < 256]  # axis names of dropped tables
    names.setName("This Font Software is licensed under the SIL Open Font License, Version 1.1.", 13, 3, 1, 0x409)
    names.setName("Subset of Noto Sans Khmer, Noto Sans Tai Viet and Noto Sans Cham: the portal's language "
                  "names only. Copyright 2022 The Noto Project Authors (github.com/notofonts).", 0, 3, 1, 0x409)
    merged["head"].created = merged["head"].modified = modified  # the same sources give the same bytes
    merged.recalcTimestamp = False
    merged.flavor = "woff2"
    merged.save(output)
    return output.stat().st_size


if __name__ == "__main__":
    size = build()
    print(f"{OUTPUT.relative_to(ROOT)}: {size} bytes", file=sys.stderr)
    print(f"unicode-range: {unicode_range()}")
