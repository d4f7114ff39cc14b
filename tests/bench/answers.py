"""What a valid application for a procedure looks like, from the catalogue's own definition."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from backend.catalogue.loader import read_procedures
from tests.support import PDF, valid_value

__all__ = ["PDF", "valid_value", "procedure_definition", "valid_answers"]

ROOT = Path(__file__).resolve().parents[2]
BIRTH = "1.001193"


@cache
def procedure_definition(code: str = BIRTH) -> dict:
    procedures = read_procedures()
    procedures = procedures["procedures"] if isinstance(procedures, dict) else procedures
    return next(p for p in procedures if p["code"] == code)


def valid_answers(form: list[dict]) -> dict[str, str]:
    """An answer for every field of every page (the optional ones too)."""
    return {field["name"]: valid_value(field) for page in form for field in page["fields"]}
