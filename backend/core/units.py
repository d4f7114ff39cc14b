"""Viet Nam's administrative units since 1 July 2025: 34 provinces and centrally-run cities, 3,321 communes,
wards and special zones, with no districts in between.

The list comes from the ``vietnamadminunits`` package (MIT), read straight from the SQLite data file it ships.
Its Python code is never imported: importing it loads its address parser, which needs ``unidecode`` (GPL-2.0+),
shapely and geopy, none of which the portal needs to show two lists.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "vietnamadminunits"


@dataclass(frozen=True)
class Unit:
    code: str  # the General Statistics Office code: 2 digits for a province, 5 for a commune or ward
    name: str  # the full official name, "Phường Ba Đình", "Thành phố Hà Nội"
    short: str  # without its type, "Ba Đình"

    @property
    def key(self) -> str:
        """What search matches: lower case, no accents (``đ`` as ``d``)."""
        return fold(self.name)


def fold(text: str) -> str:
    """``Phường Đống Đa`` -> ``phuong dong da``: how people type a name on a phone without accents."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def data_file() -> Path:
    """The package's SQLite file, found without running the package's ``__init__``."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The {PACKAGE} package is not installed: pip install -e .")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"


@cache
def _load() -> tuple[tuple[Unit, ...], dict[str, tuple[Unit, ...]], dict[str, str]]:
    with sqlite3.connect(f"file:{data_file()}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT provinceCode, province, provinceShort, wardCode, ward, wardShort FROM admin_units"
        ).fetchall()
    provinces: dict[str, Unit] = {}
    wards: dict[str, list[Unit]] = {}
    ward_province: dict[str, str] = {}
    for p_code, p_name, p_short, w_code, w_name, w_short in rows:
        provinces.setdefault(p_code, Unit(p_code, p_name, p_short))
        wards.setdefault(p_code, []).append(Unit(w_code, w_name, w_short))
        ward_province[w_code] = p_code
    ordered = tuple(sorted(provinces.values(), key=lambda u: fold(u.short)))
    return ordered, {p: tuple(sorted(ws, key=lambda u: fold(u.short))) for p, ws in wards.items()}, ward_province


def provinces() -> tuple[Unit, ...]:
    """The 34 provinces and centrally-run cities, in alphabetical order of their short names."""
    return _load()[0]


def province(code: str) -> Unit | None:
    """The province with that code, or None."""
    return next((p for p in provinces() if p.code == code), None)


def wards(province_code: str) -> tuple[Unit, ...]:
    """The communes, wards and special zones of one province (none for an unknown code)."""
    return _load()[1].get(province_code, ())


def ward(province_code: str, ward_code: str) -> Unit | None:
    """The ward only if it belongs to that province."""
    if _load()[2].get(ward_code) != province_code:
        return None
    return next((w for w in wards(province_code) if w.code == ward_code), None)


def search(province_code: str, query: str) -> list[Unit]:
    """Wards of a province whose name contains every word typed, accents or not."""
    words = fold(query).split()
    return [w for w in wards(province_code) if all(word in w.key for word in words)]


def province_of(unit_code: str) -> str | None:
    """The province code of a commune or ward (a province's own code for a province); None when unknown."""
    if province(unit_code) is not None:
        return unit_code
    return _load()[2].get(unit_code)


def english(name: str) -> str:
    """``Hà Nội`` -> ``Ha Noi``: how English texts write Vietnamese place names (accents dropped, case kept)."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))
