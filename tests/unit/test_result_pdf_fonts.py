"""The result PDF draws each language with its own font: Chinese with the bundled Noto Sans CJK SC subset, and
Khmer, Tai Viet and Cham still shaped by HarfBuzz with theirs.

What is checked is what the PDF really draws: the content stream's strings, decoded with each embedded font's
ToUnicode map (a glyph HarfBuzz made from several characters maps back to all of them).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from babel.messages.pofile import read_po
from pyhanko.pdf_utils.reader import PdfFileReader

from backend.core.catalogs import po_path
from backend.core.i18n import resolve_content
from backend.core.text_store import STORE
from backend.results import pdf

pytestmark = pytest.mark.unit

PROCEDURE = {"vi": "Đăng ký khai sinh", "en": "Birth registration"}
AGENCY = {"vi": "Ủy ban nhân dân Phường Hoàn Kiếm", "en": "People's Committee of Hoan Kiem Ward"}
# Two critical labels (shown only once reviewed), made reviewed for the Chinese test.
REVIEWED_ZH = {"Result of an administrative procedure": "行政手续办理结果", "Approved": "已批准"}
HAN = re.compile(r"[\u3400-\u9fff]")


def result(language: str) -> pdf.ResultContent:
    return pdf.ResultContent(
        code="KQ-261125-ABCDEFGH", dossier_code="HS-261125-ABCDEF", procedure=PROCEDURE, agency=AGENCY,
        applicant="Nguyễn Thị Lan", decision="Hồ sơ hợp lệ.", issued_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        verify_url="http://localhost:8000/results/verify/KQ-261125-ABCDEFGH", language=language,
    )


# -- what the PDF draws, font by font ------------------------------------------------------------------------

_SHOWN = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    def one(match: re.Match) -> bytes:
        code = match[1]
        return bytes([int(code, 8) & 0xFF]) if code[:1].isdigit() else _ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def glyphs(document: bytes) -> dict[str, list[str]]:
    """The glyphs drawn with each embedded font (each as the characters it stands for), by font name without
    its subset tag (``NotoSansCJKSC``)."""
    reader = PdfFileReader(BytesIO(document))
    found: dict[str, list[str]] = {}
    for ref in reader.root["/Pages"]["/Kids"]:
        page = ref.get_object()
        fonts = {str(name)[1:]: font.get_object() for name, font in page["/Resources"]["/Font"].items()}
        to_unicode = {
            name: {int(code, 16): bytes.fromhex(chars).decode("utf-16-be") for code, chars in
                   re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", font["/ToUnicode"].get_object().data.decode())}
            for name, font in fonts.items()
        }
        current = None
        for match in _SHOWN.finditer(page["/Contents"].get_object().data):
            if match[1]:
                current = match[1].decode()
                continue
            raw = _unescape(match[2])  # Identity-H: two bytes per glyph
            codes = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
            name = str(fonts[current]["/BaseFont"]).split("+")[-1]
            found.setdefault(name, []).extend([*(to_unicode[current].get(c, "\ufffd") for c in codes), "\n"])
    return found


def drawn(document: bytes) -> dict[str, str]:
    """The text drawn with each embedded font (a line per string shown)."""
    return {name: "".join(drawn_glyphs) for name, drawn_glyphs in glyphs(document).items()}


# -- Chinese ---------------------------------------------------------------------------------------------------


@pytest.fixture
def reviewed_chinese_labels():
    for msgid, text in REVIEWED_ZH.items():
        STORE.set_live("zh", "messages", msgid, text)
    yield
    STORE.clear_live()


def test_a_chinese_result_is_drawn_with_the_cjk_font(reviewed_chinese_labels):
    procedure_zh, lang = resolve_content(PROCEDURE, "zh")
    agency_zh, _ = resolve_content(AGENCY, "zh")
    assert lang == "zh" and HAN.search(procedure_zh) and HAN.search(agency_zh), "the catalogue has Chinese drafts"

    document = pdf.render(result("zh"))
    fonts = drawn(document)
    cjk = fonts.get("NotoSansCJKSC", "")
    everything = "\n".join(fonts.values())

    # The procedure, the agency (both drafts: catalogue content), two reviewed labels and the date's 年月日.
    for text in (procedure_zh, agency_zh, *REVIEWED_ZH.values(), "年月日"):
        for run in re.findall(HAN.pattern + "+", text):  # Latin inside (a ward's name) is Noto Sans's
            assert run in cjk.replace("\n", ""), f"{run!r} of {text!r} is not drawn with the CJK font"
    # No Chinese in any other font (it would show as boxes), and no English fallback.
    assert not any(HAN.search(text) for name, text in fonts.items() if name != "NotoSansCJKSC")
    assert "Birth registration" not in everything and "Hoan Kiem Ward" not in everything
    assert "November" not in everything
    # The Vietnamese stays, in Noto Sans.
    assert "Đăng ký khai sinh" in fonts["NotoSans"]
    # Only the glyphs used are embedded, not the 800 KB font.
    assert len(document) < 150_000


def test_every_chinese_translation_can_be_drawn():
    """The bundled CJK subset holds every character of the Chinese catalogues; if not, rebuild it."""
    missing: dict[str, str] = {}
    for domain in ("messages", "content"):
        with po_path("zh", domain).open("rb") as po:
            for message in read_po(po):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    if text and not pdf.drawable(text):
                        missing[text] = "".join(sorted({c for c in text if not pdf.drawable(c)}))
    assert not missing, (
        f"characters the PDF fonts lack: {''.join(sorted(set(''.join(missing.values()))))}; run "
        "`.venv/bin/python backend/results/fonts/build_cjk_font.py` (after `apt-get install fonts-noto-cjk`)"
    )


# -- the other scripts still shape, and each document loads only the fonts it needs ----------------------------


@pytest.mark.parametrize(("language", "font", "script"), [
    ("km", "NotoSansKhmer", r"[\u1780-\u17ff]"),
    ("blt", "NotoSansTaiViet", r"[\uaa80-\uaadf]"),
    ("cjm", "NotoSansCham", r"[\uaa00-\uaa5f]"),
])
def test_khmer_tai_viet_and_cham_are_drawn_shaped_with_their_fonts(language, font, script):
    words = pdf._Words(language)
    labels = [other for key in pdf.TEXT if (other := words.pair(key)[1]) and re.search(script, other)]
    assert labels, f"no reviewed {language} label to look at"

    drawn_glyphs = glyphs(pdf.render(result(language)))
    assert set(drawn_glyphs) == {"NotoSans", "NotoSansBold", font}, "only the script font this language needs"
    drawn_chars = set("".join(drawn_glyphs[font]))
    for label in labels:
        # fpdf2 leaves some shaped glyphs (a reordered vowel) out of the ToUnicode map: most characters, not all.
        label_chars = set(re.findall(script, label))
        assert len(label_chars & drawn_chars) >= 0.8 * len(label_chars), (label, label_chars - drawn_chars)
    others = "".join(g for name, drawn in drawn_glyphs.items() if name != font for g in drawn)
    assert not re.search(script, others), "no character of this script in a font that lacks it"
    if language in ("km", "cjm"):
        # HarfBuzz at work: conjuncts and vowel forms are single glyphs that stand for several characters.
        assert any(len(glyph) > 1 and re.match(script, glyph) for glyph in drawn_glyphs[font])


def test_a_vietnamese_result_loads_no_script_font():
    assert set(drawn(pdf.render(result("vi")))) == {"NotoSans", "NotoSansBold"}
