"""The result PDF draws each language with the portal's own fonts: Chinese with the bundled Noto Sans CJK SC
subset, and Khmer, Tai Viet and Cham shaped (WeasyPrint: Pango and HarfBuzz) with theirs.

What is checked is what the PDF really draws: the text of each embedded font, as pypdf reads it through the
font's ToUnicode map.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from io import BytesIO

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

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


def drawn(document: bytes) -> dict[str, str]:
    """The text drawn with each embedded font (a line per piece of text), by the family the PDF's style sheet
    names without the subset tag: ``result``, ``result-Bold``, ``result-khmer``, ``result-cjk``..."""
    found: dict[str, list[str]] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if font_dict is not None and text.strip():
            name = str(font_dict["/BaseFont"]).split("+")[-1]
            found.setdefault(name, []).append(text)

    for page in PdfReader(BytesIO(document)).pages:
        page.extract_text(visitor_text=visit)
    return {name: unicodedata.normalize("NFC", "\n".join(texts)) for name, texts in found.items()}


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
    cjk = fonts.get("result-cjk", "")
    everything = "\n".join(fonts.values())

    # The procedure, the agency (both drafts: catalogue content), two reviewed labels and the date's 年月日.
    for text in (procedure_zh, agency_zh, *REVIEWED_ZH.values(), "年月日"):
        for run in re.findall(HAN.pattern + "+", text):  # Latin inside (a ward's name) is Noto Sans's
            assert run in cjk.replace("\n", ""), f"{run!r} of {text!r} is not drawn with the CJK font"
    # No Chinese in any other font (it would show as boxes), and no English fallback.
    assert not any(HAN.search(text) for name, text in fonts.items() if name != "result-cjk")
    assert "Birth registration" not in everything and "Hoan Kiem Ward" not in everything
    assert "November" not in everything
    # The Vietnamese stays, in Noto Sans.
    assert "Đăng ký khai sinh" in fonts["result"]
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
    ("km", "result-khmer", r"[\u1780-\u17ff]"),
    ("blt", "result-taiviet", r"[\uaa80-\uaadf]"),
    ("cjm", "result-cham", r"[\uaa00-\uaa5f]"),
])
def test_khmer_tai_viet_and_cham_are_drawn_shaped_with_their_fonts(language, font, script):
    words = pdf._Words(language)
    labels = [other for key in pdf.TEXT if (other := words.pair(key).other) and re.search(script, other)]
    assert labels, f"no reviewed {language} label to look at"

    fonts = drawn(pdf.render(result(language)))
    assert set(fonts) == {"result", "result-Bold", font}, "only the script font this language needs"
    drawn_chars = set(fonts[font])
    for label in labels:
        # A shaped cluster (a reordered vowel, a conjunct) maps back to its characters: most of them, if not all.
        label_chars = set(re.findall(script, label))
        assert len(label_chars & drawn_chars) >= 0.8 * len(label_chars), (label, label_chars - drawn_chars)
    others = "".join(text for name, text in fonts.items() if name != font)
    assert not re.search(script, others), "no character of this script in a font that lacks it"


def test_a_vietnamese_result_loads_no_script_font():
    assert set(drawn(pdf.render(result("vi")))) == {"result", "result-Bold"}
