"""The result document: an A4 PDF in Vietnamese with the citizen's language alongside, and a QR code to verify it.

fpdf2 shapes the text with HarfBuzz, so Vietnamese stacked diacritics, Khmer, Tai Viet, Cham and Chinese render
correctly; the fonts (Noto, OFL) ship in ``fonts/`` (the Chinese one reduced to the characters a result can need,
see ``fonts/build_cjk_font.py``). A text the fonts cannot show is given in English instead, so a document never
carries blank boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import qrcode
from babel.dates import format_date
from fontTools.ttLib import TTFont
from fpdf import FPDF

from backend.core.clock import VIETNAM
from backend.core.i18n import resolve_content, resolve_message
from backend.core.languages import language as language_of

FONTS = Path(__file__).resolve().parent / "fonts"
MAIN_FONTS = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"}
SCRIPT_FONTS = {"khmer": "NotoSansKhmer-Regular.ttf", "taiviet": "NotoSansTaiViet-Regular.ttf",
                "cham": "NotoSansCham-Regular.ttf", "cjk": "NotoSansSC-Subset.otf"}
GREY = (80, 80, 80)


def N_(message: str) -> str:  # noqa: N802 - Babel's marker for messages translated later
    return message


# The document's own wording: English source (the catalogue's msgid) and the Vietnamese legal text, which is
# authoritative and does not depend on a translation being complete.
TEXT = {
    "republic": (N_("Socialist Republic of Viet Nam"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    "motto": (N_("Independence - Freedom - Happiness"), "Độc lập - Tự do - Hạnh phúc"),
    "title": (N_("Result of an administrative procedure"), "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
    "result_code": (N_("Result code"), "Mã kết quả"),
    "dossier_code": (N_("Dossier code"), "Mã hồ sơ"),
    "procedure": (N_("Procedure"), "Thủ tục"),
    "applicant": (N_("Applicant"), "Người nộp hồ sơ"),
    "decision": (N_("Decision"), "Quyết định"),
    "approved": (N_("Approved"), "Đã phê duyệt"),
    "agency": (N_("Issuing agency"), "Cơ quan cấp"),
    "date": (N_("Date of issue"), "Ngày cấp"),
    "replaces": (N_("Replaces result"), "Thay thế kết quả"),
    "verify": (N_("Check this result: scan the QR code or open"), "Kiểm tra kết quả này: quét mã QR hoặc mở"),
    "signed": (N_("Digitally signed by"), "Ký số bởi"),
    "electronic": (
        N_("The signed PDF file is the original. A printed copy can be checked with the QR code."),
        "Tệp PDF có chữ ký số là bản gốc. Bản in có thể được kiểm tra bằng mã QR.",
    ),
}


@dataclass(frozen=True)
class ResultContent:
    code: str
    dossier_code: str
    procedure: dict[str, str]
    agency: dict[str, str]
    applicant: str
    decision: str
    issued_at: datetime
    verify_url: str
    language: str
    replaces: str = ""
    title: dict[str, str] | None = None
    """The procedure's own title for its result (``Trích lục khai sinh``), from its result template."""
    lines: tuple[tuple[dict[str, str], tuple[str, str | None]], ...] = ()
    """What the result says (``results.template.lines``): label as catalogue content, value in both languages."""


@cache
def _covered(names: tuple[str, ...]) -> frozenset[int]:
    points: set[int] = set()
    for name in names:
        points |= set(TTFont(FONTS / name, lazy=True).getBestCmap())
    return frozenset(points)


def drawable(text: str, *, main_only: bool = False) -> bool:
    """Whether the bundled fonts (or Noto Sans alone) can draw every character of ``text``."""
    names = tuple(MAIN_FONTS.values()) if main_only else (*MAIN_FONTS.values(), *SCRIPT_FONTS.values())
    covered = _covered(names)
    return all(ord(c) in covered or c.isspace() for c in text)


