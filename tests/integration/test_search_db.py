"""Search done by the database: scripts without spaces, typos, prefixes, totals, and only one page loaded."""

import os
import re
from contextlib import asynccontextmanager

import pytest
from tortoise import connections

from backend.catalogue import search as fts
from backend.catalogue.controllers import PAGE_SIZE
from backend.catalogue.loader import read_procedures
from backend.catalogue.models import Agency, Procedure
from backend.catalogue.services import search, search_text, search_tokens
from backend.core.i18n import resolve_content
from tests.integration.helpers import BIRTH, PASSPORT
from tests.support import reset_database, served

pytestmark = pytest.mark.integration
CATALOGUE_SIZE = len(read_procedures())  # the catalogue's files (issue 18: 100 and more)
DEATH = "1.000656"


async def found(portal, **params) -> dict:
    response = await portal.get("/api/v1/procedures", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()


def codes(page: dict) -> list[str]:
    return [item["code"] for item in page["items"]]


async def test_a_khmer_word_finds_births_not_the_whole_catalogue(portal):
    # "កំណើត" is "birth": folded badly, its vowel signs were dropped and three consonants matched everything.
    page = await found(portal, q="កំណើត")  # the procedures about a birth, in their Khmer drafts: not all 104
    assert BIRTH in codes(page) and 0 < page["total"] <= 10, codes(page)
    procedure = await Procedure.get(code=BIRTH)
    khmer_title = resolve_content(procedure.title, "km")[0]  # "ការចុះបញ្ជីកំណើត": birth registration
    assert codes(await found(portal, q=khmer_title))[0] == BIRTH


async def test_chinese_is_found_by_any_part_of_a_title(portal):
    assert codes(await found(portal, q="出生登记"))[0] == BIRTH
    assert BIRTH in codes(await found(portal, q="生登"))  # the middle of a word, as typed without spaces
    assert codes(await found(portal, q="护照"))[0] == PASSPORT  # "passport"
    death = await found(portal, q="死")  # one character: the start of a pair
    assert codes(death)[0] == DEATH


MARITAL_STATUS = "1.004873"  # "Cấp Giấy xác nhận tình trạng hôn nhân"


@pytest.mark.parametrize("q, expected", [("pasport", PASSPORT), ("passpotr", PASSPORT), ("ho chieuu", PASSPORT),
                                         ("dnag ky khai sinh", BIRTH), ("hon nhna", MARITAL_STATUS)])
async def test_a_typo_is_forgiven(portal, q, expected):
    # Short words too: "nhna" shares no trigram but its first with "nhan", yet is one swap away.
    assert codes(await found(portal, q=q))[0] == expected, q
    if q == "hon nhna":
        assert (await found(portal, q=q))["total"] == (await found(portal, q="hon nhan"))["total"]


async def test_a_typo_does_not_replace_a_word_that_exists(portal):
    # "sinh" exists: it is not "corrected" to a neighbour; a word found nowhere and far from all is dropped.
    assert codes(await found(portal, q="khai sinh"))[0] == BIRTH
    assert (await found(portal, q="zzzzqqq"))["total"] == 0


@pytest.mark.parametrize("q", ["passp", "ho chi", "dang ky khai si", "Đăng ký khai s"])
async def test_the_last_word_may_be_unfinished(portal, q):
    assert codes(await found(portal, q=q))[0] == (PASSPORT if "ho" in q or "pass" in q else BIRTH), q


async def test_totals_and_pages_of_a_search(portal):
    everything = await found(portal, q="dang ky")
    total = everything["total"]
    assert 5 < total < CATALOGUE_SIZE and len(everything["items"]) == total
    pages = []
    for offset in range(0, total, 4):
        page = await found(portal, q="dang ky", limit=4, offset=offset)
        assert page["total"] == total and len(page["items"]) == min(4, total - offset)
        pages += codes(page)
    assert pages == codes(everything)
    beyond = await found(portal, q="dang ky", limit=4, offset=total + 10)
    assert beyond["items"] == [] and beyond["total"] == total
    html = (await portal.get("/procedures", params={"q": "dang ky"})).text
    positions = [html.index(f"/procedures/{code}") for code in codes(everything)[:PAGE_SIZE]]  # its first page
    assert positions == sorted(positions), "the search page shows the same order"


@asynccontextmanager
async def synthetic(count: int):
    """``count`` extra procedures about bee-keeping, the first five with it in their titles; removed after."""
    agency = await Agency.get(code="P01-W-HOANKIEM")
    rows = []
    for i in range(count):
        title = {"vi": f"Nuôi ong mật số {i}" if i % 200 == 0 else f"Thủ tục thử số {i}", "en": f"Test {i}"}
        item = {"code": f"T.{i:06d}", "title": title, "summary": {"vi": "Đăng ký nuôi ong và trồng cây"},
                "life_events": []}
        title_tokens, body = search_tokens(item, agency.name)
        rows.append((item, title_tokens, body))
    await Procedure.bulk_create([
        Procedure(code=item["code"], title=item["title"], summary=item["summary"], agency=agency, applicants=[],
                  documents=[], form=[], processing_days=1, result_forms=["online"], legal_basis=[], faq=[],
                  life_events=[], search_text=search_text(body)) for item, _, body in rows
    ])
    ids = dict(await Procedure.filter(code__startswith="T.").values_list("code", "id"))
    await fts.index([(ids[item["code"]], title, body) for item, title, body in rows])
    try:
        yield
    finally:
        await fts.unindex(list(ids.values()))
        await Procedure.filter(code__startswith="T.").delete()


def procedure_rows_read(monkeypatch) -> list[int]:
    """How many procedure rows each query returns from now on (the connection's public query methods, spied)."""
    client, read = connections.get("default"), []
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(client, name)

        async def spied(query, values=None, _original=original, _dict=name.endswith("dict")):
            result = await _original(query, values)
            if re.search(r'FROM "procedure"(?!_)', query):
                read.append(len(result if _dict else result[1]))
            return result

        monkeypatch.setattr(client, name, spied)
    return read


async def test_ranking_and_paging_happen_in_the_database(portal, monkeypatch):
    # The catalogue's own texts may hold both words too (a translation's "nuôi" and "ông"): counted beside.
    real = (await search("nuoi ong")).total
    async with synthetic(1000):
        loaded = procedure_rows_read(monkeypatch)
        page = await search("nuoi ong", limit=10 + real)
        assert page.total == 1000 + real
        titled = [f"T.{i:06d}" for i in range(0, 1000, 200)]  # the title matches come first, then by code
        others = [f"T.{i:06d}" for i in range(1, 6)]
        assert [p.code for p in page.items if p.code.startswith("T.")] == titled + others
        assert loaded and sum(loaded) <= 10 + real, f"only the page's rows are read: {loaded}"
        loaded.clear()
        last = await search("nuoi ong", limit=10, offset=995 + real)
        assert [p.code for p in last.items] == [f"T.{i:06d}" for i in range(995, 1000)] and last.total == 1000 + real
        assert loaded and sum(loaded) <= 10, loaded
        monkeypatch.undo()
        assert (await found(portal, q="ong mat", limit=3))["total"] == 5  # two words: both needed
    assert not [code for code in codes(await found(portal, q="nuoi ong")) if code.startswith("T.")]
    assert (await found(portal))["total"] == CATALOGUE_SIZE


@pytest.mark.skipif(os.environ.get("TEST_ENGINE") != "postgres", reason="PostgreSQL's planner")
async def test_postgres_searches_through_its_indexes(portal):
    conn = connections.get("default")
    async with synthetic(1000):
        await conn.execute_script("ANALYZE procedure_search")
        params: list = []
        dialect = fts._Dialect(conn)
        sql = dialect.sql(fts._ranked_sql(dialect, fts.query_terms("mat"), "", params))
        plan = "\n".join(r["QUERY PLAN"] for r in await conn.execute_query_dict(f"EXPLAIN {sql} LIMIT 10", params))
        assert "Bitmap Index Scan on idx_procedure_search_body" in plan, plan
        assert "Bitmap Index Scan on idx_procedure_search_title" in plan, plan
        assert not re.search(r"Scan on procedure\b(?!_)", plan), "the procedure rows are not read to rank"
        # Most queries: one look-up of the procedures having every word, and only those scored.
        params = []
        sql = dialect.sql(fts._best_only_sql(dialect, fts.query_terms("ong mat"), "", params))
        plan = "\n".join(r["QUERY PLAN"] for r in await conn.execute_query_dict(f"EXPLAIN {sql} LIMIT 10", params))
    assert plan.count("Index Scan on idx_procedure_search_body") == 1, plan
    assert "idx_procedure_search_title" not in plan and not re.search(r"Scan on procedure\b(?!_)", plan), plan


async def test_an_empty_index_is_filled_when_the_portal_starts(settings):
    # As after migration 13 on a portal whose catalogue was loaded before it, or procedures loaded by SQL.
    async with served(settings):
        await reset_database(settings.database_url)
        await fts.unindex(await Procedure.all().values_list("id", flat=True))
        assert await fts.indexed_count() == 0
    async with served(settings) as (_, client):
        response = await client.get("/api/v1/procedures", params={"q": "dang ky khai sinh"})
        assert response.json()["items"][0]["code"] == BIRTH
        assert await fts.indexed_count() == CATALOGUE_SIZE


def test_tokens_keep_khmer_vowels_and_pair_chinese():
    assert fts.document_tokens("Đăng ký KHAI-SINH") == ["dang", "ky", "khai", "sinh"]
    assert fts.document_tokens("出生登记") == ["出生", "生登", "登记", "记"]
    assert fts.document_tokens("កំណើត") == ["កំ", "ំណ", "ណើ", "ើត", "ត"]
    assert [t.tokens for t in fts.query_terms("生登 ho")] == [("生登",), ("ho",)]
    assert fts.edits("pasport", "passport", 1) == 1 and fts.edits("dnag", "dang", 1) == 1
    assert fts.edits("abcdef", "uvwxyz", 1) == 2
