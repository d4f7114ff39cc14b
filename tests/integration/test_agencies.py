"""The agency directory (issue 17): every commune, ward and special zone and every province, their departments and
the ministries; where a procedure is filed; the API, its search and its refusals; the public list page."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from backend.catalogue import agencies, agency_index
from backend.catalogue.models import Agency, Procedure
from backend.core import units
from tests.support import Portal

BIRTH = "1.001193"  # filed at the People's Committee of any commune
PASSPORT = "1.001456"  # at any province's police
BUILDING = "1.013225"  # a commune's, with fees that differ per province
MIGRATIONS = Path(__file__).resolve().parents[2] / "backend" / "migrations" / "models"
SQLITE = SimpleNamespace(capabilities=SimpleNamespace(dialect="sqlite"))
COMMUNES = sum(len(units.wards(p.code)) for p in units.provinces())  # 3,321


async def _list(portal: Portal, **params):
    response = await portal.get("/api/v1/agencies", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_commune_and_province_is_in_the_directory(portal: Portal):
    assert COMMUNES == 3321
    communes = await _list(portal, level="commune")
    assert communes["total"] >= COMMUNES and len(communes["items"]) == 20
    provinces = await _list(portal, level="province", limit=100)
    assert provinces["total"] == 34 and {i["kind"] for i in provinces["items"]} == {"people_committee"}
    ministries = await _list(portal, level="ministry", limit=100)
    assert {"BCA", "BTP", "BTC", "BHXH"} <= {i["code"] for i in ministries["items"]}
    departments = await _list(portal, level="department", province="66", limit=100)
    kinds = {i["kind"] for i in departments["items"]}
    assert {"police", "justice", "construction", "agriculture_environment", "home_affairs", "health",
            "education", "tax"} <= kinds
    assert all(i["province"] == "66" and i["parent"] for i in departments["items"])


async def test_existing_codes_stand_for_their_unit_without_a_twin(portal: Portal):
    hoan_kiem = await Agency.get(code="P01-W-HOANKIEM")
    assert (hoan_kiem.unit_code, hoan_kiem.province_code, hoan_kiem.kind, hoan_kiem.level) == (
        "00070", "01", "people_committee", "commune")
    assert await Agency.filter(unit_code="00070", kind="people_committee").count() == 1
    police = await Agency.get(code="P01-CA")
    assert (police.level, police.kind, police.province_code) == ("department", "police", "01")
    found = await _list(portal, q="hoan kiem", level="commune")
    assert {i["code"] for i in found["items"]} == {"P01-W-HOANKIEM", "P01-00070-CA"}
    item = next(i for i in found["items"] if i["code"] == "P01-W-HOANKIEM")
    assert item["name"] == "People's Committee of Hoan Kiem Ward" and item["parent"] == "P01"
    assert item["address"] and item["hours"] and "lang" not in item


async def test_search_ignores_accents_and_case(portal: Portal):
    plain = await _list(portal, q="hoan kiem")
    accented = await _list(portal, q="HOÀN Kiếm")
    assert plain["total"] == accented["total"] >= 2
    assert {i["code"] for i in plain["items"]} == {i["code"] for i in accented["items"]}
    assert (await _list(portal, q="buon ma thuot", level="commune"))["items"][0]["province"] == "66"
    assert (await _list(portal, q="no such place anywhere"))["total"] == 0


async def test_procedure_lists_where_it_is_filed(portal: Portal):
    births = await _list(portal, procedure=BIRTH, limit=100)
    assert births["total"] == COMMUNES
    assert {(i["level"], i["kind"]) for i in births["items"]} == {("commune", "people_committee")}
    passports = await _list(portal, procedure=PASSPORT, limit=100)
    assert passports["total"] == 34 and {i["kind"] for i in passports["items"]} == {"police"}
    in_hanoi = await _list(portal, procedure=BIRTH, province="01", limit=100)
    assert in_hanoi["total"] == len(units.wards("01")) and {i["province"] for i in in_hanoi["items"]} == {"01"}
    narrowed = await _list(portal, procedure=BIRTH, province="01", q="ba dinh")
    assert narrowed["items"][0]["code"] == "P01-W-BADINH" and narrowed["total"] <= 10


async def test_pages_do_not_overlap_and_keep_the_total(portal: Portal):
    first = await _list(portal, level="commune", province="01", limit=7)
    second = await _list(portal, level="commune", province="01", limit=7, offset=7)
    assert first["total"] == second["total"] > 14
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}
    beyond = await _list(portal, level="commune", province="01", offset=100_000)
    assert beyond["items"] == [] and beyond["total"] == first["total"]


@pytest.mark.parametrize("params, named", [
    ({"level": "district"}, "level"),
    ({"province": "1"}, "province"),
    ({"province": "00"}, "00"),
    ({"procedure": "9.999999"}, "9.999999"),
    ({"procedure": "<script>"}, "procedure"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"q": "x" * 201}, "q"),
])
async def test_bad_parameters_are_refused_with_a_translated_reason(portal: Portal, params, named):
    response = await portal.get("/api/v1/agencies", params=params)
    assert response.status_code == 400
    assert named in response.json()["detail"]
    vietnamese = await portal.get("/api/v1/agencies", params=params, headers={"accept-language": "vi"})
    assert vietnamese.status_code == 400 and vietnamese.json()["detail"]


async def test_offers_suggests_and_terms(portal: Portal):
    birth = await Procedure.get(code=BIRTH)
    passport = await Procedure.get(code=PASSPORT)
    building = await Procedure.get(code=BUILDING)
    hoan_kiem, hanoi_police = await Agency.get(code="P01-W-HOANKIEM"), await Agency.get(code="P01-CA")
    assert await agencies.offers(birth, hoan_kiem) and not await agencies.offers(birth, hanoi_police)
    assert await agencies.offers(passport, hanoi_police) and not await agencies.offers(passport, hoan_kiem)
    total, some = await agencies.filing_agencies(birth, province="66", limit=5)
    assert total == len(units.wards("66")) and len(some) == 5
    assert all(a.province_code == "66" for a in some)
    assert (await agencies.suggested_agency(birth, "00070")).code == "P01-W-HOANKIEM"
    assert (await agencies.suggested_agency(passport, "00070")).code == "P01-CA"
    sapa = await agencies.suggested_agency(passport, "03006")
    assert sapa is not None and sapa.code == "P15-CA"
    assert await agencies.suggested_agency(birth, None) is None
    assert await agencies.suggested_agency(birth, "99999") is None
    assert agencies.terms(birth, hoan_kiem) == (birth.fee, birth.processing_days)
    assert agencies.terms(building, hoan_kiem) == (50000, 10)  # Ha Noi's own
    assert agencies.terms(building, await Agency.get(code="P15-W-SAPA")) == (building.fee, building.processing_days)
    narrowed = await Procedure.get(code=BIRTH)
    narrowed.offered_by = ["P01-W-BADINH"]
    assert not await agencies.offers(narrowed, hoan_kiem)
    assert await agencies.filing_agencies(narrowed) == (1, [await Agency.get(code="P01-W-BADINH")])
    hoan_kiem.active = False
    assert not await agencies.offers(birth, hoan_kiem)


async def test_the_procedure_page_says_where_it_is_filed_and_links_the_list(portal: Portal):
    page = (await portal.get(f"/procedures/{BIRTH}")).text
    assert "People&#39;s Committee of your commune, ward or special zone" in page
    assert f"/en/agencies?procedure={BIRTH}" in page and "3321" in page.replace(",", "")
    listing = await portal.get("/agencies", params={"procedure": BIRTH, "province": "01", "q": "hoan kiem"})
    assert listing.status_code == 200 and "People&#39;s Committee of Hoan Kiem Ward" in listing.text
    assert "126 Hang Trong" in listing.text
    unknown = await portal.get("/agencies", params={"province": "00"})
    assert unknown.status_code == 400 and "There is no province with the code 00." in unknown.text
    assert 'aria-invalid="true"' in unknown.text and "error-summary" in unknown.text
    assert (await portal.get("/agencies", params={"procedure": "0.000000"})).status_code == 404


async def test_an_agency_added_or_deactivated_elsewhere_is_searched_at_once(portal: Portal, monkeypatch):
    monkeypatch.setattr(agency_index, "CHECK_EVERY", 0)  # else within a second
    assert (await _list(portal, q="hoan kiem"))["total"] == 2  # the directory is now in memory
    extra = await Agency.create(code="P01-TEST-ONE", name={"vi": "Trung tâm Hoàn Kiếm", "en": "Hoan Kiem Centre"},
                                level="department", kind="culture", province_code="01",
                                search_key="trung tam hoan kiem")
    try:
        assert (await _list(portal, q="hoan kiem"))["total"] == 3
        await Agency.filter(code="P01-W-HOANKIEM").update(active=False)
        found = await _list(portal, q="hoan kiem")
        assert {i["code"] for i in found["items"]} == {"P01-TEST-ONE", "P01-00070-CA"}
    finally:
        await Agency.filter(code="P01-W-HOANKIEM").update(active=True)
        await extra.delete()
    assert (await _list(portal, q="hoan kiem"))["total"] == 2


async def test_a_name_in_another_language_than_asked_is_marked(portal: Portal):
    params = {"q": "ngoc ha", "level": "commune", "province": "01"}
    english = await _list(portal, **params)
    assert english["total"] >= 1 and all("lang" not in i for i in english["items"])
    portal.client.cookies.clear()  # no remembered language: Accept-Language chooses
    khmer = (await portal.get("/api/v1/agencies", params=params, headers={"accept-language": "km"})).json()
    assert khmer["items"] and {i["lang"] for i in khmer["items"]} == {"vi"}  # no Khmer name yet: Vietnamese
    assert khmer["items"][0]["name"].startswith("Ủy ban nhân dân")
    vietnamese = (await portal.get("/api/v1/agencies", params=params, headers={"accept-language": "vi"})).json()
    assert vietnamese["items"] and all("lang" not in i for i in vietnamese["items"])


async def test_the_procedure_api_says_where_it_is_filed(portal: Portal):
    detail = (await portal.get(f"/api/v1/procedures/{PASSPORT}")).json()
    assert (detail["filing_level"], detail["filing_kind"]) == ("province", "police")
    assert (await portal.get(detail["agencies_url"])).json()["total"] == 34


async def test_migration_17_keeps_existing_agencies_and_goes_back_cleanly():
    """On SQLite, with the migrations' own SQL: an agency written before 17 keeps its code and gets the defaults;
    the downgrade drops what 17 added and the upgrade runs again."""
    conn = sqlite3.connect(":memory:")
    for number in range(17):
        conn.executescript(await _migration(number).upgrade(SQLITE))
    conn.execute("""INSERT INTO agency (code, name, level) VALUES ('P01-W-HOANKIEM', '{"vi": "x"}', 'commune')""")
    seventeen = _migration(17)
    conn.executescript(await seventeen.upgrade(SQLITE))
    row = conn.execute("SELECT code, kind, active, search_key, unit_code FROM agency").fetchone()
    assert row == ("P01-W-HOANKIEM", "people_committee", 1, "", None)
    conn.executescript(await seventeen.downgrade(SQLITE))
    assert "kind" not in {c[1] for c in conn.execute("PRAGMA table_info(agency)")}
    conn.executescript(await seventeen.upgrade(SQLITE))
    assert {"idx_agency_level_kind", "idx_agency_unit"} <= {r[1] for r in conn.execute("PRAGMA index_list(agency)")}


def _migration(number: int):
    [path] = MIGRATIONS.glob(f"{number}_*.py")
    return importlib.import_module(f"backend.migrations.models.{path.stem}")


async def test_every_procedure_can_be_filed_somewhere_and_its_kind_has_a_name(portal: Portal):
    for procedure in await Procedure.filter(published=True):
        total, _ = await agencies.filing_agencies(procedure, limit=1)
        assert total >= 1, procedure.code
        assert procedure.filing_kind in agencies.KINDS, procedure.code
    kinds = set(await Agency.all().distinct().values_list("kind", flat=True))
    assert kinds <= set(agencies.KINDS)


@pytest.mark.parametrize("lang", ["vi", "km", "cjm"])
async def test_the_agency_list_page_in_other_languages(portal: Portal, lang: str):
    response = await portal.get(f"/{lang}/agencies", params={"procedure": PASSPORT, "page": "2"})
    assert response.status_code == 200 and response.text.count("<h1") == 1
    assert 'rel="prev"' in response.text and 'rel="next"' not in response.text  # 34 police: two pages of 20
