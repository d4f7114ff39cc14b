"""The text of a PDF the portal made (fpdf2: Type0 fonts, two-byte codes, a ToUnicode map of single codes), read
with pyHanko's reader: enough to check what a result says without another PDF library."""

from __future__ import annotations

import io
import re
import unicodedata

from pyhanko.pdf_utils.reader import PdfFileReader

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>")
_TOKENS = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|\bET\b", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\":
            nxt = raw[i + 1:i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def _to_unicode(font) -> dict[int, str]:
    stream = font.get_object().get("/ToUnicode")
    if stream is None:
        return {}
    found = {}
    for code, target in _BFCHAR.findall(stream.get_object().data):
        found[int(code, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    return found


def pdf_text(pdf: bytes) -> str:
    """Every page's text, one line per text object, in NFC."""
    reader = PdfFileReader(io.BytesIO(pdf))
    lines = []
    for page_ref in reader.root["/Pages"]["/Kids"]:
        page = page_ref.get_object()
        fonts = {str(name)[1:]: _to_unicode(font) for name, font in page["/Resources"]["/Font"].items()}
        current: dict[int, str] = {}
        line = ""
        for match in _TOKENS.finditer(page["/Contents"].get_object().data):
            if match.group(1):
                current = fonts.get(match.group(1).decode(), {})
            elif match.group(2) is not None:
                codes = _unescape(match.group(2))
                line += "".join(current.get(int.from_bytes(codes[i:i + 2], "big"), "")
                                for i in range(0, len(codes) - 1, 2))
            elif line:
                lines.append(line)
                line = ""
    return unicodedata.normalize("NFC", "\n".join(lines))
