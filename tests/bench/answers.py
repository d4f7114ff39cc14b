"""What a valid application for a procedure looks like, from the catalogue's own definition."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIRTH = "1.001193"
# The smallest file the portal accepts as a PDF (it checks the magic number).
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@cache
def procedure_definition(code: str = BIRTH) -> dict:
    procedures = json.loads((ROOT / "backend" / "catalogue" / "data" / "procedures.json").read_text())
    procedures = procedures["procedures"] if isinstance(procedures, dict) else procedures
    return next(p for p in procedures if p["code"] == code)


def valid_value(field: dict) -> str:
    """An answer the form accepts, by field type."""
    match field.get("type"):
        case "date":
            return "2025-03-27"
        case "number":
            return "2"
        case "email":
            return "lan@example.vn"
        case "tel":
            return "0912345678"
        case "select":
            return field["options"][0]["value"]
    if "id_number" in field["name"]:
        return "001190012345"
    return "Nguyễn Thị Lan"


def valid_answers(form: list[dict]) -> dict[str, str]:
    """An answer for every field of every page (the optional ones too)."""
    return {field["name"]: valid_value(field) for page in form for field in page["fields"]}
