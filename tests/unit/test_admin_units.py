"""Administrative units since 1 July 2025, from the vietnamadminunits data package (no network, no database)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import pytest

from backend.delivery import units
from backend.delivery.services import agency_province, fee_for
from backend.settings import ROOT

pytestmark = pytest.mark.unit


def test_34_provinces_and_3321_communes_and_wards() -> None:
    provinces = units.provinces()
    assert len(provinces) == 34
    assert sum(len(units.wards(p.code)) for p in provinces) == 3321
    assert len({w.code for p in provinces for w in units.wards(p.code)}) == 3321  # codes are unique nationwide
    hanoi = units.province("01")
    assert hanoi is not None and hanoi.name == "Thành phố Hà Nội"
    assert len(units.wards("01")) == 126
    assert units.province("02") is None  # Hà Giang merged into Tuyên Quang on 1 July 2025
    assert units.wards("02") == ()


def test_a_ward_belongs_to_its_own_province_only() -> None:
    ba_dinh = units.ward("01", "00004")
    assert ba_dinh is not None and ba_dinh.name == "Phường Ba Đình"
    assert units.ward("79", "00004") is None
    assert units.ward("01", "99999") is None


def test_search_ignores_accents_and_case() -> None:
    assert [w.name for w in units.search("01", "ba dinh")] == ["Phường Ba Đình"]
    assert [w.name for w in units.search("01", "BA ĐÌNH")] == ["Phường Ba Đình"]
    assert any(w.name == "Phường Sài Gòn" for w in units.search("79", "sai gon"))
    assert units.search("01", "zzz") == []
    assert units.fold("Đặc khu Phú Quốc") == "dac khu phu quoc"


def test_every_provincial_agency_of_the_catalogue_is_in_a_current_province() -> None:
    agencies = json.loads((ROOT / "backend/catalogue/data/agencies.json").read_text())
    codes = {agency_province(a["code"]) for a in agencies} - {None}
    assert codes and all(units.province(code) for code in codes), codes


def test_fee_inside_and_outside_the_agency_province() -> None:
    assert agency_province("P01-W-BADINH") == "01" and agency_province("BHXH") is None
    assert fee_for("P01-W-HOANKIEM", "01") < fee_for("P01-W-HOANKIEM", "79")
    assert fee_for("BHXH", "01") == fee_for("P01-W-HOANKIEM", "79")


def test_the_data_package_is_mit_and_its_gpl_dependency_is_never_imported() -> None:
    """The data comes from an MIT package; reading it must not load its parser (which imports unidecode, GPL)."""
    classifiers = metadata.metadata("vietnamadminunits").get_all("Classifier") or []
    assert "License :: OSI Approved :: MIT License" in classifiers
    assert metadata.version("vietnamadminunits") == "1.0.4"
    probe = (
        "import sys; from backend.delivery import units; units.provinces(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('vietnamadminunits', 'unidecode', 'shapely')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