class _Words:
    """The document's texts in Vietnamese and in the citizen's language (None when that is Vietnamese)."""

    def __init__(self, code: str) -> None:
        self.code = None if code == "vi" else code

    def pair(self, key: str) -> tuple[str, str | None]:
        english, vietnamese = TEXT[key]
        if self.code is None:
            return vietnamese, None
        other, lang = resolve_message(self.code, english)
        if lang != self.code:  # not translated (or not yet reviewed, for critical texts): Vietnamese once is enough
            return vietnamese, None
        return vietnamese, other if drawable(other) else english

    def content(self, text: dict[str, str]) -> tuple[str, str | None]:
        vietnamese = text.get("vi") or next(iter(text.values()), "")
        if self.code is None:
            return vietnamese, None
        other, lang = resolve_content(text, self.code)
        if lang != self.code:  # none in this language: Vietnamese alone, as the pages show it
            other = ""
        if not drawable(other):
            other = text.get("en", "")
        return vietnamese, (other if other and other != vietnamese else None)

    def day(self, moment: datetime) -> tuple[str, str | None]:
        local = moment.astimezone(VIETNAM).date()
        vietnamese = f"ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"
        if self.code is None:
            return vietnamese, None
        locale = language_of(self.code).format_locale
        if locale == "vi":  # languages Babel does not know are written with Vietnamese conventions
            return vietnamese, None
        other = format_date(local, format="long", locale=locale)
        return vietnamese, other if drawable(other) else format_date(local, format="long", locale="en")


def _document(scripts: list[str]) -> FPDF:
    """An A4 document with Noto Sans and the script fonts named in ``scripts`` (loading one costs time)."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    for style, name in MAIN_FONTS.items():
        pdf.add_font("noto", style, FONTS / name)
    if scripts:
        for family in scripts:
            pdf.add_font(family, "", FONTS / SCRIPT_FONTS[family])
        pdf.set_fallback_fonts(scripts, exact_match=False)
    pdf.set_text_shaping(True)
    return pdf


def _needs_scripts(content: ResultContent, words: _Words) -> list[str]:
    """The script fonts the document's texts need, beyond Noto Sans (the 800 KB Chinese one only for Chinese)."""
    texts = [content.applicant, content.decision, *words.content(content.agency), *words.content(content.procedure)]
    texts += [t for key in TEXT for t in words.pair(key) if t]
    texts += [t for t in words.day(content.issued_at) if t]
    texts += [t for label, value in content.lines for t in (*words.content(label), *value) if t]
    if content.title:
        texts += [t for t in words.content(content.title) if t]
    main = _covered(tuple(MAIN_FONTS.values()))
    rest = {ord(c) for t in texts if t for c in t} - main
    return [family for family, name in SCRIPT_FONTS.items() if rest & _covered((name,))]


def _qr_image(url: str):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image().get_image()


