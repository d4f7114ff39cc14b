"""Build NotoSansSC-Subset.otf: the Chinese font of the result PDFs (backend/results/pdf.py), from Noto Sans CJK SC.

Why: the result PDF shows its labels, the procedure and the agency in the citizen's language beside the
Vietnamese. Without a CJK font, Chinese fell back to English. The full Noto Sans CJK collection is ~19 MB (one
face ~16 MB), too large for the repository, so this keeps only what a result can need in Chinese:

- every character of the Chinese translations (locales/zh/LC_MESSAGES/messages.po and content.po);
- the 3,755 common characters of GB 2312 level 1, so a newly reviewed translation or an agency name rarely
  needs a rebuild (a character outside the font makes ``pdf.drawable()`` false: that text is given in English
  rather than as blank boxes);
- CJK and full-width punctuation, digits and Latin.

Hinting is dropped (PDF viewers do not use CFF hints at these sizes), and so are vertical writing and the
Japanese, Korean and Traditional forms (``locl``), which double the glyph count; ccmp, liga and kern stay for
shaping. Regular weight only: bold labels in Chinese are drawn regular. The result is ~810 KB (4,150
characters) and the same bytes on every run; WeasyPrint embeds only the glyphs a document uses (a few KB).

Source: Debian's fonts-noto-cjk (``NotoSansCJK-Regular.ttc``, face "Noto Sans CJK SC", version 2.004), © 2014-2021
Adobe, SIL Open Font License 1.1 (see OFL-NotoSansCJK.txt beside this file; no Reserved Font Name). Run again
after the Chinese catalogues gain characters (tests/unit/test_result_pdf_fonts.py fails when one is missing)::

    apt-get install -y fonts-noto-cjk
    .venv/bin/python backend/results/fonts/build_cjk_font.py

fontTools is enough (the portal already depends on it); the portal needs no extra package to use the output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = "Noto Sans CJK SC"
OUTPUT = HERE / "NotoSansSC-Subset.otf"
CATALOGUES = [ROOT / "locales" / "zh" / "LC_MESSAGES" / f"{domain}.po" for domain in ("messages", "content")]
RANGES = [
    (0x0020, 0x007E),  # Latin letters, digits, ASCII punctuation
    (0x00A0, 0x00FF),  # Latin-1 (·, ×, °)
    (0x2010, 0x2027),  # dashes, quotes, ellipsis
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。《》「」〇
    (0xFF01, 0xFF5E),  # full-width forms: （），：；？
    (0xFFE0, 0xFFE6),
]


def translated_text() -> set[str]:
    """Every character of the Chinese translations."""
    chars: set[str] = set()
    for path in CATALOGUES:
        with path.open("rb") as po:
            for message in read_po(po):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                chars.update(*(s for s in strings if s))
    return chars


def gb2312_level1() -> set[str]:
    """The 3,755 most common simplified characters (GB 2312 rows 16-55), from Python's own codec."""
    chars = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # row 55 ends early
                pass
    return chars


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
    # recalcTimestamp=False: the same inputs give the same bytes, so a rebuild shows no spurious change.
    font = next(f for f in TTCollection(SOURCE, recalcTimestamp=False).fonts if f["name"].getDebugName(1) == FACE)
    wanted = translated_text() | gb2312_level1()
    unicodes = {ord(c) for c in wanted} | {cp for low, high in RANGES for cp in range(low, high + 1)}
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False  # subroutines keep CFF small
    # Horizontal Simplified Chinese only: no Japanese, Korean or Traditional forms (locl), no vertical writing.
    options.layout_features = ["ccmp", "liga", "kern"]
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(OUTPUT)
    cmap = font.getBestCmap()
    missing = sorted(c for c in translated_text() if ord(c) not in cmap and not c.isspace() and ord(c) > 0x7E)
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size // 1024} KB, {len(cmap)} characters")
    if missing:  # in neither this font nor Noto Sans: those texts fall back to English in the PDF
        print(f"not in {FACE}: {''.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
