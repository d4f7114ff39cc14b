"""Finding procedures: accent- and case-blind search, ranking, filters, pagination; the API's own description."""

import pytest

from backend.catalogue.loader import read_procedures
from tests.integration.helpers import BIRTH, PASSPORT

pytestmark = pytest.mark.integration
CATALOGUE = read_procedures()
CATALOGUE_SIZE = len(CATALOGUE)


async def codes(portal, **params) -> list[str]:
    response = await portal.get("/api/v1/procedures", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["items"]]


@pytest.mark.parametrize("q", ["DANG KY KHAI SINH", "đăng ký khai sinh", "dang ky khai sinh", "Đăng Ký  Khai-Sinh"])
async def test_accents_and_case_are_ignored(portal, q):
    found = await codes(portal, q=q)
    assert found[0] == BIRTH
    assert found == await codes(portal, q="dang ky khai sinh")


async def test_the_search_page_finds_the_same_first_procedure(portal):
    page = await portal.get("/procedures", params={"q": "DANG KY KHAI SINH"})
    assert page.status_code == 200
    assert "Đăng ký khai sinh" in page.text and f"/procedures/{BIRTH}" in page.text


async def test_a_title_match_ranks_before_a_match_elsewhere(portal):
    # "bảo hiểm" is in the titles of some procedures and only in the text of the unemployment benefit,
    # whose code would otherwise sort before some of them.
    titled = {item["code"] for item in CATALOGUE if "bảo hiểm" in item["title"]["vi"].lower()}
    assert {"1.002179", "1.002759", "3.000722"} <= titled
    found = await codes(portal, q="bao hiem")
    assert set(found[: len(titled)]) == titled
    assert "1.014748" in found[len(titled):]
    # All four words of "đăng ký khai sinh" are in the civil-status extract too, but not as its title.
    found = await codes(portal, q="đăng ký khai sinh")
    assert found.index(BIRTH) < found.index("2.000635")


@pytest.mark.parametrize("q", ["ho chieu", "Hộ chiếu", "passport"])
async def test_passport_is_found(portal, q):
    assert (await codes(portal, q=q))[0] == PASSPORT


async def test_without_a_query_the_whole_catalogue_is_listed_a_page_at_a_time(portal):
    pages = [(await portal.get("/api/v1/procedures", params={"limit": 100, "offset": offset})).json()
             for offset in range(0, CATALOGUE_SIZE, 100)]
    assert {page["total"] for page in pages} == {CATALOGUE_SIZE}
    all_codes = [item["code"] for page in pages for item in page["items"]]
    assert all_codes == sorted(item["code"] for item in CATALOGUE)

    default = (await portal.get("/api/v1/procedures")).json()
    assert (default["total"], default["limit"], default["offset"], len(default["items"])) == (CATALOGUE_SIZE, 20, 0, 20)

    first = (await portal.get("/api/v1/procedures", params={"limit": 5})).json()
    second = (await portal.get("/api/v1/procedures", params={"limit": 5, "offset": 5})).json()
    first_codes = [i["code"] for i in first["items"]]
    second_codes = [i["code"] for i in second["items"]]
    assert len(first_codes) == len(second_codes) == 5
    assert not set(first_codes) & set(second_codes)
    assert first_codes + second_codes == all_codes[:10]
    assert (second["total"], second["limit"], second["offset"]) == (CATALOGUE_SIZE, 5, 5)
    last = (await portal.get("/api/v1/procedures", params={"limit": 5, "offset": CATALOGUE_SIZE - 1})).json()
    assert [i["code"] for i in last["items"]] == all_codes[-1:]


async def test_the_catalogue_has_at_least_a_hundred_procedures(portal):
    assert (await portal.get("/api/v1/procedures", params={"limit": 1})).json()["total"] >= 100


@pytest.mark.parametrize(("q", "code"), [
    ("tach ho", "1.004216"),  # Tách hộ
    ("khai bao tam vang", "1.004228"),  # Khai báo tạm vắng
    ("che do thai san", "2.000693"),  # Giải quyết hưởng chế độ thai sản
    ("giay phep lao dong nuoc ngoai", "1.000459"),  # Cấp giấy phép lao động cho người lao động nước ngoài...
    ("dang ky lai ket hon", "1.004746"),  # Đăng ký lại kết hôn
    ("chuyen truong trung hoc co so", "2.002481"),  # Chuyển trường đối với học sinh trung học cơ sở
])
async def test_the_larger_catalogue_is_found_by_words_without_accents(portal, q, code):
    assert (await codes(portal, q=q))[0] == code


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "many"}])
async def test_out_of_range_pagination_is_a_bad_request(portal, params):
    assert (await portal.get("/api/v1/procedures", params=params)).status_code == 400


async def test_items_carry_code_title_and_agency(portal):
    item = (await portal.get("/api/v1/procedures", params={"q": "dang ky khai sinh"})).json()["items"][0]
    assert item["code"] == BIRTH and item["title"] and item["title_vi"] == "Đăng ký khai sinh"
    assert item["agency_code"] == "P01-W-HOANKIEM" and item["url"] == f"/procedures/{BIRTH}"


async def test_the_agency_filter_includes_the_agencys_units(portal):
    # Hà Nội police settles three procedures; its Ba Đình ward unit settles permanent residence.
    found = await codes(portal, agency="P01-CA")
    assert sorted(found) == sorted(["2.001195", PASSPORT, "3.000333", "1.004222"])
    assert await codes(portal, agency="P01-W-HOANKIEM") == [BIRTH]
    assert await codes(portal, agency="NOWHERE") == []
    page = await portal.get("/procedures", params={"agency": "P01-CA"})
    assert page.status_code == 200 and f"/procedures/{PASSPORT}" in page.text
    assert f"/procedures/{BIRTH}" not in page.text


async def test_the_life_event_filter(portal):
    births = sorted(item["code"] for item in CATALOGUE if "birth" in item["life_events"])
    assert {"1.001193", "2.000635", "3.000722"} <= set(births)
    assert sorted(await codes(portal, event="birth")) == births
    assert (await portal.get("/api/v1/procedures", params={"event": "birth"})).json()["total"] == len(births)
    found = await codes(portal, event="birth", q="dang ky khai sinh")
    assert found[0] == BIRTH and {"3.000722", "2.000635"} <= set(found) <= set(births)
    page = await portal.get("/procedures", params={"event": "birth"})
    assert page.status_code == 200
    for code in births:
        assert f"/procedures/{code}" in page.text
    assert f"/procedures/{PASSPORT}" not in page.text


async def test_an_unknown_procedure_is_not_found(portal):
    assert (await portal.get("/procedures/9.999999")).status_code == 404
    response = await portal.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404 and response.json()["detail"]
    known = await portal.get(f"/api/v1/procedures/{BIRTH}")
    assert known.status_code == 200 and known.json()["processing_days"] == 1


async def test_the_api_says_which_procedure_is_unknown(portal):
    # The handler raises NotFoundException("No procedure <code>"): an API client should get that message.
    response = await portal.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "No procedure 9.999999"


async def test_the_openapi_document_lists_the_public_api(portal):
    response = await portal.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/dossiers/{code}/status", "/healthz"):
        assert path in paths, sorted(paths)
    assert not any(p.startswith(("/desk", "/my/", "/sandbox")) for p in paths), "pages are not part of the API"


async def test_healthz_reports_the_database(portal):
    response = await portal.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok"
    assert body["database"]["dialect"] in {"sqlite", "postgres"}