def render(content: ResultContent) -> bytes:
    """The unsigned PDF."""
    words = _Words(content.language)
    pdf = _document(_needs_scripts(content, words))
    agency_vi, agency_other = words.content(content.agency)
    title_vi, title_other = words.content(content.title) if content.title else words.pair("title")
    title_vi = title_vi.upper()  # as Vietnamese documents set their title
    pdf.set_title(f"{title_vi} {content.code}")
    pdf.set_author(agency_vi)
    pdf.set_subject(f"{words.pair('dossier_code')[0]} {content.dossier_code}")
    pdf.set_creator("Cổng Dịch vụ công")
    pdf.set_lang("vi")
    pdf.set_creation_date(content.issued_at)
    pdf.add_page()

    # Heading: the agency on the left, the state's name and motto on the right, as on Vietnamese paper forms.
    top = pdf.get_y()
    pdf.set_font("noto", "B", 10)
    pdf.multi_cell(70, 5, agency_vi.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    if agency_other:
        pdf.set_font("noto", "", 8)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(70, 4, agency_other, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    left_bottom = pdf.get_y()
    pdf.set_xy(95, top)
    republic_vi, republic_other = words.pair("republic")
    motto_vi, motto_other = words.pair("motto")
    pdf.set_font("noto", "B", 10)
    pdf.multi_cell(95, 5, republic_vi, align="C", new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(95, 5, motto_vi, align="C", new_x="LEFT", new_y="NEXT")
    if republic_other or motto_other:
        pdf.set_font("noto", "", 8)
        pdf.set_text_color(*GREY)
        heading = ". ".join(t for t in (republic_other, motto_other) if t)
        pdf.multi_cell(95, 4, heading, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 10)

    pdf.set_font("noto", "B", 15)
    pdf.multi_cell(0, 8, title_vi, align="C", new_x="LMARGIN", new_y="NEXT")
    if title_other:
        pdf.set_font("noto", "", 11)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 6, title_other, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(6)

    approved_vi, approved_other = words.pair("approved")
    rows = [
        ("result_code", (content.code, None)),
        ("dossier_code", (content.dossier_code, None)),
        ("procedure", words.content(content.procedure)),
        ("applicant", (content.applicant, None)),
        ("decision", (approved_vi + (f" / {approved_other}" if approved_other else ""), content.decision or None)),
        ("agency", (agency_vi, agency_other)),
        ("date", words.day(content.issued_at)),
    ]
    if content.replaces:
        rows.append(("replaces", (content.replaces, None)))
    for key, value in rows:
        _row(pdf, words.pair(key), value)
    if content.lines:  # what the result itself says, after who issued it and when
        pdf.ln(3)
        for label, shown in content.lines:
            _row(pdf, words.content(label), shown)

    _verification(pdf, words, content)
    return bytes(pdf.output())


def _text_pair(pdf: FPDF, width: float, texts: tuple[str, str | None], main: tuple[str, float], other: float) -> None:
    """A text and, below it in grey and smaller, the same in the other language (when there is one)."""
    pdf.set_font("noto", *main)
    pdf.multi_cell(width, 5.5, texts[0], new_x="LEFT", new_y="NEXT")
    if texts[1]:
        pdf.set_font("noto", "", other)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(width, 4.5, texts[1], new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0)


def _row(pdf: FPDF, label: tuple[str, str | None], value: tuple[str, str | None]) -> None:
    """One line of the document: the label in both languages on the left, the value on the right."""
    if pdf.will_page_break(14):
        pdf.add_page()
    top = pdf.get_y()
    _text_pair(pdf, 55, label, ("B", 10), 8.5)
    label_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + 58, top)
    _text_pair(pdf, 0, value, ("", 10.5), 9)
    pdf.set_y(max(label_bottom, pdf.get_y()) + 3)
    pdf.set_draw_color(210)
    pdf.line(pdf.l_margin, pdf.get_y() - 1.5, pdf.w - pdf.r_margin, pdf.get_y() - 1.5)


def _verification(pdf: FPDF, words: _Words, content: ResultContent) -> None:
    size = 38
    if pdf.will_page_break(size + 10):
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    pdf.image(_qr_image(content.verify_url), x=pdf.w - pdf.r_margin - size, y=top, w=size, h=size,
              link=content.verify_url, alt_text=content.verify_url)
    width = pdf.w - pdf.l_margin - pdf.r_margin - size - 6
    for key in ("verify",):
        vietnamese, other = words.pair(key)
        pdf.set_font("noto", "", 10)
        pdf.multi_cell(width, 5, vietnamese, new_x="LMARGIN", new_y="NEXT")
        if other:
            pdf.set_font("noto", "", 8.5)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(width, 4.5, other, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0)
    pdf.set_font("noto", "B", 10)
    pdf.set_text_color(0, 70, 160)
    pdf.multi_cell(width, 5.5, content.verify_url, link=content.verify_url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)
    signed_vi, signed_other = words.pair("signed")
    agency_vi, _ = words.content(content.agency)
    pdf.set_font("noto", "", 10)
    pdf.multi_cell(width, 5, f"{signed_vi}: {agency_vi}", new_x="LMARGIN", new_y="NEXT")
    if signed_other:
        pdf.set_font("noto", "", 8.5)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(width, 4.5, signed_other, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.set_y(max(pdf.get_y(), top + size) + 4)
    electronic_vi, electronic_other = words.pair("electronic")
    pdf.set_font("noto", "", 8.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 4.5, electronic_vi + (f"\n{electronic_other}" if electronic_other else ""),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
