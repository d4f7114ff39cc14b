"""Signed PDFs changed after signing, and hostile ones, built from a real signed result (tests and bench)."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from backend.documents.complexity import MAX_FIELDS, MAX_SIGNATURES


def _write(writer: IncrementalPdfFileWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_metadata_edited(signed: bytes, title: str = "Edited after signing") -> bytes:
    """An incremental update that changes only the document information dictionary (/Info)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"]
    info[generic.NameObject("/Title")] = generic.TextStringObject(title)
    writer.update_container(info)
    return _write(writer)


def with_junk_appended(signed: bytes, size: int = 10 * 1024 * 1024) -> bytes:
    """``size`` bytes after the signed revision, then its own startxref again: readers still find the signed
    revision as the last one, and no revision holds the junk."""
    tail = signed[signed.rindex(b"startxref"):]
    return signed + b"\n" + b"x" * size + b"\n" + tail


def with_page_changed(signed: bytes) -> bytes:
    """A new revision that turns the first page sideways."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0]
    page[generic.NameObject("/Rotate")] = generic.NumberObject(90)
    writer.update_container(page)
    return _write(writer)


def with_signature_fields(signed: bytes, signatures: int, other_fields: int = 0) -> bytes:
    """``signatures`` more signature fields that all reuse the first field's signature value (finding 1: pyHanko's
    work grows with the square of them), and ``other_fields`` empty text fields."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    fields = writer.root["/AcroForm"]["/Fields"]
    value = fields[0].raw_get("/V")
    for i in range(signatures + other_fields):
        field = {"/T": generic.TextStringObject(f"F{i}"), "/Type": generic.NameObject("/Annot"),
                 "/Subtype": generic.NameObject("/Widget"), "/F": generic.NumberObject(132),
                 "/Rect": generic.ArrayObject([generic.NumberObject(0)] * 4)}
        if i < signatures:
            field.update({"/FT": generic.NameObject("/Sig"), "/V": value})
        else:
            field["/FT"] = generic.NameObject("/Tx")
        fields.append(writer.add_object(generic.DictionaryObject(
            {generic.NameObject(k): v for k, v in field.items()})))
    writer.update_container(fields)
    return _write(writer)


def worst_allowed(signed: bytes) -> bytes:
    """The costliest file the limits still check: as many signatures and fields as they allow."""
    return with_signature_fields(signed, MAX_SIGNATURES - 1, MAX_FIELDS - MAX_SIGNATURES)


def many_signatures(signed: bytes, extra: int = 300) -> bytes:
    """The file of finding 1: a few hundred signature fields reusing one signature (about 100 KiB)."""
    return with_signature_fields(signed, extra)
