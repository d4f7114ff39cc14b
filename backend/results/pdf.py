"""The result document: one HTML template (``results/_document.html``) rendered two ways, as the accessible page
(the result's HTML twin, on the citizen's dossier and the public verify page) and as a tagged PDF/UA-1 (WeasyPrint,
through Pango and HarfBuzz), which pyHanko then signs.

The document is in Vietnamese with the citizen's language alongside, each part marked with its own ``lang``. The
PDF's fonts (Noto, OFL) ship in ``fonts/`` (the Chinese one reduced to the characters a result can need, see
``fonts/build_cjk_font.py``). A text the fonts cannot show is given in English instead, so a document never carries
blank boxes.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import qrcode
from babel.dates import format_date
from fontTools.ttLib import TTFont
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from backend.core.clock import VIETNAM
from backend.core.i18n import N_, resolve_content, resolve_message
from backend.core.languages import language as language_of

FONTS = Path(__file__).resolve().parent / "fonts"
TEMPLATES = Path(__file__).resolve().parent / "templates"
_RENDERING = threading.Lock()
MAIN_FONTS = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"}
# Family name in the PDF's style sheet -> file. Pango falls back along the list, character by character.
SCRIPT_FONTS = {"khmer": "NotoSansKhmer-Regular.ttf", "taiviet": "NotoSansTaiViet-Regular.ttf",
                "cham": "NotoSansCham-Regular.ttf", "cjk": "NotoSansSC-Subset.otf"}


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


@dataclass(frozen=True)
class Pair:
    """A text in Vietnamese and, when it differs, in another language: ``lang`` (the citizen's, or ``en`` when
    the fonts cannot draw theirs)."""

    vi: str
    other: str | None = None
    lang: str = ""

    def __iter__(self) -> Iterator[str | None]:  # ``vietnamese, other = pair``
        return iter((self.vi, self.other))


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

    def pair(self, key: str) -> Pair:
        english, vietnamese = TEXT[key]
        if self.code is None:
            return Pair(vietnamese)
        other, lang = resolve_message(self.code, english)
        if lang != self.code:  # not translated (or not yet reviewed, for critical texts): Vietnamese once is enough
            return Pair(vietnamese)
        return Pair(vietnamese, other, self.code) if drawable(other) else Pair(vietnamese, english, "en")

    def content(self, text: dict[str, str]) -> Pair:
        vietnamese = text.get("vi") or next(iter(text.values()), "")
        if self.code is None:
            return Pair(vietnamese)
        other, lang = resolve_content(text, self.code)
        code = self.code
        if lang != self.code:  # none in this language: Vietnamese alone, as the pages show it
            other = ""
        if not drawable(other):
            other, code = text.get("en", ""), "en"
        return Pair(vietnamese, other, code) if other and other != vietnamese else Pair(vietnamese)

    def day(self, moment: datetime) -> Pair:
        local = moment.astimezone(VIETNAM).date()
        vietnamese = f"ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"
        if self.code is None:
            return Pair(vietnamese)
        locale = language_of(self.code).format_locale
        if locale == "vi":  # languages Babel does not know are written with Vietnamese conventions
            return Pair(vietnamese)
        other = format_date(local, format="long", locale=locale)
        if drawable(other):
            return Pair(vietnamese, other, self.code)
        return Pair(vietnamese, format_date(local, format="long", locale="en"), "en")

    def value(self, shown: tuple[str, str | None]) -> Pair:
        """An answer already written in both languages (``results.template.lines``)."""
        vietnamese, other = shown
        if not other or self.code is None:
            return Pair(vietnamese)
        return Pair(vietnamese, other, self.code) if drawable(other) else Pair(vietnamese)


@dataclass(frozen=True)
class Document:
    """What the template shows, every text already in its languages."""

    code: str
    title: Pair
    agency: Pair
    republic: Pair
    motto: Pair
    facts: list[tuple[Pair, Pair, str]]
    """Who issued what, when (result and dossier codes, procedure, applicant, decision, agency, date), each with
    a note in Vietnamese (the official's reason beside the decision)."""
    lines: list[tuple[Pair, Pair]]
    """What the result itself says (the procedure's result template)."""
    verify: Pair
    verify_url: str
    qr: str
    """The QR code to ``verify_url``, as a ``data:`` URL (PNG)."""
    qr_alt: str
    signed: Pair
    electronic: Pair
    scripts: tuple[str, ...]
    """The script fonts the PDF needs beyond Noto Sans (the 800 KB Chinese one only for Chinese)."""


def qr_data_url(url: str) -> str:
    """A QR code to ``url`` as a ``data:`` URL (PNG), for a PDF's <img> (the filing receipt uses it too)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().get_image().save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def document(content: ResultContent) -> Document:
    """The result's texts in Vietnamese and the citizen's language, ready for ``results/_document.html``."""
    words = _Words(content.language)
    agency = words.content(content.agency)
    title = words.content(content.title) if content.title else words.pair("title")
    facts = [
        (words.pair("result_code"), Pair(content.code), ""),
        (words.pair("dossier_code"), Pair(content.dossier_code), ""),
        (words.pair("procedure"), words.content(content.procedure), ""),
        (words.pair("applicant"), Pair(content.applicant), ""),
        (words.pair("decision"), words.pair("approved"), content.decision),
        (words.pair("agency"), agency, ""),
        (words.pair("date"), words.day(content.issued_at), ""),
    ]
    if content.replaces:
        facts.append((words.pair("replaces"), Pair(content.replaces), ""))
    lines = [(words.content(label), words.value(shown)) for label, shown in content.lines]
    verify = words.pair("verify")
    doc = Document(
        code=content.code, title=Pair(title.vi.upper(), title.other, title.lang),  # as Vietnamese documents set it
        agency=agency, republic=words.pair("republic"), motto=words.pair("motto"), facts=facts, lines=lines,
        verify=verify, verify_url=content.verify_url,
        qr=qr_data_url(content.verify_url), qr_alt=f"Mã QR: {content.verify_url}",
        signed=words.pair("signed"), electronic=words.pair("electronic"), scripts=(),
    )
    return _with_scripts(doc)


def _with_scripts(doc: Document) -> Document:
    texts = [doc.title.vi, doc.title.other or "", *(note for _, _, note in doc.facts)]
    for pair in (doc.agency, doc.republic, doc.motto, doc.verify, doc.signed, doc.electronic,
                 *(p for *row, _ in doc.facts for p in row), *(p for row in doc.lines for p in row)):
        texts += [pair.vi, pair.other or ""]
    rest = {ord(c) for t in texts for c in t} - _covered(tuple(MAIN_FONTS.values()))
    scripts = tuple(family for family, name in SCRIPT_FONTS.items() if rest & _covered((name,)))
    return Document(**{**doc.__dict__, "scripts": scripts})


@cache
def _environment() -> Environment:
    """The PDF's own Jinja environment: the worker renders outside any request, and the document's texts are
    already translated (``document()``), so it needs no gettext."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def font_faces(scripts: tuple[str, ...]) -> Markup:
    """``@font-face`` rules for the portal's own fonts: Noto Sans and the script fonts this document needs."""
    rules = [f'@font-face {{ font-family: "result"; font-weight: {700 if style else 400}; '
             f'src: url("{(FONTS / name).as_uri()}"); }}' for style, name in MAIN_FONTS.items()]
    rules += [f'@font-face {{ font-family: "result-{family}"; '
              f'src: url("{(FONTS / SCRIPT_FONTS[family]).as_uri()}"); }}'
              for family in scripts]
    families = ", ".join(['"result"', *(f'"result-{family}"' for family in scripts)])
    return Markup("\n".join([*rules, f"body {{ font-family: {families}; }}"]))


def html(content: ResultContent) -> str:
    """The PDF's HTML: a whole document, in Vietnamese (``<html lang="vi">``), with its own style sheet."""
    doc = document(content)
    template = _environment().get_template("results/result.pdf.html")
    return template.render(doc=doc, fonts=font_faces(doc.scripts), issued_at=content.issued_at,
                            dossier_code=content.dossier_code)


def render(content: ResultContent) -> bytes:
    """The unsigned PDF: tagged PDF/UA-1, its ``/Lang`` from ``<html lang>``, its title from ``<title>``."""
    return write_pdf(html(content))


def write_pdf(source: str) -> bytes:
    """A whole HTML document as a tagged PDF/UA-1 (the result, and the filing receipt of issue 20)."""
    from weasyprint import HTML  # imported on first use: it loads Pango, which the web processes rarely need

    # One at a time per process: issuing runs in threads (asyncio.to_thread), and Pango and fontconfig are not
    # safe to share between threads (WeasyPrint's crash reports). Rendering holds the GIL anyway.
    with _RENDERING:
        return HTML(string=source, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/ua-1")
