"""The agency directory as rows: the People's Committee of every province and of every commune, ward and special
zone (the administrative units, ``backend/core/units.py``), the departments and police that data/departments.json
lists for every province, and the ministries and hand-kept details of data/agencies.json.

An entry of agencies.json overrides the generated agency with its code (a better name, an address, opening
hours). One that names a ``unit_code`` and a ``kind`` stands for the generated agency of that unit and kind, under
its own code: the demo's ``P01-W-HOANKIEM`` is the People's Committee of Hoàn Kiếm ward, and no second one is made.
Pure: no database, so a test can read the directory without one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.core import units
from backend.core.units import Unit

Row = dict[str, Any]  # code, name, level, kind, parent (a code), province_code, unit_code, address, hours
ORDER = {"ministry": 0, "province": 1, "department": 2, "commune": 3}  # parents before children


def build(data_dir: Path) -> list[Row]:
    """Every agency, parents before their children."""
    templates = json.loads((data_dir / "departments.json").read_text(encoding="utf-8"))
    curated: list[Row] = json.loads((data_dir / "agencies.json").read_text(encoding="utf-8"))
    standing_in = {(row["unit_code"], row["kind"]): row["code"] for row in curated if row.get("unit_code")}
    rows: dict[str, Row] = {}
    for province in units.provinces():
        for row in _province_rows(province, templates, standing_in):
            rows[row["code"]] = row
    for entry in curated:
        if entry["code"] in rows:
            rows[entry["code"]].update(entry)
        else:
            rows[entry["code"]] = {"parent": None, "province_code": None, "unit_code": None} | entry
    for row in rows.values():
        row.setdefault("address", None)
        row.setdefault("hours", None)
    return sorted(rows.values(), key=lambda row: ORDER[row["level"]])


def _province_rows(province: Unit, templates: dict[str, Any], standing_in: dict[tuple[str, str], str]) -> list[Row]:
    types: dict[str, str] = templates["unit_types"]
    words = {"p": province.code, "province": province.name, "province_en": _english(province, types),
             "province_short_en": units.english(province.short)}
    own = _row(templates["province"], words, level="province", parent=None, province=province.code)
    rows = [own | {"unit_code": province.code}]
    rows += [_row(t, words, level="department", parent=own["code"], province=province.code)
             for t in templates["departments"]]
    for commune in units.wards(province.code):
        here = words | {"u": commune.code, "unit": commune.name, "unit_en": _english(commune, types)}
        for template in templates["communes"]:
            row = _row(template, here, level="commune", parent=own["code"], province=province.code)
            row["code"] = standing_in.get((commune.code, row["kind"]), row["code"])
            rows.append(row | {"unit_code": commune.code})
    return rows


def _row(template: dict[str, Any], words: dict[str, str], *, level: str, parent: str | None, province: str) -> Row:
    return {
        "code": template["code"].format(**words),
        "name": {lang: text.format(**words) for lang, text in template["name"].items()},
        "level": level,
        "kind": template["kind"],
        "parent": template["parent"].format(**words) if template.get("parent") else parent,
        "province_code": province,
        "unit_code": None,
    }


def _english(unit: Unit, types: dict[str, str]) -> str:
    """``Phường Ba Đình`` -> ``Ba Dinh Ward``; ``Thành phố Hà Nội`` -> ``Ha Noi City``."""
    kind = unit.name.removesuffix(unit.short).strip()
    return f"{units.english(unit.short)} {types.get(kind, '')}".strip()
