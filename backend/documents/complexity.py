"""How large a file may be before it is checked (fields, signatures, revisions, objects, pixels), and the count."""

from __future__ import annotations

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

MAX_SIGNATURES = 10
"""Filled signature fields checked; more and the file is too complex (people's documents carry one to three)."""
MAX_FIELDS = 500
"""Form fields (of any type) walked before validation starts."""
MAX_REVISIONS = 32
"""Incremental updates (each later signature is one)."""
MAX_OBJECTS = 200_000
"""The highest object number the file declares."""
MAX_IMAGE_PIXELS = 50_000_000
"""Larger images are refused (a 50-megapixel photo decodes to 150 MB): Pillow's decompression-bomb limit."""


class TooComplex(Exception):
    """The file is over one of the limits above."""


def within_limits(reader: PdfFileReader) -> None:
    if reader.xrefs.total_revisions > MAX_REVISIONS:
        raise TooComplex("revisions")
    size = reader.trailer_view.get("/Size", 0)
    if not isinstance(size, int) or size > MAX_OBJECTS:
        raise TooComplex("objects")
    form = _value(reader.root, "/AcroForm")
    fields = _value(form, "/Fields") if isinstance(form, generic.DictionaryObject) else None
    if not isinstance(fields, generic.ArrayObject):
        return
    # raw_get: the references themselves, so that a field listed twice (or a loop) is counted once
    stack, seen, count, signatures = [fields.raw_get(i) for i in range(len(fields))], set(), 0, 0
    while stack:
        item = stack.pop()
        if isinstance(item, generic.IndirectObject):
            if item.reference in seen:
                continue
            seen.add(item.reference)
            item = item.get_object()
        if not isinstance(item, generic.DictionaryObject):
            continue
        count += 1
        if count > MAX_FIELDS:
            raise TooComplex("fields")
        if _value(item, "/FT") == "/Sig" and "/V" in item:
            signatures += 1
            if signatures > MAX_SIGNATURES:
                raise TooComplex("signatures")
        kids = _value(item, "/Kids")
        if isinstance(kids, generic.ArrayObject):
            stack.extend(kids.raw_get(i) for i in range(len(kids)))


def _value(dictionary: generic.DictionaryObject, key: str):
    """The value under ``key``, its reference followed; None when absent."""
    value = dictionary.raw_get(key) if key in dictionary else None
    return value.get_object() if isinstance(value, generic.IndirectObject) else value
