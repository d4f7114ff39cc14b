"""Slim the script fonts in pwa/fonts and version their URLs in portal.css (issue 15, item 9: 50 KB per first visit).

The Noto subsets from npm's @fontsource (OFL 1.1, see pwa/fonts/OFL.txt) also carry Latin letters, digits and
TrueType hinting; portal.css uses each font only for its script (``unicode-range``), so those glyphs were dead
weight on every Khmer, Tai Viet and Cham page. ``slim`` keeps the whole script block (every text the portal may
show in that script, today's catalogues and tomorrow's approved translations alike, never a box), the joiners and
the dotted circle the shaping engine may draw, with every shaping rule, and drops the rest: Khmer 22.9 -> 16.9 KB,
Tai Viet 13.6 -> 8.3 KB, Cham 12.1 -> 11.1 KB. One weight per script: the browser draws bold by itself (a second
file would be fetched for every heading and cost as much again). Running it again on its own output changes nothing.

``version_css`` writes each font's content hash into its ``url()`` in portal.css (``?v=<hash>``, the hash
``backend.pwa.shell.asset`` gives), so the fonts are served ``immutable`` like the other hashed static files and a
repeat visit asks for none; the stylesheet's own hash changes with them. tests/unit/test_script_fonts.py fails when
a font changed without this step (accessibility/endonym_font.py rebuilds language-names.woff2: run this after it)::

    .venv/bin/python -m accessibility.script_fonts
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from backend.pwa.shell import file_hash

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "pwa" / "fonts"
CSS = ROOT / "pwa" / "css" / "portal.css"
EXTRAS = (0x200B, 0x200C, 0x200D, 0x25CC)
"""Zero-width space and joiners (Khmer marks word breaks with U+200B), the dotted circle of broken clusters."""
SCRIPTS = {
    "khmer": (FONTS / "noto-sans-khmer-khmer-400-normal.woff2", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
    "taiviet": (FONTS / "noto-sans-tai-viet-tai-viet-400-normal.woff2", ((0xAA80, 0xAADF),)),
    "cham": (FONTS / "noto-sans-cham-cham-400-normal.woff2", ((0xAA00, 0xAA5F),)),
}
"""The one font of each script the portal writes in, and the Unicode blocks portal.css gives it."""
_URL = re.compile(r"url\(\.\./fonts/([\w.-]+\.woff2)(?:\?v=[0-9a-f]*)?\)")


def codepoints(script: str) -> list[int]:
    blocks = SCRIPTS[script][1]
    return [point for low, high in blocks for point in range(low, high + 1)] + list(EXTRAS)


def slim(path: Path, points: list[int]) -> bytes:
    """The font at ``path`` with only ``points`` (and what shaping them needs), unhinted, as WOFF2 bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # every shaping rule: Khmer's subscript consonants, Cham's final forms
    options.hinting = False  # phones render unhinted at their densities; hinting was a third of Tai Viet's bytes
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, licence
    options.notdef_outline = True
    options.flavor = "woff2"
    font = TTFont(path)
    modified = font["head"].modified
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    font["head"].modified = modified  # the same source gives the same bytes
    font.recalcTimestamp = False
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def version_css(css: str, fonts: Path = FONTS) -> str:
    """``css`` with ``url(../fonts/x.woff2?v=<hash of that file>)`` for every font it names."""
    return _URL.sub(lambda m: f"url(../fonts/{m.group(1)}?v={file_hash(fonts / m.group(1))})", css)


def main() -> None:
    for script, (path, _) in SCRIPTS.items():
        before = path.stat().st_size
        data = slim(path, codepoints(script))
        if len(data) < before:
            path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {before} -> {path.stat().st_size} bytes", file=sys.stderr)
    CSS.write_text(version_css(CSS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{CSS.relative_to(ROOT)}: font URLs versioned", file=sys.stderr)


if __name__ == "__main__":
    main()
