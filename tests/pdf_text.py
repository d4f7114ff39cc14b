"""The text of a PDF the portal made, read with pypdf: what a result says, in the order it is drawn (each table
row's label, then its value), and where each line of it sits on the page."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """Every page's text, in NFC."""
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


@dataclass(frozen=True)
class Run:
    """A piece of text drawn on the page: its baseline's left end, its font size (points, from the top of the
    page down) and its text."""

    page: int
    x: float
    baseline: float
    size: float
    text: str

    @property
    def top(self) -> float:
        return self.baseline - 0.8 * self.size  # ascent of Noto Sans, near enough

    @property
    def bottom(self) -> float:
        return self.baseline + 0.25 * self.size

    def overlaps(self, other: Run) -> bool:
        return self.page == other.page and self.top < other.bottom and other.top < self.bottom


def text_runs(pdf: bytes) -> list[Run]:
    """Each piece of text with its position, from the content streams' text matrices."""
    reader = PdfReader(io.BytesIO(pdf))
    runs: list[Run] = []
    for number, page in enumerate(reader.pages):
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font_dict, font_size, number=number, height=height):
            if not text.strip():
                return
            scale_y = abs(tm[3] * cm[3]) or 1.0
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Run(number, x, height - y, font_size * scale_y, unicodedata.normalize("NFC", text)))

        page.extract_text(visitor_text=visit)
    return runs
